#!/bin/sh
set -e
# record which commit is deployed
export APP_REVISION="$(git rev-parse --short HEAD)"
python manage.py migrate --noinput
exec "$@"

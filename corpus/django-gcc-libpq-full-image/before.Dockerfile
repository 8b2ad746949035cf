# Dockerfile for the "ledger" Django service
#   docker build -t ledger-api .
#   docker run -p 8000:8000 --env-file .env ledger-api
FROM python:3.11

ENV PYTHONUNBUFFERED=1
ENV DJANGO_SETTINGS_MODULE=ledger.settings.production

RUN apt-get update && apt-get install -y --no-install-recommends \
    gcc \
    libpq-dev \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/ledger

COPY requirements.txt /srv/ledger/
RUN pip install --upgrade pip && pip install -r requirements.txt

COPY . /srv/ledger/

# collectstatic needs *a* SECRET_KEY to import settings; the real one comes from the env at runtime
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput

EXPOSE 8000
CMD gunicorn ledger.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -

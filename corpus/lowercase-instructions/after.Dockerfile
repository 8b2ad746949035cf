from python:3.10-slim as builder

# old file from 2019, nobody dared to touch the casing
run apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*

workdir /app
copy requirements.txt /app/
run python -m venv /opt/venv
env VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
run pip install --no-cache-dir -r requirements.txt

from python:3.10-slim as runtime
run apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
workdir /app
copy --from=builder /opt/venv /opt/venv
env VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
copy --chown=10001:10001 . /app/
run groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
user 10001:10001

env FLASK_APP=survey
expose 5000
cmd flask run --host 0.0.0.0 --port 5000

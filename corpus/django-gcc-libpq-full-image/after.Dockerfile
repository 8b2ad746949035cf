# Dockerfile for the "ledger" Django service
#   docker build -t ledger-api .
#   docker run -p 8000:8000 --env-file .env ledger-api
FROM python:3.11 AS builder

ENV PYTHONUNBUFFERED=1
ENV DJANGO_SETTINGS_MODULE=ledger.settings.production

RUN apt-get update && apt-get install -y --no-install-recommends \
    gcc \
    libpq-dev \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/ledger

COPY requirements.txt /srv/ledger/
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --upgrade pip && pip install -r requirements.txt

FROM python:3.11 AS runtime
ENV PYTHONUNBUFFERED=1
ENV DJANGO_SETTINGS_MODULE=ledger.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/ledger
COPY --chown=10001:10001 requirements.txt /srv/ledger/
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

COPY --chown=10001:10001 . /srv/ledger/

# collectstatic needs *a* SECRET_KEY to import settings; the real one comes from the env at runtime
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown -R 10001:10001 /srv/ledger
USER 10001:10001

EXPOSE 8000
CMD gunicorn ledger.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile -

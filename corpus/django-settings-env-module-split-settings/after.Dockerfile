FROM python:3.13-slim AS builder
ENV DJANGO_SETTINGS_MODULE=core.settings.prod
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.13-slim AS runtime
ENV DJANGO_SETTINGS_MODULE=core.settings.prod
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 src/backend_django/ .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /app/mediafiles /app/logs/backend \
    && chown 10001:10001 /app /app/mediafiles /app/logs/backend
USER 10001:10001
CMD ["gunicorn", "core.wsgi", "--bind", "0.0.0.0:8000"]

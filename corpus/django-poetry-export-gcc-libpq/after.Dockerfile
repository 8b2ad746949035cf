FROM python:3.13-slim AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.8.3

WORKDIR /app

# gcc/g++ + libpq-dev: psycopg2 and a couple of other C extensions are built from source
# libpq5: psycopg2 at runtime, curl: the HEALTHCHECK below
RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc \
        g++ \
        libpq-dev \
        libpq5 \
        curl \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}" poetry-plugin-export

COPY pyproject.toml poetry.lock ./

# keep the lock in sync with pyproject (people forget to run it locally),
# then export only what production needs: main + the django and shared groups
RUN poetry lock --no-update \
    && poetry export --only main,django,shared --without-hashes -f requirements.txt -o requirements.txt

RUN python -m venv /venv \
    && /venv/bin/pip install --no-cache-dir -r requirements.txt

FROM python:3.13-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    POETRY_VERSION=1.8.3
WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /venv /venv
ENV PATH="/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=core.settings.dev

COPY src/backend_django /app
COPY entrypoint.sh /entrypoint.sh

RUN mkdir -p /app/staticfiles /app/mediafiles /app/logs/backend \
    && useradd --uid 1000 --create-home --shell /bin/bash appuser \
    && chown -R appuser:appuser /app \
    && chmod +x /entrypoint.sh

USER appuser

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://localhost:8000/api/health/ || exit 1

EXPOSE 8000
ENTRYPOINT ["/entrypoint.sh"]

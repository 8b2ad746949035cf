FROM python:3.11-slim AS builder

RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*

# run as an unprivileged user, celery refuses to run as root with pickle anyway
RUN groupadd --system celery && useradd --system --gid celery --home-dir /srv celery

WORKDIR /srv
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system celery && useradd --system --gid celery --home-dir /srv celery
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=celery:celery tasks/ ./tasks/

USER celery

CMD ["celery", "-A", "tasks.app", "worker", "--loglevel=INFO", "--concurrency=4"]

FROM python:3.11-slim AS builder

ENV BUILD_DEPS="gcc libpq-dev libffi-dev" \
    RUNTIME_DEPS="libpq5"

WORKDIR /app
COPY requirements.txt .

RUN apt-get update \
    && apt-get install -y --no-install-recommends $BUILD_DEPS $RUNTIME_DEPS \
    && mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt \
    && apt-get purge -y --auto-remove $BUILD_DEPS \
    && rm -rf /var/lib/apt/lists/*

FROM python:3.11-slim AS runtime
ENV BUILD_DEPS="gcc libpq-dev libffi-dev" \
    RUNTIME_DEPS="libpq5"
WORKDIR /app
COPY --from=builder /install /usr/local
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libffi8 \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "crm.wsgi:application"]

FROM python:3.12-slim-bookworm AS builder
WORKDIR /app
COPY requirements.txt .
RUN apt-get update && apt-get install -y gcc libpq-dev libpq5 \
    && mkdir -p /install && pip install --prefix=/install -r requirements.txt \
    && apt-get purge -y --auto-remove gcc libpq-dev && rm -rf /var/lib/apt/lists/*

FROM python:3.12-slim-bookworm AS runtime
WORKDIR /app
COPY --from=builder /install /usr/local
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "app.py"]

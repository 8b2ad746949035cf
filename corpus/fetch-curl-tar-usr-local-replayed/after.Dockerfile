# A tool unpacked into /usr/local is no source download: the runtime stage runs it again.
FROM python:3.12-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/tools/migrate-1.0-linux-amd64.tar.gz | tar -xz -C /usr/local/bin migrate
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libpq5 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/tools/migrate-1.0-linux-amd64.tar.gz | tar -xz -C /usr/local/bin migrate
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["sh", "-c", "migrate up && python -m app"]

FROM python:3.10-slim-bookworm AS builder

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

ENV DOCKERIZE_VERSION=v0.7.0

RUN apt-get update && apt-get install -y --no-install-recommends \
        curl \
        ca-certificates \
        gcc \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*

# dockerize waits for the database before the app starts
RUN curl -fsSL "https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-amd64-${DOCKERIZE_VERSION}.tar.gz" \
    | tar -xzC /usr/local/bin

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt | tee /tmp/pip.log

FROM python:3.10-slim-bookworm AS runtime
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV DOCKERIZE_VERSION=v0.7.0
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libpq5 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL "https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-amd64-${DOCKERIZE_VERSION}.tar.gz" \
    | tar -xzC /usr/local/bin
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

CMD ["dockerize", "-wait", "tcp://db:5432", "-timeout", "60s", "gunicorn", "-b", "0.0.0.0:8000", "billing.wsgi"]

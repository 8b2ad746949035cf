# syntax=docker/dockerfile:1.4
FROM python:3.12-slim AS builder

RUN <<EOT
set -eux
apt-get update
apt-get install -y --no-install-recommends \
    gcc \
    libpq-dev \
    libffi-dev
rm -rf /var/lib/apt/lists/*
EOT

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN <<EOT bash
set -euo pipefail
pip install --no-cache-dir -r requirements.txt
pip check
EOT

FROM python:3.12-slim AS runtime
RUN set -eux \
    ; apt-get update \
    ; apt-get install -y --no-install-recommends libpq5 libffi8 \
    ; rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN set -euo pipefail
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "kanban.wsgi"]

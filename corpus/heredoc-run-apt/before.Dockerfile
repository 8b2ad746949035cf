# syntax=docker/dockerfile:1.4
FROM python:3.12-slim

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
RUN <<EOT bash
set -euo pipefail
pip install --no-cache-dir -r requirements.txt
pip check
EOT

COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "kanban.wsgi"]

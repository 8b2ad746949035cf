# syntax=docker/dockerfile:1
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY mailer/ mailer/

# defaults; every key can be overridden with MAILER_* env vars
COPY <<EOF /app/config.ini
[smtp]
host = localhost
port = 25
use_tls = false

[queue]
url = redis://redis:6379/0
EOF

CMD ["python", "-m", "mailer", "--config", "/app/config.ini"]

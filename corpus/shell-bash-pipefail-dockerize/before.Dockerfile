FROM python:3.10-slim-bookworm

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
RUN pip install --no-cache-dir -r requirements.txt | tee /tmp/pip.log
COPY . .

CMD ["dockerize", "-wait", "tcp://db:5432", "-timeout", "60s", "gunicorn", "-b", "0.0.0.0:8000", "billing.wsgi"]

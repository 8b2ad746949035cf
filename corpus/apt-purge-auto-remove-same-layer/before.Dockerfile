FROM python:3.10-slim

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .

# Build psycopg2 and throw the compiler away in the same layer to keep the image small.
# libpq-dev stays: it pulls in libpq5 which psycopg2 needs at runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
 && pip install -r requirements.txt \
 && apt-get purge -y --auto-remove gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*

COPY . .

CMD ["python", "-m", "notifier.worker"]

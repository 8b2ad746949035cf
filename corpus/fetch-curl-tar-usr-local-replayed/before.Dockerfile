# A tool unpacked into /usr/local is no source download: the runtime stage runs it again.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/tools/migrate-1.0-linux-amd64.tar.gz | tar -xz -C /usr/local/bin migrate
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["sh", "-c", "migrate up && python -m app"]

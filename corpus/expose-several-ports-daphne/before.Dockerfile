FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1

RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# 8000 http + websockets (daphne), 8001 admin, 9100 prometheus metrics
EXPOSE 8000 8001/tcp
EXPOSE 9100

CMD daphne -b 0.0.0.0 -p 8000 chat.asgi:application

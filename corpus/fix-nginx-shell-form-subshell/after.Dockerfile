FROM python:3.11-slim AS builder

RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx libpq5 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY . .

EXPOSE 80
# gunicorn in the background, nginx in front of it
CMD (gunicorn app:app --bind 127.0.0.1:8000 --workers 2 &) && (nginx -g 'daemon off;')

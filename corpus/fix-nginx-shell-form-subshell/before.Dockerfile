FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY . .

EXPOSE 80
# gunicorn in the background, nginx in front of it
CMD (gunicorn app:app --bind 127.0.0.1:8000 --workers 2 &) && (nginx -g 'daemon off;')

FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN cd frontend && npm ci && npm run build
# the server renders pages with the SSR bundle, through node
CMD ["sh", "-c", "node frontend/ssr-server.mjs & exec gunicorn app.wsgi --bind 0.0.0.0:8000"]

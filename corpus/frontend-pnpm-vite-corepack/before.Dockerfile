FROM python:3.12-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    VITE_API_URL=/api

RUN apt-get update && apt-get install -y --no-install-recommends \
        nodejs \
        npm \
        gcc \
        libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN corepack enable

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
WORKDIR /app/frontend
RUN pnpm install --frozen-lockfile && pnpm build
WORKDIR /app

CMD ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000"]

FROM python:3.12-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates gcc libpq-dev \
    && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
    && apt-get install -y --no-install-recommends nodejs \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY ui/package.json ui/package-lock.json ./ui/
RUN npm --prefix ui ci
COPY . .
RUN npm --prefix ui run build

HEALTHCHECK CMD curl -fsS http://127.0.0.1:8000/health || exit 1
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000"]

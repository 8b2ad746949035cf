FROM node:18-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY frontend/ ./
RUN npm run build

FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --chown=10001:10001 . .
COPY --chown=10001:10001 --from=frontend /app/static/dist /app/static/dist
RUN sh scripts/post_build.sh \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["python", "-m", "http.server", "8000"]

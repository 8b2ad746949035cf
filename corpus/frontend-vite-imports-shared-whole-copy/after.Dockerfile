FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY . /app/
RUN npm run build

FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
COPY --chown=10001:10001 --from=frontend /app/static/dist /app/static/dist
RUN python manage.py collectstatic --noinput \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /srv/media /var/log/app \
    && chown 10001:10001 /srv/media /var/log/app
USER 10001:10001
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

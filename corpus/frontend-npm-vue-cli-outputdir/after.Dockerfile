FROM node:20-bookworm-slim AS frontend
WORKDIR /srv/client
COPY client/package.json client/package-lock.json ./
RUN npm ci
COPY client/ ./
RUN npm run build

FROM python:3.11-slim AS builder

WORKDIR /srv
COPY requirements.txt ./
RUN mkdir -p /install && pip install --prefix=/install -r requirements.txt

FROM python:3.11-slim AS runtime
WORKDIR /srv
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
COPY --chown=10001:10001 --from=frontend /srv/site/static/client /srv/site/static/client
RUN python manage.py collectstatic --noinput \
    && find /srv ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "-b", "0.0.0.0:8000"]

FROM node:18-bookworm-slim AS frontend
WORKDIR /code/assets
RUN corepack enable
COPY assets/package.json assets/yarn.lock ./
RUN yarn install --frozen-lockfile
COPY assets/ ./
RUN yarn build

FROM python:3.12-slim-bookworm AS builder
WORKDIR /code
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
WORKDIR /code
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
COPY --chown=10001:10001 --from=frontend /code/web/static/build /code/web/static/build
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
CMD ["python", "-m", "flask", "--app", "web", "run", "--host", "0.0.0.0"]

FROM python:3.12-slim AS builder
WORKDIR /srv
COPY . .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir .

FROM python:3.12-slim AS runtime
WORKDIR /srv
COPY --chown=10001:10001 . .
COPY --from=builder /install /usr/local
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv
USER 10001:10001
CMD ["billing-worker"]

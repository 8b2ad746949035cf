FROM debian:bookworm-slim AS builder

# curl: the start script downloads the configuration
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/server
COPY . .
RUN make

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/server
COPY --chown=10001:10001 --from=builder /opt/server /opt/server
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /opt/server
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \
    CMD curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8080/status || exit 1
EXPOSE 8080
CMD ["./start.sh"]

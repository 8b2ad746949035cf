FROM debian:bookworm-slim

# curl: the start script downloads the configuration
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev make curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/server
COPY . .
RUN make

EXPOSE 8080
CMD ["./start.sh"]

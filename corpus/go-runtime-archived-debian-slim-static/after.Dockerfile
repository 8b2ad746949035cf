FROM golang:1.12.6 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .
# go-runtime: Debian stretch is archived (its apt-get update fails): the runtime stage copies these files of the golang image from here
RUN mkdir -p /tmp/go-runtime/rootfs \
    && for path in /etc/ssl/certs/ca-certificates.crt /usr/share/zoneinfo /etc/services /etc/protocols; do if [ -e "$path" ]; then mkdir -p "/tmp/go-runtime/rootfs${path%/*}" && cp -a "$path" "/tmp/go-runtime/rootfs$path"; fi; done \
    && find /tmp/go-runtime/rootfs -type d -exec chmod 755 {} +

FROM debian:stretch-slim AS runtime
WORKDIR /src
COPY --from=builder /tmp/go-runtime/rootfs/ /
COPY --from=builder /usr/local/bin/svc /usr/local/bin/svc
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
CMD svc --port 8080

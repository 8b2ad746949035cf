FROM golang:1.11.5 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .
# go-runtime: Debian stretch is archived (its apt-get update fails): the runtime stage copies these files of the golang image from here
RUN mkdir -p /tmp/go-runtime/rootfs \
    && for path in /etc/ssl/certs/ca-certificates.crt /usr/share/zoneinfo /etc/services /etc/protocols; do if [ -e "$path" ]; then mkdir -p "/tmp/go-runtime/rootfs${path%/*}" && cp -a "$path" "/tmp/go-runtime/rootfs$path"; fi; done \
    && find /tmp/go-runtime/rootfs -type d -exec chmod 755 {} +

FROM scratch AS runtime
WORKDIR /src
COPY --from=builder /tmp/go-runtime/rootfs/ /
COPY --from=builder /usr/local/bin/svc /usr/local/bin/svc
USER 65532:65532
CMD ["svc"]

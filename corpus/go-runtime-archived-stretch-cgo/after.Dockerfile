FROM golang:1.10.1 AS builder
WORKDIR /go/src/app
COPY . .
RUN go build -o /app/bin/svc .
# go-runtime: the packages owning the shared libraries /app/bin/svc links (the runtime stage installs them)
RUN mkdir -p /tmp/go-runtime \
    && find /app/bin/svc -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; \
    do dpkg-query --search "$path" 2>/dev/null && break; done; done \
    | sed -n 's/^\([^ :,]*\)[:,].*/\1/p' | sort -u \
    | while read -r pkg; do [ "$(dpkg-query --show --showformat='${Priority}' "$pkg")" = required ] || echo "$pkg"; done \
    | grep -vx -e libc6 -e libgcc-s1 -e libgcc1 -e libstdc++6 -e zlib1g > /tmp/go-runtime/.runtime-packages || [ -f /tmp/go-runtime/.runtime-packages ]
# go-runtime: Debian stretch is archived (its apt-get update fails): the runtime stage copies these files of the golang image from here
RUN mkdir -p /tmp/go-runtime/rootfs \
    && for path in /etc/ssl/certs/ca-certificates.crt /usr/share/zoneinfo /etc/services /etc/protocols; do if [ -e "$path" ]; then mkdir -p "/tmp/go-runtime/rootfs${path%/*}" && cp -a "$path" "/tmp/go-runtime/rootfs$path"; fi; done \
    && find /tmp/go-runtime/rootfs -type d -exec chmod 755 {} +

FROM debian:stretch-slim AS runtime
WORKDIR /go/src/app
COPY --from=builder /tmp/go-runtime/rootfs/ /
COPY --from=builder /tmp/go-runtime/.runtime-packages /tmp/go-runtime/.runtime-packages
RUN if [ -s /tmp/go-runtime/.runtime-packages ]; then apt-get update \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /tmp/go-runtime/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /tmp/go-runtime/.runtime-packages
COPY --from=builder /app/bin/svc /app/bin/svc
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /go/src/app
USER 10001:10001
EXPOSE 8080
CMD ["/app/bin/svc"]

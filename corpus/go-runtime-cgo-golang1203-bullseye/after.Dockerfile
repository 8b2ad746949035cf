FROM golang:1.20.3 AS builder
WORKDIR /src
COPY go.mod ./
COPY . .
RUN go build -trimpath -o /usr/local/bin/web .
# go-runtime: the packages owning the shared libraries /usr/local/bin/web links (the runtime stage installs them)
RUN mkdir -p /tmp/go-runtime \
    && find /usr/local/bin/web -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; \
    do dpkg-query --search "$path" 2>/dev/null && break; done; done \
    | sed -n 's/^\([^ :,]*\)[:,].*/\1/p' | sort -u \
    | while read -r pkg; do [ "$(dpkg-query --show --showformat='${Priority}' "$pkg")" = required ] || echo "$pkg"; done \
    | grep -vx -e libc6 -e libgcc-s1 -e libgcc1 -e libstdc++6 -e zlib1g > /tmp/go-runtime/.runtime-packages || [ -f /tmp/go-runtime/.runtime-packages ]

FROM debian:bullseye-slim AS runtime
WORKDIR /src
COPY --from=builder /tmp/go-runtime/.runtime-packages /tmp/go-runtime/.runtime-packages
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata netbase \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /tmp/go-runtime/.runtime-packages \
    && rm -rf /var/lib/apt/lists/* \
    && rm -f /tmp/go-runtime/.runtime-packages
COPY --from=builder /usr/local/bin/web /usr/local/bin/web
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["web"]

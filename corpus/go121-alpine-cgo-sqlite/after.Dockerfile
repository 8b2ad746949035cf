FROM golang:1.21-alpine AS builder

# mattn/go-sqlite3 needs cgo
RUN apk add --no-cache gcc musl-dev git

ENV CGO_ENABLED=1
WORKDIR /src
COPY . .
RUN go build -o /app/notes-server .
# go-runtime: the packages owning the shared libraries /app/notes-server links (the runtime stage installs them)
RUN mkdir -p /tmp/go-runtime \
    && find /app/notes-server -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "$lib" "$real"; do apk info --who-owns "$path" 2>/dev/null | sed -n 's/.* is owned by //p' | grep . && break; done; done \
    | sed 's/-[0-9][^-]*-r[0-9]*$//' | sort -u \
    | grep -vx -e musl > /tmp/go-runtime/.runtime-packages || [ -f /tmp/go-runtime/.runtime-packages ]

FROM alpine:3 AS runtime
ENV CGO_ENABLED=1
WORKDIR /src
COPY --from=builder /tmp/go-runtime/.runtime-packages /tmp/go-runtime/.runtime-packages
RUN apk add --no-cache ca-certificates tzdata \
    && xargs -r apk add --no-cache < /tmp/go-runtime/.runtime-packages \
    && rm -f /tmp/go-runtime/.runtime-packages
COPY --chown=10001:10001 --from=builder /app/notes-server /app/notes-server

WORKDIR /app
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && mkdir -p /app/data \
    && chown 10001:10001 /app /app/data
USER 10001:10001
VOLUME /app/data
EXPOSE 8090
ENTRYPOINT ["/app/notes-server"]
CMD ["--db", "/app/data/notes.db"]

FROM golang:1.22-alpine3.20 AS builder

RUN apk add --no-cache git

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shortener ./cmd/shortener

FROM alpine:3.20 AS runtime
WORKDIR /src
RUN apk add --no-cache ca-certificates tzdata
COPY --from=builder /usr/local/bin/shortener /usr/local/bin/shortener
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001

HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \
    CMD wget -q -O /dev/null -T 5 http://127.0.0.1:8080/healthz || exit 1
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/shortener"]

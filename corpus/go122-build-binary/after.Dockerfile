FROM golang:1.22 AS builder

WORKDIR /go/src/github.com/acme/linkcheck

COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/linkcheck ./cmd/linkcheck

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata netbase \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /go/src/github.com/acme/linkcheck
COPY --chown=10001:10001 --from=builder /go/src/github.com/acme/linkcheck /go/src/github.com/acme/linkcheck
COPY --from=builder /usr/local/bin/linkcheck /usr/local/bin/linkcheck
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /go/src/github.com/acme/linkcheck
USER 10001:10001
EXPOSE 8080
CMD ["linkcheck", "serve", "--addr", ":8080"]

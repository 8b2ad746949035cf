FROM golang:1.20.3 AS builder
WORKDIR /go/src/app
COPY . .
RUN go build

FROM debian:bullseye-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata netbase \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /go/src/app
COPY --chown=10001:10001 --from=builder /go/src/app /go/src/app
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /go/src/app
USER 10001:10001
CMD ["./app"]

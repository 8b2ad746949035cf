FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .
RUN go version > /src/go-version.txt

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata netbase \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --chown=10001:10001 --from=builder /src /src
COPY --from=builder /usr/local/bin/web /usr/local/bin/web
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["web"]

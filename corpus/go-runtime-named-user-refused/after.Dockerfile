FROM golang:1.22-bookworm AS builder
RUN useradd --create-home app
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata netbase \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
WORKDIR /src
COPY --from=builder /src /src
COPY --from=builder /usr/local/bin/web /usr/local/bin/web
USER app
EXPOSE 8080
CMD ["web"]

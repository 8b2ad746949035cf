FROM golang:1.22-alpine AS builder
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=cache,target=/go/pkg/mod \
    CGO_ENABLED=1 go build -o /usr/local/bin/notes ./cmd/notes

FROM golang:1.22-alpine AS runtime
RUN apk add --no-cache libgcc sqlite-libs
WORKDIR /src
COPY --chown=10001:10001 --from=builder /src /src
COPY --from=builder /usr/local/bin/notes /usr/local/bin/notes
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["notes"]

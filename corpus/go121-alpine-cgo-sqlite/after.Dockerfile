FROM golang:1.21-alpine AS builder

# mattn/go-sqlite3 needs cgo
RUN apk add --no-cache gcc musl-dev git

ENV CGO_ENABLED=1
WORKDIR /src
COPY . .
RUN go build -o /app/notes-server .

FROM alpine:3 AS runtime
RUN apk add --no-cache ca-certificates tzdata
RUN apk add --no-cache git libgcc
ENV CGO_ENABLED=1
WORKDIR /src
COPY . .
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

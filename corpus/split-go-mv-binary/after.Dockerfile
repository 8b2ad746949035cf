FROM golang:1.22-alpine AS builder

RUN apk add --no-cache gcc musl-dev

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -o server ./cmd/server && mv server /usr/local/bin/

FROM golang:1.22-alpine AS runtime
RUN apk add --no-cache libgcc
WORKDIR /src
COPY --chown=10001:10001 --from=builder /src /src
COPY --from=builder /usr/local/bin/server /usr/local/bin/server
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["server"]

FROM golang:1.22-alpine
WORKDIR /src
COPY --chown=10001:10001 go.mod go.sum ./
RUN go mod download
COPY --chown=10001:10001 . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["api"]

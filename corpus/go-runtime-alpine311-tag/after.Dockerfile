FROM golang:alpine3.11
WORKDIR /app
COPY --chown=10001:10001 . .
RUN go build -o main .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 8080
CMD ["./main"]

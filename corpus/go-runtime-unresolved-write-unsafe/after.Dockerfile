FROM golang:1.19
WORKDIR /app
COPY --chown=10001:10001 . .
RUN go build -o app
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 8080
CMD ["./app"]

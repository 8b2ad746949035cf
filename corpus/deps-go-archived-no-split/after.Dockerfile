FROM golang:1.10
WORKDIR /go/src/app
COPY --chown=10001:10001 . .
RUN go build
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /go/src/app
USER 10001:10001
CMD ["./app"]

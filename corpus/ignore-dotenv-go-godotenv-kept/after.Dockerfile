FROM golang:1.22
WORKDIR /src
COPY --chown=10001:10001 . .
RUN go build -o /usr/local/bin/app .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
CMD ["app"]

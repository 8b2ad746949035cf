FROM golang:1.22-bookworm
WORKDIR /src
COPY --chown=10001:10001 go.mod ./
RUN go mod download
COPY --chown=10001:10001 . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .
RUN go version > /src/go-version.txt
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /src
USER 10001:10001
EXPOSE 8080
CMD ["web"]

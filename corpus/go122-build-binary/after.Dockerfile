FROM golang:1.22

WORKDIR /go/src/github.com/acme/linkcheck

COPY --chown=10001:10001 go.mod go.sum ./
RUN go mod download

COPY --chown=10001:10001 . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/linkcheck ./cmd/linkcheck
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /go/src/github.com/acme/linkcheck
USER 10001:10001

EXPOSE 8080
CMD ["linkcheck", "serve", "--addr", ":8080"]

FROM golang:1.22 AS builder

WORKDIR /go/src/github.com/acme/linkcheck

COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/linkcheck ./cmd/linkcheck

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /go/src/github.com/acme/linkcheck
COPY --from=builder /usr/local/bin/linkcheck /usr/local/bin/linkcheck
USER 65532:65532

EXPOSE 8080
CMD ["linkcheck", "serve", "--addr", ":8080"]

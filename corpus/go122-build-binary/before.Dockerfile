FROM golang:1.22

WORKDIR /go/src/github.com/acme/linkcheck

COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/linkcheck ./cmd/linkcheck

EXPOSE 8080
CMD ["linkcheck", "serve", "--addr", ":8080"]

FROM golang:1.22-alpine3.20

RUN apk add --no-cache git

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shortener ./cmd/shortener

EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/shortener"]

FROM golang:1.22-bookworm

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/inventory ./cmd/inventory

EXPOSE 9000
CMD ["inventory", "--listen", ":9000"]

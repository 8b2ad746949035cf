FROM golang:1.22-bookworm

RUN go env -w GOPROXY=https://goproxy.io,direct GOFLAGS=-mod=mod

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

EXPOSE 8080
CMD ["go", "run", "./cmd/server"]

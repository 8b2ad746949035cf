FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .
RUN go version > /src/go-version.txt
EXPOSE 8080
CMD ["web"]

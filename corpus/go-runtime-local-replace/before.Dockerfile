FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod ./
COPY internal/greet internal/greet
RUN go mod download
COPY . .
RUN go build -trimpath -o /usr/local/bin/web .
EXPOSE 8080
CMD ["web"]

FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api
EXPOSE 8080
CMD ["api"]

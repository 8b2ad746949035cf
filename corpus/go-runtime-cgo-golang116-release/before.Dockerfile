FROM golang:1.16
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -trimpath -o /usr/local/bin/web .
EXPOSE 8080
CMD ["web"]

FROM golang:1.20.3
WORKDIR /src
COPY go.mod ./
COPY . .
RUN go build -trimpath -o /usr/local/bin/web .
EXPOSE 8080
CMD ["web"]

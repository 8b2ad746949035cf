FROM golang:1.20.3
WORKDIR /go/src/app
COPY . .
RUN go build
CMD ["./app"]

FROM golang:1.19
WORKDIR /go/src/app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
EXPOSE 8080
CMD ["./server"]

FROM golang:1.10.1
WORKDIR /go/src/app
COPY . .
RUN go build -o /app/bin/svc .
EXPOSE 8080
CMD ["/app/bin/svc"]

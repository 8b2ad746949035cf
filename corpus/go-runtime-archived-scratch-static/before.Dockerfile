FROM golang:1.11.5
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .
CMD ["svc"]

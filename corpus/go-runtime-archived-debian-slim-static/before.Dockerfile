FROM golang:1.12.6
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .
CMD svc --port 8080

FROM golang:1.21-alpine

# mattn/go-sqlite3 needs cgo
RUN apk add --no-cache gcc musl-dev git

ENV CGO_ENABLED=1
WORKDIR /src
COPY . .
RUN go build -o /app/notes-server .

WORKDIR /app
VOLUME /app/data
EXPOSE 8090
ENTRYPOINT ["/app/notes-server"]
CMD ["--db", "/app/data/notes.db"]

FROM golang:1.22-alpine
RUN apk add --no-cache gcc musl-dev sqlite-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -o /usr/local/bin/notes ./cmd/notes
EXPOSE 8080
CMD ["notes"]

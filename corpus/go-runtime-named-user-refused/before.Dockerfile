FROM golang:1.22-bookworm
RUN useradd --create-home app
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .
USER app
EXPOSE 8080
CMD ["web"]

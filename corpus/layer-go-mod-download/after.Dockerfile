FROM golang:1.22-alpine AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /src
COPY --from=builder /usr/local/bin/api /usr/local/bin/api
USER 65532:65532
EXPOSE 8080
CMD ["api"]

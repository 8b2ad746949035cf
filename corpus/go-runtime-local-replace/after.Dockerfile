FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY go.mod ./
COPY internal/greet internal/greet
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /usr/local/bin/web .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /src
COPY --from=builder /usr/local/bin/web /usr/local/bin/web
USER 65532:65532
EXPOSE 8080
CMD ["web"]

FROM golang:1.19 AS builder
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o server ./cmd/web

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=builder /app/server /app/server
COPY --from=builder /app/ui/html/pages /app/ui/html/pages
COPY --from=builder /app/ui/html/partials/layout.tmpl /app/ui/html/partials/layout.tmpl
COPY --from=builder /app/ui/static /app/ui/static
USER 65532:65532
EXPOSE 8080
CMD ["./server"]

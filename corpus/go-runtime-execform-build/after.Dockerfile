FROM golang:1.19 AS builder
WORKDIR /app
COPY . .
ENV CGO_ENABLED=0
RUN ["go", "build", "-o", "app"]

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=builder /app/app /app/app
USER 65532:65532
EXPOSE 8080
CMD ["./app"]

FROM golang:1.19 AS builder
WORKDIR /app
COPY . .
ENV BASE_DIR="/data"
ENV UPLOADS_DIR="uploads"
RUN CGO_ENABLED=0 go build -o app
# go-runtime: the folders the program writes, made here for the runtime stage to copy owned by its user (distroless has no shell to make them)
RUN mkdir -p /tmp/go-runtime-rw/data/uploads

FROM gcr.io/distroless/static-debian12 AS runtime
COPY --from=builder --chown=65532:65532 /tmp/go-runtime-rw/data/uploads /data/uploads
WORKDIR /app
ENV BASE_DIR="/data"
ENV UPLOADS_DIR="uploads"
COPY --from=builder /app/app /app/app
USER 65532:65532
EXPOSE 8080
CMD ["./app"]

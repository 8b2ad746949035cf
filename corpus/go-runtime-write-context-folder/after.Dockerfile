FROM golang:1.19 AS builder
WORKDIR /go/src/app
COPY . .
RUN CGO_ENABLED=0 go build -o server .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /go/src/app
COPY --from=builder /go/src/app/server /go/src/app/server
COPY --from=builder --chown=65532:65532 /go/src/app/logs /go/src/app/logs
COPY --from=builder /go/src/app/templates /go/src/app/templates
USER 65532:65532
EXPOSE 8080
CMD ["./server"]

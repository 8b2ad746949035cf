FROM golang:1.19 AS build
RUN mkdir /app
ADD . /app
WORKDIR /app
RUN CGO_ENABLED=0 GOOS=linux go build -o main .
# go-runtime: the folders the program writes, made here for the runtime stage to copy owned by its user (distroless has no shell to make them)
RUN mkdir -p /tmp/go-runtime-rw/app

FROM gcr.io/distroless/static-debian12 AS builder
COPY --from=build --chown=65532:65532 /tmp/go-runtime-rw/app /app
WORKDIR /app
COPY --from=build /app/main /app/main
USER 65532:65532
CMD ["./main"]

FROM golang:1.19 AS build
RUN mkdir /app
ADD . /app
WORKDIR /app
RUN CGO_ENABLED=0 GOOS=linux go build -o main .

FROM gcr.io/distroless/static-debian12 AS builder
WORKDIR /app
COPY --from=build /app/main /app/main
USER 65532:65532
CMD ["./main"]

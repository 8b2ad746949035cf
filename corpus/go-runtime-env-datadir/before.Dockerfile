FROM golang:1.19
WORKDIR /app
COPY . .
ENV BASE_DIR="/data"
ENV UPLOADS_DIR="uploads"
RUN go build -o app
EXPOSE 8080
CMD ["./app"]

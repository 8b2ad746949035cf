FROM node:20-alpine AS builder
WORKDIR /app
RUN apk add --no-cache libstdc++ python3 make g++
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-alpine AS runtime
WORKDIR /app
RUN apk add --no-cache python3
COPY --chown=10001:10001 --from=builder /app /app
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 3000
CMD ["node", "server.js"]

FROM node:20-alpine AS builder

RUN apk add --no-cache python3 make g++

WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-alpine AS runtime
RUN apk add --no-cache python3
WORKDIR /usr/src/app
COPY --chown=10001:10001 --from=builder /usr/src/app /usr/src/app
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001
ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "dist/server.js"]

FROM node:20-alpine AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN npm prune --omit=dev
RUN rm -rf node_modules/.cache

FROM node:20-alpine AS runtime
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
ENV NODE_ENV=production
EXPOSE 3000
CMD ["npx", "next", "start", "-p", "3000"]

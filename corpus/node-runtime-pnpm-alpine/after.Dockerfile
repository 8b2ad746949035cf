FROM node:20-alpine AS builder
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build
RUN pnpm prune --prod
RUN rm -rf src node_modules/.cache

FROM node:20-alpine AS runtime
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
ENV NODE_ENV=production
ENV PORT=8080
EXPOSE 8080
CMD ["node", "build/main.js"]

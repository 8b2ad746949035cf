FROM node:22-alpine AS builder
WORKDIR /app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
RUN yarn workspaces focus --production
RUN rm -rf src tsconfig.json node_modules/.cache

FROM node:22-alpine AS runtime
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
ENV NODE_ENV=production
CMD ["node", "dist/server.js"]

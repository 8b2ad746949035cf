FROM node:20 AS builder

WORKDIR /usr/src/app

COPY package*.json ./
RUN npm ci

COPY . .
RUN npm run build

FROM node:20-slim AS runtime
WORKDIR /usr/src/app
COPY --chown=10001:10001 --from=builder /usr/src/app /usr/src/app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001

ENV NODE_ENV=production
EXPOSE 3000

CMD ["node", "dist/server.js"]

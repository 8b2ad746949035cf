FROM node:22-alpine
WORKDIR /app
RUN corepack enable
COPY --chown=10001:10001 package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY --chown=10001:10001 . .
RUN yarn build
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["node", "dist/server.js"]

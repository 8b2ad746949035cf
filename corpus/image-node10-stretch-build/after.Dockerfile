FROM node:10-stretch

WORKDIR /usr/src/app

COPY --chown=10001:10001 package.json package-lock.json ./
RUN npm ci

COPY --chown=10001:10001 . .
RUN npm run build
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001

ENV NODE_ENV production
EXPOSE 3000
CMD ["node", "dist/index.js"]

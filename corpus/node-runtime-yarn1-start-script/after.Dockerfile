FROM node:20-bookworm-slim AS builder
WORKDIR /srv/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
RUN yarn install --production --ignore-scripts --prefer-offline
RUN rm -rf node_modules/.cache

FROM node:20-bookworm-slim AS runtime
WORKDIR /srv/app
COPY --chown=10001:10001 --from=builder /srv/app /srv/app
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/app
USER 10001:10001
ENV NODE_ENV=production
EXPOSE 4000
CMD ["yarn", "start"]

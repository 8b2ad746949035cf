FROM node:lts
WORKDIR /app
COPY --chown=10001:10001 package.json package.json
COPY --chown=10001:10001 yarn.lock yarn.lock
RUN yarn
COPY --chown=10001:10001 . .
RUN yarn build \
    && chown -R 10001:10001 /app/.next
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD npm start

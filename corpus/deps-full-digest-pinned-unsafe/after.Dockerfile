# Full node image pinned by digest (review 3: RightCapitalHQ/artist).
FROM node:20.10.0@sha256:445acd9b2ef7e9de665424053bf95652e0b8995ef36500557d48faf29300170a

WORKDIR /app

COPY --chown=10001:10001 . /app/

RUN npm ci && npm run build
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

CMD ["node", "dist/app.js"]

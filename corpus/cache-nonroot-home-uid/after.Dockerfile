FROM node:20-slim
ENV HOME=/home/node
WORKDIR /home/node/app
COPY --chown=1000:1000 package.json package-lock.json ./
USER 1000:1000
RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci --omit=dev
COPY --chown=1000:1000 . .
CMD ["node", "index.js"]

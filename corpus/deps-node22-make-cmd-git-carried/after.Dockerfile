FROM node:22
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
COPY --chown=10001:10001 package*.json ./
RUN npm ci
COPY --chown=10001:10001 . .
RUN npm run build
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001
EXPOSE 3000
CMD ["make", "start"]

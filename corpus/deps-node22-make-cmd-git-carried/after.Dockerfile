FROM node:22 AS builder
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22 AS runtime
WORKDIR /usr/src/app
COPY --chown=10001:10001 --from=builder /usr/src/app /usr/src/app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001
EXPOSE 3000
CMD ["make", "start"]

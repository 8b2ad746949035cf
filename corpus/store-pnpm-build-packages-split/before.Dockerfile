# pnpm's store stays out of the count, but the compilers a native addon needs still leave.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@8
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build
CMD ["node", "dist/server.js"]

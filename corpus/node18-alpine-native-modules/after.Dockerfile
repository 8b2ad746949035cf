FROM node:18-alpine AS builder

# bcrypt and better-sqlite3 compile native addons with node-gyp
RUN apk add --no-cache python3 make g++

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:18-alpine AS runtime
RUN apk add --no-cache python3
WORKDIR /app
COPY --from=builder /app /app
COPY . .

USER node
EXPOSE 4000
CMD ["node", "src/index.js"]

FROM node:18-alpine

# bcrypt and better-sqlite3 compile native addons with node-gyp
RUN apk add --no-cache python3 make g++

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev

COPY . .

USER node
EXPOSE 4000
CMD ["node", "src/index.js"]

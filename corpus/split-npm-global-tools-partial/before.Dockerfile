FROM node:20-alpine

RUN apk add --no-cache python3 make g++

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install -g pm2 @nestjs/cli && npm ci

COPY . .
RUN nest build

EXPOSE 3000
CMD ["pm2-runtime", "dist/main.js"]

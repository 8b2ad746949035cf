FROM node:20-alpine
WORKDIR /app
RUN apk add --no-cache libstdc++ python3 make g++
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]

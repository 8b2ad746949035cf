FROM node:20
WORKDIR /srv/api
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 8080
CMD ["node", "compiled/server.js"]

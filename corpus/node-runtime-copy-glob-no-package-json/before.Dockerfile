FROM node:18
WORKDIR /usr/src/app
COPY yarn*.lock ./
RUN npm install
COPY . .
EXPOSE 3000
CMD ["node", "index.js"]

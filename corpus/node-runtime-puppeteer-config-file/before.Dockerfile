FROM node:18
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y --no-install-recommends libnss3 libatk-bridge2.0-0 libgbm1 libxkbcommon0 libasound2 && rm -rf /var/lib/apt/lists/*
COPY package*.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]

FROM node:20-alpine
WORKDIR /app
COPY --chown=10001:10001 package.json package-lock.json ./
RUN npm ci
COPY --chown=10001:10001 . .
RUN npm run build
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 3000
CMD ["npm", "start"]

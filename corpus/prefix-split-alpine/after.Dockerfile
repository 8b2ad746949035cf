FROM python:3.12-alpine AS builder
WORKDIR /srv
COPY requirements.txt ./
RUN mkdir -p /install && pip3 install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-alpine AS runtime
WORKDIR /srv
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 bot/ bot/
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /srv
USER 10001:10001
CMD ["python3", "-m", "bot"]

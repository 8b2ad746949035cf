# pip's cache only, on 3.11 (the new virtualenv would add pip and setuptools), after a pip self-upgrade.
FROM python:3.11-alpine AS builder
WORKDIR /srv
COPY requirements.txt .
RUN pip install --upgrade pip && mkdir -p /install && pip install --prefix=/install -r requirements.txt

FROM python:3.11-alpine AS runtime
WORKDIR /srv
RUN pip install --upgrade pip
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /srv
USER 10001:10001
CMD ["python", "-m", "bot"]

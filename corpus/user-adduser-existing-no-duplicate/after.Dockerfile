FROM python:3.12-alpine AS builder

RUN apk add --no-cache libpq
RUN addgroup -S web && adduser -S -D -h /home/web -s /sbin/nologin web -G web

WORKDIR /home/web/app
COPY requirements.txt .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \
    && mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt \
    && apk del .build-deps

FROM python:3.12-alpine AS runtime
RUN apk add --no-cache libpq
RUN addgroup -S web && adduser -u 10001 -S -D -h /home/web -s /sbin/nologin web -G web
WORKDIR /home/web/app
COPY --from=builder /install /usr/local
RUN apk add --no-cache libgcc
COPY --chown=web:web . .
USER 10001

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:create_app()"]

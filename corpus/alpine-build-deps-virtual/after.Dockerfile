FROM python:3.12-alpine AS builder

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app

# libpq is needed by psycopg2 at runtime; everything in .build-deps is removed again below
RUN apk add --no-cache libpq

COPY requirements.txt .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev libffi-dev \
    && mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt \
    && apk del .build-deps

FROM python:3.12-alpine AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN apk add --no-cache libpq
COPY --from=builder /install /usr/local
RUN apk add --no-cache libgcc libffi
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--worker-class", "gevent", "shortener.wsgi:app"]

FROM python:3.12-alpine

RUN apk add --no-cache libpq
RUN addgroup -S web && adduser -u 10001 -S -D -h /home/web -s /sbin/nologin web -G web

WORKDIR /home/web/app
COPY requirements.txt .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \
    && pip install --no-cache-dir -r requirements.txt \
    && apk del .build-deps
COPY --chown=web:web . .
USER 10001

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:create_app()"]

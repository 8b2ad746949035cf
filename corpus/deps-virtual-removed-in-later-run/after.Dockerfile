FROM python:3.11-alpine3.19 AS builder
WORKDIR /app
RUN apk add --no-cache postgresql-libs && \
    apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt && \
    apk --purge del .build-deps

FROM python:3.11-alpine3.19 AS runtime
WORKDIR /app
RUN apk add --no-cache postgresql-libs \
    && apk add --no-cache libgcc libpq
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

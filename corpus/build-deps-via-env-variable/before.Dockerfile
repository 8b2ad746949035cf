FROM python:3.11-slim

ENV BUILD_DEPS="gcc libpq-dev libffi-dev" \
    RUNTIME_DEPS="libpq5"

WORKDIR /app
COPY requirements.txt .

RUN apt-get update \
    && apt-get install -y --no-install-recommends $BUILD_DEPS $RUNTIME_DEPS \
    && pip install --no-cache-dir -r requirements.txt \
    && apt-get purge -y --auto-remove $BUILD_DEPS \
    && rm -rf /var/lib/apt/lists/*

COPY . .
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "crm.wsgi:application"]

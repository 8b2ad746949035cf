FROM python:3.11-slim-bookworm AS builder

RUN apt-get update && apt-get install -y --no-install-recommends \
    # psycopg2
    gcc \
    libpq-dev \
    # Pillow
    libjpeg62-turbo-dev \
    zlib1g-dev \
    libwebp-dev \
    # python-magic (runtime!)
    libmagic1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir \
    # pinned until https://github.com/python-pillow/Pillow/issues/7000 is sorted
    "Pillow==10.2.0" \
    -r requirements.txt

FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 libpq5 libjpeg62-turbo zlib1g libwebp7 libwebpdemux2 libwebpmux3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "photos.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]

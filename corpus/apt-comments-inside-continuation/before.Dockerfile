FROM python:3.11-slim-bookworm

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
RUN pip install --no-cache-dir \
    # pinned until https://github.com/python-pillow/Pillow/issues/7000 is sorted
    "Pillow==10.2.0" \
    -r requirements.txt

COPY . .

EXPOSE 8000
CMD ["gunicorn", "photos.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]

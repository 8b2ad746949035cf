FROM python:3.10-slim

# lxml needs libxml2/libxslt headers when there is no manylinux wheel
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /crawler

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY scrapy.cfg .
COPY pricewatch/ pricewatch/

ENV SCRAPY_SETTINGS_MODULE=pricewatch.settings

CMD scrapy crawl products -O /tmp/products.jsonl

FROM python:3.12-slim-bookworm

RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir pip-tools==7.4.1

WORKDIR /app
COPY requirements/ requirements/
RUN pip-sync requirements/base.txt requirements/prod.txt --pip-args "--no-cache-dir"

COPY . .
CMD ["python", "-m", "scraper"]

FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# the Makefile runs migrations, then the server
CMD ["make", "serve"]

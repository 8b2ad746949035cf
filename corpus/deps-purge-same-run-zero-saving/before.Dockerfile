FROM python:3.12-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN apt-get update && apt-get install -y gcc libpq-dev libpq5 \
    && pip install -r requirements.txt \
    && apt-get purge -y --auto-remove gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . .
CMD ["python", "app.py"]

FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /var/www/status
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# the load balancer health-checks port 80, don't change it
EXPOSE 80
CMD ["gunicorn", "--bind", "0.0.0.0:80", "--workers", "2", "statuspage:app"]

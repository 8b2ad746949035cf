# The platform team's Python base (Debian-based, rebuilt every month).
FROM registry.example.com/platform/python-base:2024.06
WORKDIR /srv
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev libxml2-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "-m", "ledger"]

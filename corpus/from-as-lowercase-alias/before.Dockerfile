FROM python:3.11 as base

ENV PYTHONUNBUFFERED=1
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends libgdal-dev gdal-bin g++ \
    && rm -rf /var/lib/apt/lists/*

# GDAL's python bindings must match the system lib version exactly
COPY requirements.txt .
RUN pip install --no-cache-dir GDAL=="$(gdal-config --version)" \
    && pip install --no-cache-dir -r requirements.txt

COPY . .
CMD ["python", "-m", "parcels.cli", "serve"]

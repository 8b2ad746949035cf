FROM python:3.12-slim-bookworm

LABEL org.opencontainers.image.title="tilecache" \
      org.opencontainers.image.vendor="Acme Maps" \
      org.opencontainers.image.licenses="MIT"
LABEL version="2.4.1"

RUN apt-get update && apt-get install -y --no-install-recommends \
    gcc \
    libgeos-dev \
    libproj-dev \
    proj-bin \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/tilecache
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY tilecache/ tilecache/

# rendered tiles live here
VOLUME ["/var/cache/tiles"]

# hypercorn does a graceful shutdown on SIGINT, not SIGTERM
STOPSIGNAL SIGINT

EXPOSE 8080
CMD ["hypercorn", "tilecache.app:app", "--bind", "0.0.0.0:8080"]

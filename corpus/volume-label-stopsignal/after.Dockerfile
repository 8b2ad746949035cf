FROM python:3.12-slim-bookworm AS builder

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
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="tilecache" \
      org.opencontainers.image.vendor="Acme Maps" \
      org.opencontainers.image.licenses="MIT"
LABEL version="2.4.1"
RUN apt-get update \
    && apt-get install -y --no-install-recommends proj-bin libgeos-c1v5 libproj25 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/tilecache
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 tilecache/ tilecache/
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /var/cache/tiles \
    && chown 10001:10001 /opt/tilecache /var/cache/tiles
USER 10001:10001

# rendered tiles live here
VOLUME ["/var/cache/tiles"]

# hypercorn does a graceful shutdown on SIGINT, not SIGTERM
STOPSIGNAL SIGINT

EXPOSE 8080
CMD ["hypercorn", "tilecache.app:app", "--bind", "0.0.0.0:8080"]

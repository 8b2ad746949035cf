FROM python:3.12-slim AS builder

LABEL org.opencontainers.image.source="https://github.com/acme/reportgen" \
      org.opencontainers.image.description="Render monthly PDF reports"

WORKDIR /src

# weasyprint needs pango at runtime
RUN apt-get update && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY src/ src/
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir .

FROM python:3.12-slim AS runtime
LABEL org.opencontainers.image.source="https://github.com/acme/reportgen" \
      org.opencontainers.image.description="Render monthly PDF reports"
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY src/ src/
COPY --from=builder /install /usr/local
WORKDIR /work
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /work
USER 10001:10001
ENTRYPOINT ["reportgen"]
CMD ["--help"]

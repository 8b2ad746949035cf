# The same downloads, but the HEALTHCHECK runs curl: curl stays, and nothing else would leave (no split).
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN curl -fsSL https://example.com/releases/app-2.1.tar.gz | tar -xz --strip-components=1
RUN curl -fsSLo /tmp/plugins.tar.gz https://example.com/releases/plugins-2.1.tar.gz \
    && mkdir -p plugins && tar -xzf /tmp/plugins.tar.gz -C plugins && rm /tmp/plugins.tar.gz
RUN pip install --no-cache-dir -r requirements.txt
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app /app/plugins
USER 10001:10001
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8000/health || exit 1
CMD ["python", "-m", "app"]

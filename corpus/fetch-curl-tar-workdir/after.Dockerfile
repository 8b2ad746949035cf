# A release tarball of the sources unpacked into the WORKDIR, by a pipe and by a file.
FROM python:3.12-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN curl -fsSL https://example.com/releases/app-2.1.tar.gz | tar -xz --strip-components=1
RUN curl -fsSLo /tmp/plugins.tar.gz https://example.com/releases/plugins-2.1.tar.gz \
    && mkdir -p plugins && tar -xzf /tmp/plugins.tar.gz -C plugins && rm /tmp/plugins.tar.gz
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
COPY --from=builder /opt/venv /opt/venv
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python", "-m", "app"]

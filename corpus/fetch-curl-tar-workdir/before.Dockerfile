# A release tarball of the sources unpacked into the WORKDIR, by a pipe and by a file.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN curl -fsSL https://example.com/releases/app-2.1.tar.gz | tar -xz --strip-components=1
RUN curl -fsSLo /tmp/plugins.tar.gz https://example.com/releases/plugins-2.1.tar.gz \
    && mkdir -p plugins && tar -xzf /tmp/plugins.tar.gz -C plugins && rm /tmp/plugins.tar.gz
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]

# The same clone, but the command pulls at start: git stays in the runtime stage.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 https://github.com/example/service.git /src
WORKDIR /src
RUN pip install --no-cache-dir -r requirements.txt
CMD ["sh", "-c", "git pull --ff-only && python -m service"]

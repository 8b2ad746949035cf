# A slim image installs git only to clone the sources, then checks out a tag.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch v1.4 https://github.com/example/service.git /src \
    && cd /src && git submodule update --init
WORKDIR /src
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "service"]

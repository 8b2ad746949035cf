FROM python:3.11-slim AS builder

# git: setuptools-scm reads the version from the repo, gcc: the C speedups in our own package
RUN apt-get update && apt-get install -y --no-install-recommends git gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /code
COPY . /code

RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -e ".[postgres]"

FROM python:3.11-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY --chown=10001:10001 --from=builder /code /code
COPY --from=builder /opt/venv /opt/venv
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
ENV GEOCODER_DATA_DIR=/code/data
EXPOSE 8000
CMD ["geocoder", "serve", "--port", "8000"]

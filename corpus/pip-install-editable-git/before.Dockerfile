FROM python:3.11-slim

# git: setuptools-scm reads the version from the repo, gcc: the C speedups in our own package
RUN apt-get update && apt-get install -y --no-install-recommends git gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /code
COPY . /code

RUN pip install --no-cache-dir -e ".[postgres]"

ENV GEOCODER_DATA_DIR=/code/data
EXPOSE 8000
CMD ["geocoder", "serve", "--port", "8000"]

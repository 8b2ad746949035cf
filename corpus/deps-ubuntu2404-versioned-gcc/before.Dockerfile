FROM ubuntu:24.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3 python3-venv gcc-13 g++-13 libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN CC=gcc-13 pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python3", "-m", "scraper"]

FROM ubuntu:20.04

ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-pip python3-venv gcc g++ libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/service
COPY requirements.txt .
RUN python3 -m pip install --no-cache-dir -r requirements.txt

COPY src/ ./src/
ENV PYTHONPATH=/opt/service/src

CMD ["python3", "-m", "service.main"]

FROM python:3.10-slim-bullseye

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libffi-dev curl \
    && rm -rf /var/lib/apt/lists/*

# pin the pip the lock file was made with
RUN curl -sSL https://bootstrap.pypa.io/get-pip.py -o /tmp/get-pip.py \
    && python /tmp/get-pip.py "pip==23.3.2" \
    && rm /tmp/get-pip.py

WORKDIR /opt/worker
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock

COPY worker/ worker/
CMD ["python", "-m", "worker"]

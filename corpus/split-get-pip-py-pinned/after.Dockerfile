FROM python:3.10-slim-bullseye AS builder

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libffi-dev curl \
    && rm -rf /var/lib/apt/lists/*

# pin the pip the lock file was made with
RUN curl -sSL https://bootstrap.pypa.io/get-pip.py -o /tmp/get-pip.py \
    && python /tmp/get-pip.py "pip==23.3.2" \
    && rm /tmp/get-pip.py

WORKDIR /opt/worker
COPY requirements.lock .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.lock

FROM python:3.10-slim-bullseye AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libffi7 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/worker
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 worker/ worker/
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /opt/worker
USER 10001:10001
CMD ["python", "-m", "worker"]

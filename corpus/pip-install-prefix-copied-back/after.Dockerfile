FROM python:3.12-slim-bookworm

RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt /requirements.txt

# copied from a multi-stage example; we never did the second stage, so copy it back by hand
RUN pip install --no-cache-dir --prefix=/install -r /requirements.txt \
    && cp -a /install/. /usr/local/ \
    && rm -rf /install

WORKDIR /app
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

CMD ["python", "webhook_relay.py"]

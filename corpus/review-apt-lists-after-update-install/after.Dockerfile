FROM ubuntu:22.04 AS builder
RUN apt-get update && apt-get install -y python3.10 python3-pip python3-venv
RUN apt-get install -y nano
WORKDIR /usr/src/app
COPY requirements.txt requirements.txt
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN python3 -m venv /opt/venv && pip install -r requirements.txt

FROM ubuntu:22.04 AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3.10 python3-venv \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
    && apt-get install -y nano \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --chown=10001:10001 ./app /usr/src/app
RUN apt-get update \
    && apt-get install -y curl \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001
CMD gunicorn --bind 0.0.0.0:8050 app:server

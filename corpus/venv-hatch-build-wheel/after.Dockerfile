FROM python:3.12-slim AS builder

RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir hatch

WORKDIR /src
COPY . .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
# hatchling builds the wheel with the C accelerator; install it like any other wheel
RUN hatch build -t wheel \
    && pip install --no-cache-dir dist/*.whl

FROM python:3.12-slim AS runtime
WORKDIR /src
COPY . .
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
WORKDIR /data
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /data
USER 10001:10001
ENTRYPOINT ["tilecache"]
CMD ["serve"]

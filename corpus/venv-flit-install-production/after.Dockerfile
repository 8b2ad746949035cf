FROM python:3.11-slim AS builder

RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir flit

WORKDIR /app
COPY . .
ENV FLIT_ROOT_INSTALL=1
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN flit install --python /opt/venv/bin/python --deps production

FROM python:3.11-slim AS runtime
WORKDIR /app
COPY --chown=10001:10001 . .
ENV FLIT_ROOT_INSTALL=1
COPY --from=builder /opt/venv /opt/venv
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
CMD ["python", "-m", "geoindex.server"]

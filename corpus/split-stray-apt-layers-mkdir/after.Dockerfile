FROM python:3.12-slim-bookworm AS builder

RUN apt-get update
RUN apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev curl
RUN apt-get clean

RUN mkdir -p /app
WORKDIR /app

COPY requirements.txt /app/
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libxml2 libxslt1.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . /app/
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

HEALTHCHECK CMD curl -fsS http://localhost:8000/ || exit 1
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "feeds.app:app"]

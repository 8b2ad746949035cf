# Full python:3.12 image that stays full (the start command runs curl); the
# apt line installs default-libmysqlclient-dev, which the full image already
# carries, and python3-dev, which it does not (review 3: johnny-butter/eLibrary).
FROM python:3.12-bookworm AS builder

RUN apt-get update && \
    apt-get install -y python3-dev default-libmysqlclient-dev gettext

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.12-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["sh", "-c", "curl -fsS http://config.internal/app.env -o .env && gunicorn app:app --bind 0.0.0.0:8000"]

FROM python:3.11-slim-bookworm AS builder
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/shop
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN apt-get update && apt-get install -y build-essential && pip install -r requirements.txt

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/shop
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /srv/shop/uploads /srv/shop/var \
    && chown 10001:10001 /srv/shop /srv/shop/uploads /srv/shop/var
USER 10001:10001
CMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]

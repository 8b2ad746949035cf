FROM python:3.12-slim AS builder

ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
# the demo ships with its SQLite database, created and seeded at build time
RUN python manage.py migrate --noinput && python manage.py loaddata demo.json \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "demo.wsgi"]

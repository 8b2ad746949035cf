FROM python:3.12-slim AS builder
RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=app:app . .
RUN mkdir -p /srv/media /app/logs \
    && chown app /srv/media /app/logs
# the app never runs as root
USER app
EXPOSE 8000
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

FROM python:3.12-slim AS builder
ENV DJANGO_SETTINGS_MODULE=mysite.settings
WORKDIR /app
COPY requirements.txt ./
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
ENV DJANGO_SETTINGS_MODULE=mysite.settings
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
RUN python manage.py collectstatic --noinput \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

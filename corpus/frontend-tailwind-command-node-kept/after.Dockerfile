FROM python:3.12-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends curl gcc libpq-dev \
    && curl -fsSL https://deb.nodesource.com/setup_18.x | bash - \
    && apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN cd frontend && npm ci && npm run build && cd .. && python manage.py collectstatic --noinput

FROM python:3.12-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libpq5 \
    && curl -fsSL https://deb.nodesource.com/setup_18.x | bash - \
    && apt-get install -y --no-install-recommends nodejs \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN cd frontend \
    && cd .. \
    && python manage.py collectstatic --noinput \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN python manage.py tailwind build \
    && find /app ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && mkdir -p /srv/media /var/log/app \
    && chown 10001:10001 /srv/media /var/log/app
USER 10001:10001
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

FROM python:3.11-slim AS builder

RUN useradd --system --create-home --shell /usr/sbin/nologin celery

WORKDIR /srv/scheduler
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.11-slim AS runtime
RUN useradd --uid 10001 --system --create-home --shell /usr/sbin/nologin celery
WORKDIR /srv/scheduler
COPY --from=builder /install /usr/local
COPY scheduler/ ./scheduler/
RUN chown celery /srv/scheduler
USER 10001

CMD ["celery", "-A", "scheduler.app", "beat", "--loglevel=INFO"]

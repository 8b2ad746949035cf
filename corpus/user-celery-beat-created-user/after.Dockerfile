FROM python:3.11-slim

RUN useradd --uid 10001 --system --create-home --shell /usr/sbin/nologin celery

WORKDIR /srv/scheduler
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY scheduler/ ./scheduler/
RUN chown celery /srv/scheduler
USER 10001

CMD ["celery", "-A", "scheduler.app", "beat", "--loglevel=INFO"]

FROM python:3.11-slim

RUN useradd --system --create-home --shell /usr/sbin/nologin celery

WORKDIR /srv/scheduler
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY scheduler/ ./scheduler/

CMD ["celery", "-A", "scheduler.app", "beat", "--loglevel=INFO"]

FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*

RUN useradd -m -u 1001 app
WORKDIR /home/app/web

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

USER app
COPY --chown=app:app . .

# the uploads volume is mounted root-owned on our hosts, so we need root to write to it
# FIXME: fix the volume permissions instead
USER root

EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "-w", "3", "filedrop.wsgi:application"]

FROM python:3.11-slim-bookworm

ARG DEBIAN_FRONTEND=noninteractive

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=off \
    PIP_DISABLE_PIP_VERSION_CHECK=on

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev gettext \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

# prod.txt does "-r base.txt", so the whole folder is needed
COPY requirements/ /tmp/requirements/
RUN pip install -r /tmp/requirements/prod.txt

WORKDIR /app
COPY . /app

RUN python manage.py compilemessages

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--chdir=/app"]

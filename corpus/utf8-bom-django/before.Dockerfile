# Dockerfile – Verwaltung der Vereinsmitglieder (members)
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=members.settings

RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

RUN python manage.py compilemessages && python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "members.wsgi", "--bind", "0.0.0.0:8000"]

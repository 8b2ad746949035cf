FROM python:3.13-slim
ENV DJANGO_SETTINGS_MODULE=core.settings.prod
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY src/backend_django/ .
CMD ["gunicorn", "core.wsgi", "--bind", "0.0.0.0:8000"]

FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl gcc libpq-dev \
    && curl -fsSL https://deb.nodesource.com/setup_18.x | bash - \
    && apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN cd frontend && npm ci && npm run build && cd .. && python manage.py collectstatic --noinput
RUN python manage.py tailwind build
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

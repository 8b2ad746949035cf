FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# the demo ships with its SQLite database, created and seeded at build time
RUN python manage.py migrate --noinput && python manage.py loaddata demo.json

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "demo.wsgi"]

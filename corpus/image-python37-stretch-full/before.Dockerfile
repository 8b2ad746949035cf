FROM python:3.7-stretch

ENV PYTHONUNBUFFERED 1
WORKDIR /srv/app

RUN apt-get update && apt-get install -y gcc libpq-dev libjpeg-dev && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

EXPOSE 8000
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

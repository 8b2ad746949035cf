FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1
WORKDIR /srv/shop
COPY requirements.txt .
RUN apt-get update && apt-get install -y build-essential && pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]

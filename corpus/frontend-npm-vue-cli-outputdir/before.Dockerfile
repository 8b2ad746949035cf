FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN cd client && npm install && npm run build && cd .. && python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "-b", "0.0.0.0:8000"]

FROM python:3.12-slim-bookworm

RUN apt-get update
RUN apt-get install -y --no-install-recommends gcc libxml2-dev libxslt1-dev curl
RUN apt-get clean

RUN mkdir -p /app
WORKDIR /app

COPY requirements.txt /app/
RUN pip install --no-cache-dir -r requirements.txt

COPY . /app/

HEALTHCHECK CMD curl -fsS http://localhost:8000/ || exit 1
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "feeds.app:app"]

# Full python:3.12 image that stays full (the start command runs curl); the
# apt line installs default-libmysqlclient-dev, which the full image already
# carries, and python3-dev, which it does not (review 3: johnny-butter/eLibrary).
FROM python:3.12-bookworm

RUN apt-get update && \
    apt-get install -y python3-dev default-libmysqlclient-dev gettext

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["sh", "-c", "curl -fsS http://config.internal/app.env -o .env && gunicorn app:app --bind 0.0.0.0:8000"]

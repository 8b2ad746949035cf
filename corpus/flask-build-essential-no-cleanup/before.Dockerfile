FROM python:3.12-slim-bookworm

LABEL maintainer="platform-team@acme.io"

# needed for uwsgi
RUN apt-get update && apt-get install -y build-essential

WORKDIR /opt/inventory

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

ENV FLASK_APP=inventory.app
ENV FLASK_ENV=production

EXPOSE 5000

CMD ["uwsgi", "--http", "0.0.0.0:5000", "--module", "inventory.app:app", "--processes", "4", "--master"]

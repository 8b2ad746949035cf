FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3.10 python3-pip
RUN apt-get install -y nano
WORKDIR /usr/src/app
COPY requirements.txt requirements.txt
RUN pip install -r requirements.txt
COPY ./app /usr/src/app
RUN apt-get install -y curl
CMD gunicorn --bind 0.0.0.0:8050 app:server

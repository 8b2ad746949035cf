FROM python:3.12-slim

RUN apt-get update
RUN apt-get install -y libjpeg-dev zlib1g-dev gcc

WORKDIR /app

COPY requirements.txt requirements.txt
RUN pip3 install -r requirements.txt

COPY . .

# thumbnails are written here
RUN mkdir -p /app/media/thumbs

EXPOSE 5000
CMD ["gunicorn", "-w", "2", "-b", "0.0.0.0:5000", "thumbnailer:create_app()"]

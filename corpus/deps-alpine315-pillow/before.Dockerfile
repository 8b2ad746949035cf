FROM python:3.10-alpine3.15
RUN apk add --no-cache jpeg-dev zlib-dev freetype-dev gcc musl-dev
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8080
CMD ["python", "-m", "thumbs", "--port", "8080"]

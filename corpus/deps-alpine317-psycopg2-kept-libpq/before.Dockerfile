FROM python:3.11-alpine3.17
RUN apk add --no-cache libpq
RUN apk add --no-cache postgresql-dev gcc python3-dev musl-dev
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

FROM python:3.11-alpine3.19
WORKDIR /app
RUN apk add --no-cache postgresql-libs && \
    apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt && \
    apk --purge del .build-deps
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

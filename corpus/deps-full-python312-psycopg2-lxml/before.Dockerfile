# Legacy app on the full image: psycopg2 and lxml compiled from source against
# the libpq, libxml2 and libxslt headers the full image already carries.
FROM python:3.12

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --no-binary lxml -r requirements.txt

COPY . .
EXPOSE 8000
CMD ["gunicorn", "feeds.wsgi:application", "--bind", "0.0.0.0:8000"]

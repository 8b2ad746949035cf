# The full python image already ships gcc and libpq-dev (buildpack-deps),
# so psycopg2 builds here without installing anything.
FROM python:3.9

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

ENV FLASK_APP=wiki
EXPOSE 5000
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--workers", "3", "wiki:create_app()"]

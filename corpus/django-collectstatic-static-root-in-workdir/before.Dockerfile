FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --upgrade pip && pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY . .
RUN pipenv run python manage.py collectstatic --noinput
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

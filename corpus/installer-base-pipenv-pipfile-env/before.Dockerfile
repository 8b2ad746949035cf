FROM python:3.12-slim
ENV PIPENV_PIPFILE=/app/backend/Pipfile
WORKDIR /app
COPY . .
RUN pip install pipenv && pipenv install --system

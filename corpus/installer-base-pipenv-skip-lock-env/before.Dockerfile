FROM python:3.12-slim
ENV PIPENV_SKIP_LOCK=1
WORKDIR /app
COPY . .
RUN pip install pipenv && pipenv install --system

FROM python:3.12-slim-bookworm
ENV POETRY_HOME=/opt/poetry PATH="/opt/poetry/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl build-essential libffi-dev \
    && rm -rf /var/lib/apt/lists/*
RUN curl -sSL https://install.python-poetry.org | python3 -
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-root --only main

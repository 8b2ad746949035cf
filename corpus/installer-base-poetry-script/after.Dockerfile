FROM python:3.12-slim-bookworm AS builder
ENV POETRY_HOME=/opt/poetry PATH="/opt/poetry/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl build-essential libffi-dev \
    && rm -rf /var/lib/apt/lists/*
RUN curl -sSL https://install.python-poetry.org | python3 -
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN poetry config virtualenvs.create false \
    && poetry install --no-root --only main

FROM python:3.12-slim-bookworm AS runtime
ENV POETRY_HOME=/opt/poetry PATH="/opt/poetry/bin:$PATH"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libffi8 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -sSL https://install.python-poetry.org | python3 -
WORKDIR /srv
COPY pyproject.toml poetry.lock ./
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN poetry config virtualenvs.create false

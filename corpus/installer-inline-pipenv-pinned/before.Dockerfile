# Review 3 D3/D11: a base image that installs a pinned pipenv and the packages in one RUN,
# without a lock in the context (pipenv writes Pipfile.lock).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv
COPY Pipfile ./
RUN pip install --no-cache-dir "pipenv==2023.12.1" && pipenv install --system

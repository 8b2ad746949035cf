# Full buster image, the poetry installer piped into python3 (review 3: jamesonstone/metron).
# On python:3.11-slim-buster curl is missing and `python3 -` reads nothing: poetry would
# silently not be installed; installing curl there needs apt-get update on archived buster.
FROM python:3.11-buster

WORKDIR /app

COPY . /app

RUN curl -sSL https://install.python-poetry.org | python3 - \
    && export PATH="/root/.local/bin:$PATH" \
    && poetry install

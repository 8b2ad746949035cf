FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY pyproject.toml poetry.lock README.md ./
COPY ./app ./app
RUN pip install poetry==1.8.3
RUN poetry config virtualenvs.create false && poetry install --no-interaction --no-ansi
CMD ["poetry", "run", "start"]

# Full buster image, the poetry installer piped into python3 (review 3: jamesonstone/metron).
# On python:3.11-slim-buster curl is missing and `python3 -` reads nothing: poetry would
# silently not be installed; installing curl there needs apt-get update on archived buster.
FROM python:3.11-buster AS builder

WORKDIR /app

COPY . /app

RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN curl -sSL https://install.python-poetry.org | python3 - \
    && export PATH="/root/.local/bin:$PATH" \
    && poetry install

FROM python:3.11-buster AS runtime
WORKDIR /app
COPY . /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN curl -sSL https://install.python-poetry.org | python3 - \
    && export PATH="/root/.local/bin:$PATH"
COPY --from=builder /app/poetry.lock /app/poetry.lock

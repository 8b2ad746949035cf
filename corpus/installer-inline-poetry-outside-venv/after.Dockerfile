# Review 3 D3: poetry and the packages install in one RUN; a later RUN pins a package.
# The runtime stage must install poetry outside /opt/venv, else it upgrades packaging.
FROM python:3.12-slim AS builder
WORKDIR /app
COPY pyproject.toml ./
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install poetry && poetry config virtualenvs.create false && python -m venv /opt/venv && poetry install --no-root
RUN pip install packaging==21.3

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY pyproject.toml ./
RUN pip install poetry
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
RUN poetry config virtualenvs.create false
COPY --from=builder /app/poetry.lock /app/poetry.lock
COPY app.py .

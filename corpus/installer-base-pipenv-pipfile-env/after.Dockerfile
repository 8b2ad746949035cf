FROM python:3.12-slim AS builder
ENV PIPENV_PIPFILE=/app/backend/Pipfile
WORKDIR /app
COPY . .
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install pipenv && python -m venv /opt/venv && pipenv install --system

FROM python:3.12-slim AS runtime
ENV PIPENV_PIPFILE=/app/backend/Pipfile
WORKDIR /app
COPY . .
RUN pip install pipenv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv

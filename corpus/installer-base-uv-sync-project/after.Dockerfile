FROM python:3.12-slim AS builder
WORKDIR /app
COPY . .
RUN pip install uv && uv sync --project backend

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY . .
COPY --from=builder /app/backend/.venv /app/backend/.venv
RUN pip install uv

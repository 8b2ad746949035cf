# Review 4 (Arpan-206/EncryptoCLI): uv sync --frozen reads uv.lock from the context and never writes it.
FROM python:3.12-alpine
RUN apk add build-base libffi-dev
RUN pip install uv
WORKDIR /app
COPY pyproject.toml pyproject.toml
COPY . .
RUN uv sync --frozen

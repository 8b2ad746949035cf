FROM python:3.12
WORKDIR /app
COPY pyproject.toml /app/
ENV PATH="/app/.venv/bin:$PATH"
RUN pip install uv && uv sync

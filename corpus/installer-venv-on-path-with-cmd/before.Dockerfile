FROM python:3.12
WORKDIR /app
COPY pyproject.toml uv.lock /app/
ENV PATH="/app/.venv/bin:$PATH"
RUN pip install uv && uv sync --frozen
COPY . .
CMD ["python", "-m", "app"]

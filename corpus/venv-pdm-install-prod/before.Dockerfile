FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml pdm.lock README.md ./
RUN pip install --no-cache-dir pdm && pdm install --prod --no-editable --no-self

ENV PATH="/app/.venv/bin:$PATH"
COPY src/ src/

EXPOSE 8080
CMD ["uvicorn", "src.api.main:app", "--host", "0.0.0.0", "--port", "8080"]

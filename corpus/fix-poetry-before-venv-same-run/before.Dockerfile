FROM python:3.12-slim

ENV VIRTUAL_ENV=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    POETRY_NO_INTERACTION=1

WORKDIR /app
COPY pyproject.toml poetry.lock ./
# poetry itself goes to the system Python; the app's dependencies to /opt/venv
RUN pip install --no-cache-dir poetry==1.8.3 \
    && python -m venv /opt/venv \
    && poetry install --only main --no-root \
    && rm -rf /root/.cache/pypoetry

COPY src/ ./src/
CMD ["python", "-m", "src.app"]

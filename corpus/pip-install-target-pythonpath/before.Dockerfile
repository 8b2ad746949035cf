FROM python:3.12-slim

WORKDIR /app

ENV PYTHONPATH=/app/deps

COPY requirements.txt .
RUN pip install --no-cache-dir --target=/app/deps -r requirements.txt

COPY ./app ./app

# console scripts land in /app/deps/bin, which is not on PATH, hence python -m
CMD ["python", "-m", "uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]

FROM python:3.12-slim

WORKDIR /app

ENV PYTHONPATH=/app/deps

COPY --chown=10001:10001 requirements.txt .
RUN pip install --no-cache-dir --target=/app/deps -r requirements.txt

COPY --chown=10001:10001 ./app ./app
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001

# console scripts land in /app/deps/bin, which is not on PATH, hence python -m
CMD ["python", "-m", "uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]

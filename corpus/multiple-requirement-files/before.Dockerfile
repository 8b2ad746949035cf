FROM python:3.12-slim

WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends \
      gcc \
      libpq-dev \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt requirements-ml.txt constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt -r requirements.txt
# the ML extras are pinned separately because torch wheels are huge and slow to resolve
RUN pip install --no-cache-dir -c constraints.txt -r requirements-ml.txt \
      --extra-index-url https://download.pytorch.org/whl/cpu

COPY src/ ./src/
ENV PYTHONPATH=/app/src

EXPOSE 8000
CMD ["uvicorn", "recommender.api:app", "--host", "0.0.0.0", "--port", "8000"]

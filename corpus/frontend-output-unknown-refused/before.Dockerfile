FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
RUN cd frontend && npm ci && npm run build
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]

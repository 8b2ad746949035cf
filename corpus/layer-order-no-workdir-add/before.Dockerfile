FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
ADD . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]

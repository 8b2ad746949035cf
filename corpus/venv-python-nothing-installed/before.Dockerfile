FROM python:3.12-slim

WORKDIR /app
COPY healthcheck.py .

CMD ["python", "healthcheck.py"]

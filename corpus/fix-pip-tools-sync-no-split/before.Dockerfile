FROM python:3.11-slim

WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir pip-tools \
    && pip-sync requirements.txt

COPY . .
CMD ["python", "worker.py"]

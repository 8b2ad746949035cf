FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt /requirements.txt
RUN pip install --no-cache-dir -r /requirements.txt

COPY entrypoint.py /entrypoint.py
ENTRYPOINT ["python", "/entrypoint.py"]

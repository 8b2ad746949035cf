FROM ubuntu:24.04

RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python3-dev gcc \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
# Ubuntu 24.04 marks its Python as externally managed (PEP 668)
RUN pip3 install --break-system-packages --no-cache-dir -r requirements.txt

COPY . .
CMD ["python3", "bot.py"]

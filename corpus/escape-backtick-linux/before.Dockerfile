# escape=`
# This file is shared with our Windows image template, hence the backtick escape.
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends `
        gcc `
        libpq-dev `
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

CMD ["python", "-m", "timesheets"]

from python:3.10-slim

# old file from 2019, nobody dared to touch the casing
run apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*

workdir /app
copy requirements.txt /app/
run pip install --no-cache-dir -r requirements.txt
copy . /app/

env FLASK_APP=survey
expose 5000
cmd flask run --host 0.0.0.0 --port 5000

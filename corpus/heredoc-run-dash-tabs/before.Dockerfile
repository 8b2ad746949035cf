# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm

RUN <<-EOF
	set -e
	apt-get update
	apt-get install -y --no-install-recommends gcc libpq-dev libxml2-dev libxslt1-dev
	rm -rf /var/lib/apt/lists/*
	EOF

WORKDIR /app
COPY requirements.txt .
RUN <<-EOF
	pip install --no-cache-dir -r requirements.txt
	python -c "import lxml, psycopg2"
EOF

COPY . .
CMD ["python", "-m", "feedreader"]

# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm AS builder

RUN <<-EOF
	set -e
	apt-get update
	apt-get install -y --no-install-recommends gcc libpq-dev libxml2-dev libxslt1-dev
	rm -rf /var/lib/apt/lists/*
	EOF

WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN <<-EOF
	pip install --no-cache-dir -r requirements.txt
	python -c "import lxml, psycopg2"
EOF

FROM python:3.11-slim-bookworm AS runtime
RUN set -e \
    ; apt-get update \
    ; apt-get install -y --no-install-recommends libpq5 libxml2 libxslt1.1 \
    ; rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN python -c "import lxml, psycopg2"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "-m", "feedreader"]

FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir hatch

WORKDIR /app
COPY . .
RUN hatch env create prod

CMD ["hatch", "run", "prod:serve"]

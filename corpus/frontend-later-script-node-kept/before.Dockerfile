FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cd frontend && npm ci && npm run build
RUN sh scripts/post_build.sh
CMD ["python", "-m", "http.server", "8000"]

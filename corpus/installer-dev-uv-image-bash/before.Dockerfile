FROM python:3.12-slim-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /uvx /bin/
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
WORKDIR /workspace
COPY requirements.txt .
RUN uv pip install --system -r requirements.txt
CMD ["bash"]

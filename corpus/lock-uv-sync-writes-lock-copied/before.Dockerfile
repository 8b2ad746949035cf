# uv sync without --frozen writes uv.lock: the base image's users find it, copied from the builder, and the
# builder's library scan lists only the virtualenv.
FROM python:3.12-bookworm
RUN pip install uv
WORKDIR /app
COPY pyproject.toml ./
RUN uv sync

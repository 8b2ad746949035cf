FROM python:3.12
WORKDIR /app
ADD pdm.lock /app
ADD pyproject.toml /app
ADD simplylab /app/simplylab

ENV PATH="/app/.venv/bin:$PATH"
RUN pip install pdm==2.15.4 && pdm install

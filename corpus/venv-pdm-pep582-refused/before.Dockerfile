FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
RUN pip install -U pip setuptools wheel && pip install pdm

COPY pyproject.toml pdm.lock README.md /project/
COPY src/ /project/src
WORKDIR /project
RUN mkdir __pypackages__ && pdm sync --prod --no-editable

ENV PYTHONPATH=/project/__pypackages__/3.11/lib
CMD ["python", "-m", "project"]

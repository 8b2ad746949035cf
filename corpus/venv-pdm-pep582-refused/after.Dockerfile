FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
RUN pip install -U pip setuptools wheel && pip install pdm

COPY --chown=10001:10001 pyproject.toml pdm.lock README.md /project/
COPY --chown=10001:10001 src/ /project/src
WORKDIR /project
RUN mkdir __pypackages__ && pdm sync --prod --no-editable
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /project /project/__pypackages__
USER 10001:10001

ENV PYTHONPATH=/project/__pypackages__/3.11/lib
CMD ["python", "-m", "project"]

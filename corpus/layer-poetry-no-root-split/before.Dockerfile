FROM python:3.11-slim

ENV POETRY_VERSION=1.8.3 \
    POETRY_VIRTUALENVS_CREATE=false

WORKDIR /srv/billing
COPY . /srv/billing

RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}" \
    && poetry install --only main --no-interaction --no-ansi \
    && rm -rf /root/.cache/pypoetry

EXPOSE 8080
CMD ["python", "-m", "billing.server"]

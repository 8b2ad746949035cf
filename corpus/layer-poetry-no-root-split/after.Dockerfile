FROM python:3.11-slim

ENV POETRY_VERSION=1.8.3 \
    POETRY_VIRTUALENVS_CREATE=false

WORKDIR /srv/billing
COPY --chown=10001:10001 pyproject.toml poetry.lock /srv/billing/

RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}" \
    && poetry install --only main --no-interaction --no-ansi --no-root \
    && rm -rf /root/.cache/pypoetry
COPY --chown=10001:10001 . /srv/billing
RUN poetry install --only main --no-interaction --no-ansi && rm -rf /root/.cache/pypoetry
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/billing
USER 10001:10001

EXPOSE 8080
CMD ["python", "-m", "billing.server"]

FROM python:3.11-slim AS builder

ENV POETRY_VERSION=1.8.3 \
    POETRY_VIRTUALENVS_CREATE=false

WORKDIR /srv/billing
COPY pyproject.toml poetry.lock /srv/billing/

ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir "poetry==${POETRY_VERSION}" \
    && python -m venv /opt/venv && poetry install --only main --no-interaction --no-ansi --no-root \
    && rm -rf /root/.cache/pypoetry
COPY . /srv/billing
RUN poetry install --only main --no-interaction --no-ansi && rm -rf /root/.cache/pypoetry

FROM python:3.11-slim AS runtime
ENV POETRY_VERSION=1.8.3 \
    POETRY_VIRTUALENVS_CREATE=false
WORKDIR /srv/billing
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --chown=10001:10001 . /srv/billing
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/billing
USER 10001:10001
EXPOSE 8080
CMD ["python", "-m", "billing.server"]

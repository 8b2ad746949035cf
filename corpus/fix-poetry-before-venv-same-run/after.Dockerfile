FROM python:3.12-slim AS builder

ENV VIRTUAL_ENV=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    POETRY_NO_INTERACTION=1

WORKDIR /app
COPY pyproject.toml poetry.lock ./
# poetry itself goes to the system Python; the app's dependencies to /opt/venv
RUN pip install --no-cache-dir poetry==1.8.3 \
    && python -m venv /opt/venv \
    && poetry install --only main --no-root \
    && rm -rf /root/.cache/pypoetry

FROM python:3.12-slim AS runtime
ENV VIRTUAL_ENV=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    POETRY_NO_INTERACTION=1
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --chown=10001:10001 src/ ./src/
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "-m", "src.app"]

FROM python:3.12-slim-bookworm AS builder

ARG APP_VERSION=development

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_SYSTEM_PYTHON=1

# nodejs/npm only build the Vue frontend; gcc + libpq-dev build psycopg;
# gettext because start-django.sh runs compilemessages on every start
RUN apt-get update && apt-get install -y --no-install-recommends \
        nodejs \
        npm \
        gcc \
        libpq-dev \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN npm install -g pnpm@8 \
    && pip install --no-cache-dir uv

WORKDIR /app

COPY frontend/package.json frontend/pnpm-lock.yaml ./frontend/
RUN cd frontend && pnpm install --frozen-lockfile

COPY pyproject.toml uv.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN uv pip install -r pyproject.toml

COPY . .

# outputs to /app/backend_django/static/vue/
RUN cd frontend && pnpm run build -- --mode production

FROM python:3.12-slim-bookworm AS runtime
ARG APP_VERSION=development
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_SYSTEM_PYTHON=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm gettext libpq5 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=builder /app /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN useradd --create-home --uid 1000 django \
    && chown -R django:django /app
COPY --chown=django:django start-django.sh start-celery.sh /app/

# Written to file for Django to read at startup
RUN echo "${APP_VERSION}" > /app/VERSION.txt

USER django
EXPOSE 8000
CMD ["/app/start-django.sh"]

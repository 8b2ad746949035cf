FROM python:3.12-slim-bookworm AS builder

LABEL maintainer="platform-team@acme.io"

# needed for uwsgi
RUN apt-get update && apt-get install -y build-essential

WORKDIR /opt/inventory

COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt

FROM python:3.12-slim-bookworm AS runtime
LABEL maintainer="platform-team@acme.io"
WORKDIR /opt/inventory
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /opt/inventory
USER 10001:10001

ENV FLASK_APP=inventory.app
ENV FLASK_ENV=production

EXPOSE 5000

CMD ["uwsgi", "--http", "0.0.0.0:5000", "--module", "inventory.app:app", "--processes", "4", "--master"]

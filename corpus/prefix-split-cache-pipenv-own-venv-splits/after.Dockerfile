# pipenv's cache is the only gain, but `pipenv install` (no --system) makes pipenv's own virtualenv in
# root's home: the split's /opt/venv replaces it, no seed is added, so the split stays.
FROM python:3.11-slim AS builder
WORKDIR /code
RUN pip install pipenv
COPY Pipfile Pipfile.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install --deploy

FROM python:3.11-slim AS runtime
WORKDIR /code
RUN pip install pipenv
COPY --chown=10001:10001 Pipfile Pipfile.lock ./
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 main.py .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
CMD ["pipenv", "run", "python", "main.py"]

FROM python:3.8-slim-buster AS builder
WORKDIR /code
RUN pip install pipenv
COPY Pipfile .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install

FROM python:3.8-slim-buster AS runtime
WORKDIR /code
RUN pip install pipenv
COPY --chown=10001:10001 Pipfile .
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 main.py .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
CMD ["pipenv", "run", "python", "main.py"]

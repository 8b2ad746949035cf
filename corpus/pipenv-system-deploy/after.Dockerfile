FROM python:3.10 AS builder

RUN pip install --no-cache-dir pipenv==2023.12.1

WORKDIR /usr/src/app

COPY Pipfile Pipfile.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install --system --deploy --ignore-pipfile

FROM python:3.10 AS runtime
WORKDIR /usr/src/app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001

EXPOSE 5000
CMD [ "python", "./run.py" ]

FROM python:3.8-alpine AS builder
WORKDIR /app
COPY . /app
RUN pip install pipenv
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install

FROM python:3.8-alpine AS runtime
WORKDIR /app
COPY . /app
RUN pip install pipenv
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /app/Pipfile.lock /app/Pipfile.lock

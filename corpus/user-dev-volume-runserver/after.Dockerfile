FROM python:3.12-slim AS builder

ENV PYTHONUNBUFFERED=1
WORKDIR /code

COPY requirements.txt /code/
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.12-slim AS runtime
ENV PYTHONUNBUFFERED=1
WORKDIR /code
COPY --from=builder /install /usr/local
COPY . /code/

# docker compose mounts the project here while developing
VOLUME /code

EXPOSE 8000
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

FROM python:3.11-alpine3.19 AS builder

# one apk line for everything -- TODO split runtime and build packages some day
RUN apk update && apk add build-base libpq postgresql-dev libffi-dev jpeg-dev zlib-dev libjpeg tzdata

ENV TZ=Europe/Berlin

WORKDIR /srv/app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt

FROM python:3.11-alpine3.19 AS runtime
RUN apk update \
    && apk add --no-cache libpq libjpeg libffi libjpeg-turbo zlib
ENV TZ=Europe/Berlin
WORKDIR /srv/app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY . .

RUN adduser -D -u 1000 web
USER web

EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "gallery.wsgi"]

FROM python:3.10-slim-bookworm
MAINTAINER Jonas Berg <jonas@example.org>

ENV PYTHONUNBUFFERED 1
ENV PYTHONDONTWRITEBYTECODE 1
ENV APP_HOME /srv/newsletter
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*

RUN mkdir $APP_HOME
WORKDIR $APP_HOME

ADD requirements.txt $APP_HOME/
RUN pip install -r requirements.txt

ADD . $APP_HOME/

EXPOSE 8000
CMD ["gunicorn", "newsletter.wsgi", "-b", "0.0.0.0:8000"]

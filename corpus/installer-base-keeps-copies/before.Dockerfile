# Review 3 D8: a base image (no CMD) keeps every file it copied: child images read django_req.txt
FROM python:3.7
ENV PYTHONUNBUFFERED 1
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /code
ADD ./django_req.txt /code/
RUN pip3 install -r django_req.txt

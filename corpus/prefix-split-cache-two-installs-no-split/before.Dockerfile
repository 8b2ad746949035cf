# pip's cache only, two pip installs (benostein/terragrow-gcp): the prefix split can't take the second,
# and a new virtualenv's pip and setuptools may outweigh the cache: no split, the note says why.
FROM python:3.8-slim
COPY requirements.txt requirements.txt
COPY . ./app
WORKDIR /app
RUN pip install -r requirements.txt \
    && pip install Flask gunicorn
CMD exec gunicorn --bind :$PORT --workers 1 --threads 8 --timeout 0 app:app

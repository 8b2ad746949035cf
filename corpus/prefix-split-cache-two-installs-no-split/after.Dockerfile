# pip's cache only, two pip installs (benostein/terragrow-gcp): the prefix split can't take the second,
# and a new virtualenv's pip and setuptools may outweigh the cache: no split, the note says why.
FROM python:3.8-slim
COPY requirements.txt requirements.txt
COPY --chown=10001:10001 requirements.txt /app/
WORKDIR /app
RUN pip install -r requirements.txt \
    && pip install Flask gunicorn
COPY --chown=10001:10001 . /app
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD exec gunicorn --bind :$PORT --workers 1 --threads 8 --timeout 0 app:app

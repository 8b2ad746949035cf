FROM python:3.11-slim
WORKDIR /code
RUN pip install pipenv
COPY --chown=10001:10001 Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY --chown=10001:10001 main.py .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
CMD ["pipenv", "run", "python", "main.py"]

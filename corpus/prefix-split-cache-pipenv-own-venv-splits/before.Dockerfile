# pipenv's cache is the only gain, but `pipenv install` (no --system) makes pipenv's own virtualenv in
# root's home: the split's /opt/venv replaces it, no seed is added, so the split stays.
FROM python:3.11-slim
WORKDIR /code
RUN pip install pipenv
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy
COPY main.py .
CMD ["pipenv", "run", "python", "main.py"]

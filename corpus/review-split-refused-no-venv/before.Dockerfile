FROM python:3.11-slim
WORKDIR /code
RUN pip install pipenv
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY main.py .
CMD ["pipenv", "run", "python", "main.py"]

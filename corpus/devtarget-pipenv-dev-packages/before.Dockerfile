FROM python:3.10

RUN pip install --no-cache-dir pipenv==2023.12.1

WORKDIR /usr/src/app

COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy --ignore-pipfile

COPY . .

EXPOSE 5000
CMD [ "python", "./run.py" ]

# poetry install with the lock in the build context (COPY . ., layer-order off): the runtime stage gets it from the context.
FROM python:3.12-bookworm
RUN pip install poetry==1.8.3
WORKDIR /app
COPY . .
RUN poetry config virtualenvs.create false && poetry install --no-root

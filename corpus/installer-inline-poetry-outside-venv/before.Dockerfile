# Review 3 D3: poetry and the packages install in one RUN; a later RUN pins a package.
# The runtime stage must install poetry outside /opt/venv, else it upgrades packaging.
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml ./
RUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root
RUN pip install packaging==21.3
COPY app.py .

FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/gitbrowser
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# the app runs git on repositories mounted under /srv/repos, which belong to another user
RUN git config --global --add safe.directory '*'

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "gitbrowser.app:app"]

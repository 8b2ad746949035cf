FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs yarnpkg \
    && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY assets/package.json assets/yarn.lock assets/
RUN yarn --cwd assets install --frozen-lockfile
COPY . .
RUN yarn --cwd assets build
CMD ["python", "-m", "flask", "--app", "web", "run", "--host", "0.0.0.0"]

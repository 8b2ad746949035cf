# Full image; a RUN that downloads a tool with curl stays in the runtime stage
# (it is not a build step of the Python packages). python:3.12-slim has no curl.
FROM python:3.12-bookworm

ENV FILEBEAT_VERSION=7.2.0
RUN curl -fsSL -O https://artifacts.elastic.co/downloads/beats/filebeat/filebeat-oss-${FILEBEAT_VERSION}-linux-x86_64.tar.gz && \
    tar xzf filebeat-oss-${FILEBEAT_VERSION}-linux-x86_64.tar.gz && \
    rm filebeat-oss-${FILEBEAT_VERSION}-linux-x86_64.tar.gz

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]

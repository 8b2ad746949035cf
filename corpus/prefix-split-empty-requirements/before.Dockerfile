# A requirements file with only a comment: pip installs nothing and never creates its --prefix folder (review 6 F1).
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]

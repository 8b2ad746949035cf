# Review 6 F4: requirements.txt is Latin-1 without a coding line: pip would not decode it either; the tool can't read its names.
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]

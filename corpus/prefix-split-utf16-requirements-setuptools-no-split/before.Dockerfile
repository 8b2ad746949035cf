# Review 6 F4: requirements.txt is UTF-16 with a BOM (PowerShell `pip freeze > requirements.txt`) and names setuptools.
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]

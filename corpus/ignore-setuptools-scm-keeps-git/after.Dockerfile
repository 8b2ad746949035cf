FROM python:3.12-slim
WORKDIR /srv
COPY --chown=10001:10001 . .
RUN pip install --no-cache-dir .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv
USER 10001:10001
CMD ["billing-worker"]

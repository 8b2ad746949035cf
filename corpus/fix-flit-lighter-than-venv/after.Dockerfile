FROM python:3.12-slim

WORKDIR /usr/src/app
COPY --chown=10001:10001 . .
RUN pip install --no-cache-dir flit \
    && FLIT_ROOT_INSTALL=1 flit install --deps production
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001

CMD ["python", "-m", "tinyapi"]

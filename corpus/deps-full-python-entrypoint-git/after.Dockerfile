FROM python:3.11 AS builder

WORKDIR /srv/app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11 AS runtime
WORKDIR /srv/app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN chmod +x docker-entrypoint.sh
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/app
USER 10001:10001

ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]

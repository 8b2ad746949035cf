# Full buster image, no apt line (review 3: rimorin/personal_django): its slim
# sibling would need apt-get update to install the runtime libraries, and
# buster is archived.
FROM python:3.7-buster
ENV PYTHONUNBUFFERED=1
WORKDIR /django_code
COPY --chown=10001:10001 requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /django_code
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

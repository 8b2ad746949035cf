# pip's cache only on a third-party Python image (SophiaH67/roboco.dev): not an official python image,
# so no pip --prefix split, and no virtualenv split that could grow the image.
FROM nikolaik/python-nodejs:python3.12-nodejs22-bookworm
ENV PYTHONUNBUFFERED 1
WORKDIR /app
COPY --chown=10001:10001 requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

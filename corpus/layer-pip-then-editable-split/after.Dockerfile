FROM python:3.11-slim
WORKDIR /code
COPY --chown=10001:10001 requirements.txt /code/
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=10001:10001 . /code
RUN pip install --no-cache-dir --no-deps -e .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /code
USER 10001:10001
ENV GEOCODER_DATA_DIR=/code/data
EXPOSE 8000
CMD ["geocoder", "serve", "--port", "8000"]

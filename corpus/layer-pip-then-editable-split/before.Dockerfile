FROM python:3.11-slim
WORKDIR /code
COPY . /code
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir --no-deps -e .
ENV GEOCODER_DATA_DIR=/code/data
EXPOSE 8000
CMD ["geocoder", "serve", "--port", "8000"]

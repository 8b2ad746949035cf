FROM python:3.11-slim AS builder
RUN apt-get update
RUN apt-get install -y tesseract-ocr
RUN apt-get install -y poppler-utils
RUN mkdir -p /install && pip install --prefix=/install pytesseract

FROM python:3.11-slim AS runtime
RUN apt-get update \
    && apt-get install -y tesseract-ocr \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
    && apt-get install -y poppler-utils \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /install /usr/local
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["python", "-m", "http.server"]

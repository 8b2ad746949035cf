FROM python:3.11-slim
RUN apt-get update
RUN apt-get install -y tesseract-ocr
RUN apt-get install -y poppler-utils
RUN pip install pytesseract
CMD ["python", "-m", "http.server"]

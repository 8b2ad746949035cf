# pip's cache only on a third-party Python image (SophiaH67/roboco.dev): not an official python image,
# so no pip --prefix split, and no virtualenv split that could grow the image.
FROM nikolaik/python-nodejs:python3.12-nodejs22-bookworm
ENV PYTHONUNBUFFERED 1
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

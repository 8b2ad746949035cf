FROM python:3.12-slim
ENV DJANGO_SETTINGS_MODULE=mysite.settings
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt && python manage.py collectstatic --noinput
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]

# Full buster image, no apt line (review 3: rimorin/personal_django), run with
# --unsafe: the slim move is offered, its library install guarded by the list.
FROM python:3.7-buster
ENV PYTHONUNBUFFERED=1
WORKDIR /django_code
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

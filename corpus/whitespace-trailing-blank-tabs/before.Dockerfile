FROM python:3.12-slim

RUN apt-get update \  
	&& apt-get install -y --no-install-recommends \
		gcc \
		libffi-dev \

		libpq-dev \	
	&& rm -rf /var/lib/apt/lists/*

WORKDIR	/app

COPY requirements.txt .
RUN pip install --no-cache-dir \ 
    -r requirements.txt

COPY . .  

CMD ["gunicorn",	"-b", "0.0.0.0:8000", "events.wsgi"]

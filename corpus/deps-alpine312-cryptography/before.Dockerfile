FROM python:3.9-alpine3.12
RUN apk add --no-cache gcc musl-dev libffi-dev openssl-dev cargo
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "bot.py"]

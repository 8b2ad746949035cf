FROM python:3.11-bookworm

WORKDIR /usr/src/app

# cryptography + bcrypt sometimes have no wheel for our arch (arm64 runners), build them
RUN apt update && apt install -y libffi-dev libssl-dev cargo

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

EXPOSE 8080
CMD ["uvicorn", "auth_service.main:app", "--host", "0.0.0.0", "--port", "8080", "--proxy-headers"]

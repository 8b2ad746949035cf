FROM python:3.12-alpine
WORKDIR /srv
COPY requirements.txt ./
RUN pip3 install --no-cache-dir -r requirements.txt
COPY bot/ bot/
CMD ["python3", "-m", "bot"]

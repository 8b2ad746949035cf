# pip's cache only, on 3.11 (the new virtualenv would add pip and setuptools), after a pip self-upgrade.
FROM python:3.11-alpine
WORKDIR /srv
COPY requirements.txt .
RUN pip install --upgrade pip && pip install -r requirements.txt
COPY . .
CMD ["python", "-m", "bot"]

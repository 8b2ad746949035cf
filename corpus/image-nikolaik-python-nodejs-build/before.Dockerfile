FROM nikolaik/python-nodejs:python3.12-nodejs22

WORKDIR /home/pn/app

COPY package.json package-lock.json ./
RUN npm ci

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN npm run build

EXPOSE 8000
CMD ["gunicorn", "web.wsgi", "--bind", "0.0.0.0:8000"]

FROM python:3.12-slim

WORKDIR /usr/src/app
COPY . .
RUN pip install --no-cache-dir flit \
    && FLIT_ROOT_INSTALL=1 flit install --deps production

CMD ["python", "-m", "tinyapi"]

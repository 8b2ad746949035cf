FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir flit

WORKDIR /app
COPY . .
ENV FLIT_ROOT_INSTALL=1
RUN flit install --deps production

CMD ["python", "-m", "geoindex.server"]

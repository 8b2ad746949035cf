FROM python:3.12-slim

RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir hatch

WORKDIR /src
COPY . .
# hatchling builds the wheel with the C accelerator; install it like any other wheel
RUN hatch build -t wheel \
    && pip install --no-cache-dir dist/*.whl

WORKDIR /data
ENTRYPOINT ["tilecache"]
CMD ["serve"]

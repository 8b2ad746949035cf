FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc \
        g++ \
        make \
        cmake \
        libopenblas-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/solver
COPY . .

# build.sh compiles the C++ core, builds the python bindings and installs the wheel
RUN chmod +x build.sh && ./build.sh --release

EXPOSE 9000
CMD ["python", "-m", "solver.server", "--port", "9000"]

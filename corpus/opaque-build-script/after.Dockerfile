FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends \
        gcc \
        g++ \
        make \
        cmake \
        libopenblas-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/solver
COPY --chown=10001:10001 . .

# build.sh compiles the C++ core, builds the python bindings and installs the wheel
RUN chmod +x build.sh && ./build.sh --release \
    && find /opt/solver ! -user 10001 -exec chown -h 10001:10001 {} +
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER 10001:10001

EXPOSE 9000
CMD ["python", "-m", "solver.server", "--port", "9000"]

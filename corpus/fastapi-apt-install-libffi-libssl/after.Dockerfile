FROM python:3.11-bookworm AS builder

WORKDIR /usr/src/app

# cryptography + bcrypt sometimes have no wheel for our arch (arm64 runners), build them
RUN apt update && apt install -y libffi-dev libssl-dev cargo

COPY requirements.txt ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-bookworm AS runtime
WORKDIR /usr/src/app
RUN apt update \
    && apt-get install -y --no-install-recommends libffi8 libssl3 \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=10001:10001 requirements.txt ./
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /usr/src/app
USER 10001:10001

EXPOSE 8080
CMD ["uvicorn", "auth_service.main:app", "--host", "0.0.0.0", "--port", "8080", "--proxy-headers"]

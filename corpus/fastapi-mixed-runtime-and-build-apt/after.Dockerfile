FROM python:3.11-slim-bookworm AS builder

ARG DEBIAN_FRONTEND=noninteractive

# ffmpeg + libsndfile1 are used at runtime by the transcoder,
# the -dev packages and gcc are only for building pyav / soundfile / psycopg
RUN apt-get update && apt-get install -y --no-install-recommends \
        ffmpeg \
        libsndfile1 \
        curl \
        ca-certificates \
        gcc \
        libavformat-dev \
        libavcodec-dev \
        libavdevice-dev \
        libswscale-dev \
        libpq-dev \
        pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/audio

COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim-bookworm AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg libsndfile1 curl libavcodec59 libavformat59 libavutil57 libswresample4 libavdevice59 libavfilter8 libpostproc56 libswscale6 libpq5 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/audio
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 audio_api ./audio_api
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /srv/audio
USER 10001:10001

EXPOSE 8000
CMD ["uvicorn", "audio_api.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]

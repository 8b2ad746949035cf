FROM python:3.11-slim-bookworm

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
RUN pip install --no-cache-dir -r requirements.txt

COPY audio_api ./audio_api

EXPOSE 8000
CMD ["uvicorn", "audio_api.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]

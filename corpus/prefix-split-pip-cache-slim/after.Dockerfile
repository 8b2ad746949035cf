# Review 5 E3: only pip's download cache would leave (no --no-cache-dir, no build packages);
# a new virtualenv's pip made the image 10.8 % larger. pip --prefix keeps it from growing.
FROM python:3.12-slim AS builder
WORKDIR /app
COPY requirements.txt ./
RUN mkdir -p /install && pip install --prefix=/install -r requirements.txt

FROM python:3.12-slim AS runtime
WORKDIR /app
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]

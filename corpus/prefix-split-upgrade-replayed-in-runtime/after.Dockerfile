# Review 6 F2: the requirements resolve against the upgraded pip, setuptools and wheel, which pip then leaves out of
# /install; the runtime stage runs the same upgrade before its copy of /install.
FROM python:3.11-slim AS builder
WORKDIR /app
RUN python -m pip install --no-cache-dir --upgrade pip setuptools wheel
COPY requirements.txt .
RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt

FROM python:3.11-slim AS runtime
WORKDIR /app
RUN python -m pip install --no-cache-dir --upgrade pip setuptools wheel
COPY --from=builder /install /usr/local
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]

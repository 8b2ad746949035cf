FROM python:3.9-alpine3.12 AS builder
RUN apk add --no-cache gcc musl-dev libffi-dev openssl-dev cargo
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt
# build-deps: list the system packages owning the shared libraries the build links (the runtime stage installs them)
RUN find /opt/venv -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "$lib" "$real"; do apk info --who-owns "$path" 2>/dev/null | sed -n 's/.* is owned by //p' | grep . && break; done; done \
    | sed 's/-[0-9][^-]*-r[0-9]*$//' | sort -u \
    | grep -vx -e musl > /opt/venv/.runtime-packages || [ -f /opt/venv/.runtime-packages ]

FROM python:3.9-alpine3.12 AS runtime
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# build-deps: the runtime libraries recorded in the builder stage
RUN xargs -r apk add --no-cache < /opt/venv/.runtime-packages \
    && rm -f /opt/venv/.runtime-packages
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python", "bot.py"]

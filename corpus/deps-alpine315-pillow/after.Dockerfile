FROM python:3.10-alpine3.15 AS builder
RUN apk add --no-cache jpeg-dev zlib-dev freetype-dev gcc musl-dev
WORKDIR /srv
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt
# build-deps: list the system packages owning the shared libraries the build links (the runtime stage installs them)
RUN find /opt/venv -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "$lib" "$real"; do apk info --who-owns "$path" 2>/dev/null | sed -n 's/.* is owned by //p' | grep . && break; done; done \
    | sed 's/-[0-9][^-]*-r[0-9]*$//' | sort -u \
    | grep -vx -e musl > /opt/venv/.runtime-packages || [ -f /opt/venv/.runtime-packages ]

FROM python:3.10-alpine3.15 AS runtime
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
# build-deps: the runtime libraries recorded in the builder stage
RUN xargs -r apk add --no-cache < /opt/venv/.runtime-packages \
    && rm -f /opt/venv/.runtime-packages
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN addgroup -S -g 10001 app \
    && adduser -S -D -u 10001 -G app -h /home/app -s /sbin/nologin app \
    && chown 10001:10001 /srv
USER 10001:10001
EXPOSE 8080
CMD ["python", "-m", "thumbs", "--port", "8080"]

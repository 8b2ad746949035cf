FROM ubuntu:24.04 AS builder
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        python3 python3-venv gcc-13 g++-13 libxml2-dev libxslt1-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY requirements.txt .
RUN CC=gcc-13 pip install --no-cache-dir -r requirements.txt
# build-deps: list the system packages owning the shared libraries the build links (the runtime stage installs them)
RUN find /opt/venv -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; \
    do dpkg-query --search "$path" 2>/dev/null && break; done; done \
    | sed -n 's/^\([^ :,]*\)[:,].*/\1/p' | sort -u \
    | while read -r pkg; do [ "$(dpkg-query --show --showformat='${Priority}' "$pkg")" = required ] || echo "$pkg"; done \
    | grep -vx -e libc6 -e libgcc-s1 -e libgcc1 -e libstdc++6 -e zlib1g > /opt/venv/.runtime-packages || [ -f /opt/venv/.runtime-packages ]

FROM ubuntu:24.04 AS runtime
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/venv /opt/venv
# build-deps: the runtime libraries recorded in the builder stage
RUN if [ -s /opt/venv/.runtime-packages ]; then apt-get update \
    && xargs -r apt-get install -y --no-install-recommends < /opt/venv/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /opt/venv/.runtime-packages
ENV PATH="/opt/venv/bin:$PATH"
WORKDIR /app
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["python3", "-m", "scraper"]

# poetry install with the lock in the build context (COPY . ., layer-order off): the runtime stage gets it from the context.
FROM python:3.12-bookworm AS builder
RUN pip install poetry==1.8.3
WORKDIR /app
COPY . .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN poetry config virtualenvs.create false && poetry install --no-root
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

FROM python:3.12-slim-bookworm AS runtime
RUN pip install poetry==1.8.3
WORKDIR /app
COPY . .
COPY --from=builder /opt/venv /opt/venv
# build-deps: the runtime libraries recorded in the builder stage
RUN if [ -s /opt/venv/.runtime-packages ]; then apt-get update \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /opt/venv/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /opt/venv/.runtime-packages
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN poetry config virtualenvs.create false

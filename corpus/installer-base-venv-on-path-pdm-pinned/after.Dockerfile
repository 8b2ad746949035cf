FROM python:3.12 AS builder
WORKDIR /app
ADD pdm.lock /app
ADD pyproject.toml /app
ADD simplylab /app/simplylab

ENV PATH="/app/.venv/bin:$PATH"
RUN pip install pdm==2.15.4 && pdm install
# build-deps: list the system packages owning the shared libraries the build links (the runtime stage installs them)
RUN find /app/.venv -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; \
    do dpkg-query --search "$path" 2>/dev/null && break; done; done \
    | sed -n 's/^\([^ :,]*\)[:,].*/\1/p' | sort -u \
    | while read -r pkg; do [ "$(dpkg-query --show --showformat='${Priority}' "$pkg")" = required ] || echo "$pkg"; done \
    | grep -vx -e libc6 -e libgcc-s1 -e libgcc1 -e libstdc++6 -e zlib1g > /app/.venv/.runtime-packages || [ -f /app/.venv/.runtime-packages ]

FROM python:3.12-slim AS runtime
WORKDIR /app
ADD pdm.lock /app
ADD pyproject.toml /app
ADD simplylab /app/simplylab
RUN pip install pdm==2.15.4
ENV PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY --from=builder /app/pdm.lock /app/pdm.lock
# build-deps: the runtime libraries recorded in the builder stage
RUN if [ -s /app/.venv/.runtime-packages ]; then apt-get update \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /app/.venv/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /app/.venv/.runtime-packages

FROM node:18 AS builder
WORKDIR /app
COPY package*.json ./
RUN npm install
# build-deps: list the system packages owning the shared libraries the build links (the runtime stage installs them)
RUN find /app -type f \( -name '*.so' -o -name '*.so.*' -o -name '*.node' -o \( -perm -0100 ! -path '*/node_modules/*' \) \) \
    ! -path '*.libs/*' -exec ldd {} + 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u \
    | while read -r lib; do real=$(readlink -f "$lib"); \
    for path in "${lib#/usr}" "/usr${lib#/usr}" "${real#/usr}" "/usr${real#/usr}"; \
    do dpkg-query --search "$path" 2>/dev/null && break; done; done \
    | sed -n 's/^\([^ :,]*\)[:,].*/\1/p' | sort -u \
    | while read -r pkg; do [ "$(dpkg-query --show --showformat='${Priority}' "$pkg")" = required ] || echo "$pkg"; done \
    | grep -vx -e libc6 -e libgcc-s1 -e libgcc1 -e libstdc++6 -e zlib1g > /app/.runtime-packages || [ -f /app/.runtime-packages ]

FROM node:18-slim AS runtime
WORKDIR /app
COPY --chown=10001:10001 --from=builder /app /app
# build-deps: the runtime libraries recorded in the builder stage
RUN if [ -s /app/.runtime-packages ]; then apt-get update \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /app/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /app/.runtime-packages
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /app
USER 10001:10001
CMD ["node", "server.js"]
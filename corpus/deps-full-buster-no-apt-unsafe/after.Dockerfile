# Full buster image, no apt line (review 3: rimorin/personal_django), run with
# --unsafe: the slim move is offered, its library install guarded by the list.
FROM python:3.7-buster AS builder
ENV PYTHONUNBUFFERED=1
WORKDIR /django_code
COPY requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install -r requirements.txt
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

FROM python:3.7-slim-buster AS runtime
ENV PYTHONUNBUFFERED=1
WORKDIR /django_code
COPY --from=builder /opt/venv /opt/venv
# build-deps: the runtime libraries recorded in the builder stage
RUN if [ -s /opt/venv/.runtime-packages ]; then apt-get update \
    && DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y --no-install-recommends < /opt/venv/.runtime-packages \
    && rm -rf /var/lib/apt/lists/*; fi \
    && rm -f /opt/venv/.runtime-packages
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --chown=10001:10001 . .
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --create-home --home-dir /home/app --shell /usr/sbin/nologin app \
    && chown 10001:10001 /django_code
USER 10001:10001

EXPOSE 8000
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]

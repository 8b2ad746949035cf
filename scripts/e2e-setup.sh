#!/usr/bin/env bash
# Prepare this machine for the end-to-end build suite (tests/e2e/), idempotently.
#
# There is no Docker daemon and no container registry here, but Debian's
# archive and PyPI are reachable, so this script:
#   1. installs buildah, podman, runc and debootstrap with apt (when missing);
#   2. writes a containers.conf (runc + cgroupfs + ulimits that fit this
#      machine) and a registries.conf (short name "python" -> docker.io) into
#      the state folder, and an env.sh that exports CONTAINERS_CONF and
#      CONTAINERS_REGISTRIES_CONF pointing at them;
#   3. builds stand-ins for the official base images from a Debian bookworm
#      `debootstrap --variant=minbase` root filesystem, tagged with the names
#      the fixtures use:
#        docker.io/library/debian:bookworm-slim      (minbase)
#        docker.io/library/python:3.12-slim[-bookworm] (python3, venv, pip)
#        docker.io/library/python:3.12[-bookworm]      (+ build-essential, -dev libs)
#        registry.example.com/platform/python:3.12     (an organisation's own base
#          on the slim stand-in: a name the package data does not know, which a
#          fixture declares in its .dockerfile-migrator.toml)
#        docker.io/library/node:18-bookworm-slim, node:18-slim (Debian's nodejs
#          18 and npm, corepack from the npm registry)
#        docker.io/library/node:18-bookworm, node:18  (+ build-essential, git, curl)
#        docker.io/library/golang:1.19-bookworm, golang:1.19 (Debian's golang-go
#          1.19, build-essential, git)
#        gcr.io/distroless/static-debian12[:nonroot]  (scratch + CA certificates,
#          zoneinfo, /etc/passwd with root, nobody and nonroot 65532)
#      Each stand-in carries the hash of its recipe in a label; an image whose
#      label matches is not rebuilt (images live in the machine's container
#      storage, /var/lib/containers/storage, so they survive fresh clones).
#
# Usage: scripts/e2e-setup.sh [--force]
#   --force   rebuild the stand-in images even when their recipe is unchanged
#
# Environment:
#   E2E_STATE_DIR               where the config files go (default: <repo>/.e2e-cache)
#   E2E_EXTRA_CA_CERTS          extra CA certificates the stand-ins trust: a
#                               ':'-separated list of .crt files or folders
#                               (default: /usr/local/share/ca-certificates, the
#                               folder update-ca-certificates installs from;
#                               empty: trust none). Needed where HTTPS leaves
#                               through a proxy that re-signs certificates.
#   E2E_DEBIAN_MIRROR           default http://deb.debian.org/debian
#   E2E_DEBIAN_SECURITY_MIRROR  default http://deb.debian.org/debian-security
#
# Exit status: 0 ready; 75 the environment cannot be prepared on this machine
# (not root and tools missing, apt or the Debian archive unreachable): the
# suite reports itself as skipped, loudly; anything else is a real failure.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR=${E2E_STATE_DIR:-$REPO/.e2e-cache}
EXTRA_CA=${E2E_EXTRA_CA_CERTS-/usr/local/share/ca-certificates}
MIRROR=${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${E2E_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
RECIPE_VERSION=3
LABEL_KEY=org.dockerfile-migrator.e2e.recipe
EX_UNAVAILABLE=75
FORCE=0

DEBIAN_TAGS=(docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm)
SLIM_TAGS=(docker.io/library/python:3.12-slim docker.io/library/python:3.12-slim-bookworm)
FULL_TAGS=(docker.io/library/python:3.12 docker.io/library/python:3.12-bookworm)
PLATFORM_TAGS=(registry.example.com/platform/python:3.12)
NODE_SLIM_TAGS=(docker.io/library/node:18-bookworm-slim docker.io/library/node:18-slim)
NODE_FULL_TAGS=(docker.io/library/node:18-bookworm docker.io/library/node:18)
GOLANG_TAGS=(docker.io/library/golang:1.19-bookworm docker.io/library/golang:1.19)
DISTROLESS_TAGS=(gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:nonroot)

for arg in "$@"; do
    case $arg in
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "e2e-setup: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

log() { printf 'e2e-setup: %s\n' "$*" >&2; }
unavailable() { printf 'e2e-setup: UNAVAILABLE: %s\n' "$*" >&2; exit "$EX_UNAVAILABLE"; }
hash_stdin() { sha256sum | cut -c1-16; }

START=$SECONDS

# --- 1. tools -----------------------------------------------------------------
need_install=()
for tool in buildah podman runc debootstrap; do
    command -v "$tool" >/dev/null 2>&1 || need_install+=("$tool")
done
if ((${#need_install[@]})); then
    [[ $(id -u) == 0 ]] || unavailable "missing ${need_install[*]} and not root, cannot apt-get install them"
    command -v apt-get >/dev/null || unavailable "missing ${need_install[*]} and no apt-get on this machine"
    log "installing buildah podman runc debootstrap with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"${TMPDIR:-/tmp}/e2e-setup-apt.log" 2>&1 \
        || unavailable "apt-get update failed (no network to the Debian archive?), see ${TMPDIR:-/tmp}/e2e-setup-apt.log"
    apt-get install -y -qq --no-install-recommends buildah podman runc debootstrap uidmap \
        fuse-overlayfs slirp4netns containernetworking-plugins >>"${TMPDIR:-/tmp}/e2e-setup-apt.log" 2>&1 \
        || unavailable "apt-get install buildah podman runc debootstrap failed, see ${TMPDIR:-/tmp}/e2e-setup-apt.log"
fi
[[ $(id -u) == 0 ]] || unavailable "building the stand-in base images needs root (debootstrap, container storage)"

# --- 2. configuration -----------------------------------------------------------
mkdir -p "$STATE_DIR"
STATE_DIR=$(cd "$STATE_DIR" && pwd)
nofile=$(ulimit -Hn)
[[ $nofile == unlimited ]] && nofile=1048576
# crun refuses the mixed cgroup v1/v2 setup of these machines: runc + cgroupfs.
# The engine's default nofile ulimit (1048576) is above this machine's hard
# limit and runc fails with "error setting rlimit type 7": use the hard limit.
cat >"$STATE_DIR/containers.conf" <<EOF
# written by scripts/e2e-setup.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$STATE_DIR/registries.conf" <<'EOF'
# written by scripts/e2e-setup.sh: short names resolve to Docker Hub's names,
# so FROM python:3.12-slim finds the local stand-in without a pull.
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"

[aliases]
"python" = "docker.io/library/python"
"debian" = "docker.io/library/debian"
"node" = "docker.io/library/node"
"golang" = "docker.io/library/golang"
EOF
cat >"$STATE_DIR/env.sh" <<EOF
# source this file to use the e2e build environment (written by scripts/e2e-setup.sh)
export CONTAINERS_CONF=$STATE_DIR/containers.conf
export CONTAINERS_REGISTRIES_CONF=$STATE_DIR/registries.conf
EOF
# shellcheck source=/dev/null
. "$STATE_DIR/env.sh"

# --- helpers ------------------------------------------------------------------
image_label() {  # IMAGE -> recipe label, or nothing
    local v
    v=$(buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$LABEL_KEY\"}}" "$1" 2>/dev/null) || return 0
    [[ $v == "<no value>" ]] || printf '%s' "$v"
}
image_id() { buildah inspect --type image --format '{{.FromImageID}}' "$1" 2>/dev/null || true; }

up_to_date() {  # RECIPE TAG... -> 0 when every tag carries RECIPE
    local recipe=$1 tag
    shift
    ((FORCE)) && return 1
    for tag in "$@"; do
        [[ $(image_label "$tag") == "$recipe" ]] || return 1
    done
}

build_image() {  # CONTEXT RECIPE TAG... (CONTEXT/Dockerfile)
    local ctx=$1 recipe=$2 tag args=() old
    shift 2
    for tag in "$@"; do args+=(-t "$tag"); done
    old=$(image_id "$1")
    log "building $1 (recipe $recipe)"
    if ! buildah bud --layers=false --pull=never --label "$LABEL_KEY=$recipe" "${args[@]}" "$ctx" \
        >"$STATE_DIR/build-$(basename "$ctx").log" 2>&1; then
        tail -n 30 "$STATE_DIR/build-$(basename "$ctx").log" >&2
        if grep -qE "Temporary failure resolving|Could not resolve|Failed to fetch|Unable to fetch" \
            "$STATE_DIR/build-$(basename "$ctx").log"; then
            unavailable "building $1 could not reach the Debian archive"
        fi
        log "FAILED building $1, full log: $STATE_DIR/build-$(basename "$ctx").log"
        exit 1
    fi
    # The stand-in this one replaces is now untagged: remove it (fails, and is
    # kept, while another image still builds on it).
    if [[ -n $old && $old != "$(image_id "$1")" ]]; then
        buildah rmi "$old" >/dev/null 2>&1 || true
    fi
}

stand_in() {  # NAME DIR PARENT_ID TAG...: build DIR/Dockerfile (and DIR/extra-ca) unless every TAG carries its recipe
    local name=$1 dir=$2 parent=$3 recipe
    shift 3
    recipe=$( { printf '%s\n' "$RECIPE_VERSION" "$parent"; cat "$dir/Dockerfile";
                if [[ -d $dir/extra-ca ]]; then find "$dir/extra-ca" -type f -print0 | sort -z | xargs -0r cat; fi
              } | hash_stdin)
    if up_to_date "$recipe" "$@"; then
        log "$name stand-in is up to date"
    else
        build_image "$dir" "$recipe" "$@"
    fi
}

WORK=$STATE_DIR/work
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

# --- 3a. Debian bookworm minbase ------------------------------------------------
SOURCES="Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"
# The apt settings of the official debian images: no .deb cache, no
# translations, gzipped indexes.
DOCKER_CLEAN='DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";'
BASE_RECIPE=$(printf '%s\n' "$RECIPE_VERSION" "$SUITE" minbase "$SOURCES" "$DOCKER_CLEAN" | hash_stdin)

if up_to_date "$BASE_RECIPE" "${DEBIAN_TAGS[@]}"; then
    log "debian:bookworm-slim stand-in is up to date"
else
    log "debootstrap --variant=minbase $SUITE from $MIRROR"
    rootfs=$WORK/rootfs
    if ! debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$STATE_DIR/debootstrap.log" 2>&1; then
        tail -n 20 "$STATE_DIR/debootstrap.log" >&2
        unavailable "debootstrap $SUITE from $MIRROR failed (no network to the Debian archive?), log: $STATE_DIR/debootstrap.log"
    fi
    rm -f "$rootfs/etc/apt/sources.list"
    printf '%s' "$SOURCES" >"$rootfs/etc/apt/sources.list.d/debian.sources"
    printf '%s\n' "$DOCKER_CLEAN" >"$rootfs/etc/apt/apt.conf.d/docker-clean"
    echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/var/log/* "$rootfs"/tmp/* 2>/dev/null || true
    mkdir -p "$WORK/debian"
    tar --numeric-owner -C "$rootfs" -cf "$WORK/debian/rootfs.tar" .
    rm -rf "$rootfs"
    cat >"$WORK/debian/Dockerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
CMD ["bash"]
EOF
    build_image "$WORK/debian" "$BASE_RECIPE" "${DEBIAN_TAGS[@]}"
fi
BASE_ID=$(image_id "${DEBIAN_TAGS[0]}")

# --- 3b. python:3.12-slim stand-in ----------------------------------------------
mkdir -p "$WORK/slim/extra-ca"
ncerts=0
if [[ -n $EXTRA_CA ]]; then
    IFS=: read -r -a ca_items <<<"$EXTRA_CA"
    for item in "${ca_items[@]}"; do
        [[ -n $item ]] || continue
        if [[ -d $item ]]; then
            while IFS= read -r -d '' crt; do
                cp "$crt" "$WORK/slim/extra-ca/extra-$ncerts-$(basename "$crt")"
                ncerts=$((ncerts + 1))
            done < <(find "$item" -type f -name '*.crt' -print0 | sort -z)
        elif [[ -f $item ]]; then
            cp "$item" "$WORK/slim/extra-ca/extra-$ncerts-$(basename "$item" .crt).crt"
            ncerts=$((ncerts + 1))
        else
            log "warning: extra CA certificate path $item does not exist, ignored"
        fi
    done
fi
log "stand-ins trust $ncerts extra CA certificate(s) from '${EXTRA_CA:-<none>}'"
cat >"$WORK/slim/Dockerfile" <<'EOF'
# The official slim image ships the Python headers (Python is built from
# source there) but not libc6-dev: copy only the headers from a throwaway stage.
FROM docker.io/library/debian:bookworm-slim AS headers
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends libpython3.11-dev; \
    mkdir /out; cp -a --parents /usr/include/python3.11 /usr/include/*-linux-gnu/python3.11 /out/

FROM docker.io/library/debian:bookworm-slim
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
COPY extra-ca/ /usr/local/share/ca-certificates/
# Behave like the official images where the fixtures can tell:
# - `python` is python3; pip works system-wide as root (no PEP 668 marker);
# - `pip install --prefix=/install` writes /install/lib/python3.X/site-packages
#   (Debian's pip would use its posix_local scheme, /install/local/lib/.../
#   dist-packages), and /usr/local/lib/python3.X/site-packages is on sys.path,
#   so the seed-002 pattern `COPY --from=builder /install /usr/local` works.
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates netbase tzdata python3 python3-venv python3-pip; \
    update-ca-certificates; \
    ln -s /usr/bin/python3 /usr/local/bin/python; \
    rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED; \
    pyver=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
    echo "/usr/local/lib/python$pyver/site-packages" > /usr/lib/python3/dist-packages/zz-usr-local-site-packages.pth; \
    f=/usr/lib/python3/dist-packages/pip/_internal/locations/_sysconfig.py; \
    sed -i 's/if prefix is not None and scheme_name == "osx_framework_library":/if prefix is not None and scheme_name in ("osx_framework_library", "posix_local"):/' "$f"; \
    grep -q '"posix_local"):' "$f"; \
    rm -rf /var/lib/apt/lists/* /root/.cache /tmp/p
COPY --from=headers /out/ /
CMD ["python3"]
EOF
stand_in python:3.12-slim "$WORK/slim" "$BASE_ID" "${SLIM_TAGS[@]}"
SLIM_ID=$(image_id "${SLIM_TAGS[0]}")

# --- 3c. python:3.12 (full, buildpack-deps-like) stand-in -----------------------
mkdir -p "$WORK/full"
cat >"$WORK/full/Dockerfile" <<'EOF'
FROM docker.io/library/python:3.12-slim-bookworm
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends build-essential python3-dev pkg-config git curl wget \
        libpq-dev libxml2-dev libxslt1-dev libffi-dev libssl-dev zlib1g-dev libjpeg-dev libsqlite3-dev; \
    rm -rf /var/lib/apt/lists/*
EOF
stand_in python:3.12 "$WORK/full" "$SLIM_ID" "${FULL_TAGS[@]}"

# --- 3d. a third-party base the package data does not know ------------------------
# An organisation's own Python base built on the slim stand-in: one small
# layer of its own, so it is an image of its own and not only another name.
mkdir -p "$WORK/platform"
cat >"$WORK/platform/Dockerfile" <<'EOF'
FROM docker.io/library/python:3.12-slim-bookworm
LABEL org.example.platform=python
RUN printf 'platform-python 3.12 (e2e stand-in)\n' > /etc/platform-release
EOF
stand_in registry.example.com/platform/python:3.12 "$WORK/platform" "$SLIM_ID" "${PLATFORM_TAGS[@]}"

# --- 3e. node:18 stand-ins (Debian's nodejs 18) -----------------------------------
# Like the official images: node, npm, corepack (not enabled) and yarn 1 on
# PATH, CMD node. Corepack comes from the npm registry (Debian's nodejs does
# not ship it); its package also links pnpm/yarn shims, which the official
# images don't have until `corepack enable`: they are removed. The stand-ins
# trust the extra CA certificates through Node's own variable as well, and
# COREPACK_INTEGRITY_KEYS=0 because the registry reachable here serves
# metadata without the signatures corepack checks (the official images need
# neither setting).
mkdir -p "$WORK/node-slim"
cp -a "$WORK/slim/extra-ca" "$WORK/node-slim/extra-ca"
cat >"$WORK/node-slim/Dockerfile" <<'EOF'
FROM docker.io/library/debian:bookworm-slim
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt COREPACK_INTEGRITY_KEYS=0
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates nodejs npm; \
    update-ca-certificates; \
    npm install -g --no-audit --no-fund corepack@0.29.4; \
    rm -f /usr/local/bin/pnpm /usr/local/bin/pnpx /usr/local/bin/yarn /usr/local/bin/yarnpkg; \
    npm install -g --no-audit --no-fund yarn@1.22.22; \
    corepack --version; yarn --version; \
    rm -rf /var/lib/apt/lists/* /root/.npm /tmp/*
CMD ["node"]
EOF
stand_in node:18-bookworm-slim "$WORK/node-slim" "$BASE_ID" "${NODE_SLIM_TAGS[@]}"
NODE_SLIM_ID=$(image_id "${NODE_SLIM_TAGS[0]}")

mkdir -p "$WORK/node-full"
cat >"$WORK/node-full/Dockerfile" <<'EOF'
FROM docker.io/library/node:18-bookworm-slim
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends build-essential python3 git curl wget; \
    rm -rf /var/lib/apt/lists/*
EOF
stand_in node:18-bookworm "$WORK/node-full" "$NODE_SLIM_ID" "${NODE_FULL_TAGS[@]}"

# --- 3f. golang:1.19 stand-in (Debian's golang-go) ----------------------------------
mkdir -p "$WORK/golang"
cp -a "$WORK/slim/extra-ca" "$WORK/golang/extra-ca"
cat >"$WORK/golang/Dockerfile" <<'EOF'
FROM docker.io/library/debian:bookworm-slim
ENV PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin GOPATH=/go \
    GOTOOLCHAIN=local
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates tzdata netbase golang-go build-essential git; \
    update-ca-certificates; \
    mkdir -p /go/src /go/bin; chmod -R 1777 /go; \
    go version; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /go
CMD ["bash"]
EOF
stand_in golang:1.19 "$WORK/golang" "$BASE_ID" "${GOLANG_TAGS[@]}"

# --- 3g. gcr.io/distroless/static-debian12 stand-in ----------------------------------
# What the real image holds that a static binary needs: CA certificates,
# zoneinfo, /etc/passwd and /etc/group with root, nobody and nonroot (65532),
# a world-writable /tmp; no shell, no package manager.
mkdir -p "$WORK/distroless"
cat >"$WORK/distroless/Dockerfile" <<'EOF'
FROM docker.io/library/debian:bookworm-slim AS files
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates tzdata netbase; \
    mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot /out/root; \
    cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/; \
    cp -a /usr/share/zoneinfo /out/usr/share/; \
    cp /etc/services /etc/protocols /out/etc/; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > /out/etc/group; \
    chmod 1777 /out/tmp; chown 65532:65532 /out/home/nonroot; chmod 700 /out/root

FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
EOF
stand_in gcr.io/distroless/static-debian12 "$WORK/distroless" "$BASE_ID" "${DISTROLESS_TAGS[@]}"

log "ready in $((SECONDS - START)) s; use it with: . $STATE_DIR/env.sh"
buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' 2>/dev/null \
    | grep -E 'docker.io/library/(debian|python|node|golang)|registry.example.com/|gcr.io/distroless' | sed 's/^/e2e-setup:   /' >&2 || true

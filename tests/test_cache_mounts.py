"""cache-mounts (opt-in): BuildKit cache mounts for package manager caches in
build stages (issue 11 item 3)."""

from __future__ import annotations

import textwrap

from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import Status
from transforms.cache_mounts import cache_targets


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def only(text: str):
    """cache-mounts alone (the file's only stage is its image)."""
    return migrate_text(src(text), Options(select=frozenset({"cache-mounts"})))


def full(text: str):
    """The default transforms plus cache-mounts."""
    return migrate_text(src(text), Options(extend_select=frozenset({"cache-mounts"})))


def refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "cache-mounts"]


PIP = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["python", "app.py"]
"""


def test_off_by_default():
    result = migrate_text(src(PIP))
    assert "cache-mounts" not in {c.transform for c in result.changes}
    assert "--mount" not in result.output


def test_pip_gets_its_cache_mount_and_loses_no_cache_dir():
    result = only(PIP)
    assert result.output == src(PIP).replace(
        "RUN pip install --no-cache-dir -r requirements.txt",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt")
    assert result.changes[0].reason.startswith("line 4: pip keeps its cache in a BuildKit cache mount")
    # idempotent: the mount is recognised
    assert migrate_text(result.output, Options(select=frozenset({"cache-mounts"}))).status is Status.UNCHANGED


APT = """
    FROM python:3.12-slim-bookworm
    WORKDIR /app
    RUN apt-get update \\
        && apt-get install -y --no-install-recommends gcc libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    CMD ["gunicorn", "app:app"]
"""


def test_apt_in_the_builder_keeps_its_lists_and_the_runtime_stage_is_untouched():
    result = full(APT)
    builder, runtime = result.output.split("\nFROM ", 1)
    assert ("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n"
            "    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n"
            "    rm -f /etc/apt/apt.conf.d/docker-clean \\\n"
            "    && apt-get update \\\n"
            "    && apt-get install -y --no-install-recommends gcc libpq-dev\n") in builder
    assert "--mount" not in runtime and "rm -rf /var/lib/apt/lists/*" in runtime
    assert "docker-clean" not in runtime
    parse(result.output)
    again = migrate_text(result.output, Options(extend_select=frozenset({"cache-mounts"})))
    assert again.output == result.output


def test_apt_of_a_single_stage_file_is_left_with_a_note():
    result = only(APT)
    assert "apt-get update \\\n    && apt-get install" in result.output
    assert "/var/cache/apt" not in result.output
    assert any(n.startswith("cache-mounts: line 3: apt keeps cleaning its lists") for n in result.notes)


def test_a_non_root_user_without_home_is_refused_naming_the_line():
    result = only("""
        FROM python:3.11-slim
        RUN useradd --create-home bot
        USER bot
        WORKDIR /home/bot
        RUN pip install --user -r requirements.txt
        CMD ["python", "bot.py"]
    """)
    assert result.status is Status.REFUSED
    assert refusals(result)[0].startswith("line 5: no cache mount: the RUN runs as USER bot")


def test_a_numeric_user_with_home_gets_the_cache_in_its_home_owned_by_it():
    result = only("""
        FROM node:20-slim
        ENV HOME=/home/node
        WORKDIR /home/node/app
        USER 1000:1000
        RUN npm ci
        CMD ["node", "index.js"]
    """)
    assert "RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 npm ci\n" in result.output


def test_cache_cleaning_commands_go_and_an_rm_of_a_mount_folder_is_refused():
    result = only("""
        FROM node:20
        WORKDIR /app
        RUN npm ci && npm cache clean --force
        CMD ["node", "index.js"]
    """)
    assert "RUN --mount=type=cache,target=/root/.npm npm ci\n" in result.output
    result = only("""
        FROM python:3.12-slim
        RUN pip install flask && rm -rf /root/.cache /tmp/build
        CMD ["flask", "run"]
    """)
    assert result.status is Status.REFUSED
    assert "`rm /root/.cache` would remove a cache mount's folder" in refusals(result)[0]


def test_poetry_mounts_its_caches_not_its_virtualenvs_and_drops_the_rm_of_its_cache_dir():
    result = only("""
        FROM python:3.11-slim
        ENV POETRY_CACHE_DIR=/tmp/poetry_cache
        RUN poetry install --no-root && rm -rf $POETRY_CACHE_DIR
        CMD ["python", "-m", "x"]
    """)
    assert ("RUN --mount=type=cache,target=/tmp/poetry_cache/cache \\\n"
            "    --mount=type=cache,target=/tmp/poetry_cache/artifacts \\\n"
            "    poetry install --no-root\n") in result.output


def test_uv_is_told_to_copy_and_loses_no_cache():
    result = only("""
        FROM python:3.12-slim
        WORKDIR /app
        RUN uv sync --frozen --no-cache
        CMD ["python", "-m", "x"]
    """)
    assert "RUN --mount=type=cache,target=/root/.cache/uv UV_LINK_MODE=copy uv sync --frozen\n" in result.output


def test_pip_cache_turned_off_by_env_gets_no_mount():
    result = only("""
        FROM python:3.12-slim
        ENV PIP_NO_CACHE_DIR=1
        RUN pip install flask
        CMD ["flask", "run"]
    """)
    assert "--mount" not in result.output
    assert any("PIP_NO_CACHE_DIR" in n for n in result.notes)


def test_go_module_cache_is_not_mounted_when_the_image_runs_go():
    result = only("""
        FROM golang:1.22
        WORKDIR /src
        COPY . .
        RUN go build ./...
        CMD ["go", "run", "."]
    """)
    assert "--mount=type=cache,target=/root/.cache/go-build go build ./...\n" in result.output
    assert "/go/pkg/mod" not in result.output
    assert "the image runs `go` (line 5)" in refusals(result)[0]


def test_cache_folders_follow_the_tools_environment_variables():
    assert cache_targets("pip", {"PIP_CACHE_DIR": "/c/pip"}, "/root", None) == [("/c/pip", "")]
    assert cache_targets("uv", {"XDG_CACHE_HOME": "/x"}, "/root", None) == [("/x/uv", "")]
    assert cache_targets("go-mod", {}, "/root", "go") == [("/go/pkg/mod", "")]
    assert cache_targets("go-mod", {}, "/root", None) == [("/root/go/pkg/mod", "")]
    assert cache_targets("yarn", {}, "/root", None) == [("/usr/local/share/.cache/yarn", "")]
    assert cache_targets("pnpm", {"PNPM_HOME": "/pnpm"}, "/root", None) == [("/pnpm/store", "")]
    assert cache_targets("apt", {}, "/root", None)[1] == ("/var/lib/apt", ",sharing=locked")


def test_a_heredoc_script_gets_the_hook_removal_as_a_line_and_loses_its_list_cleanup():
    result = full("""
        FROM python:3.12-slim
        RUN <<EOT
        set -eux
        apt-get update
        apt-get install -y --no-install-recommends gcc libpq-dev
        rm -rf /var/lib/apt/lists/*
        EOT
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        CMD ["gunicorn", "app:app"]
    """)
    builder = result.output.split("\nFROM ", 1)[0]
    assert ("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked "
            "--mount=type=cache,target=/var/lib/apt,sharing=locked <<EOT\n"
            "rm -f /etc/apt/apt.conf.d/docker-clean\nset -eux\napt-get update\n"
            "apt-get install -y --no-install-recommends gcc libpq-dev\nEOT\n") in builder
    parse(result.output)

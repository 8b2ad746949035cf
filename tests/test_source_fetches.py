"""Review 4 nits on real files: a source fetch (git clone, a downloaded tarball)
runs once, in the builder, and the runtime stage copies what it wrote; pnpm's
hard-linked store is no gain; a lock file the install reads from the build
context is not copied from the builder, nor scanned for libraries."""

from __future__ import annotations

import textwrap

import pytest

from migrator.analysis.commands import Kind, download_output, read_command, tar_extraction
from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.libraries.record import scanned_folders
from migrator.model.results import Status
from migrator.model.shell import parse_script
from migrator.options import Options


def migrate(src: str, **kw):
    return migrate_text(textwrap.dedent(src).lstrip(), Options(**kw))


def stages(text: str) -> list[str]:
    """The text of each stage, FROM line first."""
    out: list[str] = []
    for line in text.splitlines():
        if line.upper().startswith("FROM "):
            out.append("")
        if out:
            out[-1] += line + "\n"
    return out


def commands(text: str, cwd: str = "/app"):
    return [c for seg in parse_script(text, {}, cwd).segments for c in seg.commands]


def change(r, transform: str):
    return next(c for c in r.changes if c.transform == transform)


# --- what a fetch writes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, output", [
    ("git clone https://github.com/a/flask-mysql-rest.git .", "/app"),
    ("git clone --depth 1 -b main https://x.org/y/reports.git /srv/reports", "/srv/reports"),
    ("git clone https://x.org/y/reports.git", "/app/reports"),          # git-clone(1): the "humanish" part
    ("git clone git@host.xz:foo/.git", "/app/foo"),
    ("git clone --bare https://x.org/y/repo.git", "/app/repo.git"),
    ("git -C /src clone https://x.org/y/tool.git vendor/tool", "/src/vendor/tool"),
    ("git -C /app/vendor checkout v1.2", "/app/vendor"),
])
def test_git_clone_and_work_on_the_clone_are_build_steps_writing_one_folder(text, output):
    op = read_command(commands(text)[-1])
    assert op.kind is Kind.BUILD and op.manager == "git" and op.output == output


def test_other_git_commands_stay_setup_steps():
    assert read_command(commands("git config --global user.name ci")[0]).kind is Kind.SETUP
    # a clone into the shell's home folder (~ is the shell's, not a path the tool can place) is replayed as written
    assert read_command(commands("git clone https://x.org/ohmyzsh.git ~/.oh-my-zsh")[0]).kind is Kind.SETUP
    assert tar_extraction(commands("tar -xzf /tmp/t.tgz -C ~/tools")[0]) is None


def test_tar_and_download_outputs():
    pipe = commands("curl -fsSL https://x.org/app-1.0.tar.gz | tar xz -C src --strip-components=1")
    assert download_output(pipe[0]) == "-" and tar_extraction(pipe[1]) == ("/app/src", "-")
    wget = commands("wget -qO- https://x.org/a.tgz | tar -xzf -")
    assert download_output(wget[0]) == "-" and tar_extraction(wget[1]) == ("/app", "-")
    files = commands("curl -fsSLo /tmp/s.tar.gz https://x.org/s.tar.gz && tar xzf /tmp/s.tar.gz -C /app/s")
    assert download_output(files[0]) == "/tmp/s.tar.gz" and tar_extraction(files[1]) == ("/app/s", "/tmp/s.tar.gz")
    assert download_output(commands("wget -P /dl https://x.org/a/b.zip?x=1")[0]) == "/dl/b.zip"
    assert tar_extraction(commands("tar -czf out.tgz .")[0]) is None     # creates, does not extract


# --- git clone: the runtime stage copies the clone -----------------------------------------------------------------

CLONE_FULL = """
    FROM python:3.12.2
    WORKDIR /app
    RUN git clone https://github.com/example/flask-mysql-rest.git .
    RUN pip install --no-cache-dir -r requirements.txt
    ENV FLASK_APP=app.py
    CMD ["sh", "-c", "flask run --host=0.0.0.0"]
"""


def test_a_clone_into_the_workdir_is_copied_not_fetched_again():
    r = migrate(CLONE_FULL)
    builder, runtime = stages(r.output)
    assert "git clone" in builder and "git clone" not in runtime
    assert runtime.startswith("FROM python:3.12.2-slim AS runtime")
    assert "--from=builder /app /app" in runtime and "--from=builder /opt/venv /opt/venv" in runtime
    assert "apt-get install" not in runtime.split("runtime-packages", 1)[0]    # no git installed for a replay
    reason = change(r, "split-stages").reason
    assert "line 3's `git clone` into /app runs only in the builder" in reason
    assert "a clone with its .git, as in the original image" in reason   # the whole folder, .git included


CLONE_SLIM = """
    FROM python:3.12-slim-bookworm
    RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \\
        && rm -rf /var/lib/apt/lists/*
    RUN git clone --depth 1 --branch v1.4 https://github.com/example/service.git /src \\
        && cd /src && git submodule update --init
    WORKDIR /src
    RUN pip install --no-cache-dir -r requirements.txt
    CMD ["python", "-m", "service"]
"""


def test_git_installed_only_for_the_clone_leaves_the_runtime_stage():
    r = migrate(CLONE_SLIM)
    assert r.status is Status.MIGRATED
    builder, runtime = stages(r.output)
    assert "git submodule update --init" in builder
    assert "git" not in runtime.replace("--from=builder", "")    # no install, no clone, no submodule update
    assert "COPY --chown=10001:10001 --from=builder /src /src" in runtime
    assert "git stay in the builder stage" in change(r, "build-deps").reason
    assert any("git leaves the runtime stage" in n and "line 4" in n for n in r.notes)


@pytest.mark.parametrize("start", [
    'CMD ["sh", "-c", "git pull --ff-only && python -m service"]',
    'HEALTHCHECK CMD git -C /src status || exit 1\n    CMD ["python", "-m", "service"]',
])
def test_git_stays_when_what_runs_at_start_calls_it(start):
    r = migrate(CLONE_SLIM.replace('CMD ["python", "-m", "service"]', start))
    runtime = stages(r.output)[-1]
    assert "install -y --no-install-recommends git" in runtime
    # only git would have left: no split, and no clone replayed either
    assert r.output.count("git clone") == 1


def test_a_start_script_that_calls_git_keeps_it(tmp_path):
    src = CLONE_SLIM.replace('CMD ["python", "-m", "service"]', 'COPY start.sh /start.sh\n    CMD ["/start.sh"]')
    src = src.replace("ca-certificates", "ca-certificates gcc libc6-dev")
    (tmp_path / "start.sh").write_text("#!/bin/sh\ncd /src && git fetch --tags\nexec python -m service\n")
    r = migrate(src, context=BuildContext.at(tmp_path))
    builder, runtime = stages(r.output)
    assert "gcc" not in runtime and "git clone" not in runtime          # the split happens for gcc...
    assert "install -y --no-install-recommends git" in runtime          # ...and git stays for start.sh
    (tmp_path / "start.sh").write_text("#!/bin/sh\nexec python -m service\n")
    r = migrate(src, context=BuildContext.at(tmp_path))
    assert "install -y --no-install-recommends git" not in stages(r.output)[-1]


# --- downloads of sources ------------------------------------------------------------------------------------------

DOWNLOAD = """
    FROM python:3.12-slim-bookworm
    RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\
        && rm -rf /var/lib/apt/lists/*
    WORKDIR /app
    RUN curl -fsSL https://example.com/releases/app-2.1.tar.gz | tar -xz --strip-components=1
    RUN curl -fsSLo /tmp/plugins.tar.gz https://example.com/releases/plugins-2.1.tar.gz \\
        && mkdir -p plugins && tar -xzf /tmp/plugins.tar.gz -C plugins && rm /tmp/plugins.tar.gz
    RUN pip install --no-cache-dir -r requirements.txt
    CMD ["python", "-m", "app"]
"""


def test_a_downloaded_tarball_of_the_sources_is_copied_once():
    r = migrate(DOWNLOAD)
    builder, runtime = stages(r.output)
    assert "example.com" not in runtime and "curl" not in runtime and "rm /tmp" not in runtime
    assert runtime.count("--from=builder /app") == 1          # /app/plugins comes with /app
    assert "line 5's download (`curl` and `tar`) into /app" in change(r, "split-stages").reason


def test_a_tool_unpacked_into_a_system_folder_is_replayed():
    src = DOWNLOAD.replace("tar -xz --strip-components=1", "tar -xz -C /usr/local/bin migrate").replace(
        "curl ca-certificates", "curl ca-certificates gcc")
    runtime = stages(migrate(src).output)[-1]
    assert "tar -xz -C /usr/local/bin migrate" in runtime and "install -y --no-install-recommends curl" in runtime


# --- pnpm's store --------------------------------------------------------------------------------------------------

PNPM_PINNED = """
    FROM node:20.10.0@sha256:445acd9b2ef7e9de665424053bf95652e0b8995ef36500557d48faf29300170a
    WORKDIR /app
    COPY . /app/
    RUN pnpm install && pnpm run build
    CMD node dist/app.js
"""


def test_pnpm_store_on_a_pinned_full_image_is_no_reason_to_split():
    r = migrate(PNPM_PINNED)
    assert len(stages(r.output)) == 1
    note = next(n for n in r.notes if n.startswith("split-stages: no split: nothing would leave"))
    assert "pins node:20.10.0 by digest" in note
    assert "pnpm's store (/root/.local/share/pnpm/store, line 4)" in note and "hard links of node_modules/.pnpm" in note


def test_the_store_follows_pnpm_home_and_a_cache_mount_keeps_it_out():
    note = next(n for n in migrate(PNPM_PINNED.replace("WORKDIR /app", "ENV PNPM_HOME=/pnpm\n    WORKDIR /app")).notes
                if "no split" in n)
    assert "pnpm's store (/pnpm/store, line 5)" in note
    mounted = PNPM_PINNED.replace("RUN pnpm", "RUN --mount=type=cache,target=/root/.local/share/pnpm/store pnpm")
    assert not any("pnpm's store" in n for n in migrate(mounted).notes)


def test_the_split_still_happens_when_something_else_leaves():
    unsafe = migrate(PNPM_PINNED, unsafe=True)
    assert stages(unsafe.output)[-1].startswith("FROM node:20.10.0-slim AS runtime")
    compilers = migrate("""
        FROM node:20-bookworm-slim
        RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \\
            && rm -rf /var/lib/apt/lists/*
        RUN npm install -g pnpm@8
        WORKDIR /app
        COPY . .
        RUN pnpm install --frozen-lockfile && pnpm run build
        CMD ["node", "dist/server.js"]
    """)
    runtime = stages(compilers.output)[-1]
    assert "g++" not in runtime and "--from=builder /app /app" in runtime
    assert not any("pnpm's store" in n for n in compilers.notes)


# --- lock files read from the build context ------------------------------------------------------------------------

PIPENV_BASE = """
    FROM python:3.8
    WORKDIR /app
    COPY . /app
    RUN pip install pipenv
    RUN pipenv install --system --deploy
"""


@pytest.mark.parametrize("src, lock", [
    (PIPENV_BASE, "Pipfile.lock"),
    (PIPENV_BASE.replace("--deploy", "--ignore-pipfile"), "Pipfile.lock"),
    ("""
    FROM python:3.12-alpine
    RUN apk add build-base libffi-dev
    RUN pip install uv
    WORKDIR /app
    COPY . .
    RUN uv sync --frozen
    """, "uv.lock"),
])
def test_a_lock_read_from_the_context_is_not_copied_from_the_builder(src, lock):
    r = migrate(src)
    builder, runtime = stages(r.output)
    assert lock not in runtime and lock not in builder        # not copied, not scanned by the record step
    assert "lock files the build leaves" not in change(r, "split-stages").reason


def test_a_lock_the_install_writes_is_copied_and_not_scanned():
    r = migrate("""
        FROM python:3.12-bookworm
        RUN pip install uv
        WORKDIR /app
        COPY pyproject.toml ./
        RUN uv sync
    """)
    builder, runtime = stages(r.output)
    assert "COPY --from=builder /app/uv.lock /app/uv.lock" in runtime
    assert "RUN find /app/.venv -type f" in builder and "uv.lock" not in builder


def test_a_lock_in_the_build_context_comes_with_the_context_copy(tmp_path):
    src = """
        FROM python:3.12-bookworm
        RUN pip install poetry==1.8.3
        WORKDIR /app
        COPY . .
        RUN poetry install --no-root
    """
    (tmp_path / "pyproject.toml").write_text('[tool.poetry]\nname = "demo"\nversion = "0.1.0"\n')
    written = migrate(src, ignore=frozenset({"layer-order"}), context=BuildContext.at(tmp_path))
    assert "COPY --from=builder /app/poetry.lock" in written.output     # poetry install writes it
    (tmp_path / "poetry.lock").write_text("package = []\n")
    read = migrate(src, ignore=frozenset({"layer-order"}), context=BuildContext.at(tmp_path))
    assert "poetry.lock" not in read.output                               # it comes with COPY . .


def test_record_step_scans_no_lock_file():
    assert scanned_folders(["/opt/venv", "/app/Pipfile.lock", "/app/poetry.lock", "/usr/local/bin/app",
                            "/opt/venv"]) == ["/opt/venv", "/usr/local/bin/app"]

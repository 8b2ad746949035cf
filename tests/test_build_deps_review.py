"""build-deps as a reviewer reads it (issue 8 items 1-3, 5, 6; issue 12 item 7):
full images move to -slim with the runtime libraries resolved from the build,
bases without package data drop build-only packages by name, nothing the base
image already has is installed again, and the size estimate counts only what
really leaves the runtime image."""

from __future__ import annotations

import textwrap

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import Status
from transforms.build_deps import BuildDeps


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


def build_deps(r):
    return [c for c in r.changes if c.transform == "build-deps"]


FULL = """
    FROM python:3.12
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]
"""
# The same app with pipenv installed first, outside the virtualenv (a builder-only
# tool heavier than the virtualenv's pip), and pip's cache left in the image:
# the split pays even where the full image must stay (gain.split_pays), so what
# build-deps does with the runtime stage of a full image can be seen. (pip's
# cache alone would not pay for the new virtualenv's pip: review 5 E3.)
CACHED = FULL.replace("pip install --no-cache-dir -r", "pip install --no-cache-dir pipenv && pip install -r")


def test_full_python_image_moves_to_slim_by_default_with_libraries_from_the_build():
    r = migrate(FULL)
    assert r.status is Status.MIGRATED
    builder, runtime = stages(r.output)
    assert builder.startswith("FROM python:3.12 AS builder")
    assert runtime.startswith("FROM python:3.12-slim AS runtime")
    # the builder records what the venv links, the runtime installs exactly that list
    assert "dpkg-query --search" in builder and "> /opt/venv/.runtime-packages" in builder
    copy = runtime.index("COPY --from=builder /opt/venv /opt/venv")
    install = runtime.index("xargs -r apt-get install -y --no-install-recommends < /opt/venv/.runtime-packages")
    assert copy < install
    assert "rm -rf /var/lib/apt/lists/*" in runtime[install:]
    move = next(c for c in build_deps(r) if "python:3.12-slim" in c.reason)
    assert c_is_safe(move) and "resolved from" in move.reason
    assert move.bytes_saved > 100e6       # the buildpack-deps compilers and -dev packages leave


def c_is_safe(change) -> bool:
    return change.applicability.value == "safe"


def test_full_image_stays_when_the_command_runs_a_program_only_it_has():
    r = migrate(CACHED.replace('CMD ["gunicorn"', 'CMD ["sh", "-c", "git pull && gunicorn"'))
    assert "FROM python:3.12 AS runtime" in r.output
    why = next(x for x in r.refusals if x.unsafe_only and "slim" in x.reason)
    assert "runs git, which only the full image has" in why.reason and "line 6" in why.reason
    unsafe = migrate(CACHED.replace('CMD ["gunicorn"', 'CMD ["sh", "-c", "git pull && gunicorn"'), unsafe=True)
    assert "FROM python:3.12-slim AS runtime" in unsafe.output


def test_a_runtime_install_of_the_program_keeps_the_move_safe():
    src = FULL.replace("WORKDIR /app", "WORKDIR /app\nRUN apt-get update && apt-get install -y git "
                                       "&& rm -rf /var/lib/apt/lists/*")
    r = migrate(src.replace('CMD ["gunicorn"', 'CMD ["sh", "-c", "git pull && gunicorn"'))
    runtime = stages(r.output)[1]
    assert runtime.startswith("FROM python:3.12-slim AS runtime") and "apt-get install -y git" in runtime


def test_entrypoint_script_is_read_from_the_build_context(tmp_path):
    src = CACHED.replace('CMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]',
                       'ENTRYPOINT ["./docker-entrypoint.sh"]')
    (tmp_path / "docker-entrypoint.sh").write_text("#!/bin/sh\nset -e\npython manage.py migrate\n"
                                                   "curl -fsS http://db:5432 || true\nexec gunicorn app:app\n")
    r = migrate(src, context=BuildContext.at(tmp_path))
    assert "FROM python:3.12 AS runtime" in r.output
    why = next(x for x in r.refusals if x.unsafe_only and "slim" in x.reason)
    assert "docker-entrypoint.sh, which calls curl (./docker-entrypoint.sh:4)" in why.reason
    (tmp_path / "docker-entrypoint.sh").write_text("#!/bin/sh\nexec gunicorn app:app\n")
    assert "FROM python:3.12-slim AS runtime" in migrate(src, context=BuildContext.at(tmp_path)).output
    # without the build context the script can't be read: not moved by default
    blind = migrate(src)
    assert "FROM python:3.12 AS runtime" in blind.output
    assert any("can't read" in x.reason for x in blind.refusals)


UBUNTU = """
    FROM ubuntu:22.04
    RUN apt-get update && apt-get install -y python3 python3-pip python3-dev gcc libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    WORKDIR /app
    COPY requirements.txt .
    RUN pip3 install -r requirements.txt
    COPY . .
    CMD ["python3", "app.py"]
"""


def test_ubuntu_drops_build_packages_by_name_and_resolves_libraries_from_the_build():
    r = migrate(UBUNTU)
    builder, runtime = stages(r.output)
    assert "FROM ubuntu:22.04 AS runtime" in runtime
    for pkg in ("gcc", "libpq-dev", "python3-dev"):
        assert pkg not in runtime.split("RUN apt-get update", 1)[1].split("\n")[1]
    assert "python3 " in runtime                       # the interpreter stays
    assert "< /opt/venv/.runtime-packages" in runtime and "dpkg-query" in builder
    change = build_deps(r)[0]
    assert "recognised by name: no package data for ubuntu:22.04" in change.reason
    assert change.bytes_saved == 0                     # no sizes without package data
    assert not any(x.transform == "build-deps" for x in r.refusals)


def test_buster_and_old_alpine_take_the_same_path():
    buster = migrate("""
        FROM python:3.8-slim-buster
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install psycopg2
        CMD ["python"]
    """)
    runtime = stages(buster.output)[1]
    assert "gcc" not in runtime and "< /opt/venv/.runtime-packages" in runtime
    alpine = migrate("""
        FROM python:3.9-alpine3.12
        RUN apk add --no-cache gcc musl-dev openssl-dev
        RUN pip install cryptography
        CMD ["python"]
    """)
    builder, runtime = stages(alpine.output)
    assert "apk info --who-owns" in builder
    assert "RUN xargs -r apk add --no-cache < /opt/venv/.runtime-packages" in runtime
    assert "gcc" not in runtime and "libssl3" not in runtime
    assert "Alpine 3.18 and later" in build_deps(alpine)[0].reason


def test_python3_pip_from_apt_stays_out_of_a_python_image_runtime():
    r = migrate("""
        FROM python:3.11-slim-bookworm
        RUN apt-get update && apt-get install -y --no-install-recommends gcc python3-pip libpq-dev \\
            && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir psycopg2
        CMD ["python"]
    """)
    runtime = stages(r.output)[1]
    assert "python3-pip" not in runtime and "libpq5" in runtime


def test_nothing_the_runtime_base_already_has_is_installed_again():
    node = migrate("""
        FROM node:20-alpine
        WORKDIR /app
        RUN apk add --no-cache libstdc++ python3 make g++
        COPY package*.json ./
        RUN npm ci
        COPY . .
        CMD ["node", "index.js"]
    """)
    runtime = stages(node.output)[-1]
    assert "libstdc++" not in runtime and "g++" not in runtime
    assert "already has libstdc++" in build_deps(node)[0].reason
    full = migrate(CACHED.replace("WORKDIR /app", "WORKDIR /app\nRUN apt-get update && apt-get install -y libpq5 "
                                "&& rm -rf /var/lib/apt/lists/*")
                   .replace('CMD ["gunicorn"', 'CMD ["sh", "-c", "git pull && gunicorn"'))
    runtime = stages(full.output)[1]
    assert runtime.startswith("FROM python:3.12 AS runtime") and "libpq5" not in runtime


TWO_STAGES = """\
FROM python:3.12-slim-bookworm AS builder
RUN python -m venv /opt/venv && /opt/venv/bin/pip install psycopg2

FROM python:3.12-slim-bookworm AS runtime
COPY --from=builder /opt/venv /opt/venv
RUN apt-get update && apt-get install -y gcc libpq-dev libpq5 {purge}&& rm -rf /var/lib/apt/lists/*
CMD ["python"]
"""


def test_packages_the_original_removes_in_the_same_run_save_nothing():
    kept = BuildDeps().run(parse(TWO_STAGES.format(purge="")), Options())
    purged = BuildDeps().run(parse(TWO_STAGES.format(purge="&& apt-get purge -y gcc libpq-dev ")), Options())
    assert kept.fixes[0].bytes_saved > 50e6                # gcc's closure really leaves
    assert purged.fixes and purged.fixes[0].bytes_saved == 0
    assert "about" not in purged.fixes[0].reason          # no size claimed


def test_build_packages_the_full_base_carries_save_nothing_without_the_move():
    text = TWO_STAGES.format(purge="").replace("python:3.12-slim-bookworm", "python:3.12-bookworm")
    text = text.replace('CMD ["python"]', 'CMD ["sh", "-c", "git pull; python"]')
    got = BuildDeps().run(parse(text), Options())
    rewrite = next(f for f in got.fixes if "no longer installs" in f.reason)
    assert rewrite.bytes_saved == 0
    # the reason says so instead of claiming the packages leave (review 3, D12)
    assert "stay in the builder" not in rewrite.reason
    assert "they are part of python:3.12-bookworm itself: they stay in the runtime image" in rewrite.reason


PURGED_SAME_RUN = """\
FROM python:3.12-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN apt-get update && apt-get install -y gcc libpq-dev libpq5 \\
    && pip install -r requirements.txt \\
    && apt-get purge -y --auto-remove gcc libpq-dev && rm -rf /var/lib/apt/lists/*
CMD ["python", "app.py"]
"""

KEPT = """\
FROM python:3.12-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
"""


def test_batch_total_adds_only_real_savings(tmp_path):
    from migrator.batch.runner import run_batch, summarize

    (tmp_path / "purged").mkdir()
    (tmp_path / "kept").mkdir()
    (tmp_path / "purged" / "Dockerfile").write_text(PURGED_SAME_RUN)
    (tmp_path / "kept" / "Dockerfile").write_text(KEPT)
    entries = run_batch(str(tmp_path), ["purged/Dockerfile", "kept/Dockerfile"], Options(), jobs=1,
                        timeout=None)
    by_path = {e.result.path: e.result for e in entries}
    purged = next(r for p, r in by_path.items() if p.startswith("purged"))
    kept = next(r for p, r in by_path.items() if p.startswith("kept"))
    assert purged.status is Status.MIGRATED and purged.bytes_saved == 0
    assert kept.bytes_saved > 50e6
    assert summarize(entries).bytes_saved == kept.bytes_saved


def test_slim_move_blocker_reads_a_single_stage_file_as_the_split_will():
    from migrator.analysis.full_image import slim_move_blocker

    def blocker(src, **kw):
        return slim_move_blocker(parse(textwrap.dedent(src).lstrip()), Options(**kw))

    assert blocker(FULL) is None
    # `make` as a build step stays in the builder: no reason to keep the full image
    assert blocker(FULL.replace("RUN pip install", "RUN make wheels && pip install")) is None
    git = blocker(FULL.replace('CMD ["gunicorn"', 'CMD ["sh", "-c", "git pull && gunicorn"'))
    assert git is not None and "line 6" in git and "git" in git
    assert blocker(FULL.replace("FROM python:3.12", "FROM python:3.12-slim")) is None


def test_the_generated_step_runs_as_the_dockerfile_writes_it(tmp_path):
    """The RUN as BuildKit joins its continuation lines, run by sh on this
    Debian machine against a virtualenv folder holding a compiled module."""
    import shutil
    import subprocess

    import _ssl

    if not shutil.which("dpkg-query") or not _ssl.__file__.endswith(".so"):
        import pytest
        pytest.skip("needs dpkg-query and a compiled _ssl")
    venv = tmp_path / "venv"
    (venv / "lib").mkdir(parents=True)
    shutil.copy(_ssl.__file__, venv / "lib")
    r = migrate(FULL, venv_path=str(venv))
    record = next(ins for ins in parse(r.output).stages[0].instructions
                  if ins.keyword == "RUN" and "dpkg-query" in ins.joined)
    command = record.joined.split(None, 1)[1]
    assert subprocess.run(["sh", "-n", "-c", command]).returncode == 0
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = (venv / ".runtime-packages").read_text().split()
    assert listed and all(subprocess.run(["dpkg-query", "-W", p], capture_output=True).returncode == 0
                          for p in listed)
    runtime = stages(r.output)[1]
    assert f"< {venv}/.runtime-packages" in runtime


def test_packages_a_golang_image_carries_are_kept_when_the_runtime_moves_off_it():
    # golang:1.22-bookworm has curl; debian:bookworm-slim, where --unsafe moves the runtime, does not:
    # the HEALTHCHECK's curl must still be installed there.
    src = """
        FROM golang:1.22-bookworm
        RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
        WORKDIR /src
        COPY . .
        RUN go build -o /app/server .
        HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
        CMD ["/app/server"]
    """
    moved = migrate(src, unsafe=True)
    runtime = stages(moved.output)[-1]
    assert runtime.startswith("FROM debian:bookworm-slim AS runtime")
    assert "install -y curl" in runtime
    assert not any("already has curl" in c.reason for c in build_deps(moved))

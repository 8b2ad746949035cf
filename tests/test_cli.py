"""The command line as users drive it: diff, apply, check, transforms, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from installed import installed_script
from migrator.cli import cli

LEGACY = textwrap.dedent("""\
    FROM python:3.12-slim-bookworm
    WORKDIR /app
    RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["gunicorn", "app:app"]
""")

MULTI = "FROM python:3.12 AS b\nRUN pip wheel -w /w x\nFROM python:3.12-slim\nCOPY --from=b /w /w\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(LEGACY)
    (tmp_path / "Dockerfile.multi").write_text(MULTI)
    return tmp_path


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_diff_prints_a_patch_git_apply_accepts(repo):
    res = invoke("diff", "svc/Dockerfile")
    assert res.exit_code == 0
    assert res.output.startswith("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "p.diff").write_text(res.output)
    subprocess.run(["git", "apply", "p.diff"], cwd=repo, check=True)
    assert "AS runtime" in (repo / "svc" / "Dockerfile").read_text()


def test_diff_explain_gives_transform_and_reason(repo):
    res = invoke("diff", "--explain", "svc/Dockerfile")
    assert res.exit_code == 0
    for tid in ("[venv]", "[split-stages]", "[build-deps]", "[non-root-user]"):
        assert tid in res.output
    assert "libpq5" in res.output


def test_diff_json_per_file(repo):
    res = invoke("diff", "--json", "svc/Dockerfile", "Dockerfile.multi")
    data = json.loads(res.output)
    assert [d["status"] for d in data] == ["migrated", "skipped"]
    change = data[0]["changes"][0]
    assert set(change) >= {"transform", "reason", "lines", "applicability", "bytes_saved"}


def test_diff_reads_stdin():
    res = invoke("diff", "-", input=LEGACY)
    assert res.exit_code == 0 and "+FROM python:3.12-slim-bookworm AS runtime" in res.output


def test_diff_does_not_write(repo):
    invoke("diff", "svc/Dockerfile")
    assert (repo / "svc" / "Dockerfile").read_text() == LEGACY


def test_apply_writes_and_second_apply_is_a_noop(repo):
    os.chmod(repo / "svc" / "Dockerfile", 0o640)
    res = invoke("apply", "svc/Dockerfile")
    assert res.exit_code == 0
    text = (repo / "svc" / "Dockerfile").read_text()
    assert "AS builder" in text and "USER 10001:10001" in text
    assert (os.stat(repo / "svc" / "Dockerfile").st_mode & 0o777) == 0o640
    assert invoke("apply", "svc/Dockerfile").exit_code == 0
    assert (repo / "svc" / "Dockerfile").read_text() == text
    # the whole-context COPY got a .dockerignore beside it, created once, and no temporary file is left
    assert sorted(p.name for p in (repo / "svc").iterdir()) == [".dockerignore", "Dockerfile"]
    assert ".git" in (repo / "svc" / ".dockerignore").read_text().splitlines()


def test_check_exit_codes(repo):
    assert invoke("check", "svc/Dockerfile").exit_code == 1
    assert invoke("check", "Dockerfile.multi").exit_code == 0


def test_transforms_lists_ids_defaults_and_reasons():
    from transforms import registry

    res = invoke("transforms")
    assert res.exit_code == 0
    header, *rows = res.output.splitlines()
    assert header.split() == ["id", "default", "safety", "title:", "rationale"]
    listed = {row.split()[0]: row.split()[1] for row in rows}
    # every transform, in the order they run, with the default it runs with
    assert list(listed) == [t.id for t in registry()]
    assert listed == {t.id: "on" if getattr(t, "default", True) else "off" for t in registry()}
    assert {listed[i] for i in ("dev-target", "healthcheck", "cache-mounts")} == {"off"}     # opt-in
    assert {listed[i] for i in ("layer-order", "venv", "split-stages", "build-deps", "non-root-user")} == {"on"}
    venv = next(row for row in rows if row.startswith("venv "))
    assert "Install Python packages into a virtualenv: a virtualenv is one folder" in venv


def test_select_and_ignore(repo):
    only = json.loads(invoke("diff", "--json", "--select", "non-root-user", "svc/Dockerfile").output)
    assert {c["transform"] for c in only["changes"]} == {"non-root-user"}
    res = invoke("diff", "--ignore", "nope", "svc/Dockerfile")
    assert res.exit_code == 2 and "unknown transform id 'nope'" in res.output


@pytest.mark.parametrize("setup, needle", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b"\x00\x01binary"), "binary"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"FROM a\n\xff\xfe\n"), "not UTF-8"),
    (lambda p: p.write_text("hello world\nthis is a readme\n"), "not a Dockerfile"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, setup, needle):
    path = tmp_path / "Dockerfile"
    setup(path)
    proc = subprocess.run([sys.executable, "-m", "migrator", "diff", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    if path.is_file():
        before = path.read_bytes()
        subprocess.run([sys.executable, "-m", "migrator", "apply", str(path)], capture_output=True)
        assert path.read_bytes() == before


def test_console_script_is_installed():
    exe = installed_script("dockerfile-migrator")
    assert exe is not None, "the console script dockerfile-migrator is not installed"
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "diff" in proc.stdout

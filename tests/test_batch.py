"""`dockerfile-migrator batch`: a small monorepo end to end, failure
isolation, the reports and the exit-code contract."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.batch import runner
from migrator.options import Options
from migrator.batch.reports import combined_patch, file_patch, git_quote
from migrator.model.results import FileResult, Refusal, Status

try:  # the main group when it exists, else the command alone
    from migrator.cli import cli as _main

    PREFIX = ["batch"]
except ImportError:  # pragma: no cover
    from migrator.cli.batch import batch as _main

    PREFIX = []

HAS_GIT = shutil.which("git") is not None

# ---------------------------------------------------------------------------
# The monorepo

MIGRATES = """\
FROM python:3.12-slim-bookworm

# needed for uwsgi
RUN apt-get update && apt-get install -y build-essential

WORKDIR /opt/inventory
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

EXPOSE 5000
CMD ["uwsgi", "--http", "0.0.0.0:5000", "--module", "inventory.app:app"]
"""

MIGRATES_2 = """\
FROM python:3.11-slim
WORKDIR /srv/worker
COPY app.py .
CMD ["python", "app.py"]
"""

UNCHANGED = """\
FROM alpine:3.19
USER 10001:10001
CMD ["echo", "hi"]
"""

MULTI_STAGE = """\
FROM python:3.12-slim AS builder
RUN pip wheel -w /wheels flask

FROM python:3.12-slim
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
"""

CONDA = """\
FROM continuumio/miniconda3:24.1.2-0
WORKDIR /app
COPY environment.yml .
RUN conda env create -f environment.yml && conda clean -afy
COPY . .
ENTRYPOINT ["conda", "run", "-n", "app", "python", "-m", "app"]
"""

EXPECTED = {
    "services/api/Dockerfile": "migrated",
    "services/api/docker/Dockerfile.prod": "migrated",
    "services/worker/worker.Dockerfile": "migrated",
    "my service/Containerfile": "migrated",
    "services/crlf/Dockerfile": "migrated",
    "tools/lean/Dockerfile": "unchanged",
    "services/already/Dockerfile": "skipped",
    "legacy/conda/Dockerfile": "refused",
    "broken/Dockerfile": "error",
}


def make_monorepo(root: Path) -> Path:
    """Nested Dockerfiles, a gitignored folder, a symlink loop, a binary file
    named Dockerfile, an already multi-stage file and a refused one."""
    files = {
        "services/api/Dockerfile": MIGRATES,
        "services/api/docker/Dockerfile.prod": MIGRATES.replace("5000", "8000"),
        "services/worker/worker.Dockerfile": MIGRATES_2,
        "my service/Containerfile": MIGRATES_2.replace("worker", "spaced"),
        "services/crlf/Dockerfile": MIGRATES.replace("\n", "\r\n"),
        "tools/lean/Dockerfile": UNCHANGED,
        "services/already/Dockerfile": MULTI_STAGE,
        "legacy/conda/Dockerfile": CONDA,
        # ignored or skipped: never looked at
        "generated/Dockerfile": MIGRATES,
        "services/api/build/Dockerfile": MIGRATES,
        "node_modules/pkg/Dockerfile": MIGRATES,
        ".venv/lib/Dockerfile": MIGRATES,
        "services/api/README.md": "# api\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (root / "broken").mkdir()
    (root / "broken" / "Dockerfile").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    (root / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (root / "services" / "api" / ".gitignore").write_text("build/\n", encoding="utf-8")
    os.symlink("..", root / "services" / "loop")  # a symlink loop
    return root


def invoke(*args: str):
    return CliRunner().invoke(_main, [*PREFIX, *args], catch_exceptions=False)


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    return make_monorepo(tmp_path / "repo")


# ---------------------------------------------------------------------------
# End to end


def test_batch_on_a_monorepo_reports_every_status(monorepo: Path, tmp_path: Path):
    patch, report, markdown = tmp_path / "all.patch", tmp_path / "report.json", tmp_path / "report.md"
    result = invoke(str(monorepo), "--jobs", "2", "--patch", str(patch), "--json", str(report),
                    "--markdown", str(markdown))
    assert result.exit_code == 0, result.output

    data = json.loads(report.read_text(encoding="utf-8"))
    statuses = {f["path"]: f["status"] for f in data["files"]}
    assert statuses == EXPECTED  # ignored, skipped and looped paths are absent
    assert data["summary"]["counts"] == {"migrated": 5, "unchanged": 1, "skipped": 1, "refused": 1, "error": 1}
    assert data["reported"] == [
        {"path": "services/loop", "kind": "symlink-loop",
         "message": "symlink loop: points to .., a folder that contains it; not followed"}
    ]
    by_path = {f["path"]: f for f in data["files"]}
    assert "binary" in by_path["broken/Dockerfile"]["reason"]
    assert by_path["broken/Dockerfile"]["reason"].startswith("broken/Dockerfile: ")
    assert "conda" in by_path["legacy/conda/Dockerfile"]["reason"]
    assert "multi-stage" in by_path["services/already/Dockerfile"]["reason"]
    api = by_path["services/api/Dockerfile"]
    assert api["changes"] and all(c["reason"] for c in api["changes"])
    # The records are those of `diff --json`: FileResult.to_json().
    # the per-file record is diff --json's; context_files appears when a .dockerignore is created
    assert set(api) - {"context_files"} == set(FileResult("x", Status.MIGRATED).to_json())
    assert data["summary"]["bytes_saved"] == sum(f["bytes_saved"] for f in data["files"]
                                                 if f["status"] == "migrated")

    # The summary table on standard output.
    assert "Files by status" in result.stdout
    assert "migrated" in result.stdout and "removed from runtime images" in result.stdout
    # Plain progress lines (not a terminal) on standard error.
    assert "error     broken/Dockerfile: broken/Dockerfile: binary file" in result.stderr
    assert "not scanned  services/loop: symlink loop" in result.stderr

    text = patch.read_text(encoding="utf-8")
    for rel, status in EXPECTED.items():
        assert (f"+++ b/{rel}" in text) == (status == "migrated"), rel
    assert "diff --git a/my service/Containerfile b/my service/Containerfile\n" in text
    assert "--- a/my service/Containerfile\t\n" in text

    md = markdown.read_text(encoding="utf-8")
    assert md.startswith("# Dockerfile migration report\n")
    assert "**9** Dockerfiles" in md and "**5** migrated" in md
    assert "## Migrated (5)" in md and "### `services/api/Dockerfile`" in md
    for change in api["changes"]:
        assert f"**{change['transform']}**" in md
    assert "## Refused (1)" in md and "`legacy/conda/Dockerfile`: conda base image" in md
    assert "## Refusal reasons" in md
    assert "## Errors (1)" in md and "`broken/Dockerfile`:" in md
    assert "## Skipped (1)" in md and "## Unchanged (1)" in md
    assert "## Not scanned (1)" in md and "`services/loop`: symlink loop" in md


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_patch_applies_at_root_and_equals_write(monorepo: Path, tmp_path: Path):
    patch = tmp_path / "all.patch"
    applied = tmp_path / "applied"
    shutil.copytree(monorepo, applied, symlinks=True)
    written = tmp_path / "written"
    shutil.copytree(monorepo, written, symlinks=True)

    assert invoke(str(monorepo), "--jobs", "1", "--patch", str(patch), "--quiet").exit_code == 0
    assert git("init", "-q", cwd=applied).returncode == 0
    check = git("apply", "--check", str(patch), cwd=applied)
    assert check.returncode == 0, check.stderr
    assert git("apply", str(patch), cwd=applied).returncode == 0

    result = invoke(str(written), "--jobs", "2", "--write", "--json", str(tmp_path / "w.json"), "--quiet")
    assert result.exit_code == 0, result.output
    records = json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))["files"]
    assert {r["path"] for r in records if r.get("written")} == {
        p for p, s in EXPECTED.items() if s == "migrated"}
    for rel in EXPECTED:
        assert (written / rel).read_bytes() == (applied / rel).read_bytes(), rel
    crlf = (written / "services/crlf/Dockerfile").read_bytes()
    assert b"\r\n" in crlf and b"\n" not in crlf.replace(b"\r\n", b"")

    # The migrated files need nothing more: a second run changes nothing.
    again = invoke(str(written), "--jobs", "1", "--check", "--json", str(tmp_path / "again.json"), "--quiet")
    assert again.exit_code == 0
    counts = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["summary"]["counts"]
    assert counts["migrated"] == 0


def test_check_exit_codes(monorepo: Path, tmp_path: Path):
    assert invoke(str(monorepo), "--jobs", "1", "--check", "--quiet").exit_code == 1
    clean = tmp_path / "clean"
    (clean / "a").mkdir(parents=True)
    (clean / "a" / "Dockerfile").write_text(MULTI_STAGE, encoding="utf-8")
    (clean / "b").mkdir()
    (clean / "b" / "Dockerfile").write_text(UNCHANGED, encoding="utf-8")
    assert invoke(str(clean), "--jobs", "1", "--check", "--quiet").exit_code == 0
    # Without --check, changes do not change the exit status.
    assert invoke(str(monorepo), "--jobs", "1", "--quiet").exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(str(empty), "--check")
    assert result.exit_code == 0 and "total" in result.stdout


def test_jobs_1_and_2_agree(monorepo: Path, tmp_path: Path):
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.json"
        patch = tmp_path / f"j{jobs}.patch"
        assert invoke(str(monorepo), "--jobs", jobs, "--json", str(out), "--patch", str(patch),
                      "--quiet").exit_code == 0
        outputs[jobs] = (json.loads(out.read_text(encoding="utf-8"))["files"], patch.read_text(encoding="utf-8"))
    assert outputs["1"] == outputs["2"]


def test_output_to_stdout(monorepo: Path):
    result = invoke(str(monorepo), "--jobs", "1", "--json", "-")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["files"]) == len(EXPECTED)
    assert "Files by status" in result.stderr  # the summary moves to stderr


def test_select_and_exclude(monorepo: Path, tmp_path: Path):
    out = tmp_path / "r.json"
    result = invoke(str(monorepo), "--jobs", "1", "--select", "non-root-user", "--exclude", "services/",
                    "--exclude", "broken", "--json", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert {f["path"] for f in files} == {"my service/Containerfile", "tools/lean/Dockerfile",
                                          "legacy/conda/Dockerfile"}
    for f in files:
        assert {c["transform"] for c in f["changes"]} <= {"non-root-user"}


def test_config_file_is_used_and_cli_wins(monorepo: Path, tmp_path: Path):
    (monorepo / ".dockerfile-migrator.toml").write_text(
        'exclude = ["legacy/", "broken/"]\nselect = ["non-root-user"]\nuid = 20000\n', encoding="utf-8")
    out = tmp_path / "r.json"
    assert invoke(str(monorepo), "--jobs", "1", "--json", str(out), "--patch", str(tmp_path / "p"),
                  "--quiet").exit_code == 0
    files = {f["path"]: f for f in json.loads(out.read_text(encoding="utf-8"))["files"]}
    assert "legacy/conda/Dockerfile" not in files and "broken/Dockerfile" not in files
    assert all(c["transform"] == "non-root-user" for f in files.values() for c in f["changes"])
    assert "20000" in (tmp_path / "p").read_text(encoding="utf-8")
    # --exclude replaces the file's exclude; --uid wins over its uid.
    assert invoke(str(monorepo), "--jobs", "1", "--exclude", "services/", "--uid", "30000", "--json",
                  str(out), "--patch", str(tmp_path / "p"), "--quiet").exit_code == 0
    files = {f["path"] for f in json.loads(out.read_text(encoding="utf-8"))["files"]}
    assert "legacy/conda/Dockerfile" in files and "services/api/Dockerfile" not in files
    patch = (tmp_path / "p").read_text(encoding="utf-8")
    assert "30000" in patch and "20000" not in patch


@pytest.mark.parametrize(
    "args, message",
    [
        (["{missing}"], "no such folder"),
        (["{file}"], "not a folder"),
        (["{root}", "--patch", "{tmp}/no/such/dir/p.patch"], "does not exist"),
        (["{root}", "--json", "{tmp}"], "is a directory"),
        (["{root}", "--select", "no-such-transform"], "unknown transform id 'no-such-transform'"),
        (["{root}", "--ignore", "nope,venv"], "unknown transform id 'nope'"),
        (["{root}", "--uid", "0"], "non-root numeric UID"),
        (["{root}", "--venv-path", "venv"], "absolute folder path"),
        (["{root}", "--json", "-", "--patch", "-"], "only one of"),
        (["{root}", "--json", "{tmp}/same", "--markdown", "{tmp}/same"], "name the same file"),
    ],
)
def test_bad_usage_exits_2_with_one_line_and_writes_nothing(monorepo: Path, tmp_path: Path, args, message):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out.json"
    fmt = {"missing": str(tmp_path / "missing"), "file": str(tmp_path / "file.txt"), "root": str(monorepo),
           "tmp": str(tmp_path)}
    before = {p: p.read_bytes() for p in monorepo.rglob("*") if p.is_file() and not p.is_symlink()}
    result = invoke(*[a.format(**fmt) for a in args], "--jobs", "2", "--markdown" if "--markdown" not in
                    args else "--patch", str(out))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists() and not (tmp_path / "same").exists()
    assert {p: p.read_bytes() for p in before} == before


def test_bad_config_exits_2(monorepo: Path):
    (monorepo / "pyproject.toml").write_text('[tool.dockerfile-migrator]\nuid = "app"\n', encoding="utf-8")
    result = invoke(str(monorepo))
    assert result.exit_code == 2
    assert "pyproject.toml [tool.dockerfile-migrator]: 'uid' must be a non-root numeric UID" in result.stderr


def test_markdown_to_stdout_is_the_only_stdout(monorepo: Path):
    result = invoke(str(monorepo), "--jobs", "1", "--markdown", "-", "--quiet")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Dockerfile migration report")
    assert result.stderr == ""


# ---------------------------------------------------------------------------
# Failure isolation (a wrapped engine that fails on purpose)


def misbehaving_engine(text: str, options=None, path: str = "-"):
    """The real engine, except on files that ask for trouble."""
    if "# test: exit" in text:
        os._exit(7)
    if "# test: raise" in text:
        raise RuntimeError("boom from the test engine")
    if "# test: hang" in text:
        time.sleep(120)
    from migrator.engine import migrate_text

    return migrate_text(text, options, path)


ENGINE = f"{__name__}:misbehaving_engine"


def _tree(root: Path, texts: dict[str, str]) -> list[str]:
    for rel, text in texts.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return sorted(texts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_one_file_is_an_error_for_that_file(tmp_path: Path, jobs: int):
    files = _tree(tmp_path, {f"s{i}/Dockerfile": MIGRATES_2 for i in range(5)}
                  | {"bad/Dockerfile": "# test: raise\n" + MIGRATES_2})
    entries = runner.run_batch(str(tmp_path), files, Options(), jobs=jobs, engine=ENGINE)
    by_path = {e.path: e for e in entries}
    assert [e.path for e in entries] == files
    bad = by_path["bad/Dockerfile"].result
    assert bad.status is Status.ERROR
    assert bad.reason == "internal error: RuntimeError: boom from the test engine"
    assert all(e.status is Status.MIGRATED for p, e in by_path.items() if p != "bad/Dockerfile")


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path):
    texts = {f"s{i:02}/Dockerfile": MIGRATES_2 for i in range(12)}
    texts["s05/Dockerfile"] = "# test: exit\n" + MIGRATES_2
    files = _tree(tmp_path, texts)
    entries = runner.run_batch(str(tmp_path), files, Options(), jobs=2, engine=ENGINE)
    statuses = {e.path: e.status for e in entries}
    assert statuses.pop("s05/Dockerfile") is Status.ERROR
    assert set(statuses.values()) == {Status.MIGRATED}
    crashed = next(e for e in entries if e.path == "s05/Dockerfile").result.reason
    assert crashed == "worker process crashed while migrating this file (exit code 7)"


def test_a_file_that_hangs_times_out(tmp_path: Path):
    texts = {f"s{i}/Dockerfile": MIGRATES_2 for i in range(4)}
    texts["slow/Dockerfile"] = "# test: hang\n" + MIGRATES_2
    files = _tree(tmp_path, texts)
    entries = runner.run_batch(str(tmp_path), files, Options(), jobs=2, timeout=2, engine=ENGINE)
    by_path = {e.path: e.result for e in entries}
    assert by_path["slow/Dockerfile"].status is Status.ERROR
    assert by_path["slow/Dockerfile"].reason == "timed out after 2 s in a worker process; skipped"
    assert {r.status for p, r in by_path.items() if p != "slow/Dockerfile"} == {Status.MIGRATED}


EDIT_ROOT: list[Path] = []


def editing_engine(text: str, options=None, path: str = "-"):
    """The real engine, but someone edits ``a/Dockerfile`` while it runs."""
    if path == "a/Dockerfile":
        with open(EDIT_ROOT[0] / path, "a", encoding="utf-8") as fh:
            fh.write("# edited meanwhile\n")
    from migrator.engine import migrate_text

    return migrate_text(text, options, path)


def test_write_leaves_a_file_changed_meanwhile_alone(tmp_path: Path):
    files = _tree(tmp_path, {"a/Dockerfile": MIGRATES_2, "b/Dockerfile": MIGRATES_2})
    EDIT_ROOT[:] = [tmp_path]
    entries = runner.run_batch(str(tmp_path), files, Options(), jobs=1, write=True,
                               engine=f"{__name__}:editing_engine")
    a, b = entries
    assert b.written and b.status is Status.MIGRATED
    assert "USER 10001:10001" in (tmp_path / "b/Dockerfile").read_text(encoding="utf-8")
    assert not a.written and a.status is Status.ERROR and a.diff == ""
    assert a.result.reason == "not written: a/Dockerfile: changed on disk since it was read; not written"
    assert (tmp_path / "a/Dockerfile").read_text(encoding="utf-8") == MIGRATES_2 + "# edited meanwhile\n"
    assert not [p for p in tmp_path.rglob(".dfm-*")]  # no temporary file left behind


# ---------------------------------------------------------------------------
# Reports


def test_git_quote():
    assert git_quote("a/plain/Dockerfile") == "a/plain/Dockerfile"
    assert git_quote("a/with space/Dockerfile") == "a/with space/Dockerfile"
    assert git_quote('a/q"uote/Dockerfile') == '"a/q\\"uote/Dockerfile"'
    assert git_quote("a/tab\there") == '"a/tab\\there"'
    assert git_quote("a/é\\x") == '"a/\\303\\251\\\\x"'


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_patch_with_awkward_names_applies(tmp_path: Path):
    names = ['odd "name"/Dockerfile', "tab\tdir/Dockerfile", "ünïcode/Dockerfile", "sp ace/x.Dockerfile"]
    root = tmp_path / "r"
    files = _tree(root, {n: MIGRATES_2 for n in names})
    entries = runner.run_batch(str(root), files, Options(), jobs=1)
    assert all(e.status is Status.MIGRATED for e in entries)
    patch = tmp_path / "p.patch"
    patch.write_text(combined_patch(entries), encoding="utf-8")
    git("init", "-q", cwd=root)
    check = git("apply", "--check", "-v", str(patch), cwd=root)
    assert check.returncode == 0, check.stderr
    assert all(file_patch(e).startswith("diff --git ") for e in entries)


def test_empty_batch_writes_empty_patch_and_valid_reports(tmp_path: Path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "README.md").write_text("nothing here\n", encoding="utf-8")
    p, j, m = tmp_path / "p", tmp_path / "j", tmp_path / "m"
    result = invoke(str(root), "--patch", str(p), "--json", str(j), "--markdown", str(m))
    assert result.exit_code == 0
    assert p.read_text(encoding="utf-8") == ""
    assert json.loads(j.read_text(encoding="utf-8"))["files"] == []
    assert "**0** Dockerfiles" in m.read_text(encoding="utf-8")


def test_summary_groups_refusal_reasons():
    def refused(path, reason):
        return runner.Entry(FileResult(path, Status.REFUSED, reason=reason))

    entries = [refused("a", "line 3: base image uses $BASE"), refused("b", "line 9: base image uses $BASE"),
               refused("c", "something else"), runner.Entry(FileResult("d", Status.ERROR, reason="x"))]
    s = runner.summarize(entries)
    assert s.counts == {"migrated": 0, "unchanged": 0, "skipped": 0, "refused": 3, "error": 1}
    assert [(g.reason, g.files, g.examples) for g in s.refused_files] == [
        ("base image uses $BASE", 2, ["a", "b"]), ("something else", 1, ["c"])]


def test_summary_groups_reasons_that_differ_only_in_image_and_line():
    def declined(path, reason):
        return runner.Entry(FileResult(path, Status.MIGRATED, refusals=[Refusal("build-deps", reason, True)]))

    s = runner.summarize([declined("a", "runtime stage moves from python:3.11 to python:3.11-slim: x"),
                          declined("b", "runtime stage moves from node:20 to node:20-slim: x"),
                          declined("c", "line 4: CMD starts nginx, see line 9")])
    assert [(g.reason, g.files) for g in s.declined] == [
        ("runtime stage moves from <image> to <image>: x", 2), ("CMD starts nginx, see line N", 1)]


def test_markdown_limit_keeps_the_totals(monorepo: Path, tmp_path: Path):
    full, short = tmp_path / "full.md", tmp_path / "short.md"
    assert invoke(str(monorepo), "--jobs", "1", "--markdown", str(full), "--quiet").exit_code == 0
    assert invoke(str(monorepo), "--jobs", "1", "--markdown", str(short), "--markdown-limit", "1500",
                  "--quiet").exit_code == 0
    full_text, short_text = full.read_text(encoding="utf-8"), short.read_text(encoding="utf-8")
    assert len(full_text) > 1500 >= len(short_text)
    assert "**9** Dockerfiles" in short_text and "| migrated | 5 |" in short_text
    assert "Shortened to fit" in short_text and "Shortened to fit" not in full_text
    assert "## Migrated (5)" in short_text and "## Errors (1)" in short_text
    assert invoke(str(monorepo), "--markdown", "-", "--markdown-limit", "10").exit_code == 2


def test_default_jobs_scale_with_the_number_of_files(monorepo: Path):
    # 9 files are not worth starting worker processes for.
    result = invoke(str(monorepo))
    assert result.exit_code == 0
    assert "with 1 job" in result.stdout


@pytest.mark.skipif(not HAS_GIT, reason="git is needed to apply the patch")
def test_two_dockerfiles_of_one_context_get_one_dockerignore(tmp_path: Path):
    # Dockerfile and Dockerfile.prod share the folder they are built from: one .dockerignore
    # in the patch, which git apply creates; --write creates it once too.
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    (repo / "api" / "Dockerfile").write_text(MIGRATES)
    (repo / "api" / "Dockerfile.prod").write_text(MIGRATES.replace("3.12-slim-bookworm", "3.11-slim-bookworm"))
    (repo / "api" / "requirements.txt").write_text("flask\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    patch = tmp_path / "all.patch"
    result = CliRunner().invoke(_main, [*PREFIX, str(repo), "--patch", str(patch), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    text = patch.read_text()
    assert text.count("diff --git a/api/.dockerignore b/api/.dockerignore\nnew file mode 100644\n") == 1
    subprocess.run(["git", "apply", "--check", str(patch)], cwd=repo, check=True)
    subprocess.run(["git", "apply", str(patch)], cwd=repo, check=True)
    created = (repo / "api" / ".dockerignore").read_text()
    assert ".git" in created.splitlines() and "**/.env" in created.splitlines()

    (repo / "api" / ".dockerignore").unlink()
    (repo / "api" / "Dockerfile").write_text(MIGRATES)
    (repo / "api" / "Dockerfile.prod").write_text(MIGRATES.replace("3.12-slim-bookworm", "3.11-slim-bookworm"))
    result = CliRunner().invoke(_main, [*PREFIX, str(repo), "--write", "--quiet", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert (repo / "api" / ".dockerignore").read_text() == created
    assert "AS runtime" in (repo / "api" / "Dockerfile.prod").read_text()

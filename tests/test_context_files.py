"""Build-context files a migration creates or changes (a ``.dockerignore``):
the engine collects them, ``diff`` shows them, ``apply`` writes them without
ever overwriting, and ``git apply`` takes the diff."""

from __future__ import annotations

import subprocess
from pathlib import Path

from migrator.context import BuildContext
from migrator.model.diffing import context_file_diffs
from migrator.engine import run_transforms
from migrator.files import InputError, write_context_file
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import ContextFile, Status
from migrator.transform import Outcome

import pytest


class Creates:
    """A transform proposing one build-context file (a test double of the
    transform contract, so the engine is tested apart from any transform)."""

    id = "creates"
    title = reason = rationale = "creates a file"

    def __init__(self, path: str, text: str, original: str | None = None):
        self.file = ContextFile(path, original, text, reason="made for the test")

    def run(self, df, options):
        return Outcome(files=[self.file])


DOCKERFILE = "FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"


def test_engine_collects_files_and_the_dockerfile_may_stay_as_it_is(tmp_path: Path):
    options = Options(context=BuildContext.at(tmp_path))
    result = run_transforms(parse(DOCKERFILE), [Creates(".dockerignore", ".git\n")], options, "Dockerfile")
    assert result.status is Status.MIGRATED and result.output == DOCKERFILE
    assert result.context_root == str(tmp_path.resolve())
    assert [f.path for f in result.context_files] == [".dockerignore"]
    assert result.context_files[0].transform == "creates"
    assert [c.reason for c in result.changes] == [".dockerignore: made for the test"]
    assert result.to_json()["context_files"] == [
        {"path": ".dockerignore", "created": True, "transform": "creates", "reason": "made for the test"}]


def test_no_context_no_files():
    result = run_transforms(parse(DOCKERFILE), [Creates(".dockerignore", ".git\n")], Options(), "-")
    assert result.status is Status.UNCHANGED and result.context_files == []
    assert "context_files" not in result.to_json()


def test_a_second_transform_proposing_the_same_path_is_refused(tmp_path: Path):
    options = Options(context=BuildContext.at(tmp_path))
    first, second = Creates(".dockerignore", "a\n"), Creates(".dockerignore", "b\n")
    second.id = "again"
    result = run_transforms(parse(DOCKERFILE), [first, second], options, "Dockerfile")
    assert [f.output for f in result.context_files] == ["a\n"]
    assert [r.transform for r in result.refusals] == ["again"]


def test_the_diff_creates_the_file_with_git_apply(tmp_path: Path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    options = Options(context=BuildContext.at(tmp_path))
    result = run_transforms(parse(DOCKERFILE), [Creates(".dockerignore", ".git\n.env\n")], options, "Dockerfile")
    monkeypatch.chdir(tmp_path)
    [(shown, diff, created)] = context_file_diffs(result)
    assert shown == ".dockerignore" and created and diff.startswith("--- /dev/null\n+++ b/.dockerignore\n")
    (tmp_path / "p.diff").write_text(diff)
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / ".dockerignore").read_text() == ".git\n.env\n"


def test_write_never_overwrites_and_checks_a_changed_file(tmp_path: Path):
    created = ContextFile(".dockerignore", None, ".git\n")
    assert write_context_file(str(tmp_path), created) == str(tmp_path / ".dockerignore")
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"
    with pytest.raises(InputError, match="already exists; not overwritten"):
        write_context_file(str(tmp_path), ContextFile(".dockerignore", None, "other\n"))
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"
    changed = ContextFile(".dockerignore", ".git\n", ".git\n.env\n")
    write_context_file(str(tmp_path), changed)
    assert (tmp_path / ".dockerignore").read_text() == ".git\n.env\n"
    with pytest.raises(InputError, match="changed on disk since it was read"):
        write_context_file(str(tmp_path), changed)   # its original is no longer what is on disk
    assert list(p.name for p in tmp_path.iterdir()) == [".dockerignore"]   # no temporary file left


def test_later_transforms_read_the_context_as_earlier_files_leave_it(tmp_path: Path):
    (tmp_path / "app.py").write_text("print('hi')\n")
    context = BuildContext.at(tmp_path).with_files([ContextFile(".dockerignore", None, "node_modules\n")])
    assert context.read_text(".dockerignore") == "node_modules\n" and context.is_file(".dockerignore")
    assert context.list_dir(".") == (".dockerignore", "app.py")
    assert not (tmp_path / ".dockerignore").exists()   # nothing is written by reading

    seen = []

    class Reads:
        id = title = rationale = "reads"

        def run(self, df, options):
            seen.append(options.context.read_text(".dockerignore"))
            return Outcome()

    options = Options(context=BuildContext.at(tmp_path))
    run_transforms(parse(DOCKERFILE), [Creates(".dockerignore", ".git\n"), Reads()], options, "Dockerfile")
    assert seen == [".git\n"]

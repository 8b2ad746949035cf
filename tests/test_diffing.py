"""Unified diffs that `git apply` accepts, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from migrator.model.diffing import NO_EOL, display_path, unified_diff

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args, patch: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=repo, input=None if patch is None else patch.encode("utf-8"),
                          capture_output=True, env=env, timeout=60)


def apply_in_repo(tmp_path, rel: str, before: str, after: str) -> bytes:
    """Write ``before`` at ``rel`` in a fresh git repo, apply the tool's
    patch with ``git apply``, return the resulting bytes."""
    repo = tmp_path / "repo"
    repo.mkdir()
    assert git(repo, "init", "-q").returncode == 0
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(before.encode("utf-8"))
    patch = unified_diff(before, after, rel)
    check = git(repo, "apply", "--check", "-", patch=patch)
    assert check.returncode == 0, check.stderr.decode()
    done = git(repo, "apply", "-", patch=patch)
    assert done.returncode == 0, done.stderr.decode()
    return target.read_bytes()


def test_equal_texts_give_no_diff():
    assert unified_diff("FROM a\n", "FROM a\n", "Dockerfile") == ""
    assert unified_diff("", "", "Dockerfile") == ""


def test_headers_and_hunk():
    patch = unified_diff("FROM a\nRUN x\n", "FROM a AS b\nRUN x\n", "x")
    lines = patch.splitlines()
    assert lines[0] == "--- a/x"
    assert lines[1] == "+++ b/x"
    assert lines[2].startswith("@@ -1,2 +1,2 @@")
    assert lines[3:] == ["-FROM a", "+FROM a AS b", " RUN x"]
    assert patch.endswith("\n")


def test_path_with_folders_in_headers():
    patch = unified_diff("FROM a\n", "FROM b\n", "services/api/Dockerfile")
    assert patch.startswith("--- a/services/api/Dockerfile\n+++ b/services/api/Dockerfile\n")


def test_no_newline_marker():
    patch = unified_diff("FROM a\nCMD y", "FROM a AS b\nCMD z", "x")
    assert patch.count(NO_EOL) == 2
    assert "-CMD y\n" + NO_EOL in patch
    assert patch.endswith("+CMD z\n" + NO_EOL)
    assert NO_EOL == "\\ No newline at end of file\n"


def test_no_marker_when_both_end_in_newline():
    assert NO_EOL not in unified_diff("FROM a\nCMD y\n", "FROM b\nCMD y\n", "x")


def test_crlf_kept_inside_lines():
    patch = unified_diff("FROM a\r\nCMD y\r\n", "FROM b\r\nCMD y\r\n", "x")
    assert "-FROM a\r\n+FROM b\r\n CMD y\r\n" in patch
    assert patch.startswith("--- a/x\n+++ b/x\n")  # headers end in plain \n


def test_only_newline_splits_lines():
    # \x0b, \x0c, \x1c... are not line ends for git; a diff must not split there
    before = "FROM a\nRUN printf 'a\x0cb\x1cc'\nCMD y\n"
    after = before.replace("FROM a", "FROM b")
    patch = unified_diff(before, after, "x")
    assert " RUN printf 'a\x0cb\x1cc'\n" in patch


def test_context_lines():
    before = "".join(f"L{i}\n" for i in range(20))
    after = before.replace("L10\n", "X\n")
    assert unified_diff(before, after, "x", context=0).splitlines()[2:] == ["@@ -11 +11 @@", "-L10", "+X"]
    hunk = unified_diff(before, after, "x").splitlines()[2:]
    assert hunk[0] == "@@ -8,7 +8,7 @@"


GIT_CASES = {
    "lf": ("FROM python:3.12\nRUN pip install x\nCMD [\"x\"]\n",
           "FROM python:3.12 AS builder\nRUN pip install x\n\nFROM python:3.12-slim\nCMD [\"x\"]\n"),
    "crlf": ("FROM python:3.12\r\nRUN pip install x\r\nCMD [\"x\"]\r\n",
             "FROM python:3.12 AS builder\r\nRUN pip install x\r\nUSER 10001\r\nCMD [\"x\"]\r\n"),
    "no-final-newline": ("FROM python:3.12\nRUN pip install x\nCMD [\"x\"]",
                         "FROM python:3.12 AS builder\nRUN pip install x\nUSER 10001\nCMD [\"x\"]"),
    "no-final-newline-last-line-changed": ("FROM a\nCMD y", "FROM a\nCMD z"),
    "crlf-no-final-newline": ("FROM a\r\nCMD y", "FROM b\r\nCMD y"),
    "append-after-missing-newline": ("FROM a\nCMD y", "FROM a\nCMD y\nUSER 1\n"),
    "add-final-newline": ("FROM a\nCMD y", "FROM a\nCMD y\n"),
    "bom": ("\ufeffFROM a\nCMD y\n", "\ufeffFROM a AS b\nCMD y\n"),
    "two-hunks": ("".join(f"RUN echo {i}\n" for i in range(30)),
                  "".join(f"RUN echo {i}\n" for i in range(30)).replace("echo 2\n", "echo two\n")
                  .replace("echo 25\n", "echo 25\nUSER 1\n")),
    "form-feed-in-line": ("FROM a\nRUN printf 'a\x0cb'\nCMD y\n", "FROM b\nRUN printf 'a\x0cb'\nCMD y\n"),
}


@needs_git
@pytest.mark.parametrize("before, after", list(GIT_CASES.values()), ids=list(GIT_CASES))
def test_git_apply_reproduces_output(tmp_path, before, after):
    assert apply_in_repo(tmp_path, "Dockerfile", before, after) == after.encode("utf-8")


@needs_git
def test_git_apply_from_repo_root_with_display_path(tmp_path, monkeypatch):
    before, after = "FROM a\nCMD y\n", "FROM a AS b\nCMD y\n"
    repo = tmp_path / "repo"
    (repo / "services" / "api").mkdir(parents=True)
    assert git(repo, "init", "-q").returncode == 0
    target = repo / "services" / "api" / "Dockerfile"
    target.write_bytes(before.encode())
    monkeypatch.chdir(repo)
    rel = display_path(str(target))
    assert rel == "services/api/Dockerfile"
    done = git(repo, "apply", "-", patch=unified_diff(before, after, rel))
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == after.encode()


def test_display_path_is_relative_with_slashes(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert display_path("a/b/Dockerfile") == "a/b/Dockerfile"
    assert display_path("./a/../a/b/Dockerfile") == "a/b/Dockerfile"
    assert display_path(str(tmp_path / "a" / "Dockerfile")) == "a/Dockerfile"
    assert display_path("Dockerfile") == "Dockerfile"
    assert "\\" not in display_path(os.path.join("a", "b", "Dockerfile"))

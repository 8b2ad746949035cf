"""Finding the Dockerfiles of a tree: names, .gitignore, skipped folders,
symbolic links."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from migrator.batch.discovery import (PRE_COMMIT_FILES_REGEX, SKIP_DIRS, Reported, discover,
                                is_dockerfile_name)

REPO = Path(__file__).resolve().parent.parent
HAS_GIT = shutil.which("git") is not None

DOCKERFILES = ["Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile", "api.Dockerfile",
               "api.dockerfile", "base.DOCKERFILE", "Dockerfile.prod", "dockerfile.dev", "Dockerfile.prod.v2",
               "Dockerfile.txt"]
NOT_DOCKERFILES = ["Dockerfile.dockerignore", "api.Dockerfile.dockerignore", "Dockerfile.orig", "Dockerfile.rej",
                   "Dockerfile.bak", "Dockerfile.swp", "Dockerfile~", "Dockerfile.prod~", ".dockerfile",
                   "Dockerfile.", "Dockerfiles", "MyDockerfile", "Containerfile.prod", "Dockerfile.j2",
                   "Dockerfile.prod.J2", "Dockerfile.tmpl", "Dockerfile.template", "docker-compose.yml",
                   "README.md", "api.Dockerfile.bak"]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_names(name):
    assert is_dockerfile_name(name)
    assert re.search(PRE_COMMIT_FILES_REGEX, f"some/dir/{name}")
    assert re.search(PRE_COMMIT_FILES_REGEX, name)


@pytest.mark.parametrize("name", NOT_DOCKERFILES)
def test_not_dockerfile_names(name):
    assert not is_dockerfile_name(name)
    assert not re.search(PRE_COMMIT_FILES_REGEX, f"some/dir/{name}")
    assert not re.search(PRE_COMMIT_FILES_REGEX, name)


def test_pre_commit_hook_uses_the_discovery_patterns():
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: dockerfile-migrator-check" in text
    assert "entry: dockerfile-migrator check" in text
    files = re.search(r"^  files: '(.*)'$", text, re.M).group(1)
    assert files == PRE_COMMIT_FILES_REGEX


def _write(root: Path, rels: list[str], text: str = "FROM python:3.12\n") -> None:
    for rel in rels:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_finds_nested_dockerfiles_and_skips_known_folders(tmp_path: Path):
    _write(tmp_path, [
        "Dockerfile", "a/b/c/d/Dockerfile", "svc/api.Dockerfile", "svc/Dockerfile.prod", "svc/Containerfile",
        "svc/notes.txt", "svc/Dockerfile.dockerignore",
        ".git/Dockerfile", "node_modules/x/Dockerfile", ".venv/lib/Dockerfile", "vendor/y/Dockerfile",
        "third_party/z/Dockerfile", "deep/node_modules/Dockerfile", "env/pyvenv.cfg", "env/Dockerfile",
        ".github/docker/Dockerfile",
    ])
    found = discover(tmp_path)
    assert found.files == sorted([
        ".github/docker/Dockerfile", "Dockerfile", "a/b/c/d/Dockerfile", "svc/Containerfile",
        "svc/Dockerfile.prod", "svc/api.Dockerfile"])
    assert found.reported == []
    assert found.root == os.path.realpath(tmp_path)
    assert {".git", "node_modules", ".venv", "vendor", "third_party"} <= SKIP_DIRS


def test_gitignore_nested_and_negated(tmp_path: Path):
    (tmp_path / ".gitignore").write_text("# comment\n\ngenerated/\n*.gen.Dockerfile\n/top-only/\n",
                                         encoding="utf-8")
    _write(tmp_path, ["generated/Dockerfile", "x/generated/Dockerfile", "a.gen.Dockerfile",
                      "sub/b.gen.Dockerfile", "sub/keep.gen.Dockerfile", "top-only/Dockerfile",
                      "sub/top-only/Dockerfile", "sub/Dockerfile", "sub/inner/Dockerfile"])
    (tmp_path / "sub" / ".gitignore").write_text("!keep.gen.Dockerfile\ninner/\n", encoding="utf-8")
    assert discover(tmp_path).files == ["sub/Dockerfile", "sub/keep.gen.Dockerfile",
                                        "sub/top-only/Dockerfile"]
    # gitignore=False looks at everything (but still skips .git etc.)
    assert len(discover(tmp_path, gitignore=False).files) == 9


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_gitignore_semantics_match_git(tmp_path: Path):
    root = tmp_path / "repo"
    rels = []
    for folder in ["", "a/", "a/b/", "docs/", "docs/x/", "build/", "a/build/", "keep/", "logs/", "tmp/",
                   "a/tmp/", "c/d/e/", "Data/", "data/"]:
        for name in ["Dockerfile", "app.Dockerfile", "Dockerfile.old", "Dockerfile.a", "Dockerfile.c",
                     "x.gen.Dockerfile"]:
            rels.append(folder + name)
    _write(root, rels)
    (root / ".gitignore").write_text(
        "\n".join([
            "*.gen.Dockerfile", "!a/**/x.gen.Dockerfile", "/docs/**/Dockerfile", "build", "**/tmp/",
            "Dockerfile.old", "Dockerfile.[ab]", "c/**/e/", "data/", "keep/*", "!keep/Dockerfile",
        ]) + "\n", encoding="utf-8")
    (root / "a" / ".gitignore").write_text("app.Dockerfile\n!Dockerfile.old\n", encoding="utf-8")
    (root / "a" / "b" / ".gitignore").write_text("!app.Dockerfile\n/Dockerfile\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("Dockerfile.c\n", encoding="utf-8")
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=root,
                            capture_output=True, check=True).stdout.decode().split("\0")
    expected = sorted(p for p in listed if p and is_dockerfile_name(p.rsplit("/", 1)[-1]))
    assert expected  # the patterns leave some files
    assert discover(root).files == expected

    # ROOT below the work tree's top: the .gitignore files above it apply.
    sub = discover(root / "a")
    assert sub.files == sorted(p[len("a/"):] for p in expected if p.startswith("a/"))


def test_exclude_patterns(tmp_path: Path):
    _write(tmp_path, ["svc/a/Dockerfile", "svc/b/Dockerfile", "legacy/Dockerfile", "x/old.Dockerfile",
                      "x/Dockerfile"])
    found = discover(tmp_path, [(tmp_path, ["legacy/", "*.Dockerfile", "/svc/b"])])
    assert found.files == ["svc/a/Dockerfile", "x/Dockerfile"]
    # Patterns of a config file above ROOT are relative to the config's folder.
    found = discover(tmp_path / "svc", [(tmp_path, ["svc/a/"])])
    assert found.files == ["b/Dockerfile"]
    # ... and a base below ROOT only applies below it.
    found = discover(tmp_path, [(tmp_path / "svc", ["Dockerfile"])])
    assert found.files == ["legacy/Dockerfile", "x/Dockerfile", "x/old.Dockerfile"]


def test_symlinks(tmp_path: Path):
    outside = tmp_path / "outside"
    _write(outside, ["Dockerfile", "dir/Dockerfile"])
    root = tmp_path / "root"
    _write(root, ["real/Dockerfile", "other/app.txt"])
    os.symlink("..", root / "real" / "up")                      # loop: an ancestor
    os.symlink(".", root / "self")                              # loop: itself
    os.symlink("b", root / "a")                                 # loop: a -> b -> a
    os.symlink("a", root / "b")
    os.symlink(outside / "dir", root / "escape")                # a folder outside ROOT
    os.symlink(outside / "Dockerfile", root / "other" / "Dockerfile")  # a file outside ROOT
    os.symlink("../real/Dockerfile", root / "other" / "Dockerfile.link")  # inside: migrated at its target
    os.symlink("real", root / "alias")                          # a folder inside: walked at its real place
    os.symlink("missing", root / "other" / "Containerfile")     # broken
    os.symlink("missing", root / "other" / "notes")             # broken, not a Dockerfile: silent
    found = discover(root)
    assert found.files == ["real/Dockerfile"]
    assert found.reported == [
        Reported("a", "symlink-loop", "symlink loop (b), not followed"),
        Reported("b", "symlink-loop", "symlink loop (a), not followed"),
        Reported("escape", "symlink-outside", f"symlink to {outside / 'dir'}, outside ROOT; not followed"),
        Reported("other/Containerfile", "broken-symlink", "broken symlink to missing"),
        Reported("other/Dockerfile", "symlink-outside",
                 f"symlink to {outside / 'Dockerfile'}, outside ROOT; not followed"),
        Reported("real/up", "symlink-loop",
                 "symlink loop: points to .., a folder that contains it; not followed"),
        Reported("self", "symlink-loop", "symlink loop: points to ., a folder that contains it; not followed"),
    ]
    # ROOT itself may be a symlink.
    os.symlink(root, tmp_path / "root-link")
    assert discover(tmp_path / "root-link").files == ["real/Dockerfile"]


def test_special_files_and_unreadable_folders(tmp_path: Path):
    _write(tmp_path, ["ok/Dockerfile"])
    os.mkfifo(tmp_path / "ok" / "Dockerfile.fifo")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "Dockerfile").write_text("FROM x\n", encoding="utf-8")
    locked.chmod(0)
    try:
        found = discover(tmp_path)
    finally:
        locked.chmod(0o755)
    assert "ok/Dockerfile" in found.files
    assert Reported("ok/Dockerfile.fifo", "not-regular",
                    "named like a Dockerfile but not a regular file") in found.reported
    if os.geteuid() != 0:  # root reads anything
        assert any(r.path == "locked" and r.kind == "unreadable" for r in found.reported)


def test_bad_roots(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "missing")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        discover(tmp_path / "file")

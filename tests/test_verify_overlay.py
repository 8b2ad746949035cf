"""verify builds the migrated image from the build context as the migration
leaves it: a temporary copy (hard links) with the migration's context files
applied, the user's files never written. No builder: a stand-in records what
each build would have read."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
from pathlib import Path

import pytest

from migrator.model.results import ContextFile
from migrator.verify import overlay
from migrator.verify.builders import Builder
from migrator.verify.compare import BuildOutcome
from migrator.verify.overlay import OverlayError, left_out, needs_copy, remove_tree, stage_context
from migrator.verify.session import Request, verify

SETTINGS = 'SECRET_KEY = "x"\nINSTALLED_APPS = []\n'
EDITED = SETTINGS + 'APP_VERSION = "development"\n'


def make_context(root: Path) -> Path:
    """A small Django-like build context."""
    (root / "mysite").mkdir(parents=True)
    (root / "mysite" / "settings.py").write_text(SETTINGS)
    os.chmod(root / "mysite" / "settings.py", 0o640)
    (root / "mysite" / "__init__.py").write_text("")
    (root / "manage.py").write_text("print('manage')\n")
    os.chmod(root / "manage.py", 0o755)
    (root / "requirements.txt").write_text("Django\n")
    (root / "node_modules" / "left-pad").mkdir(parents=True)
    (root / "node_modules" / "left-pad" / "index.js").write_text("module.exports = 1\n")
    (root / "link-to-manage").symlink_to("manage.py")
    return root


def settings_change() -> ContextFile:
    return ContextFile("mysite/settings.py", SETTINGS, EDITED, "version-file", "reads VERSION.txt")


def snapshot(root: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every path under ``root``: content (or link target) and mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            out[str(path.relative_to(root))] = (os.readlink(path), stat.S_IMODE(st.st_mode))
        elif path.is_file():
            out[str(path.relative_to(root))] = (path.read_bytes(), stat.S_IMODE(st.st_mode))
        else:
            out[str(path.relative_to(root))] = ("<dir>", stat.S_IMODE(st.st_mode))
    return out


# --- the copy ------------------------------------------------------------------------------


def test_only_a_dockerignore_needs_no_copy():
    ignore = ContextFile(".dockerignore", None, ".git\n", "dockerignore")
    assert not needs_copy([ignore])
    assert not needs_copy([])
    assert needs_copy([ignore, settings_change()])


def test_the_copy_links_unchanged_files_and_applies_the_settings_change(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    before = snapshot(context)
    dest = tmp_path / "stage" / "context"
    (tmp_path / "stage").mkdir()
    staged = stage_context(str(context), [settings_change()], str(dest))

    assert staged.copied and staged.root == str(dest)
    assert [(a.path, a.created, a.transform, a.where) for a in staged.applied] == [
        ("mysite/settings.py", False, "version-file", "copy")]
    # the migrated build reads the edited settings, with the file's own mode
    assert (dest / "mysite" / "settings.py").read_text() == EDITED
    assert stat.S_IMODE((dest / "mysite" / "settings.py").stat().st_mode) == 0o640
    # unchanged files are the user's own inodes (no data copied), links stay links
    for name in ("manage.py", "requirements.txt", "mysite/__init__.py"):
        assert (dest / name).stat().st_ino == (context / name).stat().st_ino
    assert (dest / "link-to-manage").is_symlink() and os.readlink(dest / "link-to-manage") == "manage.py"
    assert not os.path.samefile(dest / "mysite" / "settings.py", context / "mysite" / "settings.py")
    assert staged.linked == 5 and staged.copied_files == 0
    # the user's context: not one byte or mode changed
    assert snapshot(context) == before


def test_a_created_file_gets_its_folders_and_mode_0644(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    made = ContextFile("config/app/VERSION.defaults", None, "1.0\n", "some-transform")
    dest = tmp_path / "copy"
    old = os.umask(0o077)
    try:
        stage_context(str(context), [made, settings_change()], str(dest))
    finally:
        os.umask(old)
    assert (dest / "config" / "app" / "VERSION.defaults").read_text() == "1.0\n"
    assert stat.S_IMODE((dest / "config" / "app" / "VERSION.defaults").stat().st_mode) == 0o644
    assert not (context / "config").exists()


def test_a_generated_dockerignore_keeps_ignored_folders_out_of_the_copy(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    staged = stage_context(str(context), [settings_change()], str(tmp_path / "copy"),
                           ignore_texts=["**/node_modules\n.git\n"])
    assert not (tmp_path / "copy" / "node_modules").exists()
    assert (tmp_path / "copy" / "manage.py").is_file()
    assert staged.left_out == 1


def test_a_path_is_left_out_only_when_every_ignore_file_excludes_it(tmp_path: Path):
    from migrator.verify.overlay import ignore_rules

    both = ignore_rules(["node_modules\n*.log\n", "node_modules\n"])
    assert left_out(both, "node_modules", is_dir=True)
    assert not left_out(both, "app.log", is_dir=False)   # .containerignore may be the one read
    assert not left_out([], "node_modules", is_dir=True)
    # an exception line may bring back a file below an excluded folder: walk in, drop only excluded files
    excepted = ignore_rules(["node_modules\n!node_modules/keep.js\n"])
    assert not left_out(excepted, "node_modules", is_dir=True)
    assert left_out(excepted, "node_modules/drop.js", is_dir=False)
    assert not left_out(excepted, "node_modules/keep.js", is_dir=False)
    # the ignore files themselves stay: the builder reads them from the context
    assert not left_out(ignore_rules([".dockerignore\n"]), ".dockerignore", is_dir=False)


def test_across_devices_files_are_copied_with_their_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls = []

    def no_link(src, dst, **_kw):
        calls.append(src)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    context = make_context(tmp_path / "ctx")
    monkeypatch.setattr(overlay.os, "link", no_link)
    dest = tmp_path / "copy"
    staged = stage_context(str(context), [settings_change()], str(dest))
    assert len(calls) == 1   # the first EXDEV: no link is tried again
    assert staged.linked == 0 and staged.copied_files == 5
    assert (dest / "manage.py").read_text() == "print('manage')\n"
    assert stat.S_IMODE((dest / "manage.py").stat().st_mode) == 0o755
    assert (dest / "manage.py").stat().st_ino != (context / "manage.py").stat().st_ino
    assert (dest / "mysite" / "settings.py").read_text() == EDITED
    assert (context / "mysite" / "settings.py").read_text() == SETTINGS


def test_a_settings_file_changed_since_the_migration_is_refused(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    (context / "mysite" / "settings.py").write_text(SETTINGS + "DEBUG = True\n")
    with pytest.raises(OverlayError, match="changed on disk since the migration read it"):
        stage_context(str(context), [settings_change()], str(tmp_path / "copy"))
    assert (context / "mysite" / "settings.py").read_text() == SETTINGS + "DEBUG = True\n"


def test_a_file_to_create_that_exists_is_refused(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    with pytest.raises(OverlayError, match="the build context has it"):
        stage_context(str(context), [ContextFile("manage.py", None, "x\n", "t")], str(tmp_path / "copy"))
    assert (context / "manage.py").read_text() == "print('manage')\n"


def test_a_path_through_a_link_out_of_the_copy_is_never_written(tmp_path: Path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "settings.py").write_text(SETTINGS)
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "mysite").symlink_to(outside)
    with pytest.raises(OverlayError, match="leaves the build context through a symbolic link"):
        stage_context(str(context), [settings_change()], str(tmp_path / "copy"))
    assert (outside / "settings.py").read_text() == SETTINGS


def test_a_link_inside_the_context_is_applied_to_its_target_in_the_copy(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    (context / "settings.py").symlink_to("mysite/settings.py")
    dest = tmp_path / "copy"
    stage_context(str(context), [ContextFile("settings.py", SETTINGS, EDITED, "t")], str(dest))
    assert (dest / "settings.py").is_symlink() and (dest / "mysite" / "settings.py").read_text() == EDITED
    assert (context / "mysite" / "settings.py").read_text() == SETTINGS


def test_the_verifications_own_folder_inside_the_context_is_not_copied(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    own = context / "tmp-verify"
    own.mkdir()
    dest = own / "context"
    stage_context(str(context), [settings_change()], str(dest), avoid=str(own))
    assert not (dest / "tmp-verify").exists() and (dest / "manage.py").is_file()


def test_read_only_folders_are_written_and_removed_without_touching_linked_files(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    os.chmod(context / "mysite", 0o555)
    try:
        dest = tmp_path / "stage" / "context"
        (tmp_path / "stage").mkdir()
        stage_context(str(context), [settings_change()], str(dest))
        assert stat.S_IMODE((dest / "mysite").stat().st_mode) == 0o555   # as in the context
        assert (dest / "mysite" / "settings.py").read_text() == EDITED
        remove_tree(str(tmp_path / "stage"))
        assert not (tmp_path / "stage").exists()
        assert stat.S_IMODE((context / "mysite").stat().st_mode) == 0o555
        assert stat.S_IMODE((context / "manage.py").stat().st_mode) == 0o755
        assert (context / "mysite" / "settings.py").read_text() == SETTINGS
    finally:
        os.chmod(context / "mysite", 0o755)


# --- the session: what each build reads ----------------------------------------------------


class Recorder(Builder):
    """A builder stand-in: each build records its context and what the
    migrated build would read, then reports a failed build (so nothing is
    inspected); ``interrupt`` raises Ctrl-C in the migrated build."""

    name = "recorder"

    def __init__(self, interrupt: bool = False) -> None:
        super().__init__("recorder")
        self.seen: dict[str, dict] = {}
        self.interrupt = interrupt

    def build(self, dockerfile, context, tag, log, on_step=None, timeout=None, on_image=None):
        label = tag.rsplit(":", 1)[1]
        settings = Path(context) / "mysite" / "settings.py"
        ignore = Path(dockerfile + ".dockerignore")
        self.seen[label] = {
            "context": context,
            "dockerfile": Path(dockerfile).read_text(),
            "settings": settings.read_text() if settings.is_file() else None,
            "ignore": ignore.read_text() if ignore.is_file() else None,
            "node_modules": (Path(context) / "node_modules").exists(),
        }
        if self.interrupt and label == "migrated":
            raise KeyboardInterrupt
        return BuildOutcome(False, 0.0, "recorded only")

    def image_ids(self):
        return None

    def cleanup(self, tags, images, before):
        return []


def request_for(context: Path, files, tmp_path: Path) -> Request:
    (context / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY . .\n")
    return Request(dockerfile=str(context / "Dockerfile"), context=str(context),
                   migrated_text="FROM python:3.12-slim\nCOPY . .\nUSER 10001\n",
                   log_path=str(tmp_path / "verify.log"), context_files=tuple(files))


def test_the_migrated_build_reads_the_copy_and_the_original_the_users_context(tmp_path: Path):
    from rich.console import Console

    from migrator.verify.report import json_document, render

    context = make_context(tmp_path / "ctx")
    ignore = ContextFile(".dockerignore", None, "**/node_modules\n", "dockerignore")
    request = request_for(context, [settings_change(), ignore], tmp_path)
    before = snapshot(context)
    builder = Recorder()
    outcome = verify(builder, request)

    original, migrated = builder.seen["original"], builder.seen["migrated"]
    assert original["context"] == str(context) and original["settings"] == SETTINGS
    assert migrated["context"] != str(context) and migrated["settings"] == EDITED
    assert migrated["ignore"] == "**/node_modules\n"      # still beside the migrated Dockerfile
    assert migrated["node_modules"] is False               # ignored: not copied
    assert not os.path.exists(migrated["context"])         # the copy is gone
    assert snapshot(context) == before                     # and the user's files are as they were
    assert [a.path for a in outcome.context.applied] == ["mysite/settings.py", ".dockerignore"]

    doc = json_document(outcome, dockerfile="Dockerfile", context=str(context), builder="recorder", log_path="x")
    assert json.loads(json.dumps(doc))["context_files"] == [
        {"path": "mysite/settings.py", "created": False, "transform": "version-file", "where": "copy"},
        {"path": ".dockerignore", "created": True, "transform": "dockerignore", "where": "copy"}]
    assert doc["migrated_context"] == "copy"
    out = io.StringIO()
    render(Console(file=out, width=250), outcome, dockerfile="Dockerfile", builder="recorder", log_path="x")
    shown = out.getvalue()
    assert "context files" in shown and "mysite/settings.py (changed by version-file)" in shown
    assert "applied in a temporary copy of the build context" in shown
    log = (tmp_path / "verify.log").read_text()
    assert "applied: mysite/settings.py (changed by version-file), in the copy" in log


def test_only_a_dockerignore_builds_from_the_users_context(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    ignore = ContextFile(".dockerignore", None, ".git\n", "dockerignore")
    builder = Recorder()
    outcome = verify(builder, request_for(context, [ignore], tmp_path))
    assert builder.seen["migrated"]["context"] == str(context)
    assert builder.seen["migrated"]["ignore"] == ".git\n"
    assert not outcome.context.copied
    assert [(a.path, a.where) for a in outcome.context.applied] == [(".dockerignore", "ignore file")]
    assert not (context / ".dockerignore").exists()


def test_an_interrupted_build_removes_the_copy(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    request = request_for(context, [settings_change()], tmp_path)
    before = snapshot(context)
    builder = Recorder(interrupt=True)
    with pytest.raises(KeyboardInterrupt):
        verify(builder, request)
    assert builder.seen["migrated"]["settings"] == EDITED
    assert not os.path.exists(builder.seen["migrated"]["context"])
    assert snapshot(context) == before


def test_a_context_file_that_cant_be_applied_is_an_os_error_and_leaves_nothing(tmp_path: Path):
    context = make_context(tmp_path / "ctx")
    stale = ContextFile("mysite/settings.py", "OLD = 1\n", EDITED, "version-file")
    builder = Recorder()
    with pytest.raises(OSError, match="changed on disk"):
        verify(builder, request_for(context, [stale], tmp_path))
    assert builder.seen == {}
    assert (context / "mysite" / "settings.py").read_text() == SETTINGS


def test_the_version_file_fixture_builds_with_its_settings_edit(tmp_path: Path):
    """The e2e fixture's migration writes the settings module: the copy has
    it, the fixture folder does not."""
    from migrator.cli.verify import _migrate

    fixture = Path(__file__).parent / "e2e" / "fixtures" / "django-writable-folders-version"
    dockerfile = fixture / "Dockerfile"
    text, files, _root_kept = _migrate(str(dockerfile), dockerfile.read_text(), False, str(fixture))
    assert "ARG APP_VERSION=development" in text
    assert needs_copy(files) and "mysite/settings.py" in [f.path for f in files]
    dest = tmp_path / "copy"
    stage_context(str(fixture), files, str(dest))
    assert "APP_VERSION = " in (dest / "mysite" / "settings.py").read_text()
    assert "APP_VERSION" not in (fixture / "mysite" / "settings.py").read_text()

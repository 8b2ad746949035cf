"""The opt-in version-file transform and its libcst codemod of the Django
settings module (:mod:`migrator.context.django_version`)."""

from __future__ import annotations

import difflib
import runpy
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli
from migrator.context import BuildContext
from migrator.context.django_version import add_app_version, version_path_expr
from migrator.engine import migrate_text, transforms_for
from migrator.options import Options

DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
"""

MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n'

ODD_SETTINGS = '''\
"""Settings, with comments and odd formatting the codemod must keep."""
import os   # two spaces before this comment
from pathlib import (
    Path,
)

BASE_DIR = os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))   # the project folder
)
DEBUG    =   False ;  ALLOWED_HOSTS = [ 'example.com' ,
   "localhost" ]

if DEBUG:
\tINTERNAL_IPS = ["127.0.0.1"]   # tab indented

# trailing comment, no statement after it
'''


def project(root: Path, settings: str = ODD_SETTINGS) -> Path:
    (root / "mysite").mkdir(parents=True, exist_ok=True)
    (root / "mysite" / "__init__.py").write_text("")
    (root / "mysite" / "settings.py").write_text(settings)
    (root / "manage.py").write_text(MANAGE)
    (root / "requirements.txt").write_text("django\n")
    (root / ".dockerignore").write_text(".git\n")
    return root


def options(root: Path | None, **kw) -> Options:
    return Options(extend_select=frozenset({"version-file"}), context=BuildContext.at(root) if root else None, **kw)


def only_insertions(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with text inserted and nothing else
    changed: every byte of ``before`` is kept, in order."""
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return all(op in ("equal", "insert") for op, *_ in ops)


def test_codemod_keeps_every_untouched_byte_and_the_result_runs(tmp_path: Path):
    edited = add_app_version(ODD_SETTINGS, "/app/mysite/settings.py", "/app")
    assert edited.output is not None and only_insertions(ODD_SETTINGS, edited.output)
    assert edited.output.startswith(ODD_SETTINGS.rsplit("\n# trailing comment", 1)[0])
    assert "Path(__file__).resolve().parent.parent / \"VERSION.txt\"" in edited.output
    assert "from pathlib import Path\n" not in edited.output     # the file's own import is used
    compile(edited.output, "settings.py", "exec")
    settings = tmp_path / "proj" / "mysite" / "settings.py"
    settings.parent.mkdir(parents=True)
    settings.write_text(edited.output)
    assert runpy.run_path(str(settings))["APP_VERSION"] == "development"
    (tmp_path / "proj" / "VERSION.txt").write_text("1.4.2\n")
    values = runpy.run_path(str(settings))
    assert values["APP_VERSION"] == "1.4.2" and values["BASE_DIR"] == str(tmp_path / "proj")


def test_codemod_adds_the_pathlib_import_after_the_imports_and_keeps_crlf(tmp_path: Path):
    text = '"""doc"""\r\nimport os\r\n\r\nX = os.sep  # keep\r\n'
    edited = add_app_version(text, "/srv/app/conf/settings.py", "/srv/app")
    assert only_insertions(text, edited.output)
    assert edited.output.startswith('"""doc"""\r\nimport os\r\nfrom pathlib import Path\r\n\r\nX = os.sep  # keep\r\n')
    assert "\n" not in edited.output.replace("\r\n", "")
    assert "with `from pathlib import Path`" in edited.reason
    path = tmp_path / "conf" / "settings.py"
    path.parent.mkdir()
    path.write_bytes(edited.output.encode())
    (tmp_path / "VERSION.txt").write_text("abc\n")
    assert runpy.run_path(str(path))["APP_VERSION"] == "abc"


def test_codemod_a_second_run_changes_nothing_and_an_existing_app_version_is_kept():
    once = add_app_version(ODD_SETTINGS, "/app/mysite/settings.py", "/app").output
    again = add_app_version(once, "/app/mysite/settings.py", "/app")
    assert again.output is None and "already" in again.reason
    inside_if = "import os\nif os.environ.get('V'):\n    APP_VERSION = '1'\n"
    assert add_app_version(inside_if, None, "/app").output is None


def test_codemod_an_unparsable_file_is_a_reason_not_an_error():
    edited = add_app_version("def broken(:\n", "/app/s.py", "/app")
    assert edited.output is None and edited.reason.startswith("libcst can't parse it")


@pytest.mark.parametrize("settings_path, expected", [
    ("/app/mysite/settings.py", 'Path(__file__).resolve().parent.parent / "VERSION.txt"'),
    ("/app/config/settings/base.py", 'Path(__file__).resolve().parent.parent.parent / "VERSION.txt"'),
    ("/app/settings.py", 'Path(__file__).resolve().parent / "VERSION.txt"'),
    ("/srv/other/settings.py", 'Path("/app") / "VERSION.txt"'),
    (None, 'Path("/app") / "VERSION.txt"'),
])
def test_the_version_file_is_reckoned_from_the_settings_file(settings_path, expected):
    assert version_path_expr("Path", settings_path, "/app") == expected


def test_opt_in_only(tmp_path: Path):
    assert "version-file" not in [t.id for t in transforms_for(Options())]
    assert "version-file" in [t.id for t in transforms_for(options(None))]
    assert "version-file" not in [t.id for t in transforms_for(Options(select=frozenset({"venv"})))]
    assert [t.id for t in transforms_for(Options(select=frozenset({"venv"}), extend_select=frozenset(
        {"version-file"})))] == ["venv", "version-file"]
    assert "version-file" not in [t.id for t in transforms_for(Options(
        extend_select=frozenset({"version-file"}), ignore=frozenset({"version-file"})))]


def test_the_dockerfile_and_the_settings_change_together(tmp_path: Path):
    root = project(tmp_path)
    result = migrate_text(DOCKERFILE, options(root), "Dockerfile")
    assert result.status.value == "migrated"
    lines = result.output.splitlines()
    arg, write, user = (lines.index("ARG APP_VERSION=development"),
                        lines.index("RUN printf '%s\\n' \"$APP_VERSION\" > /app/VERSION.txt"),
                        lines.index("USER 10001:10001"))
    assert arg + 1 == write and write + 1 == user
    [settings] = result.context_files
    assert settings.path == "mysite/settings.py" and settings.original == ODD_SETTINGS
    assert settings.transform == "version-file" and only_insertions(ODD_SETTINGS, settings.output)
    [change] = [c for c in result.changes if c.transform == "version-file" and c.lines != (0, 0)]
    assert "ARG APP_VERSION=development" in change.reason and "/app/VERSION.txt" in change.reason
    # a second run, on the result and the context as the first run left it, changes neither file
    again = migrate_text(result.output, Options(extend_select=frozenset({"version-file"}),
                                                context=BuildContext.at(root).with_files(result.context_files)),
                         "Dockerfile")
    assert again.output == result.output and again.context_files == []


def test_no_settings_module_only_the_dockerfile_with_a_note(tmp_path: Path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / ".dockerignore").write_text(".git\n")
    result = migrate_text(DOCKERFILE, options(tmp_path), "Dockerfile")
    assert "ARG APP_VERSION=development" in result.output and result.context_files == []
    assert any(n.startswith("version-file: no Django settings module found") for n in result.notes)
    stdin = migrate_text(DOCKERFILE, options(None), "-")
    assert "ARG APP_VERSION=development" in stdin.output
    assert any("no build context" in n for n in stdin.notes)


def test_an_unparsable_settings_module_keeps_the_dockerfile_part(tmp_path: Path):
    root = project(tmp_path, "X = [\n")
    result = migrate_text(DOCKERFILE, options(root), "Dockerfile")
    assert "ARG APP_VERSION=development" in result.output and result.context_files == []
    assert any(n.startswith("version-file: mysite/settings.py: libcst can't parse it") for n in result.notes)


def test_a_stage_that_writes_version_txt_already_keeps_its_dockerfile(tmp_path: Path):
    root = project(tmp_path)
    dockerfile = DOCKERFILE.replace("EXPOSE", 'ARG APP_VERSION=development\nRUN echo "${APP_VERSION}" > '
                                              "/app/VERSION.txt\nEXPOSE")
    result = migrate_text(dockerfile, options(root, select=frozenset({"version-file"})), "Dockerfile")
    assert result.output == dockerfile and [f.path for f in result.context_files] == ["mysite/settings.py"]
    assert any("writes VERSION.txt already" in n for n in result.notes)


def test_base_settings_that_set_installed_apps_get_the_lines(tmp_path: Path):
    root = project(tmp_path, "")
    (root / "manage.py").write_text(MANAGE.replace("mysite.settings", "config.settings.production"))
    (root / "config" / "settings").mkdir(parents=True)
    (root / "config" / "__init__.py").write_text("")
    (root / "config" / "settings" / "__init__.py").write_text("")
    (root / "config" / "settings" / "base.py").write_text("INSTALLED_APPS = ['django.contrib.admin']\n")
    (root / "config" / "settings" / "production.py").write_text("from .base import *  # noqa\nDEBUG = False\n")
    result = migrate_text(DOCKERFILE, options(root), "Dockerfile")
    [settings] = result.context_files
    assert settings.path == "config/settings/base.py"
    assert 'Path(__file__).resolve().parent.parent.parent / "VERSION.txt"' in settings.output


def test_distroless_final_stage_is_refused():
    result = migrate_text("FROM gcr.io/distroless/static-debian12\nCOPY app /app\nCMD [\"/app\"]\n",
                          options(None, select=frozenset({"version-file"})), "Dockerfile")
    assert any(r.transform == "version-file" and "no /bin/sh" in r.reason for r in result.refusals)


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_diff_spans_two_files_and_git_apply_accepts_it(tmp_path: Path, monkeypatch):
    root = project(tmp_path / "repo")
    (root / "Dockerfile").write_text(DOCKERFILE)
    assert git("init", "-q", cwd=root).returncode == 0
    monkeypatch.chdir(root)
    runner = CliRunner()
    res = runner.invoke(cli, ["diff", "--extend-select", "version-file", "Dockerfile"], catch_exceptions=False)
    assert res.exit_code == 0
    assert "+++ b/Dockerfile\n" in res.output and "+++ b/mysite/settings.py\n" in res.output
    (tmp_path / "p.diff").write_text(res.output)
    check = git("apply", "--check", str(tmp_path / "p.diff"), cwd=root)
    assert check.returncode == 0, check.stderr
    assert git("apply", str(tmp_path / "p.diff"), cwd=root).returncode == 0
    assert "APP_VERSION = APP_VERSION_FILE.read_text" in (root / "mysite" / "settings.py").read_text()
    # the applied tree: a second run changes neither file
    again = runner.invoke(cli, ["diff", "--extend-select", "version-file", "Dockerfile"], catch_exceptions=False)
    assert again.exit_code == 0 and "+++" not in again.output     # (split: "skipped: already multi-stage")


def test_configuration_extend_select_and_apply_then_check(tmp_path: Path, monkeypatch):
    root = project(tmp_path)
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / ".dockerfile-migrator.toml").write_text('extend-select = ["version-file"]\n')
    monkeypatch.chdir(root)
    runner = CliRunner()
    res = runner.invoke(cli, ["apply", "Dockerfile"], catch_exceptions=False)
    assert res.exit_code == 0 and "mysite/settings.py: changed (version-file)" in res.output
    assert "ARG APP_VERSION=development" in (root / "Dockerfile").read_text()
    assert runner.invoke(cli, ["check", "Dockerfile"], catch_exceptions=False).exit_code == 0


def test_batch_patch_spans_two_files_and_applies(tmp_path: Path):
    root = project(tmp_path / "mono" / "svc")
    (root / "Dockerfile").write_text(DOCKERFILE)
    mono = tmp_path / "mono"
    patch = tmp_path / "all.patch"
    res = CliRunner().invoke(cli, ["batch", str(mono), "--jobs", "1", "--extend-select", "version-file",
                                   "--patch", str(patch), "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0
    text = patch.read_text()
    assert "+++ b/svc/Dockerfile" in text and "+++ b/svc/mysite/settings.py" in text
    assert git("init", "-q", cwd=mono).returncode == 0
    check = git("apply", "--check", str(patch), cwd=mono)
    assert check.returncode == 0, check.stderr


def test_transforms_lists_each_with_its_default():
    res = CliRunner().invoke(cli, ["transforms"], catch_exceptions=False)
    rows = {line.split()[0]: line.split()[1] for line in res.output.splitlines()[1:]}
    assert rows["version-file"] == "off" and rows["non-root-user"] == "on"
    assert set(rows.values()) == {"on", "off"}

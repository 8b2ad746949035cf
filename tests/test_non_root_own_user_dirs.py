"""non-root-user on a file that already runs as its own non-root user: the
user is kept, and the folders its Django settings write at run time that no
instruction makes are made and given to that user before its USER line (or a
note says why they can't be)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.options import Options

ONLY = frozenset({"non-root-user"})

SETTINGS = """\
MEDIA_ROOT = "/srv/media"
LOGGING = {"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "/srv/logs/app.log"}}}
"""


@pytest.fixture()
def context(tmp_path: Path) -> Path:
    (tmp_path / "mysite").mkdir()
    (tmp_path / "mysite" / "__init__.py").write_text("")
    (tmp_path / "mysite" / "settings.py").write_text(SETTINGS)
    return tmp_path


def migrate(text: str, context: Path):
    return migrate_text(textwrap.dedent(text).lstrip("\n"),
                        Options(select=ONLY, context=BuildContext.at(context)))


def dockerfile(before_user: str = "", user: str = "app", extra: str = "") -> str:
    return (
        "FROM python:3.12-slim\n"
        "RUN useradd --uid 1000 app\n"
        "WORKDIR /app\n"
        "ENV DJANGO_SETTINGS_MODULE=mysite.settings\n"
        "COPY --chown=app . .\n"
        f"{extra}{before_user}USER {user}\n"
        'CMD ["gunicorn", "mysite.wsgi"]\n'
    )


def test_missing_folders_are_made_for_the_files_own_user(context: Path):
    result = migrate(dockerfile(), context)
    assert "RUN mkdir -p /srv/media /srv/logs \\\n    && chown app /srv/media /srv/logs\nUSER app\n" in result.output
    assert "useradd --uid 1000 app\n" in result.output and result.output.count("USER") == 1
    [change] = [c for c in result.changes if c.transform == "non-root-user"]
    assert "MEDIA_ROOT" in change.reason and "LOGGING" in change.reason and "mysite/settings.py" in change.reason


def test_a_folder_the_file_makes_or_mounts_is_left_to_it(context: Path):
    result = migrate(dockerfile(extra="RUN mkdir -p /srv/logs\nVOLUME /srv/media\n"), context)
    assert result.output.count("mkdir") == 1 and not result.changes


def test_a_chown_of_a_folder_holding_it_does_not_make_it(context: Path):
    result = migrate(dockerfile(extra="RUN chown -R app /srv || true\n"), context)
    assert "mkdir -p /srv/media /srv/logs" in result.output


def test_the_user_variable_is_used_as_the_file_resolves_it(context: Path):
    text = dockerfile(user="$APP_USER").replace("WORKDIR", "ENV APP_USER=app\nWORKDIR")
    result = migrate(text, context)
    assert "chown app /srv/media /srv/logs\nUSER $APP_USER\n" in result.output


def test_no_root_before_the_last_user_gives_a_note(context: Path):
    result = migrate(dockerfile(before_user="USER app\nRUN echo hi\n"), context)
    assert "mkdir" not in result.output
    assert any("runs as app before that line" in n and "/srv/media (MEDIA_ROOT)" in n for n in result.notes)


def test_an_unknown_user_variable_gives_a_note(context: Path):
    result = migrate(dockerfile(user="$APP_USER"), context)
    assert "mkdir" not in result.output
    assert any("the user's name is not known" in n for n in result.notes)


def test_without_settings_nothing_changes(tmp_path: Path):
    result = migrate(dockerfile(), tmp_path)
    assert not result.changes and not [n for n in result.notes if n.startswith("non-root-user")]

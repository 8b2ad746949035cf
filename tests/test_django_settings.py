"""Django settings read from the build context with libcst
(:mod:`migrator.context.django`), and what non-root-user makes of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.context import BuildContext
from migrator.context.django import container_of, context_mounts, context_of, read_settings
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options

DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
"""

MANAGE = """\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""


def project(root: Path, settings: str, files: dict[str, str] | None = None, manage: bool = True) -> Path:
    """A Django project at ``root``: manage.py, mysite/settings.py, extra files."""
    (root / "mysite").mkdir(parents=True, exist_ok=True)
    (root / "mysite" / "__init__.py").write_text("")
    (root / "mysite" / "settings.py").write_text(settings)
    (root / "requirements.txt").write_text("django\n")
    if manage:
        (root / "manage.py").write_text(MANAGE)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def read(root: Path, dockerfile: str = DOCKERFILE):
    return read_settings(parse(dockerfile), BuildContext.at(root))


def paths(settings) -> dict[str, str]:
    return {p.setting: p.path for p in settings.paths}


PATH_STYLES = {
    "pathlib-parent-parent": """\
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
MEDIA_ROOT = BASE_DIR / "media"
STATIC_ROOT = BASE_DIR / "staticfiles"
""",
    "os-path-dirname-abspath": """\
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')
""",
    "parents-index-and-chain": """\
import pathlib
ROOT = pathlib.Path(__file__).resolve().parents[1]
BASE_DIR = ROOT
APPS_DIR = BASE_DIR / "mysite"
MEDIA_ROOT = str(APPS_DIR.parent / "media")
STATIC_ROOT = BASE_DIR.joinpath("staticfiles")
""",
    "fstring-and-concatenation": """\
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
MEDIA_ROOT = f"{BASE_DIR}/media"
STATIC_ROOT = BASE_DIR + "/staticfiles"
""",
}


@pytest.mark.parametrize("style", sorted(PATH_STYLES))
def test_each_path_style_resolves_to_container_paths(tmp_path: Path, style: str):
    settings = read(project(tmp_path, PATH_STYLES[style]))
    assert settings.module == "mysite.settings" and settings.found_by == "manage.py"
    assert settings.path == "mysite/settings.py" and settings.container_path == "/app/mysite/settings.py"
    assert paths(settings) == {"MEDIA_ROOT": "/app/media", "STATIC_ROOT": "/app/staticfiles"}
    assert settings.notes == ()


def test_staticfiles_dirs_logging_files_and_sqlite(tmp_path: Path):
    settings = read(project(tmp_path, """\
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
STATICFILES_DIRS = [BASE_DIR / "static", ("vue", BASE_DIR / "frontend" / "dist")]
LOGGING = {
    "version": 1,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "file": {"class": "logging.FileHandler", "filename": BASE_DIR / "logs" / "app.log"},
    },
}
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "data" / "db.sqlite3"},
    "other": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"},
    "memory": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
"""))
    assert paths(settings) == {
        "STATICFILES_DIRS[0]": "/app/static",
        "STATICFILES_DIRS[1]": "/app/frontend/dist",
        'LOGGING["handlers"]["file"]["filename"]': "/app/logs/app.log",
        'DATABASES["default"]["NAME"]': "/app/data/db.sqlite3",
    }
    assert settings.runtime_dirs() == [("/app/logs", 'LOGGING["handlers"]["file"]["filename"]'),
                                       ("/app/data", 'DATABASES["default"]["NAME"]')]


def test_environ_get_uses_the_default_and_says_so_or_the_dockerfile_env(tmp_path: Path):
    root = project(tmp_path, """\
import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
STATIC_ROOT = os.getenv("STATIC_ROOT", "/srv/static")
""")
    settings = read(root)
    assert paths(settings) == {"MEDIA_ROOT": "/app/media", "STATIC_ROOT": "/srv/static"}
    assert any("no ENV sets MEDIA_ROOT" in n and "default is used" in n for n in settings.notes)
    [media] = settings.get("MEDIA_ROOT")
    assert len(media.notes) == 1 and "MEDIA_ROOT" in media.notes[0]
    assert settings.get("STATIC_ROOT")[0].notes != media.notes
    with_env = read(root, DOCKERFILE.replace("WORKDIR /app\n", "WORKDIR /app\nENV MEDIA_ROOT=/data/media\n"))
    assert paths(with_env)["MEDIA_ROOT"] == "/data/media"
    assert any("the Dockerfile's ENV gives MEDIA_ROOT='/data/media'" in n for n in with_env.notes)


def test_unresolvable_values_are_skipped_with_a_note(tmp_path: Path):
    settings = read(project(tmp_path, """\
import environ
env = environ.Env()
MEDIA_ROOT = env("MEDIA_ROOT")
STATIC_ROOT = os.environ["NOPE"]
"""))
    assert settings.paths == ()
    assert any(n.startswith("MEDIA_ROOT: `env(\"MEDIA_ROOT\")`") and n.endswith("skipped") for n in settings.notes)
    assert any(n.startswith("STATIC_ROOT:") and "no ENV of the Dockerfile sets NOPE" in n for n in settings.notes)


def test_a_relative_path_is_taken_from_the_working_directory(tmp_path: Path):
    settings = read(project(tmp_path, 'MEDIA_ROOT = "uploads"\n'))
    assert paths(settings) == {"MEDIA_ROOT": "/app/uploads"}
    assert any("relative" in n for n in settings.notes)


def test_a_file_libcst_cannot_parse_is_a_note_not_a_failure(tmp_path: Path):
    root = project(tmp_path, "MEDIA_ROOT = (\n  # never closed\n")
    settings = read(root)
    assert settings.path == "mysite/settings.py" and not settings.parsed and settings.paths == ()
    assert any("libcst can't parse it" in n for n in settings.notes)
    result = migrate_text(DOCKERFILE, Options(context=BuildContext.at(root)), "Dockerfile")
    assert result.status.value == "migrated"
    assert any("libcst can't parse it" in n for n in result.notes)


def test_a_settings_module_missing_from_the_context_falls_back(tmp_path: Path):
    root = project(tmp_path, "")
    (root / "mysite" / "settings.py").unlink()
    settings = read(root)
    assert settings.module == "mysite.settings" and settings.path is None and settings.paths == ()
    assert any("is not a file of the build context" in n for n in settings.notes)
    result = migrate_text(DOCKERFILE, Options(context=BuildContext.at(root)), "Dockerfile")
    assert result.status.value == "migrated" and "mkdir" not in result.output.replace("mkdir -p /install && ", "")


def test_no_django_project_no_settings(tmp_path: Path):
    (tmp_path / "app.py").write_text("print('hi')\n")
    assert read(tmp_path) is None
    assert read_settings(parse(DOCKERFILE), None) is None


def test_the_settings_module_from_env_wins_and_star_imports_are_followed(tmp_path: Path):
    root = project(tmp_path, "", files={
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": ("from pathlib import Path\nROOT_DIR = Path(__file__).resolve().parent.parent.parent\n"
                                    "MEDIA_ROOT = ROOT_DIR / 'mediafiles'\nINSTALLED_APPS = []\n"),
        "config/settings/production.py": "from .base import *  # noqa\nSTATIC_ROOT = ROOT_DIR / 'staticfiles'\n",
    })
    dockerfile = DOCKERFILE.replace("WORKDIR /app\n", "WORKDIR /app\nENV DJANGO_SETTINGS_MODULE=config.settings.production\n")
    settings = read(root, dockerfile)
    assert settings.module == "config.settings.production"
    assert settings.found_by == "ENV DJANGO_SETTINGS_MODULE (line 3)"
    assert settings.chain == ("config/settings/base.py", "config/settings/production.py")
    assert paths(settings) == {"MEDIA_ROOT": "/app/mediafiles", "STATIC_ROOT": "/app/staticfiles"}
    assert settings.assigned_by["INSTALLED_APPS"] == "config/settings/base.py"


def test_wsgi_named_by_the_start_command_when_there_is_no_manage_py(tmp_path: Path):
    root = project(tmp_path, "MEDIA_ROOT = '/srv/media'\n", manage=False, files={
        "mysite/wsgi.py": ("import os\nfrom django.core.wsgi import get_wsgi_application\n"
                           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                           "application = get_wsgi_application()\n")})
    settings = read(root)
    assert settings.found_by == "mysite/wsgi.py" and paths(settings) == {"MEDIA_ROOT": "/srv/media"}


def test_a_context_subfolder_copied_elsewhere_maps_to_its_container_path(tmp_path: Path):
    project(tmp_path / "backend", """\
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
MEDIA_ROOT = BASE_DIR / "media"
""")
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY backend/requirements.txt .\n"
                  "RUN pip install -r requirements.txt\nCOPY backend/ .\nCMD [\"gunicorn\", \"mysite.wsgi\"]\n")
    df = parse(dockerfile)
    context = BuildContext.at(tmp_path)
    mounts = context_mounts(df, context)
    assert mounts == (("backend", "/srv/app"),)
    assert container_of(mounts, "backend/mysite/settings.py") == "/srv/app/mysite/settings.py"
    assert context_of(mounts, "/srv/app/manage.py") == "backend/manage.py"
    settings = read_settings(df, context)
    assert settings.path == "backend/mysite/settings.py" and paths(settings) == {"MEDIA_ROOT": "/srv/app/media"}


def test_non_root_user_makes_and_gives_the_runtime_folders_naming_the_setting(tmp_path: Path):
    root = project(tmp_path, """\
import os
BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEDIA_ROOT = os.path.join(BASE_DIR, "mediafiles")
LOGGING = {"version": 1, "handlers": {"f": {"class": "logging.FileHandler",
                                            "filename": os.path.join(BASE_DIR, "logs", "backend", "app.log")},
                                      "sys": {"class": "logging.FileHandler", "filename": "/var/log/app.log"}}}
""")
    result = migrate_text(DOCKERFILE, Options(context=BuildContext.at(root)), "Dockerfile")
    assert "    && mkdir -p /app/mediafiles /app/logs/backend \\\n" in result.output
    assert "    && chown 10001:10001 /app /app/mediafiles /app/logs/backend\n" in result.output
    [user] = [c for c in result.changes if c.transform == "non-root-user"]
    assert "/app/mediafiles (MEDIA_ROOT)" in user.reason
    assert '/app/logs/backend (LOGGING["handlers"]["f"]["filename"])' in user.reason
    assert any("/var/log, a system folder" in n for n in result.notes)
    assert result.output.index("mkdir -p /app/mediafiles") < result.output.index("USER 10001:10001")


def test_a_default_reached_through_a_name_is_noted_on_the_setting_that_uses_it(tmp_path: Path):
    settings = read(project(tmp_path, """\
import os
LOG_DIR = os.environ.get("LOG_DIR", "/app/logs")
SECRET_KEY = os.environ.get("SECRET_KEY", "x")
LOGGING = {"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": LOG_DIR + "/a.log"}}}
"""))
    [log] = settings.get("LOGGING")
    assert log.path == "/app/logs/a.log"
    assert log.notes == ('`os.environ.get("LOG_DIR", "/app/logs")`: no ENV sets LOG_DIR in the Dockerfile; '
                         'its default is used',)


def test_the_pythonpath_of_the_env_is_searched_for_the_settings_module(tmp_path: Path):
    (tmp_path / "src" / "config").mkdir(parents=True)
    (tmp_path / "src" / "config" / "settings.py").write_text("MEDIA_ROOT = '/data/media'\n")
    dockerfile = ("FROM python:3.12-slim\nWORKDIR /app\nENV PYTHONPATH=/app/src DJANGO_SETTINGS_MODULE=config.settings\n"
                  "COPY . .\nCMD [\"gunicorn\", \"config.wsgi\"]\n")
    settings = read(tmp_path, dockerfile)
    assert settings.path == "src/config/settings.py" and paths(settings) == {"MEDIA_ROOT": "/data/media"}


PIPENV_COLLECTSTATIC = """\
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --upgrade pip && pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY . .
RUN pipenv run python manage.py collectstatic --noinput
CMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
"""


@pytest.mark.parametrize("static_root, copied", [
    ('"/var/www/static"', "COPY --from=builder /var/www/static /var/www/static\n"),
    ('BASE_DIR / "staticfiles"', None),
])
def test_collectstatic_output_reaches_the_runtime(tmp_path: Path, static_root: str, copied: str | None):
    root = project(tmp_path, f"from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                             f"STATIC_ROOT = {static_root}\n")
    (root / "Pipfile").write_text("")
    (root / "Pipfile.lock").write_text("{}")
    result = migrate_text(PIPENV_COLLECTSTATIC, Options(context=BuildContext.at(root)), "Dockerfile")
    runtime = result.output.split(" AS runtime\n", 1)[1]
    assert "COPY --chown=10001:10001 --from=builder /app /app\n" in runtime   # STATIC_ROOT in /app comes with it
    [split] = [c for c in result.changes if c.transform == "split-stages"]
    if copied:
        assert copied in runtime
        assert "STATIC_ROOT (/var/www/static) of mysite/settings.py" in split.reason
    else:
        assert "STATIC_ROOT" not in split.reason and "/var/www" not in runtime


def test_a_settings_file_the_image_does_not_get_is_not_read(tmp_path: Path):
    root = project(tmp_path, "MEDIA_ROOT = '/srv/media'\n")
    settings = read(root, "FROM python:3.12-slim\nWORKDIR /app\nCOPY manage.py .\nCMD [\"python\", \"manage.py\"]\n")
    assert settings.path is None and any("is not copied into the image" in n for n in settings.notes)

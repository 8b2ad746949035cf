"""Review 5 E1: a committed ``.env`` the app loads at run time stays in the image.

The dockerignore transform excluded ``**/.env`` even when a source of the
build context loads that file (``load_dotenv()`` then
``os.environ["DATABASE_URL"]``), so the migrated app died at start. Now the
safe ``.dockerignore`` keeps such a file (an exception line naming the
reader), the exclusion is a separate unsafe change, and the note for an
existing ``.dockerignore`` does not ask to exclude it. The readers are found
with the grammars (libcst, tree-sitter JavaScript/TypeScript and Go) by
:mod:`migrator.context.dotenv`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrator.context import BuildContext
from migrator.context.dotenv import is_env_file, read_env_files
from migrator.engine import migrate_text
from migrator.options import Options
from transforms.dockerignore import excluded, parse_ignore

PY = textwrap.dedent("""\
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["python", "app.py"]
""")

NODE = textwrap.dedent("""\
    FROM node:20-slim
    WORKDIR /app
    COPY package.json ./
    RUN npm install --omit=dev
    COPY . .
    CMD {cmd}
""")


def make(folder: Path, files: dict[str, str]) -> BuildContext:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return BuildContext.at(folder)


def migrate(text: str, ctx: BuildContext, unsafe: bool = False):
    return migrate_text(text, Options(context=ctx, unsafe=unsafe))


def ignore_of(result) -> str:
    return next(f.output for f in result.context_files if f.path == ".dockerignore")


def in_image(result, rel: str) -> bool:
    return not excluded(parse_ignore(ignore_of(result)), rel)


APP = {"requirements.txt": "python-dotenv\n", ".env": "DATABASE_URL=sqlite:///db.sqlite3\n",
       "app/database.py": """\
           import os

           from dotenv import load_dotenv

           # the committed .env
           load_dotenv()
           DATABASE_URL = os.environ["DATABASE_URL"]
       """, "app.py": "import app.database\n"}


def test_a_loaded_env_stays_in_the_image_and_its_exclusion_is_offered_as_unsafe(tmp_path):
    result = migrate(PY, make(tmp_path, APP))
    assert in_image(result, ".env")
    assert not in_image(result, ".env.local") and not in_image(result, "sub/.env.production")
    safe = [c for c in result.changes if c.transform == "dockerignore"]
    assert len(safe) == 1 and safe[0].applicability.value == "safe"
    assert "the context's .env (app/database.py:6 load_dotenv() reads it at run time) stays in the image" \
        in safe[0].reason
    assert "secrets belong in the run-time environment" in safe[0].reason
    offers = [r for r in result.refusals if r.transform == "dockerignore"]
    assert len(offers) == 1 and offers[0].unsafe_only
    assert "keeps .env (read at run time by app/database.py:6 load_dotenv()) out of the image" in offers[0].reason


def test_with_unsafe_the_env_is_excluded_as_a_second_change_on_the_same_file(tmp_path):
    result = migrate(PY, make(tmp_path, APP), unsafe=True)
    assert not in_image(result, ".env")
    changes = [c for c in result.changes if c.transform == "dockerignore"]
    assert [c.applicability.value for c in changes] == ["safe", "unsafe"]
    assert [f.path for f in result.context_files] == [".dockerignore"]
    assert result.context_files[0].original is None     # still one file created


def test_an_env_nothing_reads_is_excluded_and_named(tmp_path):
    ctx = make(tmp_path, {"requirements.txt": "flask\n", ".env": "SECRET=x\n", "app.py": "import os\n"})
    result = migrate(PY, ctx)
    assert not in_image(result, ".env")
    reason = next(c.reason for c in result.changes if c.transform == "dockerignore")
    assert ".env files (the context's .env, which no source of the context reads)" in reason
    assert not any(r.transform == "dockerignore" for r in result.refusals)


def test_no_env_file_leaves_the_reason_as_it_was(tmp_path):
    ctx = make(tmp_path, {"requirements.txt": "python-dotenv\n", "app.py": APP["app/database.py"]})
    result = migrate(PY, ctx)
    assert not in_image(result, ".env")
    reason = next(c.reason for c in result.changes if c.transform == "dockerignore")
    assert "keeps .git, .env files, local virtualenvs" in reason and "stays in the image" not in reason


@pytest.mark.parametrize("source", [
    "import dotenv\ndotenv.load_dotenv()\n",
    "from dotenv import dotenv_values as values\nCONFIG = values('.env')\n",
    "from dotenv import load_dotenv, find_dotenv\nload_dotenv(find_dotenv())\n",
    "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n",
    "import environ, os\nenv = environ.Env()\nenv.read_env(os.path.join(BASE_DIR, '.env'))\n",
    "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\n",
    "from pydantic_settings import BaseSettings, SettingsConfigDict\n"
    "class S(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n",
    "from pydantic import BaseSettings\nclass S(BaseSettings):\n    class Config:\n        env_file = '.env'\n",
])
def test_python_readers(tmp_path, source):
    env = read_env_files(make(tmp_path, {".env": "A=1\n", "settings.py": source}))
    assert env.files == (".env",) and env.readers_of(".env"), source


@pytest.mark.parametrize("source", [
    "import os\nprint(os.environ.get('A'))\n",
    "# load_dotenv() is not called here\nfrom dotenv import load_dotenv\n",
    "from dotenv import load_dotenv\nload_dotenv('.env.test')\n",          # reads another file
    "def env_file():\n    return 1\nenv_file()\n",                          # no pydantic
])
def test_python_non_readers(tmp_path, source):
    env = read_env_files(make(tmp_path, {".env": "A=1\n", "settings.py": source}))
    assert env.readers_of(".env") == []


def test_a_computed_path_may_read_any_env_file(tmp_path):
    env = read_env_files(make(tmp_path, {".env.staging": "A=1\n", "s.py":
                                         "import os\nfrom dotenv import load_dotenv\n"
                                         "load_dotenv(os.environ['ENV_FILE'])\n"}))
    assert [r.names for r in env.readers_of(".env.staging")] == [None]


@pytest.mark.parametrize("name, source", [
    ("index.js", "require('dotenv').config();\n"),
    ("index.js", "const dotenv = require('dotenv');\ndotenv.config({ path: '.env' });\n"),
    ("index.mjs", "import 'dotenv/config';\n"),
    ("server.ts", "import * as dotenv from 'dotenv';\ndotenv.config();\n"),
    ("server.ts", "import { config as load } from 'dotenv';\nload();\n"),
    ("main.js", "require('dotenv/config');\n"),
])
def test_javascript_and_typescript_readers(tmp_path, name, source):
    env = read_env_files(make(tmp_path, {".env": "A=1\n", f"src/{name}": source}))
    assert env.readers_of(".env"), source


def test_javascript_that_reads_another_file_or_no_dotenv(tmp_path):
    env = read_env_files(make(tmp_path, {".env": "A=1\n", "a.js": "require('dotenv').config({ path: '.env.test' });\n",
                                         "b.js": "const config = require('./config');\nconfig();\n"}))
    assert env.readers_of(".env") == []


def test_node_env_file_flag_in_cmd_and_package_scripts(tmp_path):
    ctx = make(tmp_path, {".env": "A=1\n", "package.json": '{"name": "a", "scripts": {"start": "node '
                          '--env-file=.env server.js"}}', "server.js": "console.log(process.env.A)\n"})
    result = migrate(NODE.format(cmd='["npm", "start"]'), ctx)
    assert in_image(result, ".env")
    reason = next(c.reason for c in result.changes if c.transform == "dockerignore")
    assert "package.json scripts.start node --env-file=.env" in reason
    result = migrate(NODE.format(cmd='["node", "--env-file", ".env", "server.js"]'),
                     make(tmp_path, {"package.json": '{"name": "a"}'}))
    assert in_image(result, ".env")


def test_go_godotenv_without_argument_reads_dot_env(tmp_path):
    env = read_env_files(make(tmp_path, {".env": "A=1\n", "go.mod": "module x\n\ngo 1.22\n", "main.go": """\
        package main

        import "github.com/joho/godotenv"

        func main() { _ = godotenv.Load() }
    """}))
    assert [str(r) for r in env.readers_of(".env")] and env.readers_of(".env")[0].source == "main.go:5"


def test_env_files_in_skipped_folders_and_templates(tmp_path):
    env = read_env_files(make(tmp_path, {"node_modules/x/.env": "A=1\n", ".venv/.env": "A=1\n",
                                         "api/.env.production": "A=1\n", ".env.example": "A=\n"}))
    assert env.files == (".env.example", "api/.env.production")
    assert is_env_file(".env") and is_env_file(".env.local") and not is_env_file(".envrc")
    assert not is_env_file(".env.")


def test_an_existing_dockerignore_note_does_not_ask_to_exclude_a_read_env(tmp_path):
    ctx = make(tmp_path, {**APP, ".dockerignore": ".git\n"})
    notes = [n for n in migrate(PY, ctx).notes if n.startswith("dockerignore:")]
    assert notes and "add **/.env" not in notes[0]
    assert ".env (app/database.py:6 load_dotenv() reads it at run time)" in notes[0]
    ctx = make(tmp_path / "other", {"requirements.txt": "flask\n", ".env": "A=1\n", ".dockerignore": ".git\n",
                                    "app.py": "print(1)\n"})
    notes = [n for n in migrate(PY, ctx).notes if n.startswith("dockerignore:")]
    assert notes and "add **/.env, **/.env.*, !**/.env.example" in notes[0]


def test_the_walk_is_bounded_and_says_so(tmp_path, monkeypatch):
    import migrator.context.dotenv as dotenv

    ctx = make(tmp_path, {".env": "A=1\n", "a/b/c.py": "from dotenv import load_dotenv\nload_dotenv()\n"})
    assert dotenv.read_env_files(ctx).complete
    monkeypatch.setattr(dotenv, "MAX_FOLDERS", 1)
    env = dotenv.read_env_files(ctx)
    assert not env.complete and env.files == (".env",) and env.readers_of(".env") == []
    result = migrate(PY, ctx)
    reason = next(c.reason for c in result.changes if c.transform == "dockerignore")
    assert "which no source of the context reads, as far as the tool read them" in reason

"""layer-order: the whole-context COPY moves after a dependency install that
reads only manifests, which are copied first (issue 11 item 1)."""

from __future__ import annotations

import json
import textwrap

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import Status
from transforms.layer_order import _dockerignore, _ignored, _requirement_lines
from contexts import context


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(text: str, ctx: BuildContext | None = None):
    return migrate_text(src(text), Options(select=frozenset({"layer-order"}), context=ctx))


def refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "layer-order"]


DJANGO = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
    RUN pip install --no-cache-dir -r requirements/prod.txt
    RUN python manage.py collectstatic --noinput
    CMD ["gunicorn", "site.wsgi"]
"""


def test_manifests_and_the_files_their_r_and_c_lines_name_are_copied_first(tmp_path):
    ctx = context(tmp_path, {"requirements/prod.txt": "-r base.txt\ngunicorn\n",
                             "requirements/base.txt": "django\n-c ../constraints.txt\n",
                             "constraints.txt": "sqlparse<0.6\n", "manage.py": ""})
    result = run(DJANGO, ctx)
    assert result.status is Status.MIGRATED
    assert result.output == src("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY constraints.txt ./
        COPY requirements/prod.txt requirements/base.txt ./requirements/
        RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir -r requirements/prod.txt
        COPY . .
        RUN python manage.py collectstatic --noinput
        CMD ["gunicorn", "site.wsgi"]
    """)
    assert "line 3" in result.changes[0].reason
    parse(result.output)


def test_without_a_context_only_the_named_requirement_file_is_copied():
    result = run(DJANGO)
    assert "COPY requirements/prod.txt ./requirements/\n" in result.output
    assert "base.txt" not in result.output


def test_a_file_missing_from_the_context_is_refused_not_copied(tmp_path):
    ctx = context(tmp_path, {"requirements/base.txt": "django\n"})
    result = run(DJANGO, ctx)
    assert result.output == src(DJANGO)
    assert refusals(result) == ["line 5: requirements/prod.txt is not in the build context (made by the build?), "
                                "so it can't be copied first; the whole-context COPY at line 3 stays before the "
                                "install"]


def test_pip_install_dot_is_refused_naming_its_line(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[project]\nname='x'\nversion='1'\n"})
    result = run("""
        FROM python:3.12-slim
        WORKDIR /src
        COPY . .
        RUN pip install --no-cache-dir .
        ENTRYPOINT ["x"]
    """, ctx)
    assert result.status is Status.REFUSED
    assert refusals(result) == ["line 4: `pip install .` builds the project from its sources, so the "
                                "whole-context COPY at line 3 stays before it"]


def test_a_local_path_in_a_requirement_file_is_refused(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "flask\n-e ./libs/shared\n"})
    result = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        RUN pip install -r requirements.txt
        CMD ["flask", "run"]
    """, ctx)
    assert result.status is Status.REFUSED
    assert "requirements.txt installs a local path (-e ./libs/shared)" in refusals(result)[0]


def test_requirements_then_editable_project_is_split_at_the_and(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "requests\n", "pyproject.toml": "[project]\nname='g'\n"})
    result = run("""
        FROM python:3.11-slim
        WORKDIR /code
        COPY . /code
        RUN pip install -r requirements.txt \\
            && pip install --no-deps -e .
        CMD ["g"]
    """, ctx)
    assert result.output == src("""
        FROM python:3.11-slim
        WORKDIR /code
        COPY requirements.txt /code/
        RUN pip install -r requirements.txt
        COPY . /code
        RUN pip install --no-deps -e .
        CMD ["g"]
    """)


POETRY = """
    FROM python:3.11-slim
    ENV POETRY_VIRTUALENVS_CREATE=false
    WORKDIR /app
    COPY . .
    RUN pip install poetry && poetry install --only main && rm -rf /root/.cache/pypoetry
    CMD ["python", "-m", "billing"]
"""


def test_poetry_installs_dependencies_with_no_root_then_the_project_after_the_copy(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[tool.poetry]\nname='billing'\n", "poetry.lock": ""})
    result = run(POETRY, ctx)
    assert result.output == src("""
        FROM python:3.11-slim
        ENV POETRY_VIRTUALENVS_CREATE=false
        WORKDIR /app
        COPY pyproject.toml poetry.lock ./
        RUN pip install poetry && poetry install --only main --no-root && rm -rf /root/.cache/pypoetry
        COPY . .
        RUN poetry install --only main && rm -rf /root/.cache/pypoetry
        CMD ["python", "-m", "billing"]
    """)
    # the result is the deps-first pattern: nothing more to do, nothing refused
    again = migrate_text(result.output, Options(select=frozenset({"layer-order"}), context=ctx))
    assert again.status is Status.UNCHANGED and not again.refusals


def test_a_lock_file_the_context_lacks_is_not_copied(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[tool.poetry]\nname='billing'\n"})
    result = run(POETRY, ctx)
    assert "COPY pyproject.toml ./\n" in result.output


def test_poetry_path_dependency_and_no_context_are_refused(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[tool.poetry.dependencies]\nshared = {path = '../shared'}\n"})
    assert "pyproject.toml has a local path dependency (shared)" in refusals(run(POETRY, ctx))[0]
    assert "without a build context" in refusals(run(POETRY))[0]


NODE = """
    FROM node:20
    WORKDIR /app
    COPY . .
    RUN npm ci{flags}
    RUN npm run build
    CMD ["node", "dist/index.js"]
"""


def test_npm_ci_copies_package_json_and_its_lockfile(tmp_path):
    ctx = context(tmp_path, {"package.json": json.dumps({"scripts": {"build": "tsc"}}),
                             "package-lock.json": "{}", ".npmrc": "fund=false\n"})
    result = run(NODE.format(flags=""), ctx)
    assert "COPY package.json package-lock.json .npmrc ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n" \
        in result.output


def test_npm_install_scripts_are_refused_unless_ignored(tmp_path):
    ctx = context(tmp_path, {"package.json": json.dumps({"scripts": {"postinstall": "patch-package"}}),
                             "package-lock.json": "{}"})
    assert "package.json has a `postinstall` script" in refusals(run(NODE.format(flags=""), ctx))[0]
    assert run(NODE.format(flags=" --ignore-scripts"), ctx).status is Status.MIGRATED


def test_file_dependencies_and_workspaces_are_refused(tmp_path):
    ctx = context(tmp_path, {"package.json": json.dumps({"dependencies": {"ui": "file:../ui"}})})
    assert "depends on a local path (ui: file:../ui)" in refusals(run(NODE.format(flags=""), ctx))[0]


def test_node_modules_in_the_context_is_refused_unless_dockerignored(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}", "package-lock.json": "{}", "node_modules/x/index.js": ""})
    assert "the build context has node_modules/" in refusals(run(NODE.format(flags=""), ctx))[0]
    (tmp_path / ".dockerignore").write_text("node_modules\n")
    assert run(NODE.format(flags=""), ctx).status is Status.MIGRATED


def test_npm_without_a_context_is_refused():
    assert "without a build context" in refusals(run(NODE.format(flags="")))[0]


def test_go_mod_download_and_local_replace(tmp_path):
    text = """
        FROM golang:1.22
        WORKDIR /src
        COPY . .
        RUN go mod download
        RUN go build -o /bin/api ./cmd/api
        CMD ["api"]
    """
    ctx = context(tmp_path, {"go.mod": "module x\n", "go.sum": ""})
    assert "COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n" in run(text, ctx).output
    (tmp_path / "go.mod").write_text("module x\nreplace y => ./y\n")
    assert "go.mod replaces a module with a local folder (./y)" in refusals(run(text, ctx))[0]


def test_a_step_that_reads_the_sources_before_the_install_keeps_the_order(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "flask\n"})
    result = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        RUN chmod +x entrypoint.sh
        RUN pip install -r requirements.txt
        CMD ["./entrypoint.sh"]
    """, ctx)
    assert result.status is Status.UNCHANGED and not result.refusals


def test_a_workdir_change_gives_the_moved_copy_its_absolute_destination(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "flask\n"})
    result = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        WORKDIR /app/src
        RUN pip install -r ../requirements.txt
        CMD ["python", "main.py"]
    """, ctx)
    assert "COPY requirements.txt ./\nWORKDIR /app/src\nRUN pip install -r ../requirements.txt\nCOPY . /app\n" \
        in result.output


def test_a_file_without_a_final_newline_stays_valid(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "flask\n"})
    result = migrate_text("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt",
                          Options(select=frozenset({"layer-order"}), context=ctx))
    assert result.output == ("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\n"
                             "RUN pip install -r requirements.txt\nCOPY . .")


def test_requirement_lines_and_dockerignore_matching():
    assert _requirement_lines("-r base.txt\n--constraint=c.txt  # pins\n-e .\nflask @ file:///w/f\nx==1\n") == [
        ("file", "base.txt"), ("file", "c.txt"), ("local", "-e ."), ("local", "flask @ file:///w/f")]

    class Ctx:
        def read_text(self, rel):
            return "**/node_modules\n*.lock\n!poetry.lock\n/build\n"

    patterns = _dockerignore(Ctx())
    assert _ignored(patterns, "web/node_modules/x/y.js")
    assert _ignored(patterns, "yarn.lock") and not _ignored(patterns, "poetry.lock")
    assert _ignored(patterns, "build/out.txt") and not _ignored(patterns, "src/build.py")

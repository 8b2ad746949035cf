"""dev-target: a non-final development stage FROM the builder (seed 004, Multiple Targets)."""

from __future__ import annotations

import json

import dockerfile
import pytest

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.options import Options
from contexts import context

PIP_APP = """\
FROM python:3.12-slim-bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=mysite.settings
EXPOSE 8000
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]
"""


def run(text: str, ctx: BuildContext | None, on: bool = True):
    return migrate_text(text, Options(extend_select=frozenset({"dev-target"}) if on else frozenset(),
                                      context=ctx))


def stages(output: str) -> list[tuple[str, list[tuple[str, tuple, tuple]]]]:
    """[(FROM args, [(keyword, flags, args)...])] from BuildKit's parser."""
    out: list = []
    for cmd in dockerfile.parse_string(output):
        if cmd.cmd.upper() == "FROM":
            out.append((" ".join(cmd.value), []))
        else:
            out[-1][1].append((cmd.cmd.upper(), cmd.flags, cmd.value))
    return out


def dev_stage(output: str) -> list[str]:
    """The development stage's instructions as one-line strings."""
    [body] = [body for head, body in stages(output) if head.lower().endswith("as development")]
    return [" ".join((kw,) + tuple(flags) + tuple(args)) for kw, flags, args in body]


def refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "dev-target"]


def test_requirements_dev_gives_a_development_stage_between_builder_and_runtime(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "django\n", "requirements-dev.txt": "-r requirements.txt\npytest\n"})
    result = run(PIP_APP, ctx)
    assert [head for head, _ in stages(result.output)] == [
        "python:3.12-slim-bookworm AS builder", "builder AS development", "python:3.12-slim-bookworm AS runtime"]
    assert dev_stage(result.output) == [
        "COPY requirements-dev.txt ./",            # requirements.txt: the builder has it
        "RUN pip install --no-cache-dir -r requirements-dev.txt",
        "COPY . .",                                # the sources the runtime stage copies
        "ENV DJANGO_SETTINGS_MODULE mysite.settings",
    ]
    # the final stage, and so a plain build, is what the run without dev-target gives
    plain = run(PIP_APP, ctx, on=False).output
    assert stages(result.output)[-1] == stages(plain)[-1]
    assert stages(result.output)[0] == stages(plain)[0]


def test_off_by_default(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "django\n", "requirements-dev.txt": "pytest\n"})
    assert "development" not in migrate_text(PIP_APP, Options(context=ctx)).output


def test_requirements_folder_copies_the_files_its_r_lines_read(tmp_path):
    text = PIP_APP.replace("COPY requirements.txt .", "COPY requirements/prod.txt requirements/base.txt ./requirements/") \
        .replace("-r requirements.txt", "-r requirements/prod.txt")
    ctx = context(tmp_path, {"requirements/prod.txt": "-r base.txt\n", "requirements/base.txt": "django\n",
                             "requirements/dev.txt": "-r base.txt\n-c ../constraints.txt\npytest\n",
                             "constraints.txt": "pytest<9\n"})
    lines = dev_stage(run(text, ctx).output)
    assert lines[:3] == ["COPY requirements/dev.txt ./requirements/", "COPY constraints.txt ./",
                         "RUN pip install --no-cache-dir -r requirements/dev.txt"]


def test_an_editable_install_of_the_project_runs_after_the_sources(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "django\n", "requirements-dev.txt": "-e .\npytest\n"})
    lines = dev_stage(run(PIP_APP, ctx).output)
    assert lines.index("COPY . .") < lines.index("RUN pip install --no-cache-dir -r requirements-dev.txt")


POETRY_APP = """\
FROM python:3.11-slim
RUN pip install "poetry==1.8.3"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \\
    && poetry install --no-root --only main --no-interaction
COPY payments ./payments
CMD ["uvicorn", "payments.main:app", "--host", "0.0.0.0"]
"""

PYPROJECT_POETRY = """\
[tool.poetry]
name = "payments"
version = "0.1.0"
[tool.poetry.dependencies]
python = "^3.11"
[tool.poetry.group.dev.dependencies]
pytest = "^8"
[tool.poetry.group.docs]
optional = true
[tool.poetry.group.docs.dependencies]
mkdocs = "*"
"""


def test_poetry_installs_the_groups_the_builder_left_out(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": PYPROJECT_POETRY, "poetry.lock": ""})
    lines = dev_stage(run(POETRY_APP, ctx).output)
    assert lines == ["RUN poetry install --no-root --no-interaction --with dev,docs",
                     "COPY payments ./payments"]


def test_poetry_without_a_dev_group_is_refused_with_the_line(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[tool.poetry]\nname = 'x'\n", "poetry.lock": ""})
    result = run(POETRY_APP, ctx)
    assert "development" not in result.output
    [reason] = refusals(result)
    assert reason.startswith("line 5:") and "no development dependency group" in reason


UV_APP = """\
FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-install-project --no-dev
COPY . .
RUN uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH"
CMD ["fastapi", "run", "src/app/main.py"]
"""


def test_uv_sync_keeps_its_options_and_drops_no_dev(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[project]\nname = 'a'\nversion = '0'\n"
                                               "[dependency-groups]\ndev = ['pytest']\nlint = ['ruff']\n",
                             "uv.lock": ""})
    lines = dev_stage(run(UV_APP, ctx).output)
    # the last sync of the builder (which installs the project), with the non-default group
    assert lines == ["RUN uv sync --frozen --group lint", 'ENV PATH "/app/.venv/bin:$PATH"']


def test_pipenv_adds_dev(tmp_path):
    text = ("FROM python:3.10\nRUN pip install pipenv\nWORKDIR /srv\nCOPY Pipfile Pipfile.lock ./\n"
            "RUN pipenv install --system --deploy\nCOPY . .\nCMD [\"python\", \"run.py\"]\n")
    ctx = context(tmp_path, {"Pipfile": "[packages]\nflask = '*'\n[dev-packages]\npytest = '*'\n",
                             "Pipfile.lock": "{}"})
    assert dev_stage(run(text, ctx).output)[0] == "RUN pipenv install --system --deploy --dev"


NPM_APP = """\
FROM node:20-bookworm-slim
WORKDIR /srv
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
ENV NODE_ENV=production
RUN npm ci {flags}
COPY . .
CMD ["node", "server.js"]
"""

PACKAGE = json.dumps({"dependencies": {"bcrypt": "5"}, "devDependencies": {"jest": "29"}})


@pytest.mark.parametrize("flags, command", [
    ("--omit=dev", "RUN NODE_ENV=development npm ci"),
    ("--omit dev --no-audit", "RUN NODE_ENV=development npm ci --no-audit"),
    ("", "RUN NODE_ENV=development npm ci"),      # NODE_ENV=production alone leaves them out
])
def test_npm_devdependencies_left_out_by_the_builder(tmp_path, flags, command):
    ctx = context(tmp_path, {"package.json": PACKAGE, "package-lock.json": "{}"})
    assert dev_stage(run(NPM_APP.format(flags=flags), ctx).output) == [command, "COPY . ."]


def test_builder_that_already_installs_them_gets_a_note(tmp_path):
    ctx = context(tmp_path, {"package.json": PACKAGE, "package-lock.json": "{}"})
    result = run(NPM_APP.replace("ENV NODE_ENV=production\n", "").format(flags=""), ctx)
    assert "development" not in result.output
    assert any("--target builder" in n for n in result.notes)
    assert not refusals(result)


def test_no_dev_requirements_is_refused_with_the_line(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "django\n"})
    result = run(PIP_APP, ctx)
    assert "development" not in result.output
    [reason] = refusals(result)
    assert reason.startswith("line 5:") and "requirements-dev.txt" in reason


def test_without_a_build_context_it_refuses():
    result = run(PIP_APP, None)
    [reason] = refusals(result)
    assert "--context" in reason


def test_a_file_left_single_stage_has_no_builder_to_start_from(tmp_path):
    ctx = context(tmp_path, {"requirements-dev.txt": "pytest\n"})
    result = run("FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n", ctx)
    [reason] = refusals(result)
    assert "split" in reason


PROJECT_APP = """\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libffi-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN pip install --no-cache-dir .
CMD ["reportgen"]
"""


def test_a_project_install_gets_its_development_extras_after_the_sources(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[project]\nname = 'reportgen'\nversion = '1'\n"
                                               "[project.optional-dependencies]\ntest = ['pytest']\n"
                                               "dev = ['ruff']\npdf = ['weasyprint']\n"})
    lines = dev_stage(run(PROJECT_APP, ctx).output)
    # the extras for development, not the feature extra pdf; the builder already has the sources
    assert lines == ["RUN pip install --no-cache-dir '.[dev,test]'"]


def test_a_project_without_development_extras_is_refused(tmp_path):
    ctx = context(tmp_path, {"pyproject.toml": "[project]\nname = 'reportgen'\nversion = '1'\n"})
    [reason] = refusals(run(PROJECT_APP, ctx))
    assert reason.startswith("line 5:") and "no development extra" in reason

"""Invariant 4 of migrator/invariants.py: every program the runtime stage
runs exists there. Each case is a migration a reviewer rejected for a build
or a start that fails (issue 12), or one that must pass."""

from __future__ import annotations

import pytest

from migrator.invariants import check, runtime_program_problem
from migrator.model.dockerfile import parse
from migrator.options import Options

# The migration of issue 12's example that the tool emitted before: the
# runtime stage replays `pipenv run`, and pipenv exists only in the builder.
PIPENV_REPLAYED = """\
FROM python:3.11-slim AS builder
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --upgrade pip && pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install --system --deploy

FROM python:3.11-slim AS runtime
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY . .
RUN pipenv run python manage.py collectstatic --noinput
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]
"""


def test_a_tool_only_the_builder_installed_is_a_problem():
    problem = runtime_program_problem(parse(PIPENV_REPLAYED))
    assert problem == "line 15 runs `pipenv`, which only stage `builder` installs (line 3)"


def test_the_whole_migration_is_refused_by_the_self_check():
    before = parse(PIPENV_REPLAYED.split("\n\n")[0] + "\n")
    problem = check(before, parse(PIPENV_REPLAYED), Options())
    assert problem is not None and problem.startswith("the runtime stage can't run what it needs: line 15")


def test_a_tool_the_runtime_installs_again_is_fine():
    text = PIPENV_REPLAYED.replace("COPY . .\n", "COPY . .\nRUN pip install pipenv\n")
    assert runtime_program_problem(parse(text)) is None


@pytest.mark.parametrize("start", [
    'CMD ["poetry", "run", "gunicorn", "app:app"]',
    'CMD poetry run gunicorn app:app',
    'CMD ["sh", "-c", "cd /app && exec poetry run gunicorn app:app"]',
    'ENTRYPOINT ["tini", "--", "poetry", "run", "app"]',
    'HEALTHCHECK CMD poetry run python -c "import app"',
])
def test_start_commands_are_checked_through_shells_and_wrappers(start):
    text = f"""\
FROM python:3.12-slim AS builder
RUN pip install poetry
WORKDIR /app
COPY . .
RUN python -m venv /opt/venv && . /opt/venv/bin/activate && poetry install --only main

FROM python:3.12-slim AS runtime
COPY --from=builder /opt/venv /opt/venv
{start}
"""
    problem = runtime_program_problem(parse(text))
    assert problem is not None and "`poetry`, which only stage `builder` installs (line 2)" in problem


def test_uv_copied_from_its_image_into_the_builder_only():
    text = """\
FROM python:3.12-slim AS builder
COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /uvx /bin/
RUN uv venv /opt/venv && uv pip install --python /opt/venv/bin/python flask

FROM python:3.12-slim AS runtime
COPY --from=builder /opt/venv /opt/venv
CMD ["uv", "run", "flask", "run"]
"""
    assert runtime_program_problem(parse(text)) == "line 7 runs `uv`, which only stage `builder` installs (line 2)"
    fixed = text.replace("CMD", "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\nCMD")
    assert runtime_program_problem(parse(fixed)) is None


def test_a_compiler_dropped_from_the_runtime_stage_is_a_problem_on_a_slim_base():
    text = """\
FROM python:3.12-slim-bookworm AS builder
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
RUN python -m venv /opt/venv && /opt/venv/bin/pip install psycopg2

FROM python:3.12-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
COPY --from=builder /opt/venv /opt/venv
COPY . .
RUN make assets
CMD ["python", "app.py"]
"""
    assert runtime_program_problem(parse(text)) == "line 9 runs `make`, which only stage `builder` installs"
    # a full image carries the compilers itself
    full = text.replace("python:3.12-slim-bookworm AS runtime", "python:3.12-bookworm AS runtime")
    assert runtime_program_problem(parse(full)) is None
    # and a runtime stage that installs make again has it
    again = text.replace("install -y --no-install-recommends libpq5", "install -y --no-install-recommends libpq5 make")
    assert runtime_program_problem(parse(again)) is None


def test_a_global_npm_tool_installed_again_for_the_command():
    text = """\
FROM node:20-alpine AS builder
WORKDIR /app
RUN npm install -g pm2 @nestjs/cli && npm ci
RUN nest build

FROM node:20-alpine AS runtime
WORKDIR /app
COPY --from=builder /app /app
RUN npm install -g pm2
CMD ["pm2-runtime", "dist/main.js"]
"""
    assert runtime_program_problem(parse(text)) is None
    assert "`pm2-runtime`" in runtime_program_problem(parse(text.replace("RUN npm install -g pm2\n", "")))


def test_single_stage_files_pass():
    assert runtime_program_problem(parse("FROM python:3.12\nRUN pip install poetry\nCMD poetry run app\n")) is None


# The reviewer's R2: the runtime stage replayed two installs of the original
# after the first one, rewritten, removed the package lists.
LISTS_REMOVED = """\
FROM python:3.11-slim AS builder
RUN apt-get update
RUN apt-get install -y tesseract-ocr
RUN apt-get install -y poppler-utils
RUN python -m venv /opt/venv && /opt/venv/bin/pip install pytesseract

FROM python:3.11-slim AS runtime
RUN apt-get update && apt-get install -y tesseract-ocr && rm -rf /var/lib/apt/lists/*
RUN apt-get install -y poppler-utils
COPY --from=builder /opt/venv /opt/venv
CMD ["python", "app.py"]
"""
ORIGINAL = """\
FROM python:3.11-slim
RUN apt-get update
RUN apt-get install -y tesseract-ocr
RUN apt-get install -y poppler-utils
RUN pip install pytesseract
CMD ["python", "app.py"]
"""


def test_an_apt_install_after_the_lists_were_removed_is_a_problem():
    from migrator.invariants import apt_lists_problem

    assert apt_lists_problem(parse(ORIGINAL), parse(LISTS_REMOVED)) == (
        "line 9 of the result installs with apt after line 8 of the result removed the package lists")
    fixed = LISTS_REMOVED.replace("RUN apt-get install -y poppler-utils\nCOPY",
                                  "RUN apt-get update && apt-get install -y poppler-utils\nCOPY")
    assert apt_lists_problem(parse(ORIGINAL), parse(fixed)) is None


def test_an_original_that_already_did_it_is_not_the_migrations_fault():
    from migrator.invariants import apt_lists_problem

    broken = ORIGINAL.replace("RUN apt-get install -y tesseract-ocr\n",
                              "RUN apt-get install -y tesseract-ocr && rm -rf /var/lib/apt/lists/*\n")
    migrated = LISTS_REMOVED   # the same one new-looking install as the original's own
    assert apt_lists_problem(parse(broken), parse(migrated)) is None

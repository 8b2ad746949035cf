"""Review 3 D3, D8, D11: the runtime stage of an image whose users run its
installer (no CMD, an interactive CMD, ``poetry run``) installs the
installer outside the copied virtualenv, as the original wrote it, and a
base image keeps the files it copied and the lock its install wrote."""

from __future__ import annotations

import textwrap

from migrator.engine import migrate_text
from migrator.invariants import installer_venv_problem
from migrator.model.dockerfile import parse
from migrator.options import Options


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(text: str, **kw):
    return migrate_text(src(text), Options(**kw))


def runtime(output: str) -> list[str]:
    return output[output.lower().rindex("\nfrom ") + 1:].splitlines()


def index_of(lines: list[str], start: str) -> int:
    return next(i for i, x in enumerate(lines) if x.startswith(start))


# gcc leaves with the builder: the split pays (an install cache alone would not: review 5 E3)
INLINE_POETRY = """
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y gcc
    WORKDIR /app
    COPY pyproject.toml ./
    RUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root
    RUN pip install packaging==21.3
    COPY app.py .
    """


def test_an_installer_installed_with_the_packages_is_replayed_before_the_virtualenv():
    lines = runtime(run(INLINE_POETRY).output)
    pip = index_of(lines, "RUN pip install poetry")
    assert lines[pip] == "RUN pip install poetry"      # alone: poetry config runs after, in place
    assert pip < index_of(lines, "ENV VIRTUAL_ENV=/opt/venv")
    assert pip < index_of(lines, "COPY --from=builder /opt/venv")
    assert index_of(lines, "RUN poetry config virtualenvs.create false") > index_of(lines, "COPY --from=builder /opt")


def test_the_replayed_installer_keeps_its_pin_as_written():
    out = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y gcc
        WORKDIR /app
        COPY . /app
        RUN pip install "poetry==1.7.0" \\
            && poetry config virtualenvs.create false \\
            && poetry install --no-interaction --no-dev
        """).output
    lines = runtime(out)
    assert lines[index_of(lines, "RUN pip install")] == 'RUN pip install "poetry==1.7.0"'
    assert index_of(lines, "RUN pip install") < index_of(lines, "ENV VIRTUAL_ENV")


def test_an_unpinned_installer_stays_unpinned():
    lines = runtime(run("""
        FROM python:3.10.2-slim
        RUN apt-get update && apt-get install -y gcc
        WORKDIR /app
        COPY Pipfile Pipfile.lock /app/
        RUN pip install pipenv && pipenv install --system
        COPY . .
        """).output)
    assert "RUN pip install pipenv" in lines


def test_invariant_rejects_an_installer_pip_installed_into_the_copied_virtualenv():
    before = parse(src(INLINE_POETRY))
    bad = parse(src("""
        FROM python:3.12-slim AS builder
        WORKDIR /app
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        RUN pip install poetry && python -m venv /opt/venv && poetry install --no-root

        FROM python:3.12-slim AS runtime
        WORKDIR /app
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        COPY --from=builder /opt/venv /opt/venv
        RUN pip install poetry
        """))
    problem = installer_venv_problem(before, bad)
    assert problem is not None and problem.startswith("line 10 of the result pip-installs poetry")
    good = parse(run(INLINE_POETRY).output)
    assert installer_venv_problem(before, good) is None


def test_a_user_between_the_virtualenv_and_the_installer_refuses_the_move():
    r = run("""
        FROM python:3.12-slim
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        WORKDIR /app
        COPY pyproject.toml ./
        USER root
        RUN pip install poetry && python -m venv /opt/venv && poetry install --no-root
        """)
    reasons = [x.reason for x in r.refusals if x.transform == "split-stages"]
    assert reasons and "before line 5 (USER)" in reasons[0]


def test_a_base_image_keeps_the_requirement_file_it_copied():
    text = """
        FROM python:3.7
        RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
        WORKDIR /code
        ADD ./django_req.txt /code/
        RUN pip3 install -r django_req.txt
        """
    assert "ADD ./django_req.txt /code/" in runtime(run(text).output)
    # an image with a command of its own still leaves it in the builder
    with_cmd = run(text + "    CMD [\"python\", \"manage.py\", \"runserver\"]\n").output
    assert "ADD ./django_req.txt /code/" not in runtime(with_cmd)


def test_a_base_image_gets_the_lock_its_install_wrote_unless_it_copied_one():
    lines = runtime(run(INLINE_POETRY).output)
    assert "COPY --from=builder /app/poetry.lock /app/poetry.lock" in lines
    copied = runtime(run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY pyproject.toml poetry.lock ./
        RUN pip install poetry && poetry install --no-root
        """).output)
    assert not any("poetry.lock /app" in x for x in copied if x.startswith("COPY --from"))
    skipped = runtime(run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc
        WORKDIR /srv
        COPY Pipfile ./
        RUN pip install pipenv && pipenv install --system --skip-lock
        """).output)
    assert not any("Pipfile.lock" in x for x in skipped)
    assert "COPY Pipfile ./" in skipped

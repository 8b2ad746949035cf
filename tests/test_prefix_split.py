"""split-stages through pip --prefix when nothing would leave the runtime image
(issue 8: every Python app image becomes builder + runtime; seed 002's
``pip install --prefix=/install`` and ``COPY --from=builder /install /usr/local``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.model.results import Status
from migrator.options import Options

SLIM = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
"""


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def stages(output: str) -> tuple[str, str]:
    cut = output.rindex("\nFROM ") + 1
    return output[:cut], output[cut:]


def split_notes(result) -> list[str]:
    return [n for n in result.notes if n.startswith("split-stages:")]


def split_change(result):
    (change,) = [c for c in result.changes if c.transform == "split-stages"]
    return change


def with_context(tmp_path: Path, files: dict[str, str]) -> BuildContext:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return BuildContext.at(tmp_path)


def test_a_slim_image_with_nothing_to_leave_is_split_through_pip_prefix():
    r = run(SLIM)
    assert r.status is Status.MIGRATED
    builder, runtime = stages(r.output)
    assert "RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt" in builder
    assert runtime.startswith("FROM python:3.12-slim AS runtime\n")
    # root-owned like /usr/local: no --chown on the packages' copy
    assert "COPY --from=builder /install /usr/local\n" in runtime
    assert "venv" not in r.output and "pip install" not in runtime
    assert "requirements.txt" not in runtime      # only the install read it
    assert "USER 10001:10001" in runtime and "COPY --chown=10001:10001 . ." in runtime
    change = split_change(r)
    assert "no size change" in change.reason and "estimated saving is 0" in change.reason
    assert change.bytes_saved == 0 and r.bytes_saved == 0
    assert not split_notes(r)
    (venv_note,) = [n for n in r.notes if n.startswith("venv:")]
    assert "split-stages splits with pip --prefix=/install instead" in venv_note


def test_the_split_output_is_stable():
    out = run(SLIM).output
    assert migrate_text(out, Options()).status is Status.SKIPPED     # already two stages


def test_alpine_and_pip3():
    r = run(SLIM.replace("python:3.12-slim", "python:3.12-alpine").replace("RUN pip ", "RUN pip3 "))
    builder, runtime = stages(r.output)
    assert "RUN mkdir -p /install && pip3 install --prefix=/install --no-cache-dir" in builder
    assert "COPY --from=builder /install /usr/local" in runtime


def test_python_m_pip_gets_the_prefix_after_its_install_word():
    r = run(SLIM.replace("RUN pip install", "RUN python -m pip install"))
    assert "RUN mkdir -p /install && python -m pip install --prefix=/install --no-cache-dir" in r.output


def test_an_upgrade_of_pip_runs_in_the_runtime_too_and_the_reason_says_so():
    r = run(SLIM.replace("RUN pip install --no-cache-dir", "RUN pip install --upgrade pip\nRUN pip install --no-cache-dir"))
    builder, runtime = stages(r.output)
    assert "RUN pip install --upgrade pip\n" in builder
    assert "RUN pip install --upgrade pip\nCOPY --from=builder /install /usr/local\n" in runtime
    assert "the upgrade of pip (line 4) runs in the runtime stage too" in split_change(r).reason


def test_an_upgrade_of_setuptools_splits_only_where_the_base_carries_it():
    text = SLIM.replace("RUN pip install --no-cache-dir", "RUN pip install -U pip setuptools\nRUN pip install --no-cache-dir")
    r = run(text)
    assert " AS runtime" not in r.output
    assert "line 4 upgrades pip, setuptools in the builder only" in split_notes(r)[0]
    older = run(text.replace("python:3.12-slim", "python:3.11-slim"))
    assert "COPY --from=builder /install /usr/local" in older.output


@pytest.mark.parametrize("install, why", [
    ("pip install --no-cache-dir -r requirements.txt && python manage.py collectstatic --noinput",
     "line 4 runs `python manage.py collectstatic` in the builder after the pip install"),
    ("pip install --no-cache-dir -r requirements.txt && python -c 'import flask'",
     "in the builder after the pip install, where Python can't see the packages in /install"),
    ("pip install --no-cache-dir -e .", "line 4's pip install is editable"),
    ("pip install --no-cache-dir --user -r requirements.txt", "has --user"),
    ("pip install --no-cache-dir --root /r -r requirements.txt", "has --root"),
    ("pip install --no-cache-dir setuptools -r requirements.txt", "line 4 installs setuptools, whose second copy"),
    ("pip install --no-cache-dir -r requirements.txt && pip install --no-cache-dir gunicorn",
     "a second pip install (line 4) would not see the packages the first (line 4) put in /install"),
])
def test_no_split_where_pip_prefix_would_change_the_image(install, why):
    r = run(SLIM.replace("pip install --no-cache-dir -r requirements.txt", install)
            .replace("COPY . .", "COPY . .", 1), ignore=frozenset({"layer-order"}))
    assert " AS runtime" not in r.output
    (note,) = split_notes(r)
    assert note.startswith("split-stages: no split: nothing would leave the runtime image")
    assert "no split with pip --prefix either: " in note and why in note


@pytest.mark.parametrize("change, why", [
    (("FROM python:3.12-slim", "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends "
      "python3-pip && rm -rf /var/lib/apt/lists/*"), "the base image ubuntu:22.04 is not an official python image"),
    (("WORKDIR /app", "WORKDIR /app\nENV PIP_TARGET=/app/deps"), "PIP_TARGET chooses where"),
    (("WORKDIR /app", "RUN useradd -m bot\nUSER bot\nWORKDIR /app"), "runs as bot, not root"),
    (('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]', 'CMD ["sh", "-c", "pip install -r requirements.txt && '
      'gunicorn app:app"]'), "CMD runs pip"),
])
def test_no_split_on_other_pythons_users_or_placements(change, why):
    r = run(SLIM.replace(*change))
    assert "/install" not in r.output
    notes = split_notes(r)
    assert notes and why in notes[0], notes


def test_a_virtualenv_the_original_makes_keeps_todays_answer():
    r = run(SLIM.replace("RUN pip install", "RUN python -m venv /venv && /venv/bin/pip install"))
    assert "/install" not in r.output


def test_requirements_in_the_context_naming_a_seed_package_stop_the_split(tmp_path):
    ctx = with_context(tmp_path, {"requirements.txt": "-r base.txt\nflask==3.0.3\n",
                                  "base.txt": "# loader\nwheel>=0.43 ; python_version >= '3.8'\n"})
    r = run(SLIM, context=ctx)
    assert "/install" not in r.output
    assert "base.txt names wheel, whose second copy would land over the base image's in /usr/local" \
        in split_notes(r)[0]


def test_an_editable_line_in_the_requirements_stops_the_split(tmp_path):
    ctx = with_context(tmp_path, {"requirements.txt": "flask==3.0.3\n-e ./lib\n"})
    r = run(SLIM, context=ctx)
    assert "/install" not in r.output
    assert "requirements.txt has an editable install (-e ./lib)" in split_notes(r)[0]


def test_plain_requirements_in_the_context_split(tmp_path):
    ctx = with_context(tmp_path, {"requirements.txt": "flask==3.0.3\nwaitress\n", "app.py": ""})
    r = run(SLIM, context=ctx)
    assert "COPY --from=builder /install /usr/local" in r.output


def test_a_source_folder_holding_the_requirements_is_still_copied(tmp_path):
    ctx = with_context(tmp_path, {"src/requirements.txt": "flask\n", "src/__main__.py": "print(1)\n"})
    r = run("""
        FROM python:3.11-slim
        WORKDIR /app
        COPY ./src /app/src
        RUN pip install --no-cache-dir -r /app/src/requirements.txt
        CMD ["python", "/app/src/__main__.py"]
    """, context=ctx)
    _builder, runtime = stages(r.output)
    assert "COPY --chown=10001:10001 ./src /app/src" in runtime


def test_a_folder_of_requirement_files_only_stays_in_the_builder(tmp_path):
    ctx = with_context(tmp_path, {"requirements/prod.txt": "-r base.txt\n", "requirements/base.txt": "flask\n",
                                  "requirements/dev.txt": "pytest\n", "app.py": ""})
    r = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements/ requirements/
        RUN pip install --no-cache-dir -r requirements/prod.txt
        COPY app.py .
        CMD ["python", "app.py"]
    """, context=ctx)
    _builder, runtime = stages(r.output)
    assert "requirements" not in runtime


def test_a_split_that_gains_keeps_the_virtualenv():
    # gcc leaves with the builder (pip's cache alone goes through --prefix: tests/test_cache_only_split.py)
    r = run(SLIM.replace("WORKDIR /app", "RUN apt-get update && apt-get install -y gcc\n    WORKDIR /app"))
    assert "/opt/venv" in r.output and "/install" not in r.output


def test_an_original_prefix_install_keeps_its_own_path():
    r = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --prefix=/install -r requirements.txt && cp -r /install/. /usr/local/
        COPY . .
        CMD ["python", "app.py"]
    """)
    builder, runtime = stages(r.output)
    assert builder.count("--prefix=/install") == 1 and "COPY --from=builder /install /usr/local" in runtime
    assert "no size change" not in split_change(r).reason

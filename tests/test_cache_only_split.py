"""Review 5 E3: a split whose only gain is an install cache (``pip install``
without ``--no-cache-dir`` on a slim base) must not make the image larger
through a new virtualenv's own pip (and setuptools before Python 3.12):
the pip --prefix split where it applies, else no split with a note."""

from __future__ import annotations

import textwrap

from migrator.analysis.gain import ONLY_CACHES, install_caches, read_stage, split_pays
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.model.results import Status
from migrator.options import Options

CACHE_SLIM = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt
    CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
"""


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def notes(result, prefix: str) -> list[str]:
    return [n for n in result.notes if n.startswith(prefix)]


def test_only_pip_cache_on_slim_goes_through_pip_prefix_without_a_virtualenv():
    r = run(CACHE_SLIM)
    assert r.status is Status.MIGRATED
    assert "RUN mkdir -p /install && pip install --prefix=/install -r requirements.txt" in r.output
    assert "COPY --from=builder /install /usr/local" in r.output
    assert "venv" not in r.output
    (change,) = [c for c in r.changes if c.transform == "split-stages"]
    assert "pip's cache under /root/.cache/pip stays in the builder" in change.reason
    assert "its size depends on the requirements" in change.reason
    assert "where the original put the packages" in change.reason
    (venv,) = notes(r, "venv:")
    assert "only pip's download cache would leave" in venv and "pip --prefix=/install" in venv


def test_split_pays_names_the_cache_and_the_seed_instead_of_a_gain():
    df = parse(textwrap.dedent(CACHE_SLIM).lstrip("\n"))
    why = split_pays(df, Options())
    assert why.startswith(ONLY_CACHES)
    assert "pip's cache (line 4, /root/.cache/pip)" in why
    assert "pip (about 15 MB)" in why and "setuptools" not in why      # 3.12: ensurepip seeds no setuptools
    assert "`--no-cache-dir` on line 4's pip install (or PIP_NO_CACHE_DIR=1)" in why


def test_before_312_the_seed_counts_setuptools_too():
    df = parse(textwrap.dedent(CACHE_SLIM).replace("3.12-slim", "3.11-slim").lstrip("\n"))
    assert "pip (about 15 MB) and setuptools (about 7 MB)" in split_pays(df, Options())


def test_a_second_pip_install_means_no_split_rather_than_a_larger_image():
    r = run("""
        FROM python:3.11-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt && pip install gunicorn
        COPY . .
        CMD ["gunicorn", "app:app"]
    """)
    assert "AS builder" not in r.output and "/opt/venv" not in r.output
    (note,) = notes(r, "split-stages:")
    assert note.startswith(f"split-stages: no split: {ONLY_CACHES}: pip's cache (line 4, /root/.cache/pip)")
    assert "no split with pip --prefix either: a second pip install" in note
    assert "no builder/runtime split follows" in notes(r, "venv:")[0]


def test_a_cache_with_another_gain_still_splits_through_the_virtualenv():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc libpq-dev
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        CMD ["python", "app.py"]
    """)
    assert "COPY --from=builder /opt/venv /opt/venv" in r.output


def test_an_installer_own_virtualenv_is_replaced_so_the_split_stays():
    r = run("""
        FROM python:3.11-slim
        WORKDIR /code
        RUN pip install pipenv
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --deploy
        COPY main.py .
        CMD ["pipenv", "run", "python", "main.py"]
    """)
    assert "COPY --from=builder /opt/venv /opt/venv" in r.output


def test_an_existing_virtualenv_adds_no_seed_so_the_cache_is_a_gain():
    df = parse("FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n"
               "RUN pip install flask\nCMD [\"flask\", \"run\"]\n")
    assert split_pays(df, Options()) is None


def test_install_caches_reads_each_installer_folder_and_skips_cleared_ones():
    df = parse("FROM python:3.12-slim\nRUN pip install uv && uv pip install --system flask\n"
               "RUN pip install gunicorn && rm -rf /root/.cache\nUSER app\nRUN pip install --user x\n")
    got = [(c.manager, c.line, c.folder) for c in install_caches(read_stage(df))]
    assert ("uv", 2, "/root/.cache/uv") in got
    assert not any(line == 3 for _m, line, _f in got)
    assert ("pip", 5, "~/.cache/pip") in got

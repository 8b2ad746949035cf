"""The venv transform as a reviewer reads it: upgrades of pip reach the
virtualenv (issue 12 item 2), every common Python installer goes into it or
is refused with the command named (issue 8 item 7), and a file where it adds
nothing says why."""

from __future__ import annotations

import textwrap

import pytest

from migrator.engine import migrate_text
from migrator.options import Options
from migrator.model.results import Status

ONLY_VENV = frozenset({"venv"})


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def venv_only(text: str, **kw):
    return run(text, select=ONLY_VENV, **kw)


def venv_refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "venv"]


def venv_reason(result) -> str:
    (change,) = [c for c in result.changes if c.transform == "venv"]
    return change.reason


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- pip/setuptools/wheel upgrades reach the virtualenv ---------------------

def test_upgrade_in_its_own_run_happens_inside_the_virtualenv():
    r = venv_only("""
        FROM python:3.8-slim
        RUN pip install --upgrade pip setuptools wheel
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        CMD ["python", "-m", "app"]
    """)
    out = lines(r.output)
    assert out.index("RUN python -m venv /opt/venv") < out.index("RUN pip install --upgrade pip setuptools wheel")
    assert out.index('ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"') < out.index(
        "RUN pip install --upgrade pip setuptools wheel")
    assert r.output.count("venv /opt/venv") == 1   # created once, nothing repeated
    assert "line 2" in venv_reason(r) and "upgrade of pip, setuptools, wheel" in venv_reason(r)


def test_upgrade_next_to_a_build_tool_is_repeated_in_the_virtualenv():
    # the example: pipenv stays a builder-only tool outside the venv
    r = venv_only("""
        FROM python:3.11-slim
        RUN pip install --upgrade pip && pip install pipenv
        WORKDIR /app
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --system --deploy
        CMD ["gunicorn", "site.wsgi"]
    """)
    out = lines(r.output)
    assert out[1] == "RUN pip install --upgrade pip && pip install pipenv"   # untouched
    create = out.index("RUN python -m venv /opt/venv && /opt/venv/bin/pip install --upgrade pip")
    assert out[create + 2] == "RUN pipenv install --system --deploy"
    assert "pipenv" not in out[create]
    reason = venv_reason(r)
    assert "upgrade of pip (line 2) runs again" in reason and "pipenv (line 2) stays outside" in reason


def test_repeated_upgrade_keeps_pins_and_options_but_not_the_tools_or_user():
    r = venv_only("""
        FROM python:3.9-slim
        RUN pip install --user --no-cache-dir -i https://pypi.example/simple --upgrade "pip==23.3.1" poetry==1.8.3
        COPY pyproject.toml poetry.lock ./
        RUN poetry install --only main
        CMD ["python", "-m", "app"]
    """)
    assert ('RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir '
            '-i https://pypi.example/simple --upgrade "pip==23.3.1"\n') in r.output
    assert "--user --no-cache-dir" in r.output   # the system install of poetry is left as written


def test_user_upgrade_moved_into_the_virtualenv_loses_user():
    r = venv_only("""
        FROM python:3.10-slim
        RUN pip install --user --upgrade pip
        COPY requirements.txt .
        RUN pip install --user -r requirements.txt
        CMD ["python", "-m", "app"]
    """)
    assert "--user" not in r.output
    out = lines(r.output)
    assert out.index("RUN python -m venv /opt/venv") < out.index("RUN pip install --upgrade pip")
    assert "dropped --user (line 2)" in venv_reason(r) and "dropped --user (line 4)" in venv_reason(r)


def test_migrated_upgrade_is_stable():
    src = """
        FROM python:3.11-slim
        RUN pip install --upgrade pip && pip install pipenv
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --system --deploy
        CMD ["python", "-m", "app"]
    """
    once = venv_only(src)
    again = migrate_text(once.output, Options(select=ONLY_VENV))
    assert again.output == once.output
    assert any("already creates a virtualenv" in n for n in again.notes)


# --- pip-tools, flit, pdm, hatch, pip wheel --------------------------------

def test_pip_tools_is_installed_into_the_virtualenv_pip_sync_syncs():
    r = venv_only("""
        FROM python:3.12-slim
        RUN pip install --no-cache-dir pip-tools
        COPY requirements.txt .
        RUN pip-sync requirements.txt
        CMD ["python", "-m", "app"]
    """)
    out = lines(r.output)
    assert out.index("RUN python -m venv /opt/venv") < out.index("RUN pip install --no-cache-dir pip-tools")
    assert "pip-tools" in venv_reason(r)


def test_pip_sync_without_a_pip_installed_pip_tools_is_refused():
    r = venv_only("""
        FROM python:3.12-slim
        COPY requirements.txt .
        RUN pip-sync requirements.txt
        CMD ["python", "-m", "app"]
    """)
    assert "venv" not in r.output
    (reason,) = venv_refusals(r)
    assert reason.startswith("line 3 runs pip-sync") and "pip-tools" in reason


def test_flit_install_is_pointed_at_the_virtualenv_python():
    r = venv_only("""
        FROM python:3.12-slim
        RUN pip install flit
        WORKDIR /app
        COPY . .
        ENV FLIT_ROOT_INSTALL=1
        RUN flit install --deps production
        CMD ["python", "-m", "app"]
    """)
    assert "RUN flit install --python /opt/venv/bin/python --deps production\n" in r.output
    assert "RUN pip install flit\n" in r.output   # flit itself stays a builder tool
    assert "--python /opt/venv/bin/python" in venv_reason(r)


def test_flit_install_for_a_system_interpreter_is_refused():
    r = venv_only("""
        FROM python:3.12-slim
        RUN pip install flit
        COPY . .
        RUN flit install --python /usr/local/bin/python3 --deps production
        CMD ["python", "-m", "app"]
    """)
    (reason,) = venv_refusals(r)
    assert reason == "line 4: flit install installs for /usr/local/bin/python3, not the virtualenv"


def test_pdm_installs_into_the_activated_virtualenv():
    r = venv_only("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY pyproject.toml pdm.lock ./
        RUN pip install pdm && pdm install --prod --no-self
        CMD ["python", "-m", "app"]
    """)
    out = lines(r.output)
    # pdm itself stays outside: the virtualenv is made after its install
    run_line = out.index("RUN pip install pdm && python -m venv /opt/venv && pdm install --prod --no-self")
    assert out[run_line - 1] == 'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"'
    assert "(pdm)" in venv_reason(r) and "after its pip install of pdm" in venv_reason(r)


def test_build_tool_installed_in_the_same_run_stays_outside_the_virtualenv():
    r = venv_only("""
        FROM python:3.11-slim
        COPY pyproject.toml poetry.lock ./
        RUN pip install --upgrade pip && pip install poetry==1.8.3 && poetry install --only main
        CMD ["python", "-m", "app"]
    """)
    assert ("RUN pip install --upgrade pip && pip install poetry==1.8.3 && python -m venv /opt/venv "
            "&& /opt/venv/bin/pip install --upgrade pip && poetry install --only main\n") in r.output
    again = migrate_text(r.output, Options(select=ONLY_VENV))
    assert again.output == r.output


def test_pipenv_installed_in_the_install_run_stays_outside():
    r = venv_only("""
        FROM python:3.11-slim
        COPY Pipfile Pipfile.lock ./
        RUN pip install pipenv && pipenv install --deploy --system
        CMD ["python", "-m", "app"]
    """)
    assert "RUN pip install pipenv && python -m venv /opt/venv && pipenv install --deploy --system\n" in r.output


def test_python_after_the_tool_in_the_same_run_keeps_the_virtualenv_before_the_run():
    # pip run again after the virtualenv exists would be the one the shell
    # hashed before it: the system pip
    r = venv_only("""
        FROM python:3.12-slim
        WORKDIR /src
        COPY . .
        RUN pip install hatch && hatch build -t wheel && pip install dist/*.whl
        CMD ["myapp"]
    """)
    out = lines(r.output)
    assert out.index("RUN python -m venv /opt/venv") < out.index(
        "RUN pip install hatch && hatch build -t wheel && pip install dist/*.whl")


def test_pdm_virtualenv_follows_the_project_venv_the_file_names():
    r = venv_only("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY pyproject.toml pdm.lock ./
        RUN pip install pdm && pdm install --prod
        ENV PATH="/app/.venv/bin:$PATH"
        CMD ["gunicorn", "app:app"]
    """)
    assert "python -m venv /app/.venv && pdm install --prod\n" in r.output
    assert 'ENV VIRTUAL_ENV=/app/.venv PATH="/app/.venv/bin:$PATH"\n' in r.output


@pytest.mark.parametrize("setting, words", [
    ("RUN pdm config python.use_venv false", "`pdm config python.use_venv`"),
    ("RUN mkdir __pypackages__", "__pypackages__"),
    ("ENV PDM_IGNORE_ACTIVE_VENV=1", "PDM_IGNORE_ACTIVE_VENV"),
    ("RUN pdm use -f /usr/local", "`pdm use"),
])
def test_pdm_told_to_install_elsewhere_is_refused(setting, words):
    r = run(f"""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install pdm
        WORKDIR /app
        COPY . .
        {setting}
        RUN pdm install --prod
        CMD ["python", "-m", "app"]
    """)
    assert "/opt/venv" not in r.output
    (reason,) = venv_refusals(r)
    assert reason.startswith("line 6") and words in reason
    # and no split copies a virtualenv that pdm never filled
    assert "AS runtime" not in r.output


def test_hatch_environments_are_refused_with_the_command():
    r = venv_only("""
        FROM python:3.12-slim
        RUN pip install hatch
        COPY . /app
        WORKDIR /app
        RUN hatch env create prod
        CMD ["python", "-m", "app"]
    """)
    (reason,) = venv_refusals(r)
    assert reason.startswith("line 5 runs `hatch env`") and "~/.local/share/hatch" in reason


def test_hatch_build_then_pip_install_of_the_wheel_goes_into_the_virtualenv():
    r = venv_only("""
        FROM python:3.12-slim
        WORKDIR /src
        COPY . .
        RUN pip install hatch && hatch build -t wheel && pip install dist/*.whl
        CMD ["myapp"]
    """)
    assert "RUN python -m venv /opt/venv\n" in r.output


def test_wheels_built_for_the_install_stay_in_the_builder():
    r = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY requirements.txt .
        RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
        RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
        COPY . .
        CMD ["gunicorn", "site.wsgi"]
    """)
    assert r.status is Status.MIGRATED and not r.refusals
    runtime = r.output[r.output.rindex("\nFROM ") + 1:]
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime
    assert "/wheels" not in runtime   # neither copied nor removed again


def test_pip_run_by_its_system_path_is_refused():
    r = venv_only("""
        FROM python:3.12-slim
        COPY requirements.txt .
        RUN /usr/local/bin/pip install -r requirements.txt
        CMD ["python", "-m", "app"]
    """)
    (reason,) = venv_refusals(r)
    assert reason.startswith("line 3 runs /usr/local/bin/pip by its path")


# --- a file where the transform adds nothing says why ----------------------

def venv_notes(result) -> list[str]:
    return [n for n in result.notes if n.startswith("venv: ")]


def test_note_when_nothing_installs_python_packages():
    r = venv_only("""
        FROM python:3.12-slim
        COPY app.py .
        CMD ["python", "app.py"]
    """)
    (note,) = venv_notes(r)
    assert "nothing installs Python packages" in note and "pdm" in note


def test_note_when_the_install_has_a_folder_of_its_own():
    r = venv_only("""
        FROM python:3.12-slim
        COPY requirements.txt .
        RUN pip install --target=/deps -r requirements.txt
        CMD ["python", "-m", "app"]
    """)
    (note,) = venv_notes(r)
    assert "line 3" in note and "/deps" in note


def test_note_when_the_file_has_its_own_virtualenv():
    r = venv_only("""
        FROM python:3.12-slim
        RUN python -m venv /venv
        ENV PATH="/venv/bin:$PATH"
        RUN pip install flask
        CMD ["flask", "run"]
    """)
    assert venv_notes(r) == ["venv: line 2 already creates a virtualenv (/venv)"]


def test_no_note_on_a_node_image():
    r = venv_only("""
        FROM node:20-alpine
        RUN apk add --no-cache python3 make g++
        COPY package*.json ./
        RUN npm ci
        CMD ["node", "server.js"]
    """)
    assert venv_notes(r) == []


def test_no_virtualenv_when_no_split_follows():
    src = """
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["python", "-m", "app"]
    """
    r = run(src)
    assert "venv" not in r.output
    (note,) = venv_notes(r)
    # nothing would leave: split-stages splits through pip --prefix instead, with no new virtualenv
    assert "split-stages splits with pip --prefix=/install instead" in note
    assert "pip install --prefix=/install --no-cache-dir -r requirements.txt" in r.output
    # asked for on its own, the virtualenv is still made
    assert "RUN python -m venv /opt/venv" in venv_only(src).output


def test_no_virtualenv_where_the_image_runs_its_own_python_packages():
    r = venv_only("""
        FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11
        COPY requirements.txt /tmp/
        RUN pip install --no-cache-dir -r /tmp/requirements.txt
        COPY ./app /app
    """)
    assert "venv" not in r.output
    (reason,) = venv_refusals(r)
    assert reason.startswith("base image tiangolo/uvicorn-gunicorn-fastapi:python3.11: ")
    assert reason.endswith("a virtualenv would hide the app's packages from it")


def test_pdm_run_after_the_install_runs_in_the_same_virtualenv():
    r = venv_only("""
        FROM python:3.12-slim
        RUN pip install pdm
        WORKDIR /app
        COPY . .
        RUN pdm install --prod && pdm run python manage.py collectstatic --noinput
        CMD ["python", "manage.py", "runserver"]
    """)
    assert venv_refusals(r) == []
    assert "RUN python -m venv /opt/venv\n" in r.output


# --- Python 2 has no venv module ------------------------------------------------

PY27 = """
    FROM python:2.7-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    WORKDIR /app
    COPY requirements.txt .
    {tool}RUN pip install -r requirements.txt
    COPY . .
    CMD ["python", "app.py"]
"""


def test_python_2_gets_its_virtualenv_from_the_virtualenv_the_file_installs():
    r = run(PY27.format(tool="RUN pip install --no-cache-dir virtualenv\n    "))
    assert "-m venv" not in r.output
    out = lines(r.output)
    assert out.index("RUN pip install --no-cache-dir virtualenv") < out.index("RUN virtualenv /opt/venv") \
        < out.index("RUN pip install -r requirements.txt")
    assert "created with virtualenv, which the file pip-installs: Python 2 (python:2.7-slim)" in venv_reason(r)
    assert "COPY --from=builder /opt/venv /opt/venv" in r.output


@pytest.mark.parametrize("tool", ["", "RUN apt-get update && apt-get install -y virtualenv\n    "])
def test_python_2_without_a_pip_installed_virtualenv_is_refused(tool):
    # the distribution's virtualenv would run the distribution's Python, not the image's
    r = run(PY27.format(tool=tool))
    assert "venv" not in r.output.replace("apt-get install -y virtualenv", "")
    line = 5 if not tool else 6
    assert venv_refusals(r) == [f"base image python:2.7-slim has Python 2, which has no venv module, and the file "
                                f"does not pip install virtualenv before line {line}, where the virtualenv would "
                                "be created: `python -m venv` would fail"]
    assert "USER 10001:10001" in r.output       # what is still safe is done


# --- review E: no virtualenv when the split is refused ------------------------------

@pytest.mark.parametrize("text, why", [
    # a RUN after the install runs poetry, which only the builder would have
    ("FROM python:3.9-slim\nWORKDIR /app\nRUN pip install poetry\nRUN poetry config virtualenvs.create false\n"
     "COPY pyproject.toml .\nRUN poetry install\nRUN poetry add uvicorn\nCOPY . .\nCMD [\"uvicorn\", \"main:app\"]\n",
     "runs `poetry add"),
])
def test_no_virtualenv_when_the_split_it_serves_is_refused(text, why):
    r = migrate_text(text, Options())
    assert "/opt/venv" not in r.output
    assert any(why in x.reason for x in r.refusals if x.transform == "split-stages"), r.refusals
    assert any(n.startswith("venv: no virtualenv") for n in r.notes), r.notes
    assert "USER 10001" in r.output          # the single-stage changes that pay are still made


@pytest.mark.parametrize("install", ["RUN pipenv install", "RUN poetry install"])
def test_a_command_that_runs_the_installer_gets_it_again_in_the_runtime_stage(install):
    # issue 8: `CMD ["pipenv", "run", ...]` no longer refuses the split: pipenv and poetry run in the
    # active virtualenv (commands.json run_in_active_virtualenv), so the runtime installs the tool again
    tool = install.split()[1]
    text = (f"FROM python:3.8-slim-buster\nWORKDIR /code\nRUN pip install {tool}\nCOPY . .\n{install}\n"
            f"CMD [\"{tool}\", \"run\", \"python\", \"main.py\"]\n")
    r = migrate_text(text, Options())
    runtime = r.output[r.output.index("AS runtime"):]
    assert f"RUN pip install {tool}\n" in runtime and "COPY --from=builder /opt/venv /opt/venv" in runtime
    assert 'ENV VIRTUAL_ENV=/opt/venv' in runtime and "USER 10001:10001" in runtime
    assert not any(x.transform == "split-stages" for x in r.refusals), r.refusals


def test_a_replayed_installer_with_system_installs_and_only_its_cache_to_leave_is_not_split():
    # review 5 E3: pipenv is installed again in the runtime and `--system` makes no virtualenv of its own,
    # so only pipenv's cache would leave, against the new virtualenv's pip and setuptools
    r = migrate_text("FROM python:3.8-slim-buster\nWORKDIR /code\nRUN pip install pipenv\nCOPY . .\n"
                     "RUN pipenv install --system --deploy\nCMD [\"pipenv\", \"run\", \"python\", \"main.py\"]\n",
                     Options())
    assert "AS runtime" not in r.output and "/opt/venv" not in r.output and "USER 10001:10001" in r.output
    assert any(n.startswith("split-stages: no split: only an install cache would leave the runtime image: "
                            "pipenv's cache (line 5, /root/.cache/pipenv)") for n in r.notes), r.notes


def test_uv_run_at_start_still_refuses_the_split():
    # `uv run` uses the project's .venv and ignores another active virtualenv: not replayed
    r = migrate_text("FROM python:3.12-slim\nWORKDIR /app\nRUN pip install uv\nCOPY . .\n"
                     "RUN uv pip install --system -r requirements.txt\nCMD [\"uv\", \"run\", \"main.py\"]\n",
                     Options())
    assert "AS runtime" not in r.output
    assert any("CMD runs `uv`" in x.reason for x in r.refusals if x.transform == "split-stages"), r.refusals


def test_without_the_virtualenv_a_pipenv_env_in_root_home_keeps_root():
    r = migrate_text("FROM python:3.11-slim\nWORKDIR /code\nRUN pip install pipenv\nCOPY . .\n"
                     "RUN pipenv install\nCMD [\"pipenv\", \"run\", \"python\", \"main.py\"]\n",
                     Options(ignore=frozenset({"venv"})))
    assert "USER" not in r.output
    assert any("~/.local/share/virtualenvs" in x.reason and "line 6 runs it" in x.reason
               for x in r.refusals if x.transform == "non-root-user"), r.refusals


def test_an_image_without_facts_names_the_configuration_key():
    # issue 12 item 9: "not a Python image" became "an image the tool has no facts for", with the key to add them
    from migrator.engine import migrate_text as _migrate

    # gcc: a gain of the split, so venv gets as far as the base image (pip's cache alone would not pay)
    result = _migrate('FROM acme/base:1\nRUN apt-get update && apt-get install -y gcc\nRUN pip install flask\n'
                      'CMD ["flask", "run"]\n')
    reasons = {r.transform: r.reason for r in result.refusals}
    for transform in ("venv", "non-root-user"):
        assert reasons[transform].startswith("base image acme/base:1 is an image the tool has no facts for; "
                                             "declare its "), reasons[transform]
        assert "[tool.dockerfile-migrator.images]" in reasons[transform]

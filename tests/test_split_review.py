"""What a reviewer of split-stages' output rejects (issue 12 items 1, 6, 7, 9;
issue 8 item 6): programs the runtime stage lacks, splits that free nothing,
no-op layers and files only the build needs in the runtime stage."""

from __future__ import annotations

from pathlib import Path

import textwrap

import pytest

from migrator.analysis.commands import Kind
from migrator.engine import migrate_text
from migrator.analysis.gain import may_need_build_packages, read_stage, split_pays
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import Status


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(text: str, **kw):
    return migrate_text(src(text), Options(**kw))


def stages(output: str) -> tuple[str, str]:
    cut = output.lower().rindex("\nfrom ") + 1
    return output[:cut], output[cut:]


def pays(text: str, **kw) -> str | None:
    return split_pays(parse(src(text)), Options(**kw))


def split_notes(result) -> list[str]:
    return [n for n in result.notes if n.startswith("split-stages:")]


# Issue 12's example file, kept once as the corpus case the issue asked for.
ISSUE_12 = (Path(__file__).resolve().parent.parent / "corpus" / "split-pipenv-review-example"
            / "before.Dockerfile").read_text(encoding="utf-8")


# --- item 1: every program the runtime stage runs exists there -------------

def test_issue_example_runs_pipenv_only_in_the_builder():
    r = run(ISSUE_12)
    assert r.status is Status.MIGRATED
    builder, runtime = stages(r.output)
    assert "pipenv" not in runtime
    assert "RUN pipenv run python manage.py collectstatic --noinput" in builder
    # collectstatic wrote into /app: the runtime stage takes the folder from the builder
    assert "--from=builder /app /app" in runtime
    assert "--from=builder /opt/venv /opt/venv" in runtime
    # with the build step out of the runtime stage, the compilers can leave it too
    assert "gcc" not in runtime and "libpq5" in runtime


def test_issue_example_builder_is_the_original_plus_insertions():
    r = run(ISSUE_12)
    builder, _ = stages(r.output)
    lines = iter(builder.splitlines())
    for original in src(ISSUE_12).splitlines()[:-1]:   # all but CMD, which ends the runtime stage
        original = original.replace("FROM python:3.11-slim", "FROM python:3.11-slim AS builder")
        assert any(line == original for line in lines), original


@pytest.mark.parametrize("wrapper", ["poetry run python", "uv run python", "pdm run python"])
def test_a_run_of_a_builder_only_tool_refuses_the_split_naming_line_and_program(wrapper):
    tool = wrapper.split()[0]
    r = run(f"""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install {tool}
        WORKDIR /app
        COPY . .
        RUN pip install --no-cache-dir -r requirements.txt
        RUN {wrapper} scripts/seed.py
        CMD ["python", "-m", "app"]
    """)
    refusals = [x.reason for x in r.refusals if x.transform == "split-stages"]
    assert refusals and refusals[0].startswith(f"line 7 runs `{wrapper}")
    assert f"{tool} is installed only in the builder stage (line 3)" in refusals[0]
    assert " AS builder" not in r.output


def test_a_tool_pip_installed_into_root_home_is_builder_only():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        RUN pip install --user pipenv
        WORKDIR /app
        COPY . .
        RUN pip install -r requirements.txt
        RUN pipenv run python manage.py migrate
        CMD ["python", "manage.py", "runserver"]
    """)
    assert any("line 7 runs `pipenv run python`" in x.reason for x in r.refusals)


def test_compilemessages_under_a_builder_tool_is_a_build_step():
    r = run("""
        FROM python:3.12-slim
        RUN pip install poetry
        WORKDIR /srv
        COPY . .
        RUN poetry config virtualenvs.create false && poetry install --only main
        RUN poetry run django-admin compilemessages
        CMD ["gunicorn", "site.wsgi"]
    """)
    builder, runtime = stages(r.output)
    assert "compilemessages" in builder and "poetry" not in runtime
    assert "--from=builder /srv /srv" in runtime


def test_collectstatic_into_a_folder_outside_the_workdir_refuses_the_split():
    r = run("""
        FROM python:3.12-slim
        ENV STATIC_ROOT=/var/www/static
        RUN pip install pipenv
        WORKDIR /app
        COPY . .
        RUN pipenv install --system --deploy
        RUN pipenv run python manage.py collectstatic --noinput
        CMD ["gunicorn", "site.wsgi"]
    """)
    assert any(x.transform == "split-stages" and "line 7 runs `pipenv run python`" in x.reason
               for x in r.refusals)


def test_collectstatic_under_a_tool_the_runtime_also_has_still_runs_in_the_builder():
    # pipenv goes into the virtualenv here, and the runtime copies it: the
    # step still belongs to the builder, where the compilers are
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
            && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY Pipfile Pipfile.lock ./
        RUN pip install pipenv && pipenv install --deploy --ignore-pipfile
        COPY . .
        RUN pipenv run python manage.py collectstatic --noinput
        CMD ["gunicorn", "site.wsgi"]
    """)
    builder, runtime = stages(r.output)
    assert "collectstatic" in builder and "collectstatic" not in runtime
    assert "gcc" not in runtime and "--from=builder /app /app" in runtime


def test_a_report_run_by_a_builder_tool_stays_in_the_builder():
    r = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        RUN pip install pipenv
        WORKDIR /app
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --system --deploy
        RUN pipenv run pip list
        COPY . .
        CMD ["gunicorn", "site.wsgi"]
    """)
    assert not [x for x in r.refusals if x.transform == "split-stages"]
    _, runtime = stages(r.output)
    assert "pipenv" not in runtime


def test_pipenv_shell_is_not_replayed():
    r = run("""
        FROM python:3.12-slim
        RUN pip install pipenv
        WORKDIR /app
        COPY Pipfile* ./
        RUN pipenv install --system && pipenv shell
        COPY . .
        CMD ["python", "app.py"]
    """)
    _, runtime = stages(r.output)
    assert "pipenv" not in runtime


def test_a_global_npm_tool_the_command_runs_is_installed_alone():
    r = run("""
        FROM node:20-alpine
        RUN apk add --no-cache python3 make g++
        WORKDIR /app
        COPY package.json package-lock.json ./
        RUN npm install -g pm2 @nestjs/cli && npm ci
        COPY . .
        RUN nest build
        CMD ["pm2-runtime", "dist/main.js"]
    """)
    _, runtime = stages(r.output)
    assert "RUN npm install -g pm2\n" in runtime
    assert "@nestjs/cli" not in runtime and "npm ci" not in runtime


def test_a_build_output_moved_out_of_the_build_folder_is_copied_not_moved_again():
    r = run("""
        FROM golang:1.22-alpine
        RUN apk add --no-cache gcc musl-dev
        WORKDIR /src
        COPY . .
        RUN go build -o server ./cmd/server && mv server /usr/local/bin/
        CMD ["server"]
    """)
    _, runtime = stages(r.output)
    assert "COPY --from=builder /usr/local/bin/server /usr/local/bin/server" in runtime
    assert "mv server" not in runtime
    assert "/src/server" not in runtime   # gone from the builder's folder after the mv


# --- item 6: no split without a gain ---------------------------------------

def test_split_pays_for_the_issue_example():
    assert pays(ISSUE_12) is None


def test_no_split_on_a_slim_image_with_nothing_to_leave_behind():
    text = """
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["python", "app.py"]
    """
    reason = pays(text)
    assert reason and reason.startswith("nothing would leave the runtime image")
    # no virtualenv split (it would grow the image); on a system Python outside /usr/local, no split at all
    on_debian = run(text.replace("python:3.12-slim", "debian:bookworm-slim"))
    assert " AS builder" not in on_debian.output and " AS runtime" not in on_debian.output
    assert split_notes(on_debian)[0].startswith(f"split-stages: no split: {pays(text.replace('python:3.12-slim', 'debian:bookworm-slim'))}")
    # the changes that still pay are made in the single stage
    assert "USER 10001:10001" in on_debian.output
    # on the official image the split installs with pip --prefix (tests/test_prefix_split.py)
    r = run(text)
    assert "COPY --from=builder /install /usr/local" in r.output and "/opt/venv" not in r.output


def test_pip_cache_left_in_root_home_is_a_gain():
    # counted, but weighed against the new virtualenv's pip (review 5 E3: tests/test_cache_only_split.py)
    assert pays("""
        FROM python:3.12-slim
        RUN pip install -r requirements.txt
        CMD ["python", "app.py"]
    """).startswith("only an install cache would leave the runtime image: pip's cache (line 2")
    assert pays("""
        FROM python:3.12-slim
        ENV PIP_NO_CACHE_DIR=1
        RUN pip install -r requirements.txt
        CMD ["python", "app.py"]
    """) is not None
    assert pays("""
        FROM python:3.12-slim
        RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
        CMD ["python", "app.py"]
    """) is not None


def test_packages_removed_in_the_same_stage_are_no_gain():
    reason = pays("""
        FROM python:3.12-alpine
        COPY requirements.txt .
        RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\
            && pip install --no-cache-dir -r requirements.txt \\
            && apk del .build-deps
        CMD ["python", "-m", "app"]
    """)
    assert reason is not None


def test_build_packages_a_later_step_may_need_are_no_gain_and_the_reason_names_it():
    reason = pays("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        RUN ./build-native.sh
        CMD ["python", "-m", "app"]
    """)
    assert reason is not None and "line 5 runs `./build-native.sh`" in reason and "gcc" in reason


def test_build_packages_by_name_on_a_base_without_package_data():
    assert pays("""
        FROM ubuntu:22.04
        RUN apt-get update && apt-get install -y python3 python3-venv gcc libpq-dev
        RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir psycopg2
        CMD ["/opt/venv/bin/python", "-m", "app"]
    """) is None


def test_full_image_with_a_slim_sibling_builder_tools_and_compiles_are_gains():
    assert pays("""
        FROM python:3.12
        RUN pip install --no-cache-dir -r requirements.txt
        CMD ["python", "app.py"]
    """) is None
    assert pays("""
        FROM python:3.12-slim
        COPY --from=ghcr.io/astral-sh/uv /uv /uvx /bin/
        RUN uv pip install --system --no-cache -r requirements.txt
        CMD ["python", "app.py"]
    """) is None
    assert pays("""
        FROM golang:1.22-alpine
        WORKDIR /src
        COPY . .
        RUN go build -o /usr/local/bin/app .
        CMD ["app"]
    """) is None


def test_a_javascript_build_alone_is_no_gain():
    # its output is the working directory, which the runtime stage copies whole
    why = pays("""
        FROM node:20-alpine
        WORKDIR /app
        COPY . .
        RUN npm ci && npm run build
        CMD ["node", "dist/main.js"]
    """)
    assert why and "would keep node:20-alpine" in why
    # with build packages to leave behind, it splits
    assert pays("""
        FROM node:20-alpine
        WORKDIR /app
        RUN apk add --no-cache python3 make g++
        COPY . .
        RUN npm ci && npm run build
        CMD ["node", "dist/main.js"]
    """) is None


def test_split_pays_answers_on_files_it_does_not_split():
    assert pays("""
        FROM python:3.12-slim
        COPY app.py /app.py
        CMD ["python", "/app.py"]
    """) == "nothing is built in this stage"
    assert "stages" in pays("""
        FROM python:3.12 AS build
        RUN pip wheel -w /w flask
        FROM python:3.12-slim
        COPY --from=build /w /w
    """)


def test_may_need_build_packages_trusts_python_and_kept_commands():
    reading = read_stage(parse(src("""
        FROM python:3.12-slim
        RUN python manage.py collectstatic && msgfmt x.po && ./gen.sh
        RUN make
    """)))
    steps = [(ins, reading.infos[ins.index].all_ops) for ins, _c in reading.steps if ins.index in reading.infos]
    assert may_need_build_packages(steps)[1].command.name == "msgfmt"
    assert may_need_build_packages(steps, kept_commands={"msgfmt"})[1].command.name == "gen.sh"
    # a build step may always need them
    ins, op = may_need_build_packages(steps, kept_commands={"msgfmt", "gen.sh"})
    assert (ins.start_line, op.kind) == (3, Kind.BUILD)
    assert may_need_build_packages(steps[:1], kept_commands={"msgfmt", "gen.sh"}) is None


def test_installer_scripts_are_builder_tool_installs():
    reading = read_stage(parse(src("""
        FROM python:3.12-slim
        RUN curl -sSL https://install.python-poetry.org | python3 -
        RUN curl -O https://bootstrap.pypa.io/get-pip.py && python get-pip.py && rm get-pip.py
        CMD ["python", "app.py"]
    """)))
    kinds = [op.kind for info in reading.infos.values() for op in info.all_ops]
    assert kinds == [Kind.PYTHON_TOOL] * len(kinds) and len(kinds) == 5
    assert reading.builder_tools == {"poetry": 2, "pip": 3, "pip3": 3}


# --- issue 8 item 6 / issue 12 item 7: nothing only the build needs ------------

def test_uv_binary_stays_in_the_builder_unless_the_runtime_runs_it():
    text = """
        FROM python:3.12-slim
        COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /uvx /bin/
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY requirements.txt .
        RUN uv pip install --system --no-cache -r requirements.txt
        COPY . .
        {last}
    """
    _, runtime = stages(run(text.format(last='CMD ["python", "-m", "app"]')).output)
    assert "astral-sh/uv" not in runtime
    _, runtime = stages(run(text.format(last='HEALTHCHECK CMD uv --version\nCMD ["python", "-m", "app"]')).output)
    assert "COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /uvx /bin/" in runtime


def test_poetry_installer_and_get_pip_are_not_replayed():
    r = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y curl gcc && rm -rf /var/lib/apt/lists/*
        RUN curl -sSL https://bootstrap.pypa.io/get-pip.py -o /tmp/get-pip.py \\
            && python /tmp/get-pip.py && rm /tmp/get-pip.py
        RUN curl -sSL https://install.python-poetry.org | python3 -
        ENV PATH="/root/.local/bin:$PATH"
        WORKDIR /app
        COPY pyproject.toml poetry.lock ./
        RUN poetry install --only main
        COPY . .
        CMD ["python", "-m", "app"]
    """)
    _, runtime = stages(r.output)
    assert "install.python-poetry.org" not in runtime and "get-pip" not in runtime
    assert "pyproject.toml poetry.lock" not in runtime


def test_requirement_files_stay_in_the_builder_unless_a_runtime_step_reads_them():
    text = """
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY app/ app/
        {extra}CMD ["python", "-m", "app"]
    """
    _, runtime = stages(run(text.format(extra="")).output)
    assert "requirements.txt" not in runtime
    _, runtime = stages(run(text.format(extra="RUN python app/licenses.py requirements.txt\n")).output)
    assert "requirements.txt ." in runtime


def test_a_copy_a_later_step_deletes_is_not_replayed():
    r = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY wheels/ /tmp/wheels/
        RUN pip install --no-cache-dir --find-links /tmp/wheels rates \\
            && rm -rf /tmp/wheels
        COPY . .
        CMD ["python", "-m", "rates"]
    """)
    _, runtime = stages(r.output)
    assert "/tmp/wheels" not in runtime


def test_stray_apt_layers_and_redundant_mkdir_are_not_replayed():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update
        RUN apt-get install -y gcc libxml2-dev curl
        RUN apt-get clean
        RUN mkdir -p /app
        RUN mkdir -p /data && chown nobody /data
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["python", "-m", "app"]
    """, select=frozenset({"venv", "split-stages"}))
    _, runtime = stages(r.output)
    assert "RUN apt-get update\n" not in runtime
    assert "apt-get clean" not in runtime
    assert "RUN mkdir -p /app\n" not in runtime
    assert "RUN mkdir -p /data && chown nobody /data\n" in runtime
    # the install relied on the bare update: in the runtime stage it updates the lists itself
    assert ("RUN apt-get update \\\n    && apt-get install -y gcc libxml2-dev curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n") in runtime


def test_an_install_after_the_build_that_relied_on_the_bare_update_updates_itself():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update
        RUN pip install -r requirements.txt
        RUN apt-get install -y curl
        CMD ["python", "-m", "app"]
    """, select=frozenset({"venv", "split-stages"}))
    _, runtime = stages(r.output)
    assert "RUN apt-get update\n" not in runtime
    assert ("RUN apt-get update \\\n    && apt-get install -y curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n") in runtime


R2_APT_LISTS = """
    FROM python:3.11-slim
    RUN apt-get update
    RUN apt-get install -y tesseract-ocr
    RUN apt-get install -y poppler-utils
    RUN pip install pytesseract
    CMD ["python", "-m", "http.server"]
"""


def test_every_replayed_install_that_relied_on_a_bare_update_gets_its_own_lists():
    # review R2: the first install's list cleanup left the second with no lists
    r = run(R2_APT_LISTS)
    assert r.status is Status.MIGRATED, r.refusals
    _, runtime = stages(r.output)
    for package in ("tesseract-ocr", "poppler-utils"):
        at = runtime.index(f"apt-get install -y {package}")
        run_start = runtime.rindex("RUN ", 0, at)
        run_end = runtime.index("\n", at)
        assert runtime[run_start:at].startswith("RUN apt-get update"), package
        assert "rm -rf /var/lib/apt/lists/*" in runtime[at:runtime.index("\n", run_end + 1)], package
    assert "RUN apt-get update\n" not in runtime


def test_an_install_relying_on_an_update_and_install_run_gets_its_own_update():
    # review R2 (sitingGZ): build-deps cleans the lists at the end of line 2's RUN
    r = run("""
        FROM ubuntu:22.04
        RUN apt-get update && apt-get install -y python3 python3-pip
        RUN apt-get install -y nano
        WORKDIR /app
        RUN pip install -r requirements.txt
        CMD ["python3", "-m", "app"]
    """)
    assert r.status is Status.MIGRATED, r.refusals
    _, runtime = stages(r.output)
    assert ("RUN apt-get update \\\n    && apt-get install -y nano \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n") in runtime


def test_an_install_after_lists_were_fetched_again_is_left_as_it_is():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update
        RUN apt-get install -y gcc
        RUN pip install -r requirements.txt
        RUN apt-get update && apt-get install -y curl
        CMD ["python", "-m", "app"]
    """, select=frozenset({"venv", "split-stages"}))
    _, runtime = stages(r.output)
    assert "RUN apt-get update && apt-get install -y curl\n" in runtime


# --- review R3 / issue 8: an image without CMD or ENTRYPOINT keeps its installer -----

@pytest.mark.parametrize("install, tool, replayed", [
    ("RUN pip install pipenv\nRUN pipenv install", "pipenv", "RUN pip install pipenv\n"),
    ("RUN pip install poetry\nRUN poetry install", "poetry", "RUN pip install poetry\n"),
    ("COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv\nRUN uv sync", "uv",
     "COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv\n"),
])
def test_a_cmdless_image_is_split_and_its_runtime_installs_the_installer_again(install, tool, replayed):
    text = "FROM python:3.11-slim\nWORKDIR /app\nCOPY . /app\n" + install + "\n"
    r = migrate_text(text, Options())
    assert r.status is Status.MIGRATED, r.refusals
    builder, runtime = stages(r.output)
    # the users of the base image still run the installer: the runtime stage installs it the same way
    assert replayed in builder and replayed in runtime
    assert not any(x.transform == "split-stages" for x in r.refusals)
    # the packages it installed reach the runtime in the copied environment
    assert "COPY --from=builder" in runtime


def test_a_cmdless_image_keeps_the_installers_project_files_and_settings():
    r = run("""
        FROM python:3.11-slim
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir pipenv==2023.12.1 && pip install poetry==1.8.3
        WORKDIR /app
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --deploy --system
        COPY pyproject.toml poetry.lock ./
        RUN poetry config virtualenvs.create false && poetry install --no-root
    """)
    _, runtime = stages(r.output)
    assert "RUN pip install --no-cache-dir pipenv==2023.12.1 && pip install poetry==1.8.3\n" in runtime
    # users run `pipenv install`/`poetry install` on the files the image ships
    assert "COPY Pipfile Pipfile.lock ./\n" in runtime and "COPY pyproject.toml poetry.lock ./\n" in runtime
    # the installed packages come with the virtualenv, and the settings poetry installed with stay
    assert "pipenv install" not in runtime and "poetry install" not in runtime
    assert "RUN poetry config virtualenvs.create false\n" in runtime
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime and "libpq-dev" not in runtime


def test_an_image_with_a_command_leaves_its_installer_in_the_builder():
    r = run("""
        FROM python:3.11-slim
        RUN pip install pipenv
        WORKDIR /app
        COPY Pipfile Pipfile.lock ./
        RUN pipenv install --deploy
        CMD ["gunicorn", "app:app"]
    """)
    _, runtime = stages(r.output)
    assert "pipenv" not in runtime and "Pipfile" not in runtime


def test_a_cmdless_image_whose_installer_lands_in_the_virtualenv_is_still_split():
    r = run("""
        FROM python:3.11-slim
        RUN python -m venv /opt/venv
        ENV PATH="/opt/venv/bin:$PATH" VIRTUAL_ENV=/opt/venv
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        RUN pip install poetry
        WORKDIR /app
        COPY . /app
        RUN poetry install
    """)
    assert "AS runtime" in r.output


# --- item 9: stage names ---------------------------------------------------------

def test_the_reason_explains_the_names_when_the_original_names_its_stage():
    r = run("""
        FROM python:3.12-slim AS builder
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir -r requirements.txt
        CMD ["python", "-m", "app"]
    """)
    reason = next(c.reason for c in r.changes if c.transform == "split-stages")
    assert "keeps the name `builder` of the original stage" in reason
    assert "`--target builder`" in reason and "named `build`" in reason
    assert r.output.startswith("FROM python:3.12-slim AS build\n")


def test_a_copy_named_by_a_build_argument_and_its_removal_are_not_replayed():
    r = run("""
        FROM python:3.12-slim
        ARG REQ=requirements.txt
        COPY $REQ /tmp/$REQ
        RUN apt-get update && apt-get install -y gcc && pip install -r /tmp/$REQ && rm -f /tmp/$REQ
        CMD ["python", "-m", "app"]
    """, select=frozenset({"venv", "split-stages"}))
    _, runtime = stages(r.output)
    assert "COPY $REQ" not in runtime and "rm -f" not in runtime
    assert "RUN apt-get update \\\n    && apt-get install -y gcc\n" in runtime


def test_a_version_check_of_a_builder_tool_stays_in_the_builder():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        RUN curl -sSL https://install.python-poetry.org | POETRY_HOME=/opt/poetry python3 - \\
            && /opt/poetry/bin/poetry --version
        WORKDIR /app
        COPY . .
        RUN /opt/poetry/bin/poetry install --only main
        CMD ["python", "-m", "app"]
    """)
    assert not [x for x in r.refusals if x.transform == "split-stages"]
    _, runtime = stages(r.output)
    assert "poetry" not in runtime


def test_no_comment_is_copied_into_the_runtime_stage():
    r = run("""
        FROM python:3.12-slim
        # build deps for psycopg2
        RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        # dependencies first, for the layer cache
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        # the app
        COPY . .
        CMD ["python", "-m", "app"]
    """)
    _, runtime = stages(r.output)
    # the only comment of the runtime stage is the original one above its own COPY
    assert [line for line in runtime.splitlines() if line.startswith("#")] == ["# the app"]
    assert runtime.index("# the app\nCOPY --chown=10001:10001 . .") > runtime.index("COPY --from=builder")


def test_a_link_to_an_installed_tool_and_a_wildcard_lock_copy_stay_in_the_builder():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends gcc curl && rm -rf /var/lib/apt/lists/*
        RUN curl -sSL https://install.python-poetry.org | python3 - \\
            && ln -s /root/.local/bin/poetry /usr/local/bin/poetry
        WORKDIR /app
        COPY pyproject.toml poetry.lock* ./
        RUN poetry install --without dev --no-root
        COPY . .
        CMD ["uvicorn", "app.main:app"]
    """)
    _, runtime = stages(r.output)
    assert "poetry" not in runtime and "ln -s" not in runtime


def test_a_tool_the_command_runs_is_copied_into_the_runtime_and_its_runs_stay_there():
    r = run("""
        FROM python:3.12-slim
        COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
        COPY . /app
        WORKDIR /app
        RUN uv sync --frozen
        RUN uv run python scripts/create_schema.py
        CMD ["uv", "run", "fastapi", "run", "app.py"]
    """)
    assert not [x for x in r.refusals if x.transform == "split-stages"]
    _, runtime = stages(r.output)
    assert "COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/" in runtime
    assert "RUN uv run python scripts/create_schema.py" in runtime


def test_an_installer_script_added_from_its_url_stays_in_the_builder():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        ADD https://bootstrap.pypa.io/get-pip.py get-pip.py
        RUN python get-pip.py
        RUN pip install websockets
        COPY main.py .
        CMD ["python", "main.py"]
    """)
    _, runtime = stages(r.output)
    assert "get-pip" not in runtime


def test_a_mkdir_a_later_replayed_step_needs_is_kept():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*
        RUN mkdir -p /srv/logs
        RUN touch /srv/logs/app.log
        RUN pip install -r requirements.txt
        WORKDIR /srv/logs
        CMD ["python", "-m", "app"]
    """, select=frozenset({"venv", "split-stages"}))
    _, runtime = stages(r.output)
    assert runtime.index("RUN mkdir -p /srv/logs") < runtime.index("RUN touch /srv/logs/app.log")


# --- what counts as a gain (gain.split_gains) -------------------------------

def test_a_full_image_is_a_gain_only_when_its_slim_move_is_safe():
    full = """
        FROM python:3.12-bookworm
        WORKDIR /code
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["make", "serve"]
    """
    why = pays(full)
    assert why and "its move to python:3.12-slim-bookworm is unsafe: line 6: CMD runs make" in why
    assert pays(full, unsafe=True) is None            # --unsafe takes the move, so the split pays
    assert pays(full.replace('["make", "serve"]', '["gunicorn", "app:app"]')) is None
    r = run(full)
    assert "AS runtime" not in r.output and "USER 10001:10001" in r.output   # the safe changes still made
    assert any("CMD runs make" in n for n in split_notes(r))


def test_apt_python3_pip_is_no_build_only_package():
    # python3-pip is a second Python, not a compiler: by name it is no build-only package
    assert "no build-only packages" in pays("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip && rm -rf /var/lib/apt/lists/*
        RUN pip install --no-cache-dir -r requirements.txt
        CMD ["python", "-m", "app"]
    """)


def test_a_tool_pip_installs_before_the_same_run_creates_the_virtualenv_stays_outside_it():
    # the system pip runs: /opt/venv/bin/pip does not exist yet when `pip install poetry` looks it up
    before = """
        FROM python:3.12-slim
        ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
        WORKDIR /app
        COPY pyproject.toml poetry.lock ./
        RUN pip install --no-cache-dir poetry && python -m venv /opt/venv && poetry install --no-root --only main \\
            && rm -rf /root/.cache/pypoetry
        CMD ["python", "-m", "app"]
    """
    assert pays(before) is None                     # poetry stays in the builder
    reading = read_stage(parse(src(before)))
    assert reading.builder_tools == {"poetry": 5}
    after = before.replace("pip install --no-cache-dir poetry && python -m venv /opt/venv && ",
                           "python -m venv /opt/venv && pip install --no-cache-dir poetry && ")
    assert "nothing would leave" in pays(after)      # inside the virtualenv the runtime copies


def test_pip_tools_is_no_builder_tool_when_pip_sync_installs_from_it():
    # pip-sync installs into its own environment: the venv transform puts pip-tools into the virtualenv
    why = pays("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir pip-tools && pip-sync requirements.txt
        CMD ["python", "-m", "app"]
    """)
    assert why and "no build-only packages, builder-only tools" in why
    r = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir pip-tools && pip-sync requirements.txt
        CMD ["python", "-m", "app"]
    """)
    assert "AS builder" not in r.output and "venv" not in r.output.replace("nologin", "")


@pytest.mark.parametrize("base, seed", [("python:3.12-slim", "the pip the new virtualenv would bring (about 15 MB)"),
                                        ("python:3.11-slim", "the pip and setuptools the new virtualenv would "
                                                             "bring (about 22 MB)")])
def test_a_small_builder_tool_does_not_pay_for_the_virtualenvs_own_pip(base, seed):
    flit = f"""
        FROM {base}
        WORKDIR /app
        COPY . .
        RUN pip install --no-cache-dir flit && flit install --deps production
        CMD ["python", "-m", "app"]
    """
    why = pays(flit)
    assert why and f"the builder-only tool flit (line 4) (about 10 MB) weighs less than {seed}" in why
    r = run(flit)
    assert "AS builder" not in r.output and "/opt/venv" not in r.output   # no split, no virtualenv
    # poetry (about 83 MB) outweighs it
    assert pays(flit.replace("pip install --no-cache-dir flit && flit install --deps production",
                             "pip install --no-cache-dir poetry && poetry install --only main")) is None
    # a virtualenv the file creates itself costs nothing new
    assert pays(flit.replace("flit && flit install", "flit && python -m venv /opt/venv "
                             "&& flit install --python /opt/venv/bin/python")) is None


# --- setup leftovers only the build reads ---------------------------------

LEFTOVER = """
    FROM python:3.12-slim
    WORKDIR /app
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
    {write}
    COPY requirements.txt .
    RUN {install}
    COPY . .
    CMD {cmd}
"""


@pytest.mark.parametrize("write, install", [
    ('RUN echo "cython<3" > /tmp/constraints.txt',
     "PIP_CONSTRAINT=/tmp/constraints.txt pip install --no-cache-dir -r requirements.txt"),
    ('RUN echo "cython<3" > constraints.txt', "pip install --no-cache-dir -c constraints.txt -r requirements.txt"),
    ('RUN mkdir -p /tmp/pip && printf "%s\\n" "cython<3" >> /tmp/pip/c.txt',
     "pip install --no-cache-dir -c /tmp/pip/c.txt -r requirements.txt"),
])
def test_a_file_only_the_builders_install_reads_is_not_written_again_in_the_runtime(write, install):
    r = run(LEFTOVER.format(write=write, install=install, cmd='["gunicorn", "app:app"]'))
    builder, runtime = stages(r.output)
    assert write in builder and write not in runtime
    assert "libpq5" in runtime and "gcc" not in runtime


@pytest.mark.parametrize("write, cmd", [
    ('RUN echo "x" > /tmp/app.conf', '["gunicorn", "-c", "/tmp/app.conf", "app:app"]'),   # the command reads it
    ('ENV APP_CONF=/tmp/app.conf\n    RUN echo "x" > /tmp/app.conf', '["gunicorn", "app:app"]'),   # the app may
    ('RUN echo "x" > /etc/app.conf', '["gunicorn", "app:app"]'),                      # not scratch space
    ('RUN echo "x" > /tmp/a.txt && touch /app/x', '["gunicorn", "app:app"]'),         # does more than write it
])
def test_a_file_the_runtime_may_read_is_still_written_there(write, cmd):
    r = run(LEFTOVER.format(write=write, install="pip install --no-cache-dir -r requirements.txt", cmd=cmd))
    _builder, runtime = stages(r.output)
    assert write.splitlines()[-1].strip() in runtime


def test_gain_reads_no_transform():
    # the analysis package (gain, the full-image check...) and the model are shared: transforms import
    # them, never the reverse
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "migrator"
    names = sorted(root.glob("analysis/*.py")) + sorted(root.glob("model/*.py"))
    assert {"gain.py", "full_image.py", "dockerfile.py"} <= {p.name for p in names}
    for path in names:
        name = path.name
        tree = ast.parse(path.read_text("utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m and m.split(".")[0] == "transforms"}, name


# --- review nits B and F -------------------------------------------------------------

def test_the_runtime_stage_starts_after_the_blank_line_and_holds_none():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
        COPY requirements.txt .
        RUN pip install -r requirements.txt

        COPY . .

        CMD ["python", "-m", "app"]
    """)
    builder, runtime = stages(r.output)
    assert builder.endswith("RUN pip install -r requirements.txt\n\n")     # one blank line between the stages
    body = runtime[:runtime.index("CMD")]
    assert "\n\n" not in body.rstrip("\n") and body.endswith("\n\n")       # the original blank before CMD stays
    assert r.output.count("\n\n\n") == 0


def test_a_build_step_right_before_the_next_instruction_still_gets_a_blank_line():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
        RUN pip install psycopg2
        CMD ["python", "-m", "app"]
    """)
    assert "RUN pip install psycopg2\n\nFROM python:3.12-slim AS runtime\n" in r.output


@pytest.mark.parametrize("text, clause", [
    ("FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"
     "CMD [\"npm\", \"start\"]\n", "npm's download cache (/root/.npm, line 4) stays in the image"),
    ("FROM python:3.11-slim\nRUN apt-get update\nRUN apt-get install -y ffmpeg\n"
     "RUN pip install --no-cache-dir flask\nCMD [\"flask\", \"run\"]\n",
     "the package lists of line 2's `apt-get update` (/var/lib/apt/lists) stay in the image"),
])
def test_the_no_split_note_names_the_caches_that_stay(text, clause):
    why = split_pays(parse(text), Options())
    assert why and clause in why and "install caches" not in why
    assert "no build-only packages, builder-only tools or compiled outputs to leave behind" in why


def test_the_no_split_note_says_no_install_caches_when_there_are_none():
    text = ("FROM python:3.11-slim\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*\n"
            "RUN pip install --no-cache-dir flask\nCMD [\"flask\", \"run\"]\n")
    why = split_pays(parse(text), Options())
    assert why and "install caches or compiled outputs to leave behind" in why and "stay in the image" not in why


def test_a_dev_image_with_an_interactive_shell_keeps_its_installer():
    r = migrate_text("FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc\n"
                     "RUN pip install uv\nCOPY . .\n"
                     "RUN uv pip install --system -r requirements.txt\nCMD [\"bash\"]\n", Options())
    _, runtime = stages(r.output)
    # split (gcc stays behind; uv's cache alone would not pay for the virtualenv: review 5 E3), and the
    # developer's shell still has uv
    assert "RUN pip install uv\n" in runtime and "COPY --from=builder /opt/venv /opt/venv" in runtime
    assert runtime.rstrip().endswith('CMD ["bash"]')

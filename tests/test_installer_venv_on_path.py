"""Review 5 E7: a CMD-less image that already puts the project's in-project
virtualenv on PATH (``ENV PATH="/app/.venv/bin:$PATH"``) before ``RUN pip
install uv && uv sync``. That pip is the base interpreter's (``/app/.venv``
does not exist yet when it runs), so uv/pdm land in the base site-packages;
the runtime stage replays the install, pin as written, before its own ``ENV
PATH`` takes effect, so the image's users still find the installer."""

from __future__ import annotations

import textwrap

import pytest

from migrator.engine import migrate_text
from migrator.options import Options


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def runtime(output: str) -> list[str]:
    return output[output.lower().rindex("\nfrom ") + 1:].splitlines()


def index_of(lines: list[str], start: str) -> int:
    return next(i for i, x in enumerate(lines) if x.startswith(start))


@pytest.mark.parametrize("install, installer", [
    ("pip install uv && uv sync", "RUN pip install uv"),
    ("pip install 'uv==0.4.30' && uv sync", "RUN pip install 'uv==0.4.30'"),
    ("pip install pdm==2.15.4 && pdm install", "RUN pip install pdm==2.15.4"),
])
def test_the_installer_is_replayed_before_the_virtualenv_goes_on_path(install, installer):
    result = run(f"""
        FROM python:3.12
        WORKDIR /app
        COPY pyproject.toml /app/
        ENV PATH="/app/.venv/bin:$PATH"
        RUN {install}
        """)
    assert result.status.value == "migrated" and " AS runtime" in result.output
    lines = runtime(result.output)
    at = index_of(lines, installer)
    assert lines[at] == installer                    # the pip install alone, its pin as written
    assert at < index_of(lines, 'ENV PATH="/app/.venv/bin:$PATH"')
    assert at < index_of(lines, "COPY --from=builder /app/.venv /app/.venv")


def test_an_image_with_its_own_command_keeps_the_installer_in_the_builder():
    result = run("""
        FROM python:3.12
        WORKDIR /app
        COPY pyproject.toml /app/
        ENV PATH="/app/.venv/bin:$PATH"
        RUN pip install uv && uv sync
        COPY app.py .
        CMD ["python", "app.py"]
        """)
    assert " AS runtime" in result.output
    assert not any(x.startswith("RUN pip install uv") for x in runtime(result.output))


def test_a_virtualenv_that_exists_before_the_pip_install_takes_the_installer():
    # the venv is made first, so pip is /app/.venv/bin/pip: uv lands in the venv the runtime copies
    result = run("""
        FROM python:3.12
        WORKDIR /app
        COPY pyproject.toml /app/
        ENV PATH="/app/.venv/bin:$PATH"
        RUN python -m venv /app/.venv
        RUN pip install uv && uv sync
        """)
    lines = runtime(result.output)
    assert not any(x.startswith("RUN pip install uv") for x in lines)
    assert "COPY --from=builder /app/.venv /app/.venv" in lines


def test_uv_project_environment_names_the_virtualenv_uv_sync_makes():
    result = run("""
        FROM python:3.12
        WORKDIR /app
        COPY pyproject.toml /app/
        ENV UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
        RUN pip install uv && uv sync
        """)
    lines = runtime(result.output)
    assert index_of(lines, "RUN pip install uv") < index_of(lines, "ENV UV_PROJECT_ENVIRONMENT=/opt/venv")

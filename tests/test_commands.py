"""Reading simple commands into operations (migrator.analysis.commands.read_command)."""

from __future__ import annotations

import pytest

from migrator.analysis.commands import Kind, Op, read_command
from migrator.model.shell import parse_script


def op_of(text: str, cwd: str | None = "/", env: dict | None = None) -> Op:
    script = parse_script(text, env, cwd)
    assert script.errors == ()
    (cmd,) = script.commands
    return read_command(cmd)


def package_word_texts(op: Op) -> list[str]:
    return [op.command.words[i].raw for i in op.package_words]


# --------------------------------------------------------------------------
# apt / apk
# --------------------------------------------------------------------------


def test_apt_get_install():
    op = op_of("apt-get install -y --no-install-recommends gcc libpq-dev")
    assert op.kind is Kind.SYSTEM_INSTALL
    assert op.manager == "apt"
    assert op.packages == ("gcc", "libpq-dev")
    assert package_word_texts(op) == ["gcc", "libpq-dev"]  # where a transform deletes them
    assert "-y" in op.flags and "--no-install-recommends" in op.flags


def test_apt_get_option_with_value_before_subcommand():
    op = op_of("apt-get -o Dpkg::Options::=x install -y pkg")
    assert op.kind is Kind.SYSTEM_INSTALL
    assert op.packages == ("pkg",)
    assert package_word_texts(op) == ["pkg"]
    op = op_of("apt-get -q -o Acquire::Retries=3 install -y -t bookworm-backports pkg")
    assert op.kind is Kind.SYSTEM_INSTALL
    assert op.packages == ("pkg",)  # option values are not packages


def test_apt_cli_alias():
    op = op_of("apt install -y curl")
    assert (op.kind, op.manager, op.packages) == (Kind.SYSTEM_INSTALL, "apt", ("curl",))


def test_apt_packages_from_env():
    op = op_of("apt-get install -y $BUILD_DEPS libpq5", env={"BUILD_DEPS": "gcc g++"})
    assert op.kind is Kind.SYSTEM_INSTALL
    assert op.packages == ("gcc", "g++", "libpq5")
    assert package_word_texts(op) == ["libpq5"]  # only words that are exactly one package


def test_apt_get_purge_auto_remove():
    op = op_of("apt-get purge -y --auto-remove gcc")
    assert op.kind is Kind.SYSTEM_REMOVE
    assert op.manager == "apt"
    assert op.packages == ("gcc",)
    assert "--auto-remove" in op.flags


@pytest.mark.parametrize("text, kind", [
    ("apt-get update", Kind.SYSTEM_META),
    ("apt-get clean", Kind.SYSTEM_META),
    ("apt-get autoremove -y", Kind.SYSTEM_REMOVE),
    ("rm -rf /var/lib/apt/lists/*", Kind.SYSTEM_META),
    ("apk update", Kind.SYSTEM_META),
])
def test_package_manager_housekeeping(text, kind):
    assert op_of(text).kind is kind


def test_apk_add_virtual():
    op = op_of("apk add --no-cache --virtual .build-deps gcc musl-dev")
    assert op.kind is Kind.SYSTEM_INSTALL
    assert op.manager == "apk"
    assert op.virtual == ".build-deps"
    assert op.packages == ("gcc", "musl-dev")  # the group name is not a package
    assert package_word_texts(op) == ["gcc", "musl-dev"]
    assert op_of("apk add -t .bd gcc").virtual == ".bd"
    assert op_of("apk add --virtual=.bd gcc").virtual == ".bd"
    assert op_of("apk add --no-cache curl").virtual is None


def test_apk_del():
    op = op_of("apk del .build-deps")
    assert (op.kind, op.manager, op.packages) == (Kind.SYSTEM_REMOVE, "apk", (".build-deps",))


@pytest.mark.parametrize("text", [
    "apt-get install $(cat pkgs)",
    "apt-get install -y `cat pkgs`",
    "apt-get install -y $UNDECLARED",
    "apk add $(cat /tmp/apk.txt)",
])
def test_unresolvable_package_lists_are_unknown(text):
    assert op_of(text).kind is Kind.UNKNOWN


def test_local_deb_is_unknown():
    assert op_of("apt-get install -y ./vendor/tool.deb").kind is Kind.UNKNOWN


# --------------------------------------------------------------------------
# pip
# --------------------------------------------------------------------------


def test_pip_install_requirements():
    op = op_of("pip install --no-cache-dir -r requirements.txt")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "pip"
    assert op.output == "env"
    assert op.files == ("requirements.txt",)
    assert op.packages == ()


def test_pip_option_values_are_not_packages():
    op = op_of("pip install --index-url https://pypi.example/simple -c constraints.txt flask")
    assert op.packages == ("flask",)
    assert "constraints.txt" in op.files


def test_pip3_user():
    op = op_of("pip3 install --user x")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.output == "user"
    assert op.options["user"] is True
    assert op.packages == ("x",)


@pytest.mark.parametrize("text", [
    "python -m pip install --prefix=/install -r r.txt",
    "python3 -m pip install --prefix /install -r r.txt",
    "python3.12 -m pip install --prefix=/install -r r.txt",
])
def test_pip_prefix(text):
    op = op_of(text, cwd="/app")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "pip"
    assert op.output == "/install"
    assert op.options["prefix"] == "/install"
    assert op.files == ("r.txt",)


def test_pip_target_relative_to_cwd():
    op = op_of("pip install --target deps -r r.txt", cwd="/app")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.output == "/app/deps"
    assert op.options["target"] == "deps"
    # with an unknown working directory the location is unknown, not guessed
    assert op_of("pip install --target deps -r r.txt", cwd=None).output is None


def test_pip_install_project():
    op = op_of("pip install .", cwd="/app")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.files == (".",)
    assert op.options["editable"] is False
    for text in ("pip install -e .", "pip install --editable ."):
        op = op_of(text, cwd="/app")
        assert op.kind is Kind.PYTHON_INSTALL
        assert op.options["editable"] is True
        assert op.files == (".",)


@pytest.mark.parametrize("text, packages", [
    ("pip install --upgrade pip setuptools wheel", ("pip", "setuptools", "wheel")),
    ("pip install --no-cache-dir -U pip", ("pip",)),
    ("pip install poetry", ("poetry",)),
    ("pip install poetry==1.8.2 poetry-plugin-export", ("poetry==1.8.2", "poetry-plugin-export")),
    ("pip install 'poetry>=1.8'", ("poetry>=1.8",)),
    ("python -m pip install --upgrade pip", ("pip",)),
])
def test_pip_installing_build_tools_is_a_tool(text, packages):
    op = op_of(text)
    assert op.kind is Kind.PYTHON_TOOL
    assert op.packages == packages


def test_pip_tool_and_app_together_is_an_install():
    op = op_of("pip install poetry -r requirements.txt")
    assert op.kind is Kind.PYTHON_INSTALL


def test_pip_wheel_dir_with_equals():
    op = op_of("pip wheel --wheel-dir=/wheels -r r.txt", cwd="/app")
    assert op.kind is Kind.BUILD
    assert op.output == "/wheels"


@pytest.mark.parametrize("text, output", [
    ("pip wheel -w /wheels -r r.txt", "/wheels"),
    ("pip wheel --wheel-dir /wheels -r r.txt", "/wheels"),
    ("pip download -d /dl flask", "/dl"),
])
def test_pip_wheel_dir_with_space(text, output):
    op = op_of(text, cwd="/app")
    assert op.kind is Kind.BUILD
    assert op.output == output


# --------------------------------------------------------------------------
# poetry, pipenv, uv, venv
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["apt-key add /tmp/key.asc"])
def test_downloads_and_apt_keys_are_replayable_setup(text):
    # commands.json setup: they register, never compile, and run again in a runtime stage (a git clone is a
    # fetch of sources the builder runs once: tests/test_source_fetches.py)
    assert op_of(text).kind is Kind.SETUP


def test_poetry_install():
    op = op_of("poetry install --no-root --only main")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "poetry"
    assert op.output == "env"
    assert "pyproject.toml" in op.files


@pytest.mark.parametrize("text", ["poetry config virtualenvs.create false",
                                  "poetry export -f requirements.txt -o r.txt",
                                  "poetry lock", "poetry --version", "poetry -V"])
def test_poetry_tooling(text):
    assert op_of(text).kind is Kind.PYTHON_TOOL


def test_pipenv_system_deploy():
    op = op_of("pipenv install --system --deploy")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "pipenv"
    assert set(op.flags) >= {"--system", "--deploy"}
    assert "Pipfile.lock" in op.files


def test_uv_pip_install_system():
    op = op_of("uv pip install --system -r r.txt")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "uv"
    assert op.options["system"] is True
    assert op_of("uv pip install -r r.txt").options["system"] is False


def test_uv_sync():
    op = op_of("uv sync --frozen --no-dev", cwd="/app")
    assert op.kind is Kind.PYTHON_INSTALL
    assert op.manager == "uv"
    assert op.output == "project"
    assert "uv.lock" in op.files


@pytest.mark.parametrize("text, cwd, output", [
    ("python -m venv /opt/venv", "/", "/opt/venv"),
    ("python3 -m venv --copies /opt/venv", "/", "/opt/venv"),
    ("python3 -m venv .venv", "/app", "/app/.venv"),
    ("virtualenv /v", "/", "/v"),
    ("uv venv /opt/venv", "/", "/opt/venv"),
])
def test_venv_creation(text, cwd, output):
    op = op_of(text, cwd=cwd)
    assert op.kind is Kind.VENV
    assert op.output == output


def test_venv_in_unknown_directory_has_unknown_path():
    assert op_of("python -m venv .venv", cwd=None).output is None


# --------------------------------------------------------------------------
# build tools
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, tools", [("npm install -g yarn", ("yarn",)), ("npm i --global pnpm@8 serve", ("pnpm@8", "serve")),
                                         ("yarn global add @vue/cli", ("@vue/cli",))])
def test_global_installs_of_build_tools(text, tools):
    op = op_of(text)
    assert op.kind is Kind.TOOL_INSTALL and op.packages == tools


@pytest.mark.parametrize("text", ["make install", "go install ./cmd/x", "cargo install ripgrep"])
def test_installs_into_system_folders(text):
    assert op_of(text, cwd="/src").kind is Kind.SYSTEM_BUILD


def test_make_builds_in_its_directory():
    op = op_of("make", cwd="/app")
    assert op.kind is Kind.BUILD
    assert op.output == "/app"
    assert op_of("make -j4", cwd="/app").output == "/app"
    assert op_of("make", cwd=None).output is None


def test_make_after_cd():
    script = parse_script("cd /src && make", cwd="/app")
    op = read_command(script.commands[1])
    assert (op.kind, op.output) == (Kind.BUILD, "/src")


def test_go_build_output_is_the_binary():
    # `-o FILE` names what the build produces: the binary, not its whole folder
    # (for `-o /usr/local/bin/x` the folder is a system directory).
    op = op_of("go build -o /out/app .", cwd="/src")
    assert op.kind is Kind.BUILD
    assert op.output == "/out/app"
    assert op_of('CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/linkcheck ./cmd/linkcheck',
                 cwd="/go/src").output == "/usr/local/bin/linkcheck"
    assert op_of("go build -o bin/app .", cwd="/src").output == "/src/bin/app"


def test_npm_build():
    op = op_of("npm run build", cwd="/app/frontend")
    assert (op.kind, op.output) == (Kind.BUILD, "/app/frontend")


# --------------------------------------------------------------------------
# setup and unknown
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "mkdir -p /data",
    "chmod +x /entrypoint.sh",
    "useradd -r app",
    "python manage.py collectstatic --noinput",
    "python -c 'import compileall'",
])
def test_setup_commands(text):
    assert op_of(text).kind is Kind.SETUP


@pytest.mark.parametrize("text", [
    "./build.sh",
    "./build.sh --release",
    "bash build.sh",
    "/opt/tools/install-things",
    "$INSTALLER --yes",
    "python scripts/generate.py",
    "xargs apt-get install -y",
])
def test_unknown_commands(text):
    assert op_of(text).kind is Kind.UNKNOWN


@pytest.mark.parametrize("text", ["sh build.sh --release", "sh -c 'make && make install'"])
def test_sh_running_a_script_is_unknown(text):
    assert op_of(text).kind is Kind.UNKNOWN


# --------------------------------------------------------------------------
# pip tool installs: what the venv transform needs to place the virtualenv
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, names, output", [
    ("pip install --upgrade pip", ("pip",), "env"),
    ("python -m pip install -U 'pip==24.0' setuptools", ("pip", "setuptools"), "env"),
    ("pip install --user --upgrade pip", ("pip",), "user"),
    ("pip install --prefix=/tools poetry", ("poetry",), None),
    ("pip install pip-tools==7.4.1", ("pip-tools",), "env"),
])
def test_pip_tool_install_names_and_target(text, names, output):
    op = op_of(text)
    assert op.kind is Kind.PYTHON_TOOL
    assert op.options["names"] == names
    assert op.output == output


@pytest.mark.parametrize("spec, name", [
    ("poetry==1.8.2", "poetry"), ("'Uvicorn[standard]>=0.30'", "uvicorn"), ("pip", "pip"),
    ("pkg @ https://x/pkg.whl", "pkg"), ("flit_core;python_version>'3'", "flit_core"),
])
def test_requirement_name(spec, name):
    from migrator.analysis.commands import requirement_name

    assert requirement_name(spec) == name


# --------------------------------------------------------------------------
# pdm, flit, hatch, pip-tools (issue 8 item 7: no silent half-migrations)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["pdm install --prod", "pdm sync --prod --no-editable",
                                  "pdm install --check --prod --frozen-lockfile", "pdm -v install -G :all",
                                  "python -m pdm install --prod"])
def test_pdm_install_goes_into_the_active_environment(text):
    op = op_of(text, cwd="/app")
    assert (op.kind, op.manager, op.output) == (Kind.PYTHON_INSTALL, "pdm", "env")
    assert op.files == ("pyproject.toml", "pdm.lock")


@pytest.mark.parametrize("text, detail", [
    ("pdm install -g", "pdm install --global"),
    ("pdm install --global --prod", "pdm install --global"),
    ("pdm sync --venv prod", "pdm sync --venv"),
    ("pdm publish", "pdm publish"),
])
def test_pdm_commands_it_cant_follow_carry_a_reason(text, detail):
    op = op_of(text)
    assert op.kind is Kind.UNKNOWN
    assert op.detail == detail and op.options["why"]


def test_pdm_run_is_a_wrapper_not_a_problem():
    op = op_of("pdm run python manage.py collectstatic --noinput")
    assert op.kind is Kind.UNKNOWN and "why" not in op.options


def test_pdm_tools_and_build():
    assert op_of("pdm export -o requirements.txt --prod").kind is Kind.PYTHON_TOOL
    config = op_of("pdm config python.use_venv false")
    assert config.kind is Kind.PYTHON_TOOL and config.options["argv"] == ("config", "python.use_venv", "false")
    build = op_of("pdm build", cwd="/src")
    assert (build.kind, build.output) == (Kind.BUILD, "/src/dist")


def test_flit_install_reads_its_interpreter_and_mode():
    op = op_of("flit install --deps production", cwd="/app")
    assert (op.kind, op.manager, op.output) == (Kind.PYTHON_INSTALL, "flit", "env")
    assert op.options["python"] is None and op.options["editable"] is False
    op = op_of("flit install --symlink --python /opt/venv/bin/python", cwd="/app")
    assert op.options["python"] == "/opt/venv/bin/python"
    assert op.options["editable"] is True and op.options["editable_paths"] == ("/app",)
    user = op_of("flit install --user")
    assert user.output == "user" and user.options["user"] is True
    assert op_of("flit build", cwd="/app").output == "/app/dist"
    assert op_of("flit publish").kind is Kind.UNKNOWN


def test_hatch_build_is_a_build_and_its_environments_are_unknown():
    op = op_of("hatch build -t wheel", cwd="/app")
    assert (op.kind, op.output) == (Kind.BUILD, "/app/dist")
    assert op_of("hatch build /out", cwd="/app").output == "/out"
    assert op_of("hatch dep show requirements").kind is Kind.PYTHON_TOOL
    for text in ("hatch env create", "hatch run serve", "hatch -e prod run serve"):
        op = op_of(text)
        assert op.kind is Kind.UNKNOWN and "~/.local/share/hatch" in op.options["why"]


@pytest.mark.parametrize("text, files", [
    ("pip-sync", ("requirements.txt",)),
    ("pip-sync requirements/base.txt requirements/prod.txt --pip-args '--no-cache-dir'",
     ("requirements/base.txt", "requirements/prod.txt")),
    ("python -m piptools sync -f /wheels r.txt", ("r.txt",)),
])
def test_pip_sync_installs_requirement_files(text, files):
    op = op_of(text)
    assert (op.kind, op.manager, op.output) == (Kind.PYTHON_INSTALL, "pip-sync", "env")
    assert op.files == files


def test_pip_sync_with_an_interpreter_path_and_pip_compile():
    op = op_of("pip-sync --python-executable /usr/local/bin/python3 r.txt")
    assert op.output == "system:/usr/local/bin/python3"
    assert op_of("pip-compile -o requirements.txt requirements.in").kind is Kind.PYTHON_TOOL
    assert op_of("python -m piptools compile").kind is Kind.PYTHON_TOOL

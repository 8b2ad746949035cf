"""Configuration: where it is found, what it may say, how the command line
wins over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.config import Config, ConfigError, find_config, load_config
from migrator.options import Options


def _pyproject(folder: Path, body: str, header: str = "[tool.dockerfile-migrator]\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n' + header + body, encoding="utf-8")
    return path


def test_no_config_gives_the_defaults(tmp_path: Path):
    config = load_config(tmp_path)
    assert config == Config()
    assert config.base is None
    assert config.to_options() == Options()


def test_pyproject_table_is_read(tmp_path: Path):
    path = _pyproject(tmp_path, 'select = ["venv", "split-stages"]\nignore = ["non-root-user"]\nunsafe = true\n'
                                'uid = 20000\nuser = "svc"\nvenv-path = "/srv/venv/"\nexclude = ["legacy/"]\n')
    config = load_config(tmp_path / "deeper" / "Dockerfile")  # a file below: its folders are searched up
    assert config.path == path and config.base == tmp_path
    assert config.exclude == ("legacy/",)
    assert config.to_options() == Options(select=frozenset({"venv", "split-stages"}),
                                          ignore=frozenset({"non-root-user"}), unsafe=True, uid=20000,
                                          user="svc", venv_path="/srv/venv")


def test_command_line_wins(tmp_path: Path):
    _pyproject(tmp_path, 'select = ["venv"]\nuid = 20000\nunsafe = true\nvenv-path = "/opt/v"\n')
    options = load_config(tmp_path).to_options(select="build-deps, split-stages", ignore=["venv"], uid=30000,
                                               unsafe=False, user="web", venv_path="/x/venv")
    assert options == Options(select=frozenset({"build-deps", "split-stages"}), ignore=frozenset({"venv"}),
                              unsafe=False, uid=30000, user="web", venv_path="/x/venv")
    # Not given on the command line: the file's value, then the default.
    options = load_config(tmp_path).to_options(select=None, unsafe=None)
    assert options.select == frozenset({"venv"}) and options.unsafe is True
    assert options.user == Options().user


def test_unrelated_pyproject_is_passed_over(tmp_path: Path):
    outer = _pyproject(tmp_path, "uid = 20000\n")
    inner = tmp_path / "project"
    _pyproject(inner, "line-length = 100\n", header="[tool.ruff]\n")
    assert find_config(inner)[0] == outer
    assert load_config(inner).uid == 20000


def test_dedicated_file_wins_in_the_same_folder(tmp_path: Path):
    _pyproject(tmp_path, "uid = 20000\n")
    (tmp_path / ".dockerfile-migrator.toml").write_text("uid = 30000\n", encoding="utf-8")
    assert load_config(tmp_path).uid == 30000
    # ... and may hold the [tool.dockerfile-migrator] table too.
    (tmp_path / ".dockerfile-migrator.toml").write_text("[tool.dockerfile-migrator]\nuid = 40000\n",
                                                        encoding="utf-8")
    assert load_config(tmp_path).uid == 40000


def test_nearest_config_wins(tmp_path: Path):
    _pyproject(tmp_path, "uid = 20000\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".dockerfile-migrator.toml").write_text('user = "near"\n', encoding="utf-8")
    config = load_config(tmp_path / "a" / "b")
    assert config.user == "near" and config.uid is None  # files are not merged


@pytest.mark.parametrize(
    "body, message",
    [
        ("colour = 1\n", "unknown key 'colour' (known: select, ignore, unsafe, uid, user, venv-path, exclude)"),
        ('venv_path = "/opt/venv"\n', "did you mean 'venv-path'?"),
        ("uid = 0\n", "'uid' must be a non-root numeric UID between 1 and 2147483646, not 0"),
        ('uid = "10001"\n', "'uid' must be a non-root numeric UID"),
        ("uid = true\n", "'uid' must be a non-root numeric UID"),
        ('user = "root"\n', "'user' must be a user name"),
        ('user = "Has Space"\n', "'user' must be a user name"),
        ('venv-path = "venv"\n', "'venv-path' must be an absolute folder path"),
        ('venv-path = "/opt/$VENV"\n', "'venv-path' must be an absolute folder path"),
        ('venv-path = "/usr"\n', "'venv-path' must be an absolute folder path"),
        ('exclude = "legacy/"\n', "'exclude' must be a list of non-empty glob strings"),
        ("exclude = [1]\n", "'exclude' must be a list of non-empty glob strings"),
        ("select = 3\n", "'select' must be a list of transform ids"),
        ('ignore = ["ok", "not ok"]\n', "'ignore' has an invalid transform id 'not ok'"),
        ('unsafe = "yes"\n', "'unsafe' must be true or false"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path: Path, body: str, message: str):
    path = _pyproject(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    text = str(err.value)
    assert text.startswith(f"{path} [tool.dockerfile-migrator]: ")
    assert message in text
    assert "\n" not in text


def test_invalid_toml(tmp_path: Path):
    (tmp_path / ".dockerfile-migrator.toml").write_text("uid = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert str(err.value).startswith(f"{tmp_path / '.dockerfile-migrator.toml'}: invalid TOML")
    assert "\n" not in str(err.value)


def test_table_that_is_not_a_table(tmp_path: Path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool]\ndockerfile-migrator = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"uid": 0}, "command line: '--uid' must be a non-root numeric UID"),
        ({"user": "root"}, "command line: '--user' must be a user name"),
        ({"venv_path": "rel/venv"}, "command line: '--venv-path' must be an absolute folder path"),
        ({"select": "a,b c"}, "command line: '--select' has an invalid transform id 'b c'"),
    ],
)
def test_bad_command_line_values(kwargs, message):
    with pytest.raises(ConfigError) as err:
        Config().to_options(**kwargs)
    assert str(err.value).startswith(message)

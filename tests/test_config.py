"""Configuration: where it is found, what it may say, how the command line
wins over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.config import Config, ConfigError, find_config, load_config
from migrator.options import Options
from migrator.analysis.packages import ImageFacts, describe_base_image


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


def test_opt_in_transforms_and_the_health_url_reach_the_options(tmp_path: Path):
    _pyproject(tmp_path, 'extend-select = ["cache-mounts", "healthcheck"]\n'
                         'healthcheck-url = "http://localhost:8000/health"\n')
    options = load_config(tmp_path).to_options()
    assert options.extend_select == frozenset({"cache-mounts", "healthcheck"})
    assert options.healthcheck_url == "http://localhost:8000/health"
    from migrator.engine import transforms_for

    ids = [t.id for t in transforms_for(options)]
    assert {"healthcheck", "cache-mounts"} <= set(ids) and "dev-target" not in ids


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
        ("colour = 1\n",
         "unknown key 'colour' (known: select, ignore, extend-select, unsafe, uid, user, venv-path, exclude, images, healthcheck-url, go-runtime)"),
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
        ('extend-select = "cache mounts"\n', "'extend-select' has an invalid transform id 'cache mounts'"),
        ('healthcheck-url = "localhost:8000"\n', "'healthcheck-url' must be an http:// or https:// URL"),
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


# ---------------------------------------------------------------------------
# [tool.dockerfile-migrator.images]: facts about base images
# ---------------------------------------------------------------------------

INTERNAL = """
[tool.dockerfile-migrator.images."registry.example.com/platform/python:*-slim"]
family = "debian"
release = "12"
python = "/usr/local/bin/python"
users = { app = "1000:1000" }
runs-as = "app"

[tool.dockerfile-migrator.images."registry.example.com/platform/python:*"]
family = "debian"
release = "bookworm"
python = "/usr/local/bin/python"
full = true
slim = "{name}:{tag}-slim"

[tool.dockerfile-migrator.images."acme/ml-base"]
family = "ubuntu"
release = "22.04"
"""


def test_images_table_reaches_the_options_in_file_order(tmp_path: Path):
    _pyproject(tmp_path, 'uid = 20000\n' + INTERNAL)
    config = load_config(tmp_path)
    assert [facts.pattern for facts in config.images] == [
        "registry.example.com/platform/python:*-slim", "registry.example.com/platform/python:*", "acme/ml-base"]
    slim, full, ml = config.images
    assert slim == ImageFacts(pattern="registry.example.com/platform/python:*-slim", family="debian",
                              release="bookworm", python="/usr/local/bin/python", language="python",
                              users=(("app", "1000:1000"),), runs_as="app")
    assert (full.full, full.slim) == (True, "{name}:{tag}-slim")
    assert (ml.family, ml.release, ml.python, ml.language) == ("ubuntu", "jammy", None, None)
    options = config.to_options(uid=30000)
    assert options.images == config.images and options.uid == 30000
    hash(options)  # Options stays hashable, so describe_base_image can cache on it


def test_configured_images_describe_the_base(tmp_path: Path):
    _pyproject(tmp_path, INTERNAL)
    images = load_config(tmp_path).to_options().images
    full = describe_base_image("registry.example.com/platform/python:3.12", images)
    assert (full.family, full.release, full.release_from_default, full.full, full.slim_ref, full.language,
            full.python) == ("debian", "bookworm", False, True, "registry.example.com/platform/python:3.12-slim",
                             "python", "/usr/local/bin/python")
    assert full.facts_from == '[tool.dockerfile-migrator.images] "registry.example.com/platform/python:*"'
    slim = describe_base_image("registry.example.com/platform/python:3.12-slim", images)  # first glob wins
    assert (slim.full, slim.slim_ref, slim.users, slim.runs_as) == (False, None, (("app", "1000:1000"),), "app")
    assert describe_base_image("acme/ml-base", images).release == "jammy"          # tag "latest"
    assert describe_base_image("docker.io/acme/ml-base:2", images).family == "ubuntu"  # Docker Hub name
    # Without the configuration, the same image is unknown, and says where to declare it.
    bare = describe_base_image("registry.example.com/platform/python:3.12")
    assert bare.family == "unknown" and not bare.known
    assert "[tool.dockerfile-migrator.images]" in bare.no_facts_reason()


def test_debian_release_may_be_its_number(tmp_path: Path):
    _pyproject(tmp_path, '[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nrelease = 12\n', header="")
    assert load_config(tmp_path).images[0].release == "bookworm"


def test_dedicated_file_holds_images_at_top_level(tmp_path: Path):
    (tmp_path / ".dockerfile-migrator.toml").write_text(
        '[images."ghcr.io/acme/*"]\nfamily = "alpine"\nrelease = "3.19.1"\n', encoding="utf-8")
    (facts,) = load_config(tmp_path).images
    assert (facts.pattern, facts.family, facts.release) == ("ghcr.io/acme/*", "alpine", "3.19")


@pytest.mark.parametrize(
    "entry, message",
    [
        ('[tool.dockerfile-migrator.images."acme/*"]\nrelease = "bookworm"\n',
         'images."acme/*": \'family\' is required: one of debian, ubuntu, alpine'),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "centos"\n',
         'images."acme/*": \'family\' must be one of debian, ubuntu, alpine, not \'centos\''),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nrelease = "bookwrom"\n',
         "'release' must be a Debian codename or version (wheezy, jessie, stretch, buster, bullseye, bookworm, "
         "trixie, forky, sid), not 'bookwrom'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "ubuntu"\nrelease = "22.05"\n',
         "'release' must be an Ubuntu codename or version (trusty, xenial"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "alpine"\nrelease = 3.20\n',
         "'release' must be a quoted string such as \"bookworm\", \"22.04\" or \"3.20\""),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "alpine"\nrelease = "edge"\n',
         "'release' must be an Alpine version such as \"3.20\", not 'edge'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\npython = "python3"\n',
         "'python' must be the interpreter's absolute path, such as \"/usr/local/bin/python\", not 'python3'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nfull = "yes"\n',
         "'full' must be true or false, not 'yes'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nslim = "acme/slim"\n',
         "'slim' names the smaller sibling of a full image: set full = true too"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nfull = true\nslim = "{repo}:{tag}"\n',
         "'slim' may use only {name} and {tag}, not {repo}"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nusers = { app = "1000" }\n',
         "'users' gives app '1000'; write its numeric non-root \"uid:gid\""),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nusers = { app = "0:0" }\n',
         "'users' gives app '0:0'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nusers = { Root = "1:1" }\n',
         "'users' has an invalid user name 'Root'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nruns-as = "svc"\n',
         "'runs-as' must be root, a numeric UID or one of its users (none declared), not 'svc'"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nruns_as = "root"\n',
         "unknown key 'runs_as' (known: family, release, python, language, full, slim, users, runs-as); "
         "did you mean 'runs-as'?"),
        ('[tool.dockerfile-migrator.images."acme/*"]\nfamily = "debian"\nlanguage = "ruby"\n',
         "'language' must be one of python, node, go, not 'ruby'"),
        ('[tool.dockerfile-migrator.images."acme base"]\nfamily = "debian"\n',
         "image name glob 'acme base' must be a non-empty name without spaces"),
        ('[tool.dockerfile-migrator]\nimages = ["acme/*"]\n', "'images' must be a table of image name globs"),
        ('[tool.dockerfile-migrator.images]\n"acme/*" = "debian"\n', 'images."acme/*": must be a table of facts'),
    ],
)
def test_bad_image_entries_are_one_line_errors(tmp_path: Path, entry: str, message: str):
    path = _pyproject(tmp_path, entry, header="")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    text = str(err.value)
    assert text.startswith(f"{path} [tool.dockerfile-migrator]: ")
    assert message in text
    assert "\n" not in text

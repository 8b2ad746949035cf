"""Project configuration: ``[tool.dockerfile-migrator]`` in ``pyproject.toml``
or a ``.dockerfile-migrator.toml`` file, merged under command-line options.

Example (``pyproject.toml``)::

    [tool.dockerfile-migrator]
    select = ["build-deps", "non-root"]   # transform ids to run (default: all default ones)
    ignore = ["healthcheck"]              # transform ids not to run
    extend-select = ["cache-mounts"]      # opt-in transform ids to run too (ruff's extend-select)
    healthcheck-url = "http://localhost:8000/health"   # what the opt-in healthcheck probes
    unsafe = false                        # also apply unsafe changes
    uid = 10001                           # UID/GID of the non-root user
    user = "app"                          # its name
    venv-path = "/opt/venv"               # virtual environment the builder creates
    go-runtime = "distroless"             # runtime of a static Go build: distroless, scratch, debian-slim
    exclude = ["legacy/", "**/testdata/"] # gitignore-style, relative to this file's folder

    # Facts about base images the bundled data does not know, by image name glob
    # (see migrator.analysis.packages.ImageFacts); the first matching glob wins.
    [tool.dockerfile-migrator.images."registry.example.com/platform/python:*"]
    family = "debian"                 # debian, ubuntu or alpine (required)
    release = "bookworm"              # Debian codename, Ubuntu version or codename, Alpine 3.N
    python = "/usr/local/bin/python"  # the Python interpreter the image has
    full = true                       # it carries compilers and -dev packages...
    slim = "{name}:{tag}-slim"        # ...and this is its smaller sibling
    users = { app = "1000:1000" }     # non-root users it creates (name = "uid:gid")
    runs-as = "app"                   # the USER it runs as (default: root)

``.dockerfile-migrator.toml`` holds the same keys at its top level (a
``[tool.dockerfile-migrator]`` table in it is accepted too; images go in
``[images."<glob>"]``).

The search starts at a folder (``batch``: ROOT; single-file commands: the
file's folder) and walks up; in each folder ``.dockerfile-migrator.toml`` wins
over ``pyproject.toml``, and a ``pyproject.toml`` without the table is passed
over. The first file found is the configuration; they are not merged.
Command-line options win over the file: a list given on the command line
replaces the file's list.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from migrator.options import Options
from migrator.analysis.packages import CONFIG_KEY, ImageFacts

TABLE = "dockerfile-migrator"
DEDICATED_FILE = ".dockerfile-migrator.toml"
KEYS = ("select", "ignore", "extend-select", "unsafe", "uid", "user", "venv-path", "exclude", "images",
        "healthcheck-url", "go-runtime")

_USER = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DEFAULTS = Options()


class ConfigError(Exception):
    """A bad configuration file or value; the message is one line."""


@dataclass(frozen=True)
class Config:
    """Settings read from a configuration file (``None``: not set there).

    Attributes:
        path: the file they came from (``None``: no file found).
        select, ignore, extend_select, unsafe, uid, user, venv_path,
            healthcheck_url, go_runtime: as in :class:`migrator.options.Options`.
        exclude: gitignore-style patterns, relative to :attr:`base`.
        images: facts about base images, one :class:`migrator.analysis.packages.ImageFacts`
            per glob of the ``images`` table, in file order.
    """

    path: Path | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] | None = None
    extend_select: frozenset[str] = frozenset()
    unsafe: bool | None = None
    uid: int | None = None
    user: str | None = None
    venv_path: str | None = None
    exclude: tuple[str, ...] = field(default=())
    images: tuple[ImageFacts, ...] = field(default=())
    healthcheck_url: str | None = None
    go_runtime: str | None = None

    @property
    def base(self) -> Path | None:
        """Folder the ``exclude`` patterns are relative to (the file's)."""
        return self.path.parent if self.path is not None else None

    def to_options(
        self,
        *,
        select: Iterable[str] | str | None = None,
        ignore: Iterable[str] | str | None = None,
        unsafe: bool | None = None,
        uid: int | None = None,
        user: str | None = None,
        venv_path: str | None = None,
        go_runtime: str | None = None,
    ) -> Options:
        """Merge command-line values over this configuration.

        Args:
            select, ignore: transform ids, as an iterable or a comma-separated
                string (``"build-deps,non-root"``); ``None``: not given.
            unsafe: ``None`` when the flag was not given.
            uid, user, venv_path, go_runtime: ``None`` when not given.
        Returns:
            the :class:`Options`; a value given here wins over the file's,
            which wins over the default. ``Options.images`` is the file's
            images table (there is no command-line option for it).
        Raises:
            ConfigError: a command-line value is invalid (same checks as the file's).
        """
        where = "command line"
        cli_select = _ids(select, "--select", where) if select is not None else None
        cli_ignore = _ids(ignore, "--ignore", where) if ignore is not None else None
        if uid is not None:
            _check_uid(uid, "--uid", where)
        if user is not None:
            _check_user(user, "--user", where)
        if venv_path is not None:
            _check_venv(venv_path, "--venv-path", where)
        if go_runtime is not None:
            _check_go_runtime(go_runtime, "--go-runtime", where)

        def pick(cli, conf, default):
            return cli if cli is not None else conf if conf is not None else default

        return Options(
            select=pick(cli_select, self.select, _DEFAULTS.select),
            ignore=pick(cli_ignore, self.ignore, _DEFAULTS.ignore),
            unsafe=pick(unsafe, self.unsafe, _DEFAULTS.unsafe),
            uid=pick(uid, self.uid, _DEFAULTS.uid),
            user=pick(user, self.user, _DEFAULTS.user),
            venv_path=pick(venv_path, self.venv_path, _DEFAULTS.venv_path),
            images=self.images,
            extend_select=self.extend_select,
            healthcheck_url=self.healthcheck_url,
            go_runtime=pick(go_runtime, self.go_runtime, _DEFAULTS.go_runtime),
        )


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _has_table(text: str) -> bool:
    # Cheap pre-check so that an unrelated pyproject.toml is not parsed.
    return TABLE in text


def find_config(start: str | os.PathLike) -> tuple[Path, dict] | None:
    """Find the configuration that applies to ``start``.

    Args:
        start: a folder, or a file (its folder is used).
    Returns:
        ``(path, table)`` of the first configuration found walking up from
        ``start``, or ``None``.
    Raises:
        ConfigError: a candidate file is not valid TOML or cannot be read.
    """
    here = Path(os.path.abspath(os.fspath(start)))
    if not here.is_dir():
        here = here.parent
    while True:
        dedicated = here / DEDICATED_FILE
        if dedicated.is_file():
            data = _parse(dedicated)
            tool = data.get("tool")
            if isinstance(tool, dict) and TABLE in tool and not (data.keys() - {"tool"}):
                table = tool[TABLE]
            else:
                table = data
            return dedicated, _table(table, dedicated)
        pyproject = here / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{pyproject}: cannot read ({exc})") from None
            if _has_table(text):
                tool = _parse(pyproject, text).get("tool")
                if isinstance(tool, dict) and TABLE in tool:
                    return pyproject, _table(tool[TABLE], pyproject)
        if here.parent == here:
            return None
        here = here.parent


def _parse(path: Path, text: str | None = None) -> dict:
    tomllib = _toml()
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None


def _table(value, path: Path) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [tool.{TABLE}] must be a table")
    return value


def load_config(start: str | os.PathLike) -> Config:
    """Find and validate the configuration for ``start``.

    Args:
        start: a folder (``batch`` ROOT) or a Dockerfile path.
    Returns:
        the :class:`Config` (all fields unset when no file is found).
    Raises:
        ConfigError: one line naming the file and the bad key or value.
    """
    found = find_config(start)
    if found is None:
        return Config()
    path, table = found
    return config_from_table(table, path)


def config_from_table(table: dict, path: Path) -> Config:
    """Validate a configuration table read from ``path``.

    Raises:
        ConfigError: unknown key or bad value (one line).
    """
    where = f"{path} [tool.{TABLE}]" if path.name == "pyproject.toml" else str(path)
    values: dict = {}
    for key, value in table.items():
        if key not in KEYS:
            hint = ""
            alias = key.replace("_", "-")
            if alias in KEYS:
                hint = f"; did you mean '{alias}'?"
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(KEYS)}){hint}")
        if key in ("select", "ignore"):
            values[key] = _ids(value, key, where)
        elif key == "extend-select":
            values["extend_select"] = _ids(value, key, where)
        elif key == "healthcheck-url":
            if not isinstance(value, str) or not value.startswith(("http://", "https://")) \
                    or any(c.isspace() for c in value):
                raise ConfigError(f"{where}: 'healthcheck-url' must be an http:// or https:// URL without "
                                  f"spaces, not {value!r}")
            values["healthcheck_url"] = value
        elif key == "unsafe":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: 'unsafe' must be true or false, not {value!r}")
            values["unsafe"] = value
        elif key == "uid":
            values["uid"] = _check_uid(value, "uid", where)
        elif key == "user":
            values["user"] = _check_user(value, "user", where)
        elif key == "venv-path":
            values["venv_path"] = _check_venv(value, "venv-path", where)
        elif key == "go-runtime":
            values["go_runtime"] = _check_go_runtime(value, "go-runtime", where)
        elif key == "exclude":
            if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
                raise ConfigError(f"{where}: 'exclude' must be a list of non-empty glob strings")
            values["exclude"] = tuple(value)
        elif key == "images":
            values["images"] = parse_images(value, where)
    return Config(path=path, **values)


def parse_images(value, where: str) -> tuple[ImageFacts, ...]:
    """Validate an images table: ``{glob: {family: ..., ...}}``.

    Args:
        value: the parsed ``images`` table (TOML, or the same shape from JSON).
        where: the file (and table) to name in errors.
    Returns:
        one :class:`migrator.analysis.packages.ImageFacts` per glob, in table order.
    Raises:
        ConfigError: one line naming the file, the glob and the bad key, e.g.
            ``pyproject.toml [tool.dockerfile-migrator]: images."acme/*": 'family' is required:
            one of debian, ubuntu, alpine``.
    """
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'images' must be a table of image name globs, such as "
                          f'{CONFIG_KEY[:-1]}."registry.example.com/*"], not {value!r}')
    entries = []
    for pattern, table in value.items():
        try:
            entries.append(ImageFacts.from_table(pattern, table))
        except ValueError as exc:
            raise ConfigError(f'{where}: images."{pattern}": {exc}') from None
    return tuple(entries)


def _ids(value, key: str, where: str) -> frozenset[str]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
        items = [v for v in items if v]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        raise ConfigError(f"{where}: '{key}' must be a list of transform ids, not {value!r}")
    for item in items:
        if not isinstance(item, str) or not _ID.match(item):
            raise ConfigError(f"{where}: '{key}' has an invalid transform id {item!r}")
    return frozenset(items)


def _check_uid(value, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 2:
        raise ConfigError(
            f"{where}: '{key}' must be a non-root numeric UID between 1 and {2**31 - 2}, not {value!r}"
        )
    return value


def _check_user(value, key: str, where: str) -> str:
    if not isinstance(value, str) or not _USER.match(value) or value == "root":
        raise ConfigError(
            f"{where}: '{key}' must be a user name such as \"app\" (lowercase letters, digits, '_' "
            f"and '-', at most 32, not root), not {value!r}"
        )
    return value


def _check_venv(value, key: str, where: str) -> str:
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or any(c.isspace() for c in value)
        or "$" in value
        or value.rstrip("/") in ("", "/usr", "/bin", "/etc", "/lib", "/root", "/tmp")
    ):
        raise ConfigError(
            f"{where}: '{key}' must be an absolute folder path without spaces or variables, "
            f"such as \"/opt/venv\", not {value!r}"
        )
    return value.rstrip("/") or value


def _check_go_runtime(value, key: str, where: str) -> str:
    """One of :data:`migrator.options.GO_RUNTIMES`."""
    from migrator.options import GO_RUNTIMES

    if value not in GO_RUNTIMES:
        raise ConfigError(f"{where}: '{key}' must be one of {', '.join(GO_RUNTIMES)}, not {value!r}")
    return value

"""What the commands of a RUN instruction do, for the transforms.

Each simple command found by :mod:`migrator.model.shell` is read into one
:class:`Op`: a system package install or removal (apt, apk), a Python
install (pip, poetry, pipenv, uv, pdm, flit, pip-tools' ``pip-sync``,
``setup.py install``), a virtualenv
creation, a build step (compiler or build tool writing into its working
directory), a setup command a runtime stage can safely run again (mkdir,
chmod, useradd...), or unknown. The tables of command names live in
``migrator/data/commands.json``.

Facts: option grammars from the manuals of apt-get(8), apk(8) (apk-tools),
pip install (pip.pypa.io/en/stable/cli/pip_install), poetry, pipenv, uv,
pdm (pdm-project.org/latest/reference/cli), flit
(flit.pypa.io/en/stable/cmdline.html), hatch (hatch.pypa.io/latest/cli)
and pip-tools (pip-tools.readthedocs.io/en/latest/reference/pip-sync).
"""

from __future__ import annotations

import enum
import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache

from migrator.model.shell import Command


@lru_cache(maxsize=1)
def command_table() -> dict:
    """The curated command knowledge of ``migrator/data/commands.json``."""
    from migrator.analysis.packages import read_data

    return json.loads(read_data("commands.json"))


VENV_SEED_PACKAGES = ("pip", "setuptools", "wheel")
"""What a new virtualenv starts with: ``python -m venv`` seeds pip from the
interpreter's bundled copy (ensurepip; setuptools too before Python 3.12),
``virtualenv`` adds wheel. An upgrade of them that runs before the
virtualenv exists upgrades the system copies and never reaches it.
Sources: https://docs.python.org/3/library/venv.html,
https://docs.python.org/3/library/ensurepip.html."""

INSTALLS_INTO_OWN_ENVIRONMENT = {"pip-sync": "pip-tools"}
"""Installers that install into the Python environment they run from, not
the active virtualenv, by the command and the package that provides it.
pip-tools: "pip-sync must be installed into and run from the same virtual
environment as your project" (its README); it then also leaves its own
dependencies alone. (flit install does the same, but takes ``--python``:
see :func:`_flit`.)"""

VENV_BIN_COMMANDS = re.compile(r"(python|pip)[0-9.]*")
"""The commands a new virtualenv's ``bin`` folder holds (``python``,
``python3``, ``python3.12``, ``pip``, ``pip3``...): a shell that looked one
of them up before the virtualenv existed keeps the system one (bash and
dash remember command paths: bash(1) ``hash``, dash(1) path search)."""

WHEEL_BUILDERS = ("pip", "hatch", "flit", "pdm", "poetry", "python", "setup.py")
"""The :attr:`Op.manager` of the build steps that write wheels or source
archives: ``pip wheel``/``pip download``, ``hatch build``, ``flit build``,
``pdm build``, ``poetry build``, ``python -m build``, ``setup.py``."""

PYTHON_INSTALLERS = ("pip", "poetry", "pipenv", "uv", "pdm", "flit", "pip-sync", "setup.py")
"""The Python installers :func:`read_command` reads as ``PYTHON_INSTALL``
(by :attr:`Op.manager`)."""

PDM_LOCATION_SETTINGS = {
    "config_prefixes": ("python.", "venv."),
    "env_prefixes": ("PDM_USE_VENV", "PDM_IGNORE_ACTIVE_VENV", "PDM_PYTHON", "PDM_VENV_"),
    "subcommands": ("use", "venv", "python", "py"),
    "folders": ("__pypackages__",),
}
"""What changes where ``pdm install`` puts packages: the ``python.*`` and
``venv.*`` settings of ``pdm config`` (``python.use_venv false`` selects
PEP 582's ``__pypackages__``), the environment variables of those settings,
``pdm use``/``pdm venv``/``pdm python``, and a ``__pypackages__`` folder.
Without them, pdm installs into the activated virtualenv (``VIRTUAL_ENV``)
when the project root has no ``.venv``/``venv``/``env`` folder and no saved
interpreter, else creates ``<project>/.venv``.
Source: https://pdm-project.org/en/latest/usage/venv/ (virtualenv
auto-detection; PDM_IGNORE_ACTIVE_VENV)."""


def requirement_name(spec: str) -> str:
    """The distribution name of a requirement argument, lowercased:
    ``"poetry==1.8"`` -> ``poetry``, ``'uvicorn[standard]>=0.30'`` ->
    ``uvicorn`` (PEP 508: the name ends at a version, extra or marker)."""
    return re.split(r"[=<>!~\[; @]", spec.strip("'\""), maxsplit=1)[0].lower()


class Kind(str, enum.Enum):
    """What a command does, as far as the stage split is concerned."""

    SYSTEM_INSTALL = "system-install"     # apt-get install, apk add
    SYSTEM_REMOVE = "system-remove"       # apt-get purge/remove/autoremove, apk del
    SYSTEM_META = "system-meta"           # apt-get update/clean, apk update, list cleanup
    PYTHON_INSTALL = "python-install"     # pip/poetry/pipenv/uv install
    PYTHON_TOOL = "python-tool"           # poetry config/export, pip download... builder-only
    VENV = "venv"                         # python -m venv, virtualenv, uv venv
    BUILD = "build"                       # compiler/build tool writing into its directory
    SYSTEM_BUILD = "system-build"         # make install, go install...: writes system dirs
    TOOL_INSTALL = "tool-install"         # npm install -g pnpm: a CLI for the build, builder-only
    SETUP = "setup"                       # safe to run again in a runtime stage
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Op:
    """One command read for its effect.

    Attributes:
        kind: the :class:`Kind`.
        command: the :class:`~migrator.model.shell.Command` read.
        manager: ``"apt"`` or ``"apk"`` for system package ops; the Python
            tool (``"pip"``, ``"poetry"``, ``"pipenv"``, ``"uv"``,
            ``"setup.py"``) for Python installs; else ``""``.
        packages: package names (system ops) or requirement arguments.
        package_words: indexes into ``command.words`` of the package words.
        virtual: apk ``--virtual`` group name, if any.
        flags: the option words as written.
        output: where a Python install or build step writes: ``"env"`` (the
            active Python environment), ``"user"`` (``--user``), an absolute
            path (``--prefix``, ``--target``, venv path, build directory), or
            None when unknown.
        files: build-context files a Python install reads (``-r`` files,
            ``.``), relative to the command's directory.
        detail: a few words for reasons (``"pip install --user"``).
    """

    kind: Kind
    command: Command
    manager: str = ""
    packages: tuple[str, ...] = ()
    package_words: tuple[int, ...] = ()
    virtual: str | None = None
    flags: tuple[str, ...] = ()
    output: str | None = None
    files: tuple[str, ...] = ()
    detail: str = ""
    options: dict = field(default_factory=dict, hash=False, compare=False)


def _abs(cwd: str | None, path: str) -> str | None:
    if path.startswith("/"):
        return posixpath.normpath(path)
    if cwd is None:
        return None
    return posixpath.normpath(posixpath.join(cwd, path))


def read_command(cmd: Command) -> Op:
    """Read one simple command into an :class:`Op`.

    Args:
        cmd: a command from :func:`migrator.model.shell.parse_script`.
    Returns:
        the :class:`Op`; ``Kind.UNKNOWN`` when the command or one of the words
        that matter is not known (e.g. ``apt-get install $(cat pkgs)``).
    """
    argv = cmd.argv
    name = cmd.name
    if not name:
        return Op(Kind.UNKNOWN, cmd, detail="command name is not a literal")
    if name in ("apt-get", "apt"):
        return _apt(cmd, argv)
    if name == "apk":
        return _apk(cmd, argv)
    py = _python_module(argv) if argv else None
    if name in ("pip", "pip3") or name.startswith("pip3.") or py == "pip" or (
            argv is None and name.startswith("python") and _loose_module(cmd) == "pip"):
        return _pip(cmd, argv if argv is not None else _loose_argv(cmd), module=(py or _loose_module(cmd)) == "pip")
    if py in ("venv", "virtualenv") or name == "virtualenv":
        return _venv(cmd, argv)
    if name == "poetry":
        return _poetry(cmd, argv)
    if name == "pipenv":
        return _pipenv(cmd, argv)
    if name == "uv":
        return _uv(cmd, argv)
    if name == "git" and argv is not None:
        fetch = _git(cmd, argv)
        if fetch is not None:
            return fetch
    reader = _INSTALLER_READERS.get(name) or _PY_MODULE_TOOLS.get(py or "")
    if reader is not None:
        if argv is None:
            return Op(Kind.UNKNOWN, cmd, name, detail=f"{name} with words the tool can't resolve")
        args = argv[1:] if name in _INSTALLER_READERS else argv[argv.index("-m") + 2:]
        return reader(cmd, args)
    table = command_table()
    if py is not None or name.startswith("python"):
        return _python(cmd, argv, py)
    word0 = cmd.words[0].value or ""
    build = table["build_tools"]
    if name in build or word0 in build:
        if argv is None:
            return Op(Kind.UNKNOWN, cmd, detail=f"{name} with arguments the tool can't resolve")
        tools = _global_tools(name, argv)
        if tools:
            return Op(Kind.TOOL_INSTALL, cmd, name, tools, detail=" ".join(argv[:3]))
        installs = table["system_install_subcommands"].get(name, [])
        if any(a in installs for a in argv[1:]):
            return Op(Kind.SYSTEM_BUILD, cmd, detail=" ".join(argv[:2]))
        out = _abs(cmd.cwd, _output_flag(argv) or ".")
        return Op(Kind.BUILD, cmd, output=out, detail=" ".join(argv[:2]))
    if name in table["setup"]:
        if name in ("rm",) and argv and any("/var/lib/apt/lists" in a or "/var/cache/apk" in a
                                            for a in argv):
            return Op(Kind.SYSTEM_META, cmd, detail="package list cleanup")
        return Op(Kind.SETUP, cmd, detail=name)
    return Op(Kind.UNKNOWN, cmd, detail=" ".join((argv or [word0])[:2]))


def _global_tools(name: str, argv: list[str]) -> tuple[str, ...]:
    """The packages of a global install of command-line tools
    (``npm install -g pnpm@8``, ``yarn global add serve``), or ``()``.
    Grammar from ``commands.json`` ``global_tool_installs``."""
    spec = command_table()["global_tool_installs"].get(name)
    if spec is None:
        return ()
    args = argv[1:]
    words = [a for a in args if not a.startswith("-")]
    flags = {a for a in args if a.startswith("-")}
    for form in spec:
        sub = form["subcommand"]
        if words[:len(sub)] == sub and (not form.get("flags") or flags & set(form["flags"])):
            return tuple(words[len(sub):])
    return ()


def _loose_argv(cmd: Command) -> list[str] | None:
    """argv where words that can't be resolved stand as written, provided
    each such word is an operand (not an option or an option's value)."""
    out: list[str] = []
    for i, w in enumerate(cmd.words):
        if w.values is None:
            prev = cmd.words[i - 1].value if i else None
            if w.raw.startswith("-") or (prev is not None and prev.startswith("-") and "=" not in prev
                                         and prev in command_table()["pip_options_with_value"]):
                return None
            out.append(w.raw)
        else:
            out.extend(w.values)
    return out


def _loose_module(cmd: Command) -> str | None:
    argv = _loose_argv(cmd)
    return _python_module(argv) if argv else None


def _python_module(argv: list[str]) -> str | None:
    """``python -m X`` / ``python3.12 -m X`` -> ``X``."""
    if not argv:
        return None
    base = posixpath.basename(argv[0])
    if not base.startswith("python"):
        return None
    args = argv[1:]
    while args and args[0].startswith("-") and args[0] != "-m":
        args = args[1:]
    if len(args) >= 2 and args[0] == "-m":
        return args[1]
    return None


def _output_flag(argv: list[str]) -> str | None:
    """The ``-o FILE`` of a compiler (gcc, go build), if any."""
    for i, a in enumerate(argv):
        if a == "-o" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("-o") and len(a) > 2 and not a.startswith("--"):
            return a[2:]
    return None


def option_words(args: list[str], with_value) -> list[tuple[int, str, str | None]]:
    """Read command-line words as options, in order.

    Args:
        args: the words after the command (and subcommand).
        with_value: option names that take the next word as their value
            (``--index-url URL``); ``--name=value`` is read either way.
    Returns:
        ``(index in args, option name, value or None)`` for each option and
        ``(index, "", word)`` for each positional word (``-`` is one).
    """
    out: list[tuple[int, str, str | None]] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and "=" in a:
            k, v = a.split("=", 1)
            out.append((i, k, v))
        elif a in with_value and i + 1 < len(args):
            out.append((i, a, args[i + 1]))
            i += 1
        elif a.startswith("-") and a != "-":
            out.append((i, a, None))
        else:
            out.append((i, "", a))
        i += 1
    return out


def _split_options(args: list[str], with_value: set[str]):
    """Split argv tail into (options as (name, value), positionals as (index, word))."""
    words = option_words(args, with_value)
    return ([(k, v) for _i, k, v in words if k], [(i, v) for i, k, v in words if not k])


def _word_index(cmd: Command, offset: int, argv_index: int) -> int | None:
    """Map an argv index (after ``offset`` words) to a word index, when every
    word before it is exactly one field."""
    target = offset + argv_index
    fields = 0
    for wi, w in enumerate(cmd.words):
        if w.values is None:
            return None
        if fields == target and len(w.values) == 1:
            return wi
        fields += len(w.values)
        if fields > target:
            return None
    return None


def _apt(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None:
        return Op(Kind.UNKNOWN, cmd, detail="apt-get with words the tool can't resolve")
    opts, pos = _split_options(argv[1:], set(command_table()["apt_options_with_value"]))
    if not pos:
        return Op(Kind.UNKNOWN, cmd, detail="apt-get without a subcommand")
    sub = pos[0][1]
    names = tuple(p for _, p in pos[1:])
    words = tuple(w for w in (_word_index(cmd, 1, i) for i, _ in pos[1:]) if w is not None)
    flags = tuple(k if v is None else f"{k}={v}" for k, v in opts)
    if sub == "install":
        if any(n.endswith(".deb") or "/" in n for n in names):
            return Op(Kind.UNKNOWN, cmd, detail="apt-get install of a local .deb file")
        return Op(Kind.SYSTEM_INSTALL, cmd, "apt", names, words, flags=flags, detail="apt-get install")
    if sub in ("purge", "remove", "autoremove"):
        return Op(Kind.SYSTEM_REMOVE, cmd, "apt", names, words, flags=flags, detail=f"apt-get {sub}")
    if sub in ("update", "clean", "autoclean", "upgrade", "dist-upgrade", "full-upgrade"):
        return Op(Kind.SYSTEM_META, cmd, "apt", flags=flags, detail=f"apt-get {sub}")
    return Op(Kind.UNKNOWN, cmd, detail=f"apt-get {sub}")


def _apk(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None:
        return Op(Kind.UNKNOWN, cmd, detail="apk with words the tool can't resolve")
    opts, pos = _split_options(argv[1:], set(command_table()["apk_options_with_value"]))
    if not pos:
        return Op(Kind.UNKNOWN, cmd, detail="apk without a subcommand")
    sub = pos[0][1]
    virtual = None
    for k, v in opts:
        if k in ("-t", "--virtual"):
            virtual = v
    names = tuple(p for _, p in pos[1:])
    words = tuple(w for w in (_word_index(cmd, 1, i) for i, _ in pos[1:]) if w is not None)
    flags = tuple(k if v is None else f"{k}={v}" for k, v in opts)
    if sub == "add":
        return Op(Kind.SYSTEM_INSTALL, cmd, "apk", names, words, virtual, flags, detail="apk add")
    if sub == "del":
        return Op(Kind.SYSTEM_REMOVE, cmd, "apk", names, words, flags=flags, detail="apk del")
    if sub in ("update", "upgrade", "cache"):
        return Op(Kind.SYSTEM_META, cmd, "apk", flags=flags, detail=f"apk {sub}")
    return Op(Kind.UNKNOWN, cmd, detail=f"apk {sub}")


def _pip(cmd: Command, argv: list[str] | None, module: bool) -> Op:
    if argv is None:
        argv = _loose_argv(cmd)
    if argv is None:
        return Op(Kind.UNKNOWN, cmd, detail="pip with words the tool can't resolve")
    rest = argv[1:]
    if module:
        rest = rest[rest.index("-m") + 2:]
    with_value = set(command_table()["pip_options_with_value"])
    opts, pos = _split_options(rest, with_value)
    if not pos:
        return Op(Kind.PYTHON_TOOL, cmd, "pip", detail="pip")
    sub = pos[0][1]
    flags = tuple(k if v is None else f"{k}={v}" for k, v in opts)
    if sub != "install":
        if sub in ("download", "wheel"):
            return Op(Kind.BUILD, cmd, "pip", output=_abs(cmd.cwd, _pip_value(opts, "-w", "--wheel-dir", "-d", "--dest") or "."),
                      detail=f"pip {sub}")
        if sub in ("config", "--version", "list", "freeze", "show", "check", "cache", "debug"):
            return Op(Kind.PYTHON_TOOL, cmd, "pip", detail=f"pip {sub}")
        return Op(Kind.PYTHON_TOOL, cmd, "pip", detail=f"pip {sub}")
    reqs = tuple(v for k, v in opts if k in ("-r", "--requirement", "-c", "--constraint") and v)
    specs = tuple(p for _, p in pos[1:])
    tools = set(command_table()["python_build_tools"])
    user = any(k == "--user" for k, _ in opts)
    if specs and not reqs and not any(k in ("-e", "--editable") for k, _ in opts) and all(
            requirement_name(s) in tools for s in specs):
        # pip install poetry / --upgrade pip setuptools wheel: tools the build uses
        elsewhere = any(k in ("-t", "--target", "--prefix", "--root") for k, _ in opts)
        return Op(Kind.PYTHON_TOOL, cmd, "pip", specs, flags=flags, detail="pip install " + " ".join(specs),
                  output=None if elsewhere else "user" if user else "env",
                  options={"names": tuple(requirement_name(s) for s in specs), "user": user,
                           "module": module})
    editable = tuple(v for k, v in opts if k in ("-e", "--editable") and v)
    local = tuple(s for s in specs + editable if s.startswith((".", "/")) or s.endswith((".whl", ".tar.gz")))
    target = _pip_value(opts, "-t", "--target")
    prefix = _pip_value(opts, "--prefix")
    root = _pip_value(opts, "--root")
    if target:
        output = _abs(cmd.cwd, target)
    elif prefix:
        output = _abs(cmd.cwd, prefix)
    elif root:
        output = None
    elif user:
        output = "user"
    else:
        output = "env"
    if posixpath.isabs(cmd.words[0].value or "") and not module:
        # /usr/local/bin/pip: the system pip, whatever the venv
        output = output if output != "env" else "system:" + (cmd.words[0].value or "")
    return Op(Kind.PYTHON_INSTALL, cmd, "pip", specs + editable, flags=flags, output=output,
              files=reqs + local, detail="pip install" + (" --user" if user else ""),
              options={"editable": bool(editable), "user": user, "prefix": prefix, "target": target,
                       "editable_paths": tuple(_abs(cmd.cwd, e.split("[")[0]) for e in editable
                                               if e.startswith((".", "/")))})


def _pip_value(opts, *names) -> str | None:
    for k, v in opts:
        if k in names:
            return v
    return None


def _venv(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None:
        return Op(Kind.UNKNOWN, cmd, detail="venv path the tool can't resolve")
    args = argv[1:]
    if "-m" in args:
        args = args[args.index("-m") + 2:]
    paths = [a for a in args if not a.startswith("-")]
    if len(paths) != 1:
        return Op(Kind.UNKNOWN, cmd, detail="venv creation with several or no paths")
    return Op(Kind.VENV, cmd, output=_abs(cmd.cwd, paths[0]), detail="venv")


def _poetry(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None or len(argv) < 2:
        return Op(Kind.UNKNOWN, cmd, detail="poetry")
    sub = next((a for a in argv[1:] if not a.startswith("-")), "")
    if not sub and any(a in ("--version", "-V") for a in argv[1:]):
        sub = "--version"        # `poetry --version`: prints, writes nothing
    if sub in ("install", "sync"):
        return Op(Kind.PYTHON_INSTALL, cmd, "poetry", output="env", files=("pyproject.toml", "poetry.lock"),
                  detail=f"poetry {sub}")
    if sub in ("config", "export", "lock", "check", "self", "--version", "env", "version"):
        # export/lock write files that only later installs of the builder read
        return Op(Kind.PYTHON_TOOL, cmd, "poetry", detail=f"poetry {sub}",
                  options={"argv": tuple(argv)})
    if sub in ("build",):
        return Op(Kind.BUILD, cmd, "poetry", output=_abs(cmd.cwd, "dist"), detail="poetry build")
    return Op(Kind.UNKNOWN, cmd, detail=f"poetry {sub}")


def _pipenv(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None or len(argv) < 2:
        return Op(Kind.UNKNOWN, cmd, detail="pipenv")
    sub = argv[1]
    if sub in ("install", "sync"):
        return Op(Kind.PYTHON_INSTALL, cmd, "pipenv", output="env", files=("Pipfile", "Pipfile.lock"),
                  flags=tuple(a for a in argv[2:] if a.startswith("-")), detail=f"pipenv {sub}")
    if sub in ("lock", "requirements", "--version"):
        return Op(Kind.PYTHON_TOOL, cmd, "pipenv", detail=f"pipenv {sub}")
    return Op(Kind.UNKNOWN, cmd, detail=f"pipenv {sub}")


def _uv(cmd: Command, argv: list[str] | None) -> Op:
    if argv is None or len(argv) < 2:
        return Op(Kind.UNKNOWN, cmd, detail="uv")
    sub = argv[1]
    if sub == "pip" and len(argv) > 2 and argv[2] in ("install", "sync"):
        system = "--system" in argv
        return Op(Kind.PYTHON_INSTALL, cmd, "uv", output="env", flags=tuple(a for a in argv[3:] if a.startswith("-")),
                  detail=f"uv pip {argv[2]}" + (" --system" if system else ""), options={"system": system})
    if sub == "sync":
        return Op(Kind.PYTHON_INSTALL, cmd, "uv", output="project", files=("pyproject.toml", "uv.lock"),
                  detail="uv sync")
    if sub == "venv":
        paths = [a for a in argv[2:] if not a.startswith("-")]
        return Op(Kind.VENV, cmd, output=_abs(cmd.cwd, paths[0] if paths else ".venv"), detail="uv venv")
    if sub in ("export", "lock", "--version", "version", "cache"):
        return Op(Kind.PYTHON_TOOL, cmd, "uv", detail=f"uv {sub}")
    return Op(Kind.UNKNOWN, cmd, detail=f"uv {sub}")


def _git(cmd: Command, argv: list[str]) -> Op | None:
    """``git clone`` and the git subcommands that change a clone's working
    tree (``git checkout``, ``git submodule update``...) as build steps
    writing a folder (``commands.json`` ``source_fetches``, with sources):
    ``git clone URL DEST`` writes DEST (relative to the command's folder and
    ``-C``), without DEST the "humanish" part of URL; the others write the
    folder they run in. None for any other git command (``git config``: a
    setup step)."""
    table = command_table()["source_fetches"]
    global_values = set(table["git_options_with_value"])
    cwd = cmd.cwd
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        a = argv[i]
        if a == "-C" and i + 1 < len(argv):
            cwd = _abs(cwd, argv[i + 1])
        if a in global_values:
            i += 1
        i += 1
    if i >= len(argv):
        return None
    sub, rest = argv[i], argv[i + 1:]
    if sub == "clone":
        with_value = set(table["clone_options_with_value"])
        _opts, pos = _split_options(rest, with_value)
        words = [w for _i, w in pos]
        if not words or "--" in rest[:1]:
            return Op(Kind.UNKNOWN, cmd, "git", detail="git clone without a repository")
        if len(words) > 1:
            dest = words[1]
        else:
            dest = words[0].rstrip("/")
            dest = dest[:-len("/.git")] if dest.endswith("/.git") else dest
            dest = re.split(r"[/:]", dest)[-1]
            dest = dest[:-len(".git")] if dest.endswith(".git") else dest
            if any(a in ("--bare", "--mirror") for a in rest):
                dest += ".git"
        if dest.startswith("~") or cwd is None and not dest.startswith("/"):
            return None     # the shell's home folder, or a folder the tool can't place: replayed as written
        return Op(Kind.BUILD, cmd, "git", output=_abs(cwd, dest), detail="git clone",
                  options={"fetch": words[0]})
    if sub in table["working_tree_subcommands"]:
        return Op(Kind.BUILD, cmd, "git", output=cwd, detail=f"git {sub}")
    return None


FETCH_MANAGERS = ("git", "download")
"""The :attr:`Op.manager` of the build steps that fetch sources into a
folder (:func:`_git`, :func:`read_source_downloads`): they need no compiler
or ``-dev`` package."""

_TAR_VALUE_LETTERS = "bfCgKLNTVH"
"""Short options of GNU tar that take a value (tar --help)."""
_CURL_VALUE_LETTERS = "oudXHAebcTwmxrCEFKQUyYzt"
"""Short options of curl that take a value (curl.se/docs/manpage.html)."""
_WGET_VALUE_LETTERS = "oaiBetOTwQPUlARDIX"
"""Short options of GNU wget that take a value (wget --help)."""


def _cluster_values(args: list[str], letters_with_value: str, long_with_value: tuple[str, ...]):
    """Read ``args`` as short clusters (``-fsSLo FILE``, ``-qO-``) and long
    options: ``(options as (name, value or None), operands)``; a short
    option's value is the rest of its cluster or the next word."""
    opts: list[tuple[str, str | None]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            if "=" in a:
                k, v = a.split("=", 1)
                opts.append((k, v))
            elif a in long_with_value and i + 1 < len(args):
                opts.append((a, args[i + 1]))
                i += 1
            else:
                opts.append((a, None))
        elif a.startswith("-") and len(a) > 1:
            for j, ch in enumerate(a[1:], 1):
                if ch in letters_with_value:
                    rest = a[j + 1:]
                    if rest:
                        opts.append(("-" + ch, rest))
                    elif i + 1 < len(args):
                        opts.append(("-" + ch, args[i + 1]))
                        i += 1
                    break
                opts.append(("-" + ch, None))
        else:
            operands.append(a)
        i += 1
    return opts, operands


def tar_extraction(cmd: Command) -> tuple[str, str] | None:
    """``(destination folder, archive)`` of a ``tar`` that extracts
    (``-x``/``--extract``/``--get``, old-style ``tar xzf``): the folder
    ``-C``/``--directory`` names, else the command's folder; the archive
    ``-f``/``--file`` names (absolute), or ``"-"`` for standard input (also
    without ``-f``: Debian's tar reads standard input then). None for any
    other command, or when a path can't be resolved.
    Source: gnu.org/software/tar/manual (Operations, --file, --directory)."""
    argv = cmd.argv
    if cmd.name != "tar" or not argv:
        return None
    args = argv[1:]
    if args and not args[0].startswith("-"):
        # old style: `tar xzf ARCHIVE -C DIR`, the values follow the letters in order
        letters, args = args[0], args[1:]
        front = []
        for ch in letters:
            if ch in _TAR_VALUE_LETTERS and args:
                front.extend(["-" + ch, args[0]])
                args = args[1:]
            elif ch not in _TAR_VALUE_LETTERS:
                front.append("-" + ch)
        args = front + args
    opts, _operands = _cluster_values(args, _TAR_VALUE_LETTERS, ("--file", "--directory"))
    names = {k for k, _v in opts}
    if not names & {"-x", "--extract", "--get"}:
        return None
    archive = next((v for k, v in opts if k in ("-f", "--file")), None) or "-"
    dest = next((v for k, v in opts if k in ("-C", "--directory")), None)
    if (dest or "").startswith("~") or archive.startswith("~"):
        return None
    dest_abs = _abs(cmd.cwd, dest) if dest else cmd.cwd
    archive_abs = archive if archive == "-" else _abs(cmd.cwd, archive)
    if dest_abs is None or archive_abs is None or "$" in dest_abs + archive_abs:
        return None
    return dest_abs, archive_abs


def download_output(cmd: Command) -> str | None:
    """Where ``curl`` or ``wget`` writes what it fetches: an absolute file
    (``curl -o FILE``, ``curl -O`` and ``wget`` without ``-O``: the URL's
    last path part, in ``--output-dir``/``-P`` or the command's folder;
    ``wget -O FILE``), or ``"-"`` for standard output (curl without ``-o``/
    ``-O``, ``wget -O -``). None for another command, or when it can't be
    told. Sources: curl.se/docs/manpage.html (-o, -O, --output-dir),
    gnu.org/software/wget/manual (-O, -P)."""
    argv = cmd.argv
    if cmd.name not in ("curl", "wget") or not argv:
        return None
    curl = cmd.name == "curl"
    opts, operands = _cluster_values(
        argv[1:], _CURL_VALUE_LETTERS if curl else _WGET_VALUE_LETTERS,
        ("--output", "--output-dir", "--user", "--header", "--data", "--request", "--user-agent", "--cookie",
         "--write-out", "--max-time", "--proxy", "--range", "--retry", "--connect-timeout")
        if curl else ("--output-document", "--directory-prefix", "--user-agent", "--header", "--tries",
                      "--timeout", "--output-file", "--append-output", "--input-file"))
    urls = [o for o in operands if "://" in o]
    if len(urls) != 1:
        return None
    name = posixpath.basename(urls[0].split("?", 1)[0].split("#", 1)[0].rstrip("/"))
    if curl:
        out = next((v for k, v in opts if k in ("-o", "--output")), None)
        folder = next((v for k, v in opts if k == "--output-dir"), None)
        if out is None and not any(k in ("-O", "--remote-name") for k, _v in opts):
            return "-"
    else:
        out = next((v for k, v in opts if k in ("-O", "--output-document")), None)
        folder = next((v for k, v in opts if k in ("-P", "--directory-prefix")), None)
    if out == "-":
        return "-"
    if out is None:
        out = name
        if not out:
            return None
        if folder:
            out = posixpath.join(folder, out)
    if out.startswith("~"):
        return None
    path = _abs(cmd.cwd, out)
    return None if path is None or "$" in path else path


def _python(cmd: Command, argv: list[str] | None, module: str | None) -> Op:
    if argv is None:
        return Op(Kind.UNKNOWN, cmd, detail="python with words the tool can't resolve")
    table = command_table()
    if module is not None:
        if module in table["python_runtime_modules"]:
            return Op(Kind.SETUP, cmd, detail=f"python -m {module}")
        if module == "build":
            return Op(Kind.BUILD, cmd, "python", output=_abs(cmd.cwd, "dist"), detail="python -m build")
        return Op(Kind.UNKNOWN, cmd, detail=f"python -m {module}")
    if "-c" in argv[1:2]:
        return Op(Kind.SETUP, cmd, detail="python -c")
    script = next((a for a in argv[1:] if not a.startswith("-")), None)
    if script is None:
        return Op(Kind.UNKNOWN, cmd, detail="python")
    base = posixpath.basename(script)
    if base == "setup.py":
        rest = argv[argv.index(script) + 1:]
        if "install" in rest:
            return Op(Kind.PYTHON_INSTALL, cmd, "setup.py", output="env", files=(script,),
                      detail="setup.py install")
        return Op(Kind.BUILD, cmd, "setup.py", output=cmd.cwd, detail="setup.py " + " ".join(rest[:1]))
    if base in table["python_runtime_scripts"]:
        return Op(Kind.SETUP, cmd, detail=f"python {base} " + " ".join(argv[argv.index(script) + 1:][:1]))
    return Op(Kind.UNKNOWN, cmd, detail=f"python {base}")


def _subcommand(args: list[str], with_value: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """``(subcommand, the words after it)``, skipping global options (and
    the value of those in ``with_value``) before it; ``("", [])`` if none."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in with_value:
            i += 2
            continue
        if not a.startswith("-"):
            return a, args[i + 1:]
        i += 1
    return "", []


def _pdm(cmd: Command, args: list[str]) -> Op:
    """pdm (pdm-project.org/en/latest/reference/cli). ``install``, ``sync``,
    ``add``, ``update`` and ``remove`` change the project's environment:
    the activated virtualenv when ``VIRTUAL_ENV`` is set (output ``env``;
    see :data:`PDM_LOCATION_SETTINGS` for what overrides that). With
    ``-g``/``--global`` or ``--venv NAME`` they use an environment of pdm's
    own, which the tool does not follow."""
    sub, rest = _subcommand(args, ("-p", "--project", "-c", "--config"))
    where = f"pdm {sub}".strip()
    if sub in ("install", "sync", "add", "update", "remove"):
        if any(a in ("-g", "--global") for a in args) or any(a == "--venv" or a.startswith("--venv=") for a in rest):
            return Op(Kind.UNKNOWN, cmd, "pdm", detail=where + " --global" if "-g" in args or "--global" in args
                      else where + " --venv",
                      options={"why": "installs into an environment pdm keeps for itself, not the virtualenv"})
        return Op(Kind.PYTHON_INSTALL, cmd, "pdm", output="env", files=("pyproject.toml", "pdm.lock"),
                  flags=tuple(a for a in rest if a.startswith("-")), detail=where,
                  options={"argv": tuple(args)})
    if sub in ("export", "lock", "list", "show", "info", "cache", "self", "plugin", "config", "use", "venv",
               "python", "py", "outdated", "search", "") or args[:1] == ["--version"]:
        # pdm export/lock write files the builder's later steps read; config,
        # use and venv choose where pdm installs (the venv transform checks them)
        return Op(Kind.PYTHON_TOOL, cmd, "pdm", detail=where, options={"argv": tuple(args)})
    if sub == "build":
        dest = next((rest[i + 1] for i, a in enumerate(rest[:-1]) if a in ("-d", "--dest")), "dist")
        return Op(Kind.BUILD, cmd, "pdm", output=_abs(cmd.cwd, dest), detail="pdm build")
    if sub == "run":
        # runs a program in the environment pdm installed into: the
        # virtualenv too (a run wrapper, for the stage split to place)
        return Op(Kind.UNKNOWN, cmd, "pdm", detail=where)
    return Op(Kind.UNKNOWN, cmd, "pdm", detail=where, options={"why": "is a pdm command the tool does not know"})


def _flit(cmd: Command, args: list[str]) -> Op:
    """flit (flit.pypa.io/en/stable/cmdline.html). ``flit install`` installs
    into "the same Python environment that Flit itself is installed in",
    unless ``--python PATH`` or ``FLIT_INSTALL_PYTHON`` names another; so
    ``options["python"]`` is the ``--python`` value (None if not given): the
    venv transform points it at the virtualenv. ``--symlink``/``--pth-file``
    install the project in place, like ``pip install -e``."""
    sub, rest = _subcommand(args, ("-f", "--ini-file"))
    if sub == "install":
        python = next((rest[i + 1] for i, a in enumerate(rest[:-1]) if a == "--python"), None) or next(
            (a.split("=", 1)[1] for a in rest if a.startswith("--python=")), None)
        editable = any(a in ("-s", "--symlink", "--pth-file") for a in rest)
        user = "--user" in rest
        return Op(Kind.PYTHON_INSTALL, cmd, "flit", output="user" if user else "env",
                  files=("pyproject.toml", "."), flags=tuple(a for a in rest if a.startswith("-")),
                  detail="flit install" + (" --user" if user else ""),
                  options={"python": python, "user": user, "editable": editable,
                           "editable_paths": (cmd.cwd,) if editable else ()})
    if sub == "build":
        return Op(Kind.BUILD, cmd, "flit", output=_abs(cmd.cwd, "dist"), detail="flit build")
    if sub == "" and args[:1] == ["--version"]:
        return Op(Kind.PYTHON_TOOL, cmd, "flit", detail="flit --version")
    return Op(Kind.UNKNOWN, cmd, "flit", detail=f"flit {sub}".strip(),
              options={"why": "is a flit command the tool does not know"})


def _hatch(cmd: Command, args: list[str]) -> Op:
    """hatch (hatch.pypa.io/latest/cli/reference). ``hatch build`` writes
    ``dist/`` (a build step; ``pip install dist/*.whl`` then installs it);
    ``hatch dep show``/``version`` only print. ``hatch env create``,
    ``hatch run`` and ``hatch shell`` install into environments hatch keeps
    in its data folder (root's ``~/.local/share/hatch``), out of the
    virtualenv's reach: they stay unknown, with that reason."""
    sub, rest = _subcommand(args, ("-e", "--env", "-p", "--project", "--data-dir", "--cache-dir", "--config"))
    if sub == "build":
        _opts, pos = _split_options(rest, {"-t", "--target"})
        paths = [p for _, p in pos]
        return Op(Kind.BUILD, cmd, "hatch", output=_abs(cmd.cwd, paths[0] if paths else "dist"),
                  detail="hatch build")
    if sub in ("dep", "version", "status", "config", "") or args[:1] == ["--version"]:
        return Op(Kind.PYTHON_TOOL, cmd, "hatch", detail=f"hatch {sub}".strip())
    if sub in ("env", "run", "shell", "test"):
        why = "installs into an environment hatch keeps in its data folder (~/.local/share/hatch), not the virtualenv"
    else:
        why = "is a hatch command the tool does not know"
    return Op(Kind.UNKNOWN, cmd, "hatch", detail=f"hatch {sub}".strip(), options={"why": why})


def _pip_sync(cmd: Command, args: list[str]) -> Op:
    """pip-tools' pip-sync (pip-tools.readthedocs.io/en/latest/reference/pip-sync):
    installs and uninstalls so that the environment it runs from (or
    ``--python-executable``) holds exactly the requirement files given
    (default ``requirements.txt``). See :data:`INSTALLS_INTO_OWN_ENVIRONMENT`."""
    if args[:1] == ["sync"]:   # python -m piptools sync
        args = args[1:]
    with_value = ("-f", "--find-links", "-i", "--index-url", "--extra-index-url", "--trusted-host",
                  "--python-executable", "--cert", "--client-cert", "--pip-args", "--config")
    opts, pos = _split_options(args, set(with_value))
    files = tuple(p for _, p in pos) or ("requirements.txt",)
    python = _pip_value(opts, "--python-executable")
    return Op(Kind.PYTHON_INSTALL, cmd, "pip-sync", files=files, flags=tuple(k for k, _ in opts),
              output="system:" + python if python and python.startswith("/") else "env",
              detail="pip-sync", options={"python_executable": python, "user": "--user" in args})


def _pip_compile(cmd: Command, args: list[str]) -> Op:
    """pip-tools' pip-compile: writes a requirements file (a builder-only tool)."""
    return Op(Kind.PYTHON_TOOL, cmd, "pip-compile", detail="pip-compile")


def _piptools_module(cmd: Command, args: list[str]) -> Op:
    """``python -m piptools sync|compile``."""
    sub = args[0] if args else ""
    if sub == "sync":
        return _pip_sync(cmd, args[1:])
    if sub == "compile":
        return _pip_compile(cmd, args[1:])
    return Op(Kind.UNKNOWN, cmd, "pip-tools", detail=f"python -m piptools {sub}".strip(),
              options={"why": "is a pip-tools command the tool does not know"})


_INSTALLER_READERS = {"pdm": _pdm, "flit": _flit, "hatch": _hatch, "pip-sync": _pip_sync,
                      "pip-compile": _pip_compile}
"""Readers of the Python installers besides pip, poetry, pipenv and uv, by
command name."""

_PY_MODULE_TOOLS = {"pdm": _pdm, "flit": _flit, "hatch": _hatch, "piptools": _piptools_module}
"""Readers of their ``python -m MODULE`` forms, by module."""

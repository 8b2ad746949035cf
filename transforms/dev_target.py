"""dev-target (opt-in): a ``development`` stage for ``docker build --target development``.

Seed 004's "Multiple Targets" pattern. After ``split-stages`` has made a
``builder`` and a final runtime stage, this transform inserts a third stage
between them::

    FROM builder AS development
    COPY requirements-dev.txt ./
    RUN pip install --no-cache-dir -r requirements-dev.txt
    COPY . .

It starts FROM the builder (which holds the toolchain and the production
dependencies), installs the development dependencies with the installer the
builder used, and copies what the runtime stage takes from the build context
and the builder lacks (the sources), with the runtime stage's ENV and working
directory. The final stage stays last, so a plain ``docker build`` still
builds the runtime image, byte for byte as before; ``--target development``
builds the development image, for tests and tools (``docker run --rm
app:dev pytest``). RUN steps of the runtime stage are not repeated and
``--chown`` is dropped: the development stage runs as the builder's user,
root.

Where the development dependencies come from (the build context is read
through :class:`migrator.context.BuildContext`; without one there is nothing
to decide from and the transform refuses):

- pip / ``uv pip``: a development requirements file next to the requirements
  file the builder installs (:data:`DEV_REQUIREMENT_FILES`), with the files
  its ``-r``/``-c`` lines name; for a project the builder installs (``pip
  install .``, ``-e .``, ``uv pip install -r pyproject.toml``), its
  development extras (:data:`DEV_EXTRAS`): ``pip install ".[dev,test]"``;
- poetry: the groups of ``pyproject.toml`` (``[tool.poetry.group.<g>]``,
  the legacy ``[tool.poetry.dev-dependencies]``) the builder's ``poetry
  install`` left out (``--only main``, ``--without dev``, ``--no-dev``):
  ``poetry install --with dev`` (https://python-poetry.org/docs/managing-dependencies/);
- uv: the PEP 735 ``[dependency-groups]`` (and ``[tool.uv]
  dev-dependencies``) the builder's ``uv sync --no-dev`` left out: ``uv sync``
  without the exclusions (the ``dev`` group is a default group,
  https://docs.astral.sh/uv/concepts/projects/dependencies/#development-dependencies);
- pipenv: ``[dev-packages]`` of the Pipfile: ``pipenv install --dev``;
- npm: ``devDependencies`` of package.json left out by ``--omit=dev``,
  ``--production``/``--only=prod`` or ``NODE_ENV=production``
  (https://docs.npmjs.com/cli/v10/commands/npm-ci#omit): ``npm ci`` without
  them, with ``NODE_ENV=development`` when the builder's environment says
  production.

It refuses, with the line, when no development dependencies can be found,
and notes when the builder already installs them (``--target builder`` is
then the development image).
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import shlex
import tomllib
from dataclasses import dataclass, field

from migrator.analysis.stage import app_stages, end_context, is_root, read_run, substitute, walk
from migrator.analysis.commands import Kind, Op, option_words
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction, Stage
from migrator.options import Options
from migrator.model.render import instruction, keyword, run
from migrator.transform import Outcome

STAGE_NAME = "development"
"""The name of the stage the transform adds (seed 004: ``--target development``)."""

DEV_REQUIREMENT_FILES = (
    "requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt", "dev_requirements.txt",
    "requirements-development.txt", "requirements/dev.txt", "requirements/development.txt",
)
"""Development requirement files looked for, relative to the folder of the
requirements file the builder installs, in this order: the names pip-tools'
and the Django/cookiecutter project templates use (``requirements-dev.txt``,
``dev-requirements.txt``, ``requirements/dev.txt``). When that file already
lies in a ``requirements/`` folder, ``dev.txt`` and ``development.txt``
beside it count too."""

_NPM_OMIT_DEV = ("--omit=dev", "--only=prod", "--only=production", "--production", "--production=true")
"""npm flags that leave devDependencies out (npm ci/install ``--omit``; the
older ``--only=prod`` and ``--production`` spell the same)."""

_POETRY_VALUE_FLAGS = ("--only", "--without", "--with", "-E", "--extras", "-C", "--directory", "-P", "--project")
_UV_VALUE_FLAGS = ("--group", "--no-group", "--only-group", "--extra", "--python", "-p", "--package",
                   "--directory", "--project", "--index", "--index-url", "--extra-index-url", "--find-links",
                   "-f", "--default-index", "--python-platform", "--prune")


@dataclass
class _DevInstall:
    """One development install of the new stage.

    Attributes:
        line: line of the builder's install it follows.
        what: a few words for the reason (``requirements-dev.txt``).
        copies: ``(context path, image path)`` of the manifests to copy first.
        command: the shell command to run.
        cwd: the folder it runs in.
        needs_sources: it reads the sources (``-e .``): run it after them.
    """

    line: int
    what: str
    copies: list[tuple[str, str]] = field(default_factory=list)
    command: str = ""
    cwd: str = "/"
    needs_sources: bool = False


class DevTarget:
    """Add a non-final ``development`` stage FROM the builder."""

    id = "dev-target"
    title = "Add a development target stage"
    rationale = ("one Dockerfile builds both the production image and a development image with the test "
                 "and lint tools (docker build --target development)")
    default = False
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the ``development`` stage; see the module docstring.

        Args:
            df: the file after ``split-stages`` (a builder and a final stage).
            options: ``options.context`` is read for the manifests.
        Returns:
            one fix inserting the stage before the final one; a refusal with
            the reason (no builder stage, no build context, no development
            dependencies, a builder ending as a non-root USER); or a note when
            the builder already installs the development dependencies.
        """
        if len(app_stages(df)) == 1:
            return Outcome.refuse("no builder stage to start a development stage from: the file was not "
                                  "split into builder and runtime stages (split-stages)")
        if len(app_stages(df)) != 2 or not app_stages(df)[0].name:
            return Outcome()
        builder, final = app_stages(df)
        taken = df.stage_by_name(STAGE_NAME)
        if taken is not None:
            return Outcome.refuse(f"line {taken.from_instruction.start_line}: a stage is already named "
                                  f"{STAGE_NAME}")
        end = end_context(df, builder)
        if not is_root(end.user) or end.workdir is None:
            last = builder.instructions[-1]
            why = f"ends as USER {end.user}" if not is_root(end.user) else "ends in a folder the tool can't resolve"
            return Outcome.refuse(f"line {last.start_line}: the builder stage {why}; the development "
                                  "stage's installs would not run as its own did")
        context = options.context
        installs, already, missing = [], [], []
        for ins, ctx in walk(df, builder):
            if ins.keyword != "RUN":
                continue
            info = read_run(df, ins, ctx)
            for op in info.all_ops:
                got = _dev_install(df, builder, ins, ctx.env, op, context)
                if got is None:
                    continue
                if isinstance(got, _DevInstall):
                    if all(got.command != i.command or got.cwd != i.cwd for i in installs):
                        installs.append(got)
                elif got.startswith("already:"):
                    already.append(got[len("already:"):])
                else:
                    missing.append(got)
        if not installs:
            if already:
                return Outcome(notes=[f"dev-target: {already[0]}; the builder stage is the development image "
                                      f"(docker build --target {builder.name})"])
            if missing:
                return Outcome.refuse(missing[0])
            return Outcome.refuse(f"no development dependencies to install: no install of the builder stage "
                                  f"(line {builder.from_instruction.start_line}) reads a requirements file, "
                                  "pyproject.toml, Pipfile or package.json to find them beside or in")
        replay, problem = _replayed(df, builder, final, end.workdir)
        if problem:
            return Outcome.refuse(problem)
        for dev in installs:
            if dev.needs_sources:   # the sources copied before it bring what the runtime stage copies too
                dev.copies = [(src, dest) for src, dest in dev.copies if context_path(df, final, dest, context) != src]
        text = _stage_text(df, builder, end.workdir, installs, replay)
        at = builder.instructions[-1].end
        if not df.text.startswith(("\n", "\r\n"), at):
            text += df.newline   # keep a blank line before the final stage
        what = ", ".join(i.what for i in installs)
        reason = (f"adds a `{STAGE_NAME}` stage FROM {builder.name} with the development dependencies ({what}) "
                  f"and the sources: `docker build --target {STAGE_NAME}` builds it; the final stage, and so a "
                  "plain build, is unchanged")
        return Outcome(fixes=[Fix(reason, (Edit.insert(at, text),))])


def _stage_text(df: Dockerfile, builder: Stage, workdir: str, installs: list[_DevInstall],
                replay: list[tuple[str, str]]) -> str:
    """The new stage's text (starting with a line break, for the blank line
    between stages): FROM, the manifest copies, the installs, the replayed
    instructions (with the installs that need the sources after them)."""
    out = df.newline + instruction(df, "FROM", f"{builder.name} {keyword(df, 'AS')} {STAGE_NAME}")
    current = workdir

    def go(folder: str) -> str:
        nonlocal current
        if folder == current:
            return ""
        current = folder
        return instruction(df, "WORKDIR", folder)

    def install(dev: _DevInstall) -> str:
        text = ""
        by_dir: dict[str, list[str]] = {}
        for src, dest in dev.copies:
            by_dir.setdefault(posixpath.dirname(dest), []).append(src)
        for folder, srcs in by_dir.items():
            if folder == current:
                dest = "./"
            elif folder.startswith(current.rstrip("/") + "/"):
                dest = "./" + posixpath.relpath(folder, current) + "/"
            else:
                dest = folder.rstrip("/") + "/"
            text += instruction(df, "COPY", " ".join(_quote(s) for s in srcs) + " " + dest)
        command = dev.command if dev.cwd == current else f"cd {_quote(dev.cwd)} && {dev.command}"
        return text + run(df, [("", command)])

    for dev in installs:
        if not dev.needs_sources:
            out += install(dev)
    for folder, text in replay:
        out += (go(folder) if folder else "") + text
    for dev in installs:
        if dev.needs_sources:
            out += install(dev)
    return out


def _quote(word: str) -> str:
    return shlex.quote(word)


def _dev_install(df: Dockerfile, builder: Stage, ins: Instruction, env: dict, op: Op, context):
    """Read one operation of the builder: a :class:`_DevInstall`, a string
    ``"already:<why>"`` when it installs the development dependencies
    itself, another string (the refusal) when it is an install whose
    development dependencies can't be found, or None for anything else."""
    argv = op.command.argv
    cwd = op.command.cwd
    if argv is None or cwd is None:
        return None
    shown = " ".join(argv)
    where = f"line {ins.start_line}: `{shown if len(shown) <= 60 else shown[:57] + '...'}`"
    if op.kind is Kind.PYTHON_INSTALL and "install" in argv and (
            op.manager == "pip" or op.detail.startswith("uv pip")):
        head = argv[:argv.index("install") + 1]
        flags = _split_flags(argv[len(head):], _pip_value_flags())
        reqs = [v for k, v in flags if k in ("-r", "--requirement") and v]
        projects = [(k, v) for k, v in flags if (not k or k in ("-e", "--editable")) and v
                    and (v in (".", "./") or v.startswith(("./", "/")) and not v.endswith((".whl", ".tar.gz")))]
        if not reqs and not projects:
            return None
        if op.output not in ("env", None) and not (op.output or "").startswith("system:"):
            return (f"{where} installs into {op.output}, not the builder's environment, so a development "
                    "install there would not see its packages")
        if context is None:
            return f"{where}: no build context to look for {DEV_REQUIREMENT_FILES[0]} in (--context DIR)"
        if reqs and not reqs[0].endswith("pyproject.toml"):
            return _pip_dev(df, builder, ins, head, flags, cwd, reqs, context, where)
        return _extras_dev(df, builder, ins, head, flags, cwd, reqs, projects, context, where)
    if op.kind is Kind.PYTHON_INSTALL and op.manager in ("poetry", "uv", "pipenv"):
        if context is None:
            manifest = "Pipfile" if op.manager == "pipenv" else "pyproject.toml"
            return f"{where}: no build context to read {manifest} from (--context DIR)"
        return {"poetry": _poetry_dev, "uv": _uv_dev, "pipenv": _pipenv_dev}[op.manager](
            df, builder, ins, op, argv, cwd, context, where)
    if op.command.name == "npm" and len(argv) > 1 and argv[1] in ("ci", "install", "i", "clean-install"):
        rest = argv[2:]
        valued = ("--omit", "--only", "--include", "--workspace", "-w", "--registry", "--cache")
        if argv[1] in ("install", "i") and [a for i, a in enumerate(rest) if not a.startswith("-")
                                            and not (i and rest[i - 1] in valued)]:
            return None   # npm install <package>: not the project's dependencies
        if context is None:
            return f"{where}: no build context to read package.json from (--context DIR)"
        return _npm_dev(df, builder, ins, env, argv, cwd, context, where)
    return None


def _pip_value_flags() -> tuple[str, ...]:
    """pip's (and ``uv pip``'s) options that take a value (``commands.json``)."""
    from migrator.analysis.commands import command_table

    return tuple(command_table()["pip_options_with_value"])


def _pip_dev(df, builder, ins, head, flags, cwd, reqs, context, where):
    """The development requirements of a ``pip install -r FILE``."""
    main_image = posixpath.normpath(posixpath.join(cwd, reqs[0]))
    main_ctx = context_path(df, builder, main_image, context)
    if main_ctx is None:
        return f"{where}: can't tell which file of the build context {reqs[0]} is"
    ctx_dir, image_dir = posixpath.dirname(main_ctx), posixpath.dirname(main_image)
    names = list(DEV_REQUIREMENT_FILES)
    if posixpath.basename(ctx_dir) == "requirements":
        names += ["dev.txt", "development.txt"]
    dev_ctx = context.first_file(*[posixpath.join(ctx_dir, n) for n in names])
    if dev_ctx is None:
        folder = f"{ctx_dir}/" if ctx_dir else "the build context"
        return (f"{where}: no development requirements file ({', '.join(DEV_REQUIREMENT_FILES[:3])}, "
                f"requirements/dev.txt...) in {folder}")
    dev_image = posixpath.normpath(posixpath.join(image_dir, posixpath.relpath(dev_ctx, ctx_dir or ".")))
    for other, other_cwd in _builder_installs(df, builder):
        for k, v in _split_flags(other, _pip_value_flags()):
            if k in ("-r", "--requirement") and v and \
                    posixpath.normpath(posixpath.join(other_cwd, v)) == dev_image:
                return f"already:{where} and another install of the builder stage install {dev_ctx}"
    copies, needs_sources, problem = _requirement_closure(dev_ctx, ctx_dir, image_dir, context)
    if problem:
        return f"{where}: {problem}"
    # files the builder already holds (the main requirements) are not copied again
    copies = [(src, dest) for src, dest in copies if context_path(df, builder, dest, context) != src]
    kept = [(k, v) for k, v in flags if k and k not in (
        "-r", "--requirement", "-e", "--editable", "-U", "--upgrade", "--force-reinstall",
        "--ignore-installed", "-I", "--no-deps")]
    rel = posixpath.relpath(dev_image, cwd) if dev_image.startswith(cwd.rstrip("/") + "/") else dev_image
    command = " ".join(_quote(w) for w in head + _words_of(kept) + ["-r", rel])
    return _DevInstall(ins.start_line, dev_ctx, copies, command, cwd, needs_sources)


DEV_EXTRAS = ("dev", "development", "test", "tests", "testing", "lint", "typing")
"""Names of ``[project.optional-dependencies]`` extras that hold development
dependencies (PEP 621 leaves the names to the project; these are the
common ones: ``pip install -e ".[dev]"``)."""


def _extras_dev(df, builder, ins, head, flags, cwd, reqs, projects, context, where):
    """The development extras of a project the builder installs with
    ``pip install .`` / ``-e .`` / ``uv pip install -r pyproject.toml``: the
    same install with ``[dev,test...]`` added, after the sources."""
    if projects:
        kind, spec = projects[0]
        folder = spec.split("[")[0]
    else:
        kind, spec, folder = "-r", reqs[0], posixpath.dirname(reqs[0]) or "."
    image = posixpath.normpath(posixpath.join(cwd, folder, "pyproject.toml"))
    rel = context_path(df, builder, image, context)
    data = _toml(context, rel) if rel else None
    if data is None:
        return f"{where}: can't read the project's pyproject.toml from the build context"
    optional = (data.get("project") or {}).get("optional-dependencies") or {}
    extras = [e for e in DEV_EXTRAS if optional.get(e)]
    if not extras:
        return (f"{where}: {rel} declares no development extra ([project.optional-dependencies] "
                f"{', '.join(DEV_EXTRAS[:3])}...)")
    if "[" in spec:
        return f"already:{where} installs the extras of {rel}"
    kept = [(k, v) for k, v in flags if k and k not in ("-r", "--requirement", "-e", "--editable", "-U", "--upgrade",
                                                        "--force-reinstall", "--ignore-installed", "-I")]
    target = f"{folder}[{','.join(extras)}]"
    if kind == "-r":       # uv pip install -r pyproject.toml --extra dev
        tail = ["-r", spec] + [w for e in extras for w in ("--extra", e)]
    else:
        tail = ["-e", target] if kind in ("-e", "--editable") else [target]
    command = " ".join(_quote(w) for w in head + _words_of(kept) + tail)
    return _DevInstall(ins.start_line, f"{rel} extras {', '.join(extras)}", [], command, cwd,
                       needs_sources=kind != "-r")


def _requirement_closure(dev_ctx: str, ctx_dir: str, image_dir: str, context):
    """The files a requirements file reads through ``-r``/``-c`` lines, itself
    first, as ``(context path, image path)``; whether a line installs a local
    path (``-e .``), which needs the sources; a problem or None."""
    copies: list[tuple[str, str]] = []
    needs_sources = False
    todo = [dev_ctx]
    while todo:
        rel = todo.pop(0)
        if any(rel == c for c, _ in copies):
            continue
        text = context.read_text(rel)
        if text is None:
            return copies, needs_sources, f"{rel}, which the development requirements read, is not in the build context"
        copies.append((rel, posixpath.normpath(posixpath.join(image_dir, posixpath.relpath(rel, ctx_dir or ".")))))
        for raw in text.splitlines():
            words = raw.split(" #")[0].strip().split()
            if not words or words[0].startswith("#"):
                continue
            head = words[0]
            value = None
            for opt in ("-r", "--requirement", "-c", "--constraint"):
                if head == opt and len(words) > 1:
                    value = words[1]
                elif head.startswith(opt + "=") or (len(opt) == 2 and head.startswith(opt) and len(head) > 2):
                    value = head.split("=", 1)[1] if "=" in head else head[2:]
            if value is not None:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), value))
                if target.startswith("../") or target == ".." or "://" in value:
                    return copies, needs_sources, f"{rel} reads {value}, outside the build context"
                todo.append(target)
                continue
            spec = words[1] if head in ("-e", "--editable") and len(words) > 1 else head
            if spec.startswith((".", "/", "file:")):
                needs_sources = True
    return copies, needs_sources, None


def _builder_ops(df: Dockerfile, builder: Stage) -> list[tuple[Instruction, Op]]:
    return [(ins, op) for ins, ctx in walk(df, builder) if ins.keyword == "RUN"
            for op in read_run(df, ins, ctx).all_ops]


def _builder_installs(df: Dockerfile, builder: Stage) -> list[tuple[list[str], str]]:
    """The option words after ``install`` of every pip/``uv pip`` install of
    the builder, with the folder it runs in."""
    out = []
    for _ins, op in _builder_ops(df, builder):
        argv = op.command.argv
        if op.kind is Kind.PYTHON_INSTALL and argv and "install" in argv and op.command.cwd:
            out.append((argv[argv.index("install") + 1:], op.command.cwd))
    return out


def _toml(context, rel: str) -> dict | None:
    text = context.read_text(rel)
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _split_flags(args: list[str], with_value: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """``[(flag, value or None)]`` of option words; positional words as ``("", word)``."""
    return [(k, v) for _i, k, v in option_words(args, with_value)]


def _words_of(flags: list[tuple[str, str | None]]) -> list[str]:
    out: list[str] = []
    for k, v in flags:
        if not k:
            out.append(v or "")
        elif v is None:
            out.append(k)
        else:
            out += [k, v]
    return out


def _manifest(df, builder, cwd, name, context, where):
    """(context path of ``cwd/name``, its TOML) or (None, refusal)."""
    rel = context_path(df, builder, posixpath.join(cwd, name), context)
    data = _toml(context, rel) if rel else None
    if data is None:
        return None, f"{where}: can't read {name} from the build context"
    return rel, data


def _poetry_dev(df, builder, ins, op, argv, cwd, context, where):
    """``poetry install`` of the groups the builder left out."""
    rel, data = _manifest(df, builder, cwd, "pyproject.toml", context, where)
    if rel is None:
        return data
    poetry = data.get("tool", {}).get("poetry", {})
    groups: dict[str, bool] = {}   # group -> optional
    for name, spec in (poetry.get("group") or {}).items():
        if name != "main" and isinstance(spec, dict) and spec.get("dependencies"):
            groups[name] = bool(spec.get("optional", False))
    if poetry.get("dev-dependencies"):
        groups.setdefault("dev", False)
    if not groups:
        return f"{where}: {rel} declares no development dependency group ([tool.poetry.group.dev])"
    sub = argv.index("install") if "install" in argv else argv.index("sync")
    flags = _split_flags(argv[sub + 1:], _POETRY_VALUE_FLAGS)
    only = [g for k, v in flags if k == "--only" for g in (v or "").split(",")]
    without = {g for k, v in flags if k == "--without" for g in (v or "").split(",")}
    with_ = {g for k, v in flags if k == "--with" for g in (v or "").split(",")}
    no_dev = any(k == "--no-dev" for k, _ in flags)
    if any(k == "--only-root" for k, _ in flags):
        return None
    if only:
        installed = set(only)
    elif no_dev:
        installed = set()
    else:
        installed = {g for g, optional in groups.items() if not optional} - without | with_
    missing = sorted(set(groups) - installed, key=lambda g: (g != "dev", g))
    if not missing:
        return f"already:{where} installs the development groups of {rel}"
    kept = [(k, v) for k, v in flags if k not in ("--only", "--without", "--with", "--no-dev", "--sync")]
    if not any(k == "--no-root" for k, _ in kept):
        kept.append(("--no-root", None))
    if not (no_dev and all(not groups[g] for g in missing)):
        kept.append(("--with", ",".join(missing)))
    command = " ".join(_quote(w) for w in argv[:sub + 1] + _words_of(kept))
    return _DevInstall(ins.start_line, f"poetry groups {', '.join(missing)}", [], command, cwd)


def _uv_dev(df, builder, ins, op, argv, cwd, context, where):
    """``uv sync`` of the dependency groups the builder left out."""
    if len(argv) < 2 or argv[1] != "sync":
        return None
    # the last uv sync of the builder is the one that sets the environment
    syncs = [i for i, o in _builder_ops(df, builder)
             if o.command.name == "uv" and (o.command.argv or [])[1:2] == ["sync"]]
    if syncs[-1].index != ins.index:
        return None
    rel, data = _manifest(df, builder, cwd, "pyproject.toml", context, where)
    if rel is None:
        return data
    groups = {g for g, deps in (data.get("dependency-groups") or {}).items() if deps}
    uv = data.get("tool", {}).get("uv", {})
    if uv.get("dev-dependencies"):
        groups.add("dev")
    if not groups:
        return f"{where}: {rel} declares no development dependency groups ([dependency-groups])"
    defaults = uv.get("default-groups", ["dev"])
    defaults = set(groups) if defaults == "all" else set(defaults)
    flags = _split_flags(argv[2:], _UV_VALUE_FLAGS)
    names = {k for k, _ in flags}
    if "--all-groups" in names:
        installed = set(groups)
    elif "--only-group" in names or "--only-dev" in names:
        installed = {v for k, v in flags if k == "--only-group"} | ({"dev"} if "--only-dev" in names else set())
    else:
        installed = set() if "--no-default-groups" in names else set(defaults)
        if "--no-dev" in names:
            installed.discard("dev")
        installed -= {v for k, v in flags if k == "--no-group"}
        installed |= {v for k, v in flags if k == "--group"}
    missing = sorted(groups - installed, key=lambda g: (g != "dev", g))
    if not missing:
        return f"already:{where} installs the dependency groups of {rel}"
    kept = [(k, v) for k, v in flags if k not in ("--no-dev", "--no-group", "--only-group", "--no-default-groups",
                                                  "--only-dev", "--group")]
    kept += [("--group", g) for g in sorted(set(missing) - defaults)]
    command = " ".join(_quote(w) for w in argv[:2] + _words_of(kept))
    return _DevInstall(ins.start_line, f"uv groups {', '.join(missing)}", [], command, cwd)


def _pipenv_dev(df, builder, ins, op, argv, cwd, context, where):
    """``pipenv install --dev`` of the Pipfile's ``[dev-packages]``."""
    rel, data = _manifest(df, builder, cwd, "Pipfile", context, where)
    if rel is None:
        return data
    if not data.get("dev-packages"):
        return f"{where}: {rel} has no [dev-packages]"
    if "--dev" in argv or "-d" in argv:
        return f"already:{where} installs the [dev-packages] of {rel}"
    command = " ".join(_quote(w) for w in argv + ["--dev"])
    return _DevInstall(ins.start_line, f"{rel} [dev-packages]", [], command, cwd)


def _npm_dev(df, builder, ins, env, argv, cwd, context, where):
    """``npm ci`` with the devDependencies the builder left out."""
    rel = context_path(df, builder, posixpath.join(cwd, "package.json"), context)
    text = context.read_text(rel) if rel else None
    try:
        data = json.loads(text) if text is not None else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return f"{where}: can't read package.json from the build context"
    if not data.get("devDependencies"):
        return f"{where}: {rel} has no devDependencies"
    args = argv[2:]
    omit = [a for a in args if a in _NPM_OMIT_DEV]
    for i, a in enumerate(args[:-1]):
        if a in ("--omit", "--only") and args[i + 1] in ("dev", "prod", "production"):
            omit += [a, args[i + 1]]
    production_env = env.get("NODE_ENV") == "production" and "--include=dev" not in args \
        and "--production=false" not in args
    if not omit and not production_env:
        return f"already:{where} installs the devDependencies of {rel}"
    kept = list(args)
    for i, a in enumerate(args[:-1]):
        if a in ("--omit", "--only") and args[i + 1] in ("dev", "prod", "production"):
            kept[i] = kept[i + 1] = ""
    kept = [a for a in kept if a and a not in _NPM_OMIT_DEV]
    words = " ".join(_quote(w) for w in argv[:2] + kept)
    command = f"NODE_ENV=development {words}" if production_env else words
    return _DevInstall(ins.start_line, f"{rel} devDependencies", [], command, cwd)


def context_path(df: Dockerfile, stage: Stage, image_path: str, context) -> str | None:
    """The build-context file a stage's COPY/ADD instructions put at ``image_path``.

    Args:
        df: the file.
        stage: the stage whose COPY/ADD instructions are read (those without
            ``--from``; the last one that writes the path wins).
        image_path: an absolute path in the stage's image.
        context: the :class:`migrator.context.BuildContext` (directory
            sources are told from file sources by it).
    Returns:
        the path relative to the context root, when that file exists in the
        context; else None. Copy semantics from
        https://docs.docker.com/reference/dockerfile/#copy (a directory
        source copies its contents; several sources or a destination ending
        in ``/`` make the destination a directory).
    """
    image_path = posixpath.normpath(image_path)
    found = None
    for ins, ctx in walk(df, stage):
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or ins.heredocs \
                or ins.flag("parents") is not None:
            continue
        args = [substitute(a, ctx.env) for a in ins.args]
        if len(args) < 2 or any(a is None for a in args) or ctx.workdir is None:
            continue
        *srcs, dest = args
        dest_abs = posixpath.normpath(posixpath.join(ctx.workdir, dest))
        globbed = any(ch in s for s in srcs for ch in "*?[")
        dest_dir = dest.endswith("/") or dest in (".", "./") or len(srcs) > 1 or globbed
        for src in srcs:
            if "://" in src:
                continue
            s = posixpath.normpath(src.lstrip("/") or ".")
            s = "" if s == "." else s
            if s.startswith(".."):
                continue
            if any(ch in s for ch in "*?["):
                if posixpath.dirname(image_path) == dest_abs and fnmatch.fnmatchcase(
                        posixpath.basename(image_path), posixpath.basename(s)):
                    cand = posixpath.join(posixpath.dirname(s), posixpath.basename(image_path))
                    found = cand if context.is_file(cand) else found
            elif s == "" or context.is_dir(s):
                if image_path.startswith(dest_abs.rstrip("/") + "/"):
                    cand = posixpath.join(s, posixpath.relpath(image_path, dest_abs)) if s else \
                        posixpath.relpath(image_path, dest_abs)
                    found = cand if context.is_file(cand) else found
            else:
                target = posixpath.join(dest_abs, posixpath.basename(s)) if dest_dir else dest_abs
                if target == image_path and context.is_file(s):
                    found = s
    return found


def _copy_key(ins: Instruction, ctx) -> tuple | None:
    """What a context COPY/ADD copies where: (keyword, sources, absolute
    destination), or None when a word can't be resolved."""
    args = [substitute(a, ctx.env) for a in ins.args]
    if len(args) < 2 or any(a is None for a in args) or ctx.workdir is None:
        return None
    *srcs, dest = args
    dest_abs = posixpath.normpath(posixpath.join(ctx.workdir, dest))
    return ins.keyword, tuple(posixpath.normpath(s) for s in srcs), dest_abs + ("/" if dest.endswith("/") else "")


def _replayed(df: Dockerfile, builder: Stage, final: Stage, workdir: str) -> tuple[list[tuple[str, str]], str | None]:
    """The final stage's instructions the development stage repeats, as
    ``(working directory it needs, text)``: its build-context COPY/ADD that
    the builder does not have (the sources), without ``--chown``, and its ENV
    the builder does not set; or a refusal."""
    have = set()
    envs = set()
    for ins, ctx in walk(df, builder):
        if ins.keyword in ("COPY", "ADD") and ins.flag("from") is None:
            have.add(_copy_key(ins, ctx) if not ins.heredocs else ins.source)
        elif ins.keyword == "ENV":
            envs.add(ins.args)
    out: list[tuple[str, str]] = []
    for ins, ctx in walk(df, final):
        if ins.keyword == "ENV" and ins.args not in envs:
            out.append(("", _source(df, ins)))
        elif ins.keyword in ("COPY", "ADD") and ins.flag("from") is None:
            if ins.heredocs:
                if ins.source in have:
                    continue
                chown = ins.flag("chown")
                if chown is not None and not re.fullmatch(r"\d+(:\d+)?", chown):
                    return [], (f"line {ins.start_line}: copies a heredoc owned by {chown}, a user the "
                                "development stage does not create")
                out.append((ctx.workdir or workdir, _source(df, ins)))
                continue
            key = _copy_key(ins, ctx)
            if key is None:
                return [], f"line {ins.start_line}: {ins.keyword} with a word the tool can't resolve"
            if key in have:
                continue
            flags = [f for f in ins.flags if not f.lower().startswith("--chown")]
            if ins.json:
                rest = json.dumps(list(ins.args))
            else:
                rest = " ".join(substitute(a, ctx.env) if "$" in a else a for a in ins.args)
            out.append((ctx.workdir, instruction(df, ins.keyword, " ".join(flags + [rest]))))
    return out, None


def _source(df: Dockerfile, ins: Instruction) -> str:
    text = ins.source
    return text if text.endswith("\n") else text + df.newline

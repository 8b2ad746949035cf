"""Whether a builder/runtime split lets anything leave the runtime image.

A split costs a reviewer a second stage to read; it is worth it only when
something the build needs stays behind in the builder stage:

- build-only system packages (compilers, ``-dev`` packages,
  ``build-essential``...) that no command left in the runtime stage may
  need, and that the base image does not carry already: the facts of
  :mod:`migrator.analysis.packages` where the base image has package data, the
  rules by name of :mod:`migrator.libraries.names` otherwise;
- a full base image (``python:3.12``, ``node:20``) with a slim sibling the
  runtime stage can move to, when that move is safe
  (:func:`migrator.analysis.full_image.slim_move_blocker`: no command of the runtime
  stage calls git, curl, make... that only the full image has), or with
  ``--unsafe``;
- tools installed only for the build (poetry, pipenv, pdm, uv, hatch, npm
  ``-g`` build tools, ``curl ... | python -`` installers, ``get-pip.py``,
  uv's binary copied from its image): a pip install counts only when it
  lands outside the virtualenv the runtime stage copies (the virtualenv did
  not exist yet when it ran), and pip-tools not when ``pip-sync`` runs
  (it is installed into the virtualenv). When such tools are all the split
  gains and the virtualenv is new, they must outweigh the pip (and, before
  Python 3.12, setuptools) the new virtualenv brings (measured sizes in
  ``commands.json`` ``python_tool_sizes``): flit alone does not;
- the cache an install leaves in root's home (pip without
  ``--no-cache-dir``, uv without ``--no-cache``, poetry, pipenv); when
  caches are all it gains and the ``venv`` transform's new virtualenv
  would add its own pip (and setuptools), the split does not pay
  (:func:`_caches_outweighed`: the cache's size can't be known from the
  file), except through pip ``--prefix`` (:mod:`migrator.analysis.prefix_split`);
- a compiled build (``go build``, ``cargo build``, ``make``), whose
  toolchain caches and intermediate files stay in the builder. A
  JavaScript build (``npm run build``, ``tsc``) is not one: the runtime
  stage copies its whole working directory.

The tool tables (run wrappers, installer scripts, tool images and sizes,
compile tools...) are data: ``migrator/data/commands.json``, read through
:func:`migrator.analysis.commands.command_table`.

The same reading of the stage serves ``split-stages`` (what it moves where)
and ``venv`` (which adds no virtualenv when no split follows): see
:func:`read_stage` and :func:`split_pays`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, replace

from migrator.analysis.stage import (START_KEYWORDS, Context, RunInfo, app_stages, global_arg_defaults, read_run, start_words,
                               substitute, walk)
from migrator.analysis.commands import (FETCH_MANAGERS, INSTALLS_INTO_OWN_ENVIRONMENT, VENV_SEED_PACKAGES, Kind, Op,
                               command_table, requirement_name)
from migrator.model.dockerfile import Dockerfile, Instruction, Stage
from migrator.options import Options

BUILD_KINDS = frozenset({Kind.PYTHON_INSTALL, Kind.PYTHON_TOOL, Kind.TOOL_INSTALL, Kind.VENV, Kind.BUILD,
                         Kind.SYSTEM_BUILD})
"""Operations that belong to the builder stage only."""

OPAQUE_SAFE = frozenset({"python", "python3"})
"""Commands the "a later command may need the build packages" rule trusts:
a Python script run in the runtime stage loads what the virtualenv holds,
never a compiler."""


def _table(key: str) -> dict:
    """One table of ``commands.json`` (:func:`migrator.analysis.commands.command_table`)
    without its ``_doc`` entry."""
    return {k: v for k, v in command_table()[key].items() if k != "_doc"}


RUN_WRAPPERS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _table("run_wrappers").items()}
"""Tools that run another command in the environment they manage, by the
subcommand that does it (``commands.json`` ``run_wrappers``: ``pipenv run``,
``uv run``...; ``()``: the tool's own word runs the command, ``uvx``)."""

NO_EFFECT_SUBCOMMANDS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _table("no_effect_subcommands").items()}
"""Subcommands that start an interactive shell, which in a RUN exits at once
writing nothing (``commands.json`` ``no_effect_subcommands``)."""

WRITES_WORKDIR: tuple[tuple[str, str], ...] = tuple(
    (a, b) for a, b in command_table()["writes_workdir"]["commands"])
"""Django management commands whose output lands in the project folder
(``commands.json`` ``writes_workdir``): run under a build-only tool they
become build steps whose output the runtime stage copies with the working
directory."""

TOOL_INSTALLERS: tuple[tuple[str, str], ...] = tuple(
    (needle, tool) for needle, tool in command_table()["tool_installers"]["scripts"])
"""Installer scripts of build tools, by a word of their URL or file name,
and the tool each installs (``commands.json`` ``tool_installers``)."""

TOOL_COMMANDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _table("python_tool_commands").items()}
"""The commands a Python tool package provides where they differ from its
name (``commands.json`` ``python_tool_commands``)."""

TOOL_IMAGES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _table("tool_images").items()}
"""Images a file copies a build tool's binary from, and the commands they
bring (``commands.json`` ``tool_images``)."""

UPGRADE_ONLY = frozenset(VENV_SEED_PACKAGES)
"""Tools every Python image and virtualenv already has: installing them frees nothing."""

_COMPILE_TOOLS = frozenset(command_table()["compile_tools"]["names"])


@dataclass(frozen=True)
class BuilderProgram:
    """A RUN command that runs a program only the builder stage has.

    Attributes:
        ins: the RUN instruction.
        op: the command (its ``kind`` as read, before any reclassification).
        program: the program (``pipenv``).
        installed_at: the line that installs it (1-based), or 0 when unknown.
    """

    ins: Instruction
    op: Op
    program: str
    installed_at: int

    def reason(self) -> str:
        """One line for a refusal: which line runs what, and why it can't run in the runtime stage."""
        words = " ".join((self.op.command.argv or [self.op.command.name])[:3])
        where = f" (line {self.installed_at})" if self.installed_at else ""
        return (f"line {self.ins.start_line} runs `{words}`, but {self.program} is installed only in the "
                f"builder stage{where}; the runtime stage would not have it")


@dataclass
class StageReading:
    """A stage read for the split.

    Attributes:
        stage: the stage.
        steps: each instruction with its :class:`~migrator.analysis.stage.Context`.
        infos: instruction index -> :class:`~migrator.analysis.stage.RunInfo` of
            every RUN, with the split's classification (global npm tools,
            installers, commands of build-only tools) applied to its ops.
        stranded: RUNs that run a program only the builder has and whose
            output the runtime stage does not copy: the split must refuse
            if they stay in the runtime stage.
        tool_copies: instruction index of each ``COPY --from=<tool image>``
            -> the commands it provides (``("uv", "uvx")``).
        builder_tools: command -> line of the instruction that installs it,
            for the programs only the builder has.
        boundary: the last instruction with a build step, or None.
        offered: the commands of the installers a base or development
            image offers its users (:func:`offered_installers`), which the
            runtime stage installs again; empty for an image with a command.
    """

    stage: Stage
    steps: list[tuple[Instruction, Context]]
    infos: dict[int, RunInfo]
    stranded: list[BuilderProgram]
    tool_copies: dict[int, tuple[str, ...]]
    builder_tools: dict[str, int]
    boundary: Instruction | None
    offered: frozenset[str] = frozenset()


def read_stage(df: Dockerfile, stage: Stage | None = None) -> StageReading:
    """Read a stage (the first one by default) the way ``split-stages`` splits it.

    On top of :func:`migrator.analysis.stage.read_run`, each RUN's ops are
    reclassified (on fresh copies: the cached readings are not touched):

    - a global npm tool's install is a builder tool (``TOOL_INSTALL``), or a
      setup step when CMD/ENTRYPOINT/HEALTHCHECK runs it (``pm2-runtime``);
      a RUN of one of its commands is a build step (``RUN nest build``);
    - an installer script (``curl -sSL https://install.python-poetry.org |
      python -``, ``python get-pip.py``) is a builder tool install
      (``PYTHON_TOOL``), its download too;
    - ``pipenv shell`` (no effect in a RUN) is a builder-only step;
    - in a base or development image (no CMD or ENTRYPOINT, or an
      interactive one), the install of an installer its users run
      (``pip install pipenv==X``, poetry's installer script, uv's binary
      copied from its image) and ``poetry config`` are setup steps the
      runtime stage replays (:func:`offered_installers`);
    - a command run by a tool only the builder has (``pipenv run python
      manage.py collectstatic``) is a build step writing the working
      directory when it is one of :data:`WRITES_WORKDIR`; any other such
      command is listed in ``stranded``.

    Never raises for a readable stage.
    """
    stage = stage or app_stages(df)[0]
    steps = walk(df, stage)
    infos: dict[int, RunInfo] = {}
    for ins, ctx in steps:
        if ins.keyword == "RUN":
            info = read_run(df, ins, ctx)
            infos[ins.index] = replace(info, ops=[list(seg) for seg in info.ops])
    at_start = {w for ins, _ctx in steps if ins.keyword in START_KEYWORDS for w in start_words(ins)}
    _classify_global_tools(infos, at_start)
    _classify_installers(infos)
    # the image's command is the final stage's: a builder stage's lack of one says nothing
    offered = offered_installers(steps) if stage is df.stages[-1] else frozenset()
    if offered:
        _keep_offered_installers(steps, infos, offered)
    tools = _builder_tools(steps, infos, at_start)
    tool_copies = _tool_copies(steps)
    for index, names in tool_copies.items():
        if set(names) & (at_start | offered):
            continue     # the image's command runs it: the runtime stage copies it too
        ins = next(i for i, _c in steps if i.index == index)
        for name in names:
            tools.setdefault(name, ins.start_line)
    stranded = _classify_tool_runs(steps, infos, tools)
    boundary = None
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        if info is not None and info.kinds() & BUILD_KINDS:
            boundary = ins
    return StageReading(stage, steps, infos, stranded, tool_copies, tools, boundary, offered)


_PAYS: dict[tuple[str, Options], str | None] = {}
_PAYS_LIMIT = 8
"""Answers of :func:`split_pays` by (text, options): one migration asks up to
three times (``venv`` before and after its edits, then ``split-stages``),
about at most two texts; a few entries are enough, and keep the answers of
files long gone from being reused for a build context changed since."""


def split_pays(df: Dockerfile, options: Options) -> str | None:
    """Whether splitting ``df``'s stage into builder and runtime frees
    anything: :func:`_split_pays`, remembered for the last few
    ``(df.text, options)`` (:data:`_PAYS`). Same arguments and answer."""
    try:
        key = (df.text, options)
        if key in _PAYS:
            return _PAYS[key]
    except TypeError:                 # options holding something unhashable: no memory
        return _split_pays(df, options)
    got = _split_pays(df, options)
    if len(_PAYS) >= _PAYS_LIMIT:
        _PAYS.pop(next(iter(_PAYS)))
    _PAYS[key] = got
    return got


def _split_pays(df: Dockerfile, options: Options) -> str | None:
    """Whether splitting ``df``'s stage into builder and runtime frees anything.

    Args:
        df: a parsed single-stage Dockerfile (before or after the ``venv``
            transform: the answer is the same).
        options: the run's options (``unsafe``: a full base image's slim
            sibling counts as a gain even when a program only the full image
            has makes the move unsafe).
    Returns:
        None when something leaves the runtime image (see the module
        docstring for the list); else a one-line reason why the split gains
        nothing, naming the lines that keep the build packages when there
        are some (``line 8 runs `./build.sh`, which may need gcc``), the
        line that keeps the full image (``line 9: CMD runs make, which only
        the full image has``), or the tools lighter than a new virtualenv.
        A file that is already multi-stage, or builds nothing, gets a reason
        too. Never raises.
    """
    if len(app_stages(df)) != 1:
        return f"the file already has {len(df.stages)} stages"
    reading = read_stage(df)
    if reading.boundary is None:
        return "nothing is built in this stage"
    gains, held = split_gains(df, reading, options)
    if gains:
        return _caches_outweighed(df, reading, options, gains, held)
    why = "nothing would leave the runtime image"
    base = _base(df, reading.stage, options)
    parts = [f"the runtime stage would keep {base.ref}"]
    unread = _unread_install(reading)
    if unread:
        parts.append(unread)
    if held:
        parts.append(held)
    elif not unread:
        mounts = "cache-mounts" not in options.ignore and "cache-mounts" in (
            (options.select or frozenset()) | options.extend_select)
        left = [] if mounts else _caches_left(reading)     # cache-mounts moves them out of the layers
        if left:
            parts.append("no build-only packages, builder-only tools or compiled outputs to leave behind")
            parts.extend(left)
        else:
            parts.append("no build-only packages, builder-only tools, install caches or compiled outputs to "
                         "leave behind")
    parts.extend(hardlinked_stores(reading))
    return f"{why}: {'; '.join(parts)}"


SYSTEM_PIP_PACKAGES = ("python3-pip",)
"""Debian's pip, which ``build-deps`` keeps in the builder stage when the
runtime stage copies a virtualenv (its ``_PYTHON_ONLY_IN_BUILDER``): a gain
of the split that :func:`split_gains` does not list (with apt's recommends,
build-essential and python3-dev too)."""

ONLY_CACHES = "only an install cache would leave the runtime image"
"""How :func:`split_pays` starts its answer when the caches of
:func:`install_caches` are all a split gains and a new virtualenv could
outweigh them (:func:`_caches_outweighed`)."""


def _caches_outweighed(df: Dockerfile, reading: StageReading, options: Options, gains: list[str],
                       held: str | None) -> str | None:
    """Why a split whose only gains are install caches does not pay for
    the virtualenv the ``venv`` transform would add, or None.

    The cache's size depends on the requirements, which the file does not
    show, while the new virtualenv brings its own pip and, before Python
    3.12, setuptools (:func:`_new_venv_seed`, measured sizes in
    ``commands.json`` ``python_tool_sizes``): about 15-22 MB, more than the
    cache of a short requirements file (review 5 E3: +10.8 % on
    python:3.12-slim with flask and gunicorn). So the answer is "no split"
    (:data:`ONLY_CACHES`), naming the cache, the seed and how the single
    stage drops the cache; :func:`migrator.analysis.prefix_split.prefix_split`
    may still split without a virtualenv (pip ``--prefix``).

    Args:
        df, reading, options: as for :func:`split_gains`.
        gains: its gains; held: its reason for what does not count.
    Returns:
        None when a gain other than a cache counts, or the stage already
        makes its own virtualenv, or pipenv/poetry make theirs in root's
        home (:func:`_installer_home_env`: the new one replaces it, no
        seed is added), or the stage installs apt's pip
        (:data:`SYSTEM_PIP_PACKAGES`: with the copied virtualenv build-deps
        keeps it, and what it pulls in, in the builder); else the one-line
        reason. Never raises.
    """
    caches = install_caches(reading)
    if not caches or gains != [f"{c.manager}'s cache (line {c.line})" for c in caches]:
        return None
    seed = _new_venv_seed(reading, _base(df, reading.stage, options))
    if seed is None or _installer_home_env(reading) or any(
            op.kind is Kind.SYSTEM_INSTALL and set(op.packages) & set(SYSTEM_PIP_PACKAGES)
            for ins, _c in reading.steps for op in (reading.infos[ins.index].all_ops if ins.index in reading.infos else ())):
        return None
    one = len(caches) == 1
    what = " and ".join(f"{name} (about {kib / 1024:.0f} MB)" for name, kib in seed.items())
    why = ONLY_CACHES if one else ONLY_CACHES.replace("an install cache", "install caches")
    reason = (f"{why}: {', '.join(c.phrase() for c in caches)}, whose size depends on the requirements (the file "
              f"does not show it), while the virtualenv the split needs would bring its own {what} into the "
              f"runtime stage, so the image could grow; {' and '.join(c.remedy() for c in caches)} "
              f"drop{'s' if one else ''} the cache without a second stage")
    return f"{reason}; {held}" if held else reason


def _installer_home_env(reading: StageReading) -> str | None:
    """The folder where an install of the stage makes its installer's own
    virtualenv in root's home (:func:`installer_home_virtualenv`: ``pipenv
    install`` without ``--system``, ``poetry install`` unless configured
    out of it), or None. Such a virtualenv already has its seed packages,
    and the ``venv`` transform's replaces it."""
    own = False
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            argv = op.command.argv or []
            if op.command.name == "poetry" and argv[1:2] == ["config"]:
                own = own or poetry_config_keeps_env_out_of_home(argv[2:])
            env = {**ctx.env, **dict(a.split("=", 1) for a in op.command.assignments if "=" in a)}
            folder = installer_home_virtualenv(op.command.name, argv, env, own)
            if folder:
                return folder
    return None


def hardlinked_stores(reading: StageReading) -> list[str]:
    """Clauses for the no-split note about a store a split would leave in
    the builder but that frees almost nothing: pnpm's content-addressable
    store in root's home, whose files an install in the working directory
    hard-links into ``node_modules/.pnpm`` in the same layer, which the
    runtime stage keeps with the working directory (``commands.json``
    ``hardlinked_stores``, with sources: pnpm.io/symlinked-node-modules-structure,
    pnpm.io/npmrc#store-dir). Not for a global install, an install whose
    store is a cache mount (another filesystem: pnpm copies then, and the
    store is in no layer) or an install outside the WORKDIR. Never counted
    as a gain by :func:`split_gains`."""
    out: list[str] = []
    for manager, spec in _table("hardlinked_stores").items():
        for ins, ctx in reading.steps:
            info = reading.infos.get(ins.index)
            if info is None or not ctx.workdir or ctx.workdir == "/":
                continue
            mounted = any("type=cache" in f for f in ins.flags)
            for op in info.all_ops:
                argv = op.command.argv or []
                words = [a for a in argv[1:] if not a.startswith("-")]
                if op.command.name != manager or not words[:1] or words[0] not in spec["subcommands"] \
                        or set(argv) & set(spec["global_flags"]) or mounted:
                    continue
                cwd = op.command.cwd or ""
                if not (cwd == ctx.workdir or cwd.startswith(ctx.workdir.rstrip("/") + "/")):
                    continue
                env = dict(ctx.env)
                env.update(a.split("=", 1) for a in op.command.assignments)
                store = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in spec["store_options"]), None) \
                    or next((a.split("=", 1)[1] for a in argv if a.split("=", 1)[0] in spec["store_options"]
                             and "=" in a), None) or next((env[v] for v in spec["store_env"] if v in env), None)
                if store is None:
                    if spec["home_env"] in env:
                        store = posixpath.join(env[spec["home_env"]], "store")
                    else:
                        data = env.get(spec["data_env"])
                        home = env.get("HOME") or ("/root" if ctx.user in (None, "root", "0", "0:0") else "~")
                        store = posixpath.join(data or posixpath.join(home, spec["data_home"]), spec["store"])
                out.append(f"{manager}'s store ({store}, line {ins.start_line}) would leave with a split but frees "
                           f"almost nothing: its files are hard links of {spec['linked_folder']}, written in the same "
                           "layer, which the runtime stage keeps with the working directory")
                break
            if out:
                break
    return out


_NPM_INSTALLS = (["npm", "install"], ["npm", "i"], ["npm", "ci"], ["npm", "add"])


def _caches_left(reading: StageReading) -> list[str]:
    """Clauses for the no-split note about what stays in the image though the
    split does not count it: npm's download cache ``~/.npm`` (``/root/.npm``
    for root) after ``npm install``/``npm ci``
    (docs.npmjs.com/cli/commands/npm-cache), unless the RUN cleans it or
    mounts it or ``npm_config_cache`` moves it, and the
    package lists a RUN with ``apt-get update`` leaves in
    ``/var/lib/apt/lists`` when no RUN of the stage removes them. Each names
    the line and the cleanup that removes it without a second stage."""
    out: list[str] = []
    npm_line = lists_line = None
    npm_cache = "/root/.npm"
    lists_removed = False
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None:
            continue
        ops = info.all_ops
        argvs = [op.command.argv or [] for op in ops]
        cleans = any(a[1:3] in (["cache", "clean"], ["cache", "purge"]) or a[:1] == ["rm"] and any(
            ".npm" in w for w in a[1:]) for a in argvs)
        mounted = any("type=cache" in f for f in ins.flags)
        if npm_line is None and not cleans and not mounted and any(a[:2] in _NPM_INSTALLS for a in argvs) \
                and ctx.env.get("npm_config_cache", ctx.env.get("NPM_CONFIG_CACHE")) is None:
            npm_line = ins.start_line
            home = ctx.env.get("HOME") or ("/root" if ctx.user in (None, "root", "0", "0:0") else None)
            npm_cache = posixpath.join(home, ".npm") if home and "$" not in home else "~/.npm"
        if any(a[:1] == ["rm"] and any("/var/lib/apt/lists" in w for w in a[1:]) for a in argvs):
            lists_removed = True
        elif lists_line is None and not mounted and any(
                a[:1] in (["apt-get"], ["apt"]) and "update" in a[1:] for a in argvs):
            lists_line = ins.start_line
    if npm_line is not None:
        out.append(f"npm's download cache ({npm_cache}, line {npm_line}) stays in the image; "
                   "`npm cache clean --force` in the same RUN removes it without a second stage")
    if lists_line is not None and not lists_removed:
        out.append(f"the package lists of line {lists_line}'s `apt-get update` (/var/lib/apt/lists) stay in the "
                   "image; `rm -rf /var/lib/apt/lists/*` at the end of the RUN that installs removes them without "
                   "a second stage")
    return out


def split_blocker(df: Dockerfile) -> str | None:
    """Why ``split-stages`` would refuse to split ``df``'s stage, for the
    reasons that depend on the programs the runtime stage would lack.

    Args:
        df: a parsed Dockerfile (after the ``venv`` transform's edits when
            asked by it: a pip install that then lands in the virtualenv
            the runtime stage copies is no builder-only tool).
    Returns:
        None when nothing below blocks the split (or the file is not a
        single stage that builds); else a one-line reason naming the line:
        CMD/ENTRYPOINT/HEALTHCHECK runs a Python tool installed outside the
        virtualenv (:func:`python_tool_run_at_start`), a RUN the runtime
        stage keeps runs a program only the builder has
        (:class:`BuilderProgram`), or the image has no CMD or ENTRYPOINT and
        an installer only the builder has would leave it
        (:func:`cmdless_installer`). Never raises for a readable file.
    """
    if len(app_stages(df)) != 1:
        return None
    reading = read_stage(df)
    if reading.boundary is None:
        return None
    problem = python_tool_run_at_start(reading.steps, reading.infos)
    if problem:
        return problem
    if reading.stranded:
        return reading.stranded[0].reason()
    return cmdless_installer(reading)


def python_tool_run_at_start(steps, infos: dict[int, RunInfo]) -> str | None:
    """A problem when CMD, ENTRYPOINT or HEALTHCHECK runs a Python tool pip
    (or an installer script) installs for the build (``pip install uv`` then
    ``CMD ["uv", "run", ...]``): it lands outside the virtualenv the runtime
    stage copies. Returns ``"line N: CMD runs `uv`, which line M installs
    with pip outside the virtualenv the runtime stage gets"`` or None."""
    tools: dict[str, tuple[int, str]] = {}
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind is Kind.PYTHON_TOOL and op.manager in ("pip", "installer"):
                how = "with pip" if op.manager == "pip" else "with its installer script"
                for spec in op.packages:
                    name = re.split(r"[=<>!~\[; ]", spec.strip("'\""), maxsplit=1)[0].lower()
                    tools.setdefault(name, (ins.start_line, how))
    if not tools:
        return None
    for ins, _ctx in steps:
        if ins.keyword not in START_KEYWORDS:
            continue
        for name in (w.lower() for w in start_words(ins)):
            if name in tools:
                at, how = tools[name]
                return (f"line {ins.start_line}: {ins.keyword} runs `{name}`, which line {at} installs {how} "
                        "outside the virtualenv the runtime stage gets")
    return None


INTERACTIVE_PROGRAMS = frozenset({"sh", "bash", "dash", "ash", "zsh", "fish", "python", "python3", "ipython",
                                  "node"})
"""Programs that, started with no script or command, wait for a user at
the terminal: the shells, and the Python, IPython and Node REPLs
(``python`` with no argument reads commands from standard input:
docs.python.org/3/using/cmdline.html; ``node`` likewise:
nodejs.org/api/repl.html)."""

INTERACTIVE_OPTIONS = frozenset({"-i", "-l", "--login", "-il", "-li", "--norc", "-q", "-u"})
"""Options of those programs that keep them interactive."""


def interactive_start(steps) -> Instruction | None:
    """The CMD that starts an interactive shell or REPL (``CMD ["bash"]``,
    ``CMD python``, ``CMD ["/bin/sh", "-l"]``: :data:`INTERACTIVE_PROGRAMS`
    with no argument but :data:`INTERACTIVE_OPTIONS`), or None. Such an
    image is a development image, run with ``docker run -it`` and usually
    over a bind mount of the source. An ENTRYPOINT makes the CMD its
    arguments, so there is none then.

    Args:
        steps: ``(instruction, context)`` of the final stage, in order.
    """
    if any(ins.keyword == "ENTRYPOINT" for ins, _ctx in steps):
        return None
    cmd = next((ins for ins, _ctx in reversed(steps) if ins.keyword == "CMD"), None)
    if cmd is None:
        return None
    words = [w for w in start_words(cmd) if w not in INTERACTIVE_OPTIONS]
    if len(words) != 1 or posixpath.basename(words[0]) not in INTERACTIVE_PROGRAMS:
        return None
    return cmd


def offered_installers(steps) -> frozenset[str]:
    """The commands of the Python installers (``commands.json``
    ``installer_project_files``: poetry, pipenv, uv, pdm, with the commands
    each provides, ``python_tool_commands``) that an image offers its users
    when it sets no CMD and no ENTRYPOINT (a base or development image, run
    by its users or child images with a command of their own, ``docker run
    img pipenv run uvicorn ...``, ``FROM team/base`` then ``RUN pipenv
    install``) or when its CMD starts an interactive shell or REPL
    (:func:`interactive_start`); empty for an image with a command of its own.

    The split keeps such an installer in the runtime stage: its install is a
    setup step the runtime stage replays (the same ``pip install
    pipenv==X`` line, installer script, or ``COPY --from`` of uv's image),
    and the packages it installed reach the runtime stage in the virtualenv
    it copies, which stays active there (``VIRTUAL_ENV``), so the users'
    ``pipenv install``/``poetry install``/``uv pip install`` keep installing
    into it (pipenv and poetry use an active virtualenv:
    pipenv.pypa.io/en/latest/virtualenv.html,
    python-poetry.org/docs/managing-environments; uv:
    docs.astral.sh/uv/pip/environments). An image whose CMD, ENTRYPOINT or
    HEALTHCHECK runs pipenv or poetry (``poetry run app``) offers that one
    (``commands.json`` ``run_in_active_virtualenv``: their ``run`` uses the
    active virtualenv)."""
    installers = [k for k in command_table()["installer_project_files"] if not k.startswith("_")]
    if interactive_start(steps) is None and any(ins.keyword in ("CMD", "ENTRYPOINT") for ins, _ctx in steps):
        # the image's own command runs the installer (`CMD ["poetry", "run", "app"]`): one whose `run`
        # uses the active virtualenv (commands.json run_in_active_virtualenv) is offered too
        at_start = {w for ins, _ctx in steps if ins.keyword in START_KEYWORDS for w in start_words(ins)}
        return frozenset(c for name in command_table()["run_in_active_virtualenv"]["tools"]
                         for c in TOOL_COMMANDS.get(name, (name,)) if c in at_start)
    return frozenset(c for name in installers for c in TOOL_COMMANDS.get(name, (name,)))


def _keep_offered_installers(steps, infos: dict[int, RunInfo], offered: frozenset[str]) -> None:
    """Make, in place, the installs of the installers an image offers its
    users (:func:`offered_installers`) setup steps the runtime stage replays:
    a pip install of one outside the virtualenv the runtime copies (the
    whole pip command: ``pip install --upgrade pip pipenv`` is one), its
    installer script with its download and link (``curl -sSL
    https://install.python-poetry.org | python -``), and ``poetry config``
    (the users' poetry keeps the settings the build used)."""
    for ins, ctx in steps:
        info = infos.get(ins.index)
        if info is None:
            continue
        for seg in info.ops:
            for k, op in enumerate(seg):
                if op.kind is not Kind.PYTHON_TOOL:
                    continue
                if op.manager == "installer" or op.manager == "pip" and op.packages:
                    names = {c for spec in op.packages
                             for c in TOOL_COMMANDS.get(requirement_name(spec), (requirement_name(spec),))}
                    if not names & offered:
                        continue
                    if op.manager == "pip" and not _pip_outside_venv(steps, infos, ins, ctx, op):
                        continue
                elif not (op.command.name in offered and _words(op)[1:2] == ["config"]):
                    continue
                # "offered_installer": a pip install the runtime stage must run outside its virtualenv
                seg[k] = replace(op, kind=Kind.SETUP, detail=f"{op.detail} (the image's users run it)",
                                 options={**op.options, "offered_installer": op.manager == "pip"})


def cmdless_installer(reading: StageReading) -> str | None:
    """A problem when an image offers its users an installer
    (:func:`offered_installers`) that the runtime stage can't install again:
    the install is none the tool replays (:func:`_keep_offered_installers`:
    pip, installer scripts, uv's image), so the installer would stay in the
    builder stage only, while the users of a base image (no CMD or
    ENTRYPOINT) or a development image (an interactive CMD) run it.
    Returns ``"line 1: no CMD or ENTRYPOINT: ... pipenv (line 4) ..."`` or
    None."""
    if not reading.offered:
        return None
    found = sorted((line, name) for name, line in reading.builder_tools.items() if name in reading.offered)
    if not found:
        return None
    line, name = found[0]
    shell = interactive_start(reading.steps)
    if shell is not None:
        program = posixpath.basename(next(w for w in start_words(shell) if w not in INTERACTIVE_OPTIONS))
        return (f"line {shell.start_line}: CMD starts an interactive {program}, so it is a development image whose "
                f"users may run {name} (installed at line {line}, in a way the runtime stage can't replay); the "
                f"split would leave {name} in the builder stage, so it is left to them")
    first = reading.stage.from_instruction.start_line
    return (f"line {first}: the image sets no CMD or ENTRYPOINT, so it is a base or development image whose "
            f"users may run {name} (installed at line {line}, in a way the runtime stage can't replay); the "
            f"split would leave {name} in the builder stage, so it is left to them")


def poetry_config_keeps_env_out_of_home(args: list[str]) -> bool:
    """Whether ``poetry config ARGS`` keeps poetry's environment out of
    root's home: ``virtualenvs.create false`` (installs into the active or
    system Python), ``virtualenvs.in-project true`` (``.venv`` in the
    project) or a ``virtualenvs.path`` elsewhere.
    Source: https://python-poetry.org/docs/configuration/"""
    words = [a.strip("'\"") for a in args if not a.startswith("-")]
    low = [w.lower() for w in words]
    return low[:2] in (["virtualenvs.create", "false"], ["virtualenvs.in-project", "true"]) or \
        low[:1] == ["virtualenvs.path"] and len(words) > 1 and _outside_root_home(words[1])


def installer_home_virtualenv(name: str, argv: list[str], env: dict[str, str],
                              poetry_own_env: bool = False) -> str | None:
    """Where in root's home ``pipenv install``/``poetry install`` (or
    ``sync``), run as root, makes the project's own virtualenv, or None when
    it makes none there.

    Args:
        name: the command (``pipenv``, ``poetry``; any other gives None).
        argv: its words.
        env: the variables it runs with (ENV and ``VAR=value`` prefixes).
        poetry_own_env: an earlier ``poetry config`` kept poetry's
            environment out of root's home
            (:func:`poetry_config_keeps_env_out_of_home`).
    Returns:
        ``"~/.local/share/virtualenvs"`` for pipenv (its ``WORKON_HOME``
        default) unless ``--system``, an active ``VIRTUAL_ENV``,
        ``PIPENV_VENV_IN_PROJECT`` or a ``WORKON_HOME`` outside root's home
        (https://pipenv.pypa.io/en/latest/virtualenv.html);
        ``"~/.cache/pypoetry/virtualenvs"`` for poetry (its
        ``virtualenvs.path`` default) unless an active ``VIRTUAL_ENV``,
        ``POETRY_VIRTUALENVS_CREATE=false``, ``POETRY_VIRTUALENVS_IN_PROJECT``
        or a ``POETRY_VIRTUALENVS_PATH`` outside root's home
        (https://python-poetry.org/docs/configuration/); else None.
    """
    if name not in ("pipenv", "poetry") or argv[1:2] not in (["install"], ["sync"]):
        return None
    env = {k: v.strip("'\"") for k, v in env.items()}
    if env.get("VIRTUAL_ENV"):
        return None
    if name == "pipenv":
        if "--system" in argv or env.get("PIPENV_VENV_IN_PROJECT", "").lower() in ("1", "true", "yes") or \
                _outside_root_home(env.get("WORKON_HOME")):
            return None
        return "~/.local/share/virtualenvs"
    if poetry_own_env or env.get("POETRY_VIRTUALENVS_CREATE", "").lower() in ("false", "0") or \
            env.get("POETRY_VIRTUALENVS_IN_PROJECT", "").lower() in ("true", "1") or \
            _outside_root_home(env.get("POETRY_VIRTUALENVS_PATH")):
        return None
    return "~/.cache/pypoetry/virtualenvs"


def _outside_root_home(path: str | None) -> bool:
    """Whether ``path`` is set and not in root's home."""
    return bool(path) and path != "/root" and not path.startswith(("/root/", "~", "$HOME", "${HOME}"))


def _unread_install(reading: StageReading) -> str | None:
    """Why the packages of an install can't be listed (``xargs apt-get
    install < pkgs``), or None."""
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            words = [w.value or w.raw for w in op.command.words]
            if op.kind is Kind.UNKNOWN and any(w in ("apt-get", "apt", "apk") for w in words):
                return f"line {ins.start_line} installs packages the tool can't list"
    return None


def split_gains(df: Dockerfile, reading: StageReading, options: Options) -> tuple[list[str], str | None]:
    """What leaves the runtime image with a split, and why what looks like a
    gain is not one.

    Args:
        df: the parsed single-stage file.
        reading: :func:`read_stage` of its stage.
        options: the run's options (``unsafe``: a full base image counts as
            a gain even when its slim move is unsafe; ``images``,
            ``context``: base-image facts and the scripts the command runs).
    Returns:
        ``(gains, held)``: the gains as short phrases (``"gcc, libpq-dev"``,
        ``"pipenv (line 3)"``, ``"pip's cache (line 6)"``), and None or a
        one-line reason naming the lines for what does not count: build-only
        packages a later line may need, a full image whose slim move is
        unsafe (:func:`migrator.analysis.full_image.slim_move_blocker`), builder
        tools lighter than the pip a new virtualenv brings. Never raises.
    """
    from migrator.analysis.full_image import slim_move_blocker, slim_move_refused

    gains: list[str] = []
    whys: list[str] = []
    packages, held = _build_packages_gain(df, reading, options)
    if packages:
        gains.append(", ".join(packages))
    if held:
        whys.append(held)
    base = _base(df, reading.stage, options)
    if base.full and base.slim_ref:
        refused = slim_move_refused(df, options)
        blocker = refused or (None if options.unsafe else slim_move_blocker(df, options))
        if blocker is None:
            gains.append(f"the full image {base.ref} (the runtime stage can move to {base.slim_ref})")
        elif refused:
            whys.append(f"its move to {base.slim_ref} is not offered: {refused}")
        else:
            whys.append(f"its move to {base.slim_ref} is unsafe: {blocker} (--unsafe makes it)")
    tools = _tool_gains(reading)
    others = _cache_gains(reading) + _compile_gains(reading) + _fetch_gains(df, reading, options)
    if tools and not gains and not others:
        lighter = _lighter_than_new_venv(reading, base, tools)
        if lighter:
            whys.append(lighter)
            tools = []
    gains.extend(tool.phrase() for tool in tools)
    gains.extend(others)
    pruned, kept = node_production_gain(df, reading, options)
    if pruned:
        gains.append(pruned)
    elif kept and not gains:
        whys.append(kept)
    return gains, "; ".join(whys) or None


def node_production_gain(df: Dockerfile, reading: StageReading, options: Options) -> tuple[str | None, str | None]:
    """The devDependencies the ``node-runtime`` transform leaves in the
    builder: :func:`migrator.analysis.node.production_gain` (a gain phrase, or why
    they stay); ``(None, None)`` when that transform does not run."""
    from migrator.analysis.node import production_gain

    if "node-runtime" in options.ignore or options.select is not None and "node-runtime" not in options.select:
        return None, None
    return production_gain(df, reading.steps, reading.infos, options)


def may_need_build_packages(steps: Iterable[tuple[Instruction, Iterable[Op]]],
                            kept_commands: Container[str] = frozenset()) -> tuple[Instruction, Op] | None:
    """The rule that keeps build packages in a runtime stage: the first
    command of ``steps`` that may need them, or None.

    A command may need the compilers and ``-dev`` packages when it builds or
    installs (``Kind.BUILD`` other than a fetch of sources, ``SYSTEM_BUILD``, ``PYTHON_INSTALL``) or when
    the tool can't tell what it does (``Kind.UNKNOWN``), unless it is a
    Python script (:data:`OPAQUE_SAFE`) or a command of a build package kept
    anyway (``kept_commands``, e.g. ``msgfmt`` of gettext).

    Args:
        steps: ``(instruction, its ops)`` pairs of the commands that run
            after the build packages are installed, in the stage the
            packages would leave, in order.
        kept_commands: commands that stay available whatever is dropped.
    Returns:
        ``(instruction, op)`` of the first such command; callers word the
        reason (``line N runs `<op.detail>`, which may need ...``).
    """
    for ins, ops in steps:
        for op in ops:
            fetch = op.manager in FETCH_MANAGERS    # a clone or download of sources needs no compiler
            if op.kind in (Kind.BUILD, Kind.SYSTEM_BUILD, Kind.PYTHON_INSTALL) and not fetch or (
                    op.kind is Kind.UNKNOWN and op.command.name not in OPAQUE_SAFE
                    and op.command.name not in kept_commands):
                return ins, op
    return None


def runtime_ops(reading: StageReading) -> list[tuple[Instruction, list[Op]]]:
    """The RUN commands a runtime stage keeps after the split, in order:
    every command that is not a build step (those before the boundary are
    replayed; those after it stay where they are)."""
    out = []
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is not None:
            out.append((ins, [op for op in info.all_ops if op.kind not in BUILD_KINDS]))
    return out


# ---------------------------------------------------------------------------
# Reading


def _classify_global_tools(infos: dict[int, RunInfo], at_start: set[str]) -> None:
    """Read the commands of globally installed tools (``npm install -g
    @nestjs/cli`` provides ``nest``) in ``infos``, in place: a RUN that runs
    one is a build step (``RUN nest build``), whose output is its folder; and
    a tool that CMD, ENTRYPOINT or HEALTHCHECK runs (``pm2-runtime``) is
    installed again in the runtime stage (its install becomes a setup step).
    The commands a package provides come from ``commands.json``
    (``npm_tool_commands``, the ``bin`` field of each package.json), else its
    name."""
    table = command_table()["npm_tool_commands"]
    provides: dict[str, list[Op]] = {}
    for info in infos.values():
        for op in info.all_ops:
            if op.kind is Kind.TOOL_INSTALL:
                for spec in op.packages:   # pnpm@8, @nestjs/cli@10 -> pnpm, @nestjs/cli
                    package = spec[0] + spec[1:].split("@", 1)[0]
                    for cmd in table.get(package, [package.rsplit("/", 1)[-1]]):
                        provides.setdefault(cmd, []).append(op)
    if not provides:
        return
    replay = {id(op) for cmd in at_start & provides.keys() for op in provides[cmd]}
    for info in infos.values():
        for seg in info.ops:
            for k, op in enumerate(seg):
                if op.kind is Kind.TOOL_INSTALL and id(op) in replay:
                    # only the packages the command runs are installed again (pm2, not @nestjs/cli)
                    needed = tuple(spec for spec in op.packages if set(table.get(
                        spec[0] + spec[1:].split("@", 1)[0],
                        [(spec[0] + spec[1:].split("@", 1)[0]).rsplit("/", 1)[-1]])) & at_start)
                    options = dict(op.options)
                    if needed != op.packages:
                        options["replay_packages"] = needed
                    seg[k] = replace(op, kind=Kind.SETUP, detail=op.detail + " (the image's command runs it)",
                                     options=options)
                elif op.kind is Kind.UNKNOWN and op.command.name in provides:
                    seg[k] = replace(op, kind=Kind.BUILD, output=op.command.cwd,
                                     detail=" ".join((op.command.argv or [op.command.name])[:2]))


def installer_tool(words: Iterable[str]) -> str | None:
    """The build tool an installer script installs, from the words of a
    command that downloads or runs it (:data:`TOOL_INSTALLERS`), or None."""
    for word in words:
        for needle, tool in TOOL_INSTALLERS:
            if needle in word:
                return tool
    return None


def _words(op: Op) -> list[str]:
    return op.command.argv or [w.value or w.raw for w in op.command.words]


def _classify_installers(infos: dict[int, RunInfo]) -> None:
    """Installer scripts (``curl -sSL https://install.python-poetry.org |
    python -``, ``curl -O .../get-pip.py && python get-pip.py``) are builder
    tool installs: their download and the interpreter that runs them become
    ``PYTHON_TOOL`` ops with the tool in ``packages``."""
    for info in infos.values():
        installed: set[str] = set()
        for seg in info.ops:
            tool = next((installer_tool(_words(op)) for op in seg if installer_tool(_words(op))), None)
            if tool is None:
                continue
            interpreters = [op for op in seg if op.command.name.startswith(("python", "sh", "bash"))]
            downloads = [op for op in seg if op.command.name in ("curl", "wget", "rm")]
            if not interpreters and not downloads:
                continue
            installed.add(tool)
            for k, op in enumerate(seg):
                if op in interpreters or op in downloads or op.kind is Kind.UNKNOWN:
                    seg[k] = replace(op, kind=Kind.PYTHON_TOOL, manager="installer", packages=(tool,),
                                     output="installer", detail=f"{tool} installer")
        # the same RUN linking or marking the installed tool (`ln -s /root/.local/bin/poetry
        # /usr/local/bin/poetry`): it only serves the builder too
        commands = {c for t in installed for c in TOOL_COMMANDS.get(t, (t,))}
        for seg in info.ops:
            for k, op in enumerate(seg):
                if op.kind is Kind.SETUP and op.command.name in ("ln", "chmod") and any(
                        posixpath.basename(w) in commands for w in _words(op)[1:]):
                    seg[k] = replace(op, kind=Kind.PYTHON_TOOL, manager="installer",
                                     packages=(posixpath.basename(_words(op)[-1]),), output="installer",
                                     detail=f"{op.command.name} of a builder tool")


def _tool_copies(steps) -> dict[int, tuple[str, ...]]:
    """``COPY --from=<tool image>`` instructions and the commands they bring."""
    out: dict[int, tuple[str, ...]] = {}
    for ins, ctx in steps:
        if ins.keyword != "COPY":
            continue
        src = ins.flag("from")
        if src is None:
            continue
        image = (substitute(src, ctx.env) or src).split("@", 1)[0]
        repo = image.rsplit(":", 1)[0] if image.rfind(":") > image.rfind("/") else image
        commands = TOOL_IMAGES.get(repo)
        if commands:
            out[ins.index] = commands
    return out


def _builder_tools(steps, infos: dict[int, RunInfo], at_start: set[str]) -> dict[str, int]:
    """Commands of tools only the builder stage will have -> the line that
    installs them: pip installs of build tools outside a virtualenv (the
    system site-packages or ``--user``'s ``/root/.local``, or a virtualenv
    that did not exist yet: :func:`_pip_outside_venv`), installer scripts,
    global npm tools that stay in the builder. pip-tools is none when
    ``pip-sync`` runs (the ``venv`` transform installs it into the
    virtualenv)."""
    npm = command_table()["npm_tool_commands"]
    own = _own_environment_packages(infos)
    out: dict[str, int] = {}
    for ins, ctx in steps:
        info = infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind is Kind.PYTHON_TOOL and op.packages:
                if op.manager == "pip" and not _pip_outside_venv(steps, infos, ins, ctx, op):
                    continue   # in the virtualenv the runtime stage copies
                for spec in op.packages:
                    name = requirement_name(spec)
                    if op.manager == "pip" and (name in UPGRADE_ONLY or name in own):
                        continue
                    for cmd in TOOL_COMMANDS.get(name, (name,)):
                        out.setdefault(cmd, ins.start_line)
            elif op.kind is Kind.TOOL_INSTALL:
                for spec in op.packages:
                    package = spec[0] + spec[1:].split("@", 1)[0]
                    for cmd in npm.get(package, [package.rsplit("/", 1)[-1]]):
                        if cmd not in at_start:
                            out.setdefault(cmd, ins.start_line)
    return out


def _wrapped(op: Op) -> list[str] | None:
    """The command a run wrapper runs (``pipenv run python manage.py
    collectstatic`` -> ``python manage.py collectstatic``), or None."""
    argv = op.command.argv
    name = op.command.name
    if not argv or name not in RUN_WRAPPERS:
        return None
    subs = RUN_WRAPPERS[name]
    if not subs:
        rest = argv[1:]
    else:
        k = next((i for i, a in enumerate(argv[1:], 1) if not a.startswith("-")), None)
        if k is None or argv[k] not in subs:
            return None
        rest = argv[k + 1:]
        if name == "uv" and argv[k] == "tool":
            if not rest or rest[0] != "run":
                return None
            rest = rest[1:]
    rest = [a for a in rest if a != "--"]
    while rest and rest[0].startswith("-"):
        rest = rest[1:]
    return rest or None


def _writes_workdir(argv: list[str]) -> bool:
    words = [posixpath.basename(a) for a in argv]
    return any(a in words and b in words[words.index(a) + 1:] for a, b in WRITES_WORKDIR)


def _reports_only(argv: list[str]) -> bool:
    """Whether a command only prints something (``commands.json``
    ``report_only_subcommands``: ``pip list``, ``python --version``)."""
    name = posixpath.basename(argv[0])
    if name.startswith("pip"):
        name = "pip"
    elif name.startswith("python"):
        if argv[1:3] and argv[1] == "-m" and argv[2] == "pip":
            name, argv = "pip", argv[2:]
        else:
            name = "python"
    return len(argv) > 1 and argv[1] in _table("report_only_subcommands").get(name, ())


def _static_root_elsewhere(ctx: Context, argv: list[str]) -> bool:
    """Whether a ``collectstatic`` writes outside the working directory: an
    ENV variable named like Django's setting (``STATIC_ROOT``,
    ``DJANGO_STATIC_ROOT``) holds an absolute folder outside it, which the
    runtime stage would not copy."""
    if "collectstatic" not in argv:
        return False
    workdir = (ctx.workdir or "/").rstrip("/") + "/"
    return any(name.endswith("STATIC_ROOT") and value.startswith("/") and not value.startswith(workdir)
               for name, value in ctx.env.items())


def _classify_tool_runs(steps, infos: dict[int, RunInfo], tools: dict[str, int]) -> list[BuilderProgram]:
    """Reclassify, in place, the commands that run a builder-only program;
    return those that can't stay in the builder (see :func:`read_stage`)."""
    stranded: list[BuilderProgram] = []
    for ins, ctx in steps:
        info = infos.get(ins.index)
        if info is None:
            continue
        for seg in info.ops:
            for k, op in enumerate(seg):
                name = op.command.name
                if op.kind in BUILD_KINDS or (name not in tools and name not in RUN_WRAPPERS):
                    continue
                argv = op.command.argv or []
                inner = _wrapped(op)
                if inner and _writes_workdir(inner) and op.command.cwd and not _static_root_elsewhere(ctx, inner):
                    # the builder runs it with everything installed; the runtime copies the folder
                    seg[k] = replace(op, kind=Kind.BUILD, output=op.command.cwd,
                                     detail=" ".join(argv[:2]) + " " + " ".join(inner[-2:]))
                    continue
                if name not in tools:
                    continue          # the tool is where the runtime stage gets it too
                sub = next((a for a in argv[1:] if not a.startswith("-")), None)
                if sub in NO_EFFECT_SUBCOMMANDS.get(name, ()) or (argv and sub is None) or (
                        inner and _reports_only(inner)):
                    # `pipenv shell`, `poetry --version`, `pipenv run pip list`: nothing the runtime needs
                    seg[k] = replace(op, kind=Kind.PYTHON_TOOL, detail=" ".join(argv[:3]))
                    continue
                stranded.append(BuilderProgram(ins, op, name, tools[name]))
    return stranded


# ---------------------------------------------------------------------------
# Gains


def _base(df: Dockerfile, stage: Stage, options: Options | None = None):
    """The :class:`migrator.analysis.packages.BaseImage` of ``stage``, with the
    configured image facts of ``options.images`` where
    :func:`migrator.analysis.packages.describe_base_image` takes them."""
    from migrator.analysis.packages import describe_base_image

    ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
    if options is not None and options.images:
        try:
            return describe_base_image(ref, options.images)
        except TypeError:
            pass
    return describe_base_image(ref)


def _index(base, managers: set[str]):
    """The package facts for a base image: its release's package data when
    there is some (:func:`migrator.analysis.packages.package_index`), else the rules
    by name of ``build-only-names.json`` (:func:`migrator.libraries.name_index`)
    for Debian, Ubuntu and Alpine images and for unknown images by the
    package manager the file runs; None for other images."""
    from migrator.libraries import name_index, with_name_rules
    from migrator.analysis.packages import package_index

    family = base.family
    try:
        # a name the release lacks (python-dev on bookworm) is build-only by its name
        if family == "debian":
            return with_name_rules(package_index("debian", base.release))
        if family == "alpine":
            index = package_index("alpine")
            if not (base.release and index.min_release and _version(base.release) < _version(index.min_release)):
                return with_name_rules(index)
    except KeyError:
        pass
    if family in ("debian", "ubuntu", "alpine"):
        return name_index(family)
    if family == "unknown" and managers in ({"apt"}, {"apk"}):
        return name_index("alpine" if managers == {"apk"} else "debian")
    return None


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def _package_commands(names: list[str], index) -> dict[str, str]:
    """command -> build package that ships it (the package data's file
    lists, and the package's own name as a command of its own)."""
    out: dict[str, str] = dict(index.commands_of([index.normalize(n) for n in names]))
    for n in names:
        out.setdefault(index.normalize(n), n)
    return out


def _build_packages_gain(df: Dockerfile, reading: StageReading, options: Options) -> tuple[list[str], str | None]:
    """Build-only packages installed before the boundary that the runtime
    stage can drop, and why none can when some are installed. A package (or
    an ``apk --virtual`` group) the same RUN removes again is no gain: its
    layer never held it; one a later RUN removes is, since the earlier layer
    keeps it (docs.docker.com/build/cache/: each RUN is a layer)."""
    from migrator.libraries import carried_packages

    base = _base(df, reading.stage, options)
    managers = {op.manager for info in reading.infos.values() for op in info.all_ops
                if op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE)}
    index = _index(base, managers)
    if index is None:
        return [], None
    carried = carried_packages(base)
    boundary = reading.boundary
    installed: list[str] = []
    first: Instruction | None = None
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None or ins.index > boundary.index:
            continue
        # Only a removal in the same RUN keeps a package out of the image: one in a later RUN
        # leaves it in the earlier layer, which a split does take out.
        removed = {name for op in info.all_ops if op.kind is Kind.SYSTEM_REMOVE for name in op.packages}
        for op in info.all_ops:
            if op.kind is not Kind.SYSTEM_INSTALL:
                continue
            if op.virtual and op.virtual in removed:
                continue
            for name in op.packages:
                if name in removed or index.normalize(name) in carried or not index.facts(name).build_only:
                    continue
                installed.append(name)
                first = first or ins
    if not installed:
        return [], None
    installed = list(dict.fromkeys(installed))
    provided = _package_commands(installed, index)
    used: dict[str, str] = {}
    for ins, ops in runtime_ops(reading):
        for op in ops:
            if op.kind not in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE, Kind.SYSTEM_META):
                used.setdefault(op.command.name, f"line {ins.start_line} runs {op.command.name}")
    for ins, _ctx in reading.steps:
        if ins.keyword in START_KEYWORDS:
            for word in start_words(ins):
                used.setdefault(word, f"line {ins.start_line}: {ins.keyword} runs {word}")
    needed = {provided[c] for c in used if c in provided}
    kept_commands = {c for c, p in provided.items() if p in needed}
    later = [(ins, ops) for ins, ops in runtime_ops(reading) if ins.index > first.index]
    hit = may_need_build_packages(later, kept_commands)
    if hit is not None:
        ins, op = hit
        return [], (f"line {ins.start_line} runs `{op.detail}`, which may need the build packages "
                    f"({', '.join(installed)})")
    droppable = [p for p in installed if p not in needed]
    if not droppable:
        whys = sorted({used[c] for c in used if c in provided})
        return [], f"the runtime stage still needs the build packages ({'; '.join(whys)})"
    return droppable, None


@dataclass(frozen=True)
class _ToolGain:
    """A builder-only tool the split leaves behind: its name (a package, or
    the first command a tool image brings), the line that installs it, and
    whether it is a Python tool (pip-installed, an installer script, a tool
    image's binary) whose size ``commands.json`` may know."""

    name: str
    line: int
    python: bool

    def phrase(self) -> str:
        return f"{self.name} (line {self.line})"


def _tool_gains(reading: StageReading) -> list[_ToolGain]:
    """The builder-only tools the split leaves behind, in order of install:
    pip installs outside the virtualenv the runtime copies (see
    :func:`_pip_outside_venv`), installer scripts, global npm tools, tool
    binaries copied from their images; not pip's own seed packages, nor
    pip-tools when ``pip-sync`` runs (:func:`_own_environment_packages`)."""
    out: list[_ToolGain] = []
    seen: set[str] = set()
    own = _own_environment_packages(reading.infos)
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            python = op.kind is Kind.PYTHON_TOOL
            if op.kind is Kind.TOOL_INSTALL:
                names = list(op.packages)
            elif python and op.packages:
                if op.manager == "pip" and not _pip_outside_venv(reading.steps, reading.infos, ins, ctx, op):
                    continue
                names = [requirement_name(s) for s in op.packages]
                if op.manager == "pip":
                    names = [n for n in names if n not in UPGRADE_ONLY and n not in own]
            else:
                continue
            for name in names:
                if name not in seen:
                    seen.add(name)
                    out.append(_ToolGain(name, ins.start_line, python))
    for index, commands in reading.tool_copies.items():
        ins = next(i for i, _c in reading.steps if i.index == index)
        if commands[0] not in seen:
            seen.add(commands[0])
            out.append(_ToolGain(commands[0], ins.start_line, True))
    return out


def _pip_outside_venv(steps, infos: dict[int, RunInfo], ins: Instruction, ctx: Context, op: Op) -> bool:
    """Whether a ``pip install`` of a tool lands outside the virtualenv the
    runtime stage copies: it installs into the active environment, and no
    virtualenv is active, or the one ``VIRTUAL_ENV``/``PATH`` name does not
    exist yet when it runs (``ENV PATH=/opt/venv/bin:$PATH`` then ``RUN pip
    install poetry && python -m venv /opt/venv``: that pip is the system
    one), also when an installer makes it later as the project's own
    (``ENV PATH=/app/.venv/bin:$PATH`` then ``RUN pip install uv && uv
    sync``: :func:`_in_project_venv`). A virtualenv the stage never creates
    is taken to exist (the base image's, or one a COPY brings)."""
    if op.output != "env":
        return True
    own = [a.split("=", 1)[1].strip("'\"") for a in op.command.assignments if a.startswith("VIRTUAL_ENV=")]
    venv = (own[-1] if own else None) or ctx.venv or ctx.env.get("VIRTUAL_ENV")
    if not venv:
        return True
    venv = posixpath.normpath(venv)
    created = [(i.index, o.command.start) for i, c in steps
               for o in (infos[i.index].all_ops if i.index in infos else ())
               if o.kind is Kind.VENV and o.output and posixpath.normpath(o.output) == venv
               or o.kind is Kind.PYTHON_INSTALL and _in_project_venv(o, c) == venv]
    if not created:
        return False
    return min(created) > (ins.index, op.command.start)


def _in_project_venv(op: Op, ctx: Context) -> str | None:
    """The virtualenv an installer's install makes in its project folder
    when the folder has none (``uv sync``: ``<cwd>/.venv``; ``commands.json``
    ``in_project_virtualenvs``, with sources), as an absolute path, or None
    (another installer, an unknown working directory, a variable it needs
    unset)."""
    entry = command_table()["in_project_virtualenvs"].get(op.manager or "")
    if not isinstance(entry, dict) or op.command.cwd is None or entry.get("output", op.output) != op.output:
        return None
    env = {**ctx.env, **dict(a.split("=", 1) for a in op.command.assignments if "=" in a)}
    if entry.get("when_env") and not any(env.get(v, "").strip("'\"").lower() not in ("", "0", "false")
                                         for v in entry["when_env"]):
        return None
    folder = env.get(entry.get("path_env", ""), "").strip("'\"") or entry["folder"]
    if "$" in folder:
        return None
    return posixpath.normpath(posixpath.join(op.command.cwd, folder))


def _own_environment_packages(infos: dict[int, RunInfo]) -> set[str]:
    """The packages of installers the stage runs that install into the
    environment they run from (pip-tools when ``pip-sync`` runs:
    :data:`migrator.analysis.commands.INSTALLS_INTO_OWN_ENVIRONMENT`): the ``venv``
    transform installs them into the virtualenv, so they are no builder-only
    tool."""
    out: set[str] = set()
    for info in infos.values():
        for op in info.all_ops:
            for command, package in INSTALLS_INTO_OWN_ENVIRONMENT.items():
                if op.manager == command or op.command.name == command:
                    out.add(package)
    return out


def _new_venv_seed(reading: StageReading, base) -> dict[str, int] | None:
    """What the virtualenv the ``venv`` transform would add brings into the
    runtime stage (seed package -> KiB, ``commands.json``
    ``python_tool_sizes``): pip, and setuptools before Python 3.12 (the
    ensurepip of each version); None when the stage creates or activates a
    virtualenv of its own, or has no install the ``venv`` transform moves."""
    moved = False
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind is Kind.VENV or ctx.venv or ctx.env.get("VIRTUAL_ENV"):
                return None
            if op.kind is Kind.PYTHON_INSTALL and op.output in ("env", "user"):
                moved = True
    if not moved:
        return None
    seed = dict(_table("python_tool_sizes")["venv_seed_kib"])
    version = _python_version(base)
    if version is None or version >= (3, 12):
        seed.pop("setuptools", None)
    return seed


def _python_version(base) -> tuple[int, int] | None:
    """``(3, 11)`` for a ``python:3.11...`` image, else None."""
    m = re.match(r"(\d+)\.(\d+)", base.tag or "") if base.name == "python" else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def _lighter_than_new_venv(reading: StageReading, base, tools: list[_ToolGain]) -> str | None:
    """Why builder-only tools, when they are all a split leaves behind, do
    not pay for the virtualenv the split needs: the ``venv`` transform adds
    one (:func:`_new_venv_seed`) and the tools' measured sizes add up to
    less than its seed packages (flit, about 10 MB, against pip's 16 MB).
    None when they weigh more, or when a size is unknown."""
    seed = _new_venv_seed(reading, base)
    if seed is None:
        return None
    sizes = _table("python_tool_sizes")["tools_kib"]
    if not all(t.python and t.name in sizes for t in tools):
        return None
    tools_kib = sum(sizes[t.name] for t in tools)
    seed_kib = sum(seed.values())
    if tools_kib >= seed_kib:
        return None
    names = ", ".join(t.phrase() for t in tools)
    one = len(tools) == 1
    return (f"the builder-only tool{'' if one else 's'} {names} (about {tools_kib / 1024:.0f} MB) "
            f"{'weighs' if one else 'weigh'} less than the {' and '.join(seed)} the new virtualenv would bring "
            f"(about {seed_kib / 1024:.0f} MB): the image would grow")


def _fetch_gains(df: Dockerfile, reading: StageReading, options: Options) -> list[str]:
    """The packages installed only for a source fetch (``git`` for a ``git
    clone``) that leave with the fetch: :func:`migrator.analysis.fetches.fetch_tool_gains`."""
    from migrator.analysis.fetches import fetch_tool_gains
    from migrator.libraries import carried_packages

    return fetch_tool_gains(df, reading.stage, reading.boundary.index, options,
                            carried_packages(_base(df, reading.stage, options)))


def _cache_gains(reading: StageReading) -> list[str]:
    """The caches Python installs leave in root's home without the option
    or variable that turns them off (``commands.json``
    ``install_cache_off``), unless the RUN removes the cache or mounts it:
    phrases (``"pip's cache (line 6)"``) of :func:`install_caches`."""
    return [f"{c.manager}'s cache (line {c.line})" for c in install_caches(reading)]


@dataclass(frozen=True)
class InstallCache:
    """A download cache a Python install leaves in the image.

    Attributes:
        manager: the installer (``pip``, ``uv``, ``poetry``, ``pipenv``).
        line: the line of its RUN (1-based).
        folder: where it lands (``/root/.cache/pip``; ``~/.cache/pip`` when
            the installing user is not root), ``commands.json``
            ``install_cache_off`` ``dir``.
        flags: the options that turn it off (``--no-cache-dir``).
        variables: the variables that turn it off (``PIP_NO_CACHE_DIR``).
    """

    manager: str
    line: int
    folder: str
    flags: tuple[str, ...]
    variables: tuple[str, ...]

    def phrase(self) -> str:
        """``pip's cache (line 4, /root/.cache/pip)``."""
        return f"{self.manager}'s cache (line {self.line}, {self.folder})"

    def remedy(self) -> str:
        """How the single stage drops it: ``--no-cache-dir on line 4's pip
        install (or PIP_NO_CACHE_DIR=1)``; removing the folder in the same
        RUN where the installer has no such option."""
        if self.flags:
            also = f" (or {self.variables[0]}=1)" if self.variables else ""
            return f"`{self.flags[0]}` on line {self.line}'s {self.manager} install{also}"
        return f"`rm -rf {self.folder}` at the end of line {self.line}'s RUN"


def install_caches(reading: StageReading) -> list[InstallCache]:
    """The caches of :func:`_cache_gains`, one per RUN and installer, in order."""
    cache_off = _table("install_cache_off")
    out = []
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None or any("type=cache" in f for f in ins.flags):
            continue
        cleared = [op for op in info.all_ops if op.command.name == "rm" and any(
            ".cache" in a or "/root" == a.rstrip("/") for a in (op.command.argv or [])[1:])]
        purged = [op for op in info.all_ops if (op.command.argv or [])[1:3] in (["cache", "purge"], ["cache", "clean"])]
        for op in info.all_ops:
            if op.kind is not Kind.PYTHON_INSTALL or op.manager not in cache_off:
                continue
            flags, variables = cache_off[op.manager]["flags"], cache_off[op.manager]["variables"]
            prefixes = {a.split("=", 1)[0] for a in op.command.assignments}
            if any(f.split("=")[0] in flags for f in op.flags) or any(
                    v in ctx.env or v in prefixes for v in variables):
                continue
            if cleared or purged:
                continue
            folder = cache_off[op.manager].get("dir", "~/.cache")
            if ctx.user in (None, "root", "0", "0:0"):
                folder = "/root" + folder[1:]
            out.append(InstallCache(op.manager, ins.start_line, folder, tuple(flags), tuple(variables)))
            break
    return out


def _compile_gains(reading: StageReading) -> list[str]:
    """A compiled build whose toolchain caches and intermediate files stay
    in the builder (``go build``, ``cargo build``, ``make``, a Python wheel
    build): the first one, as a phrase. A JavaScript build (``npm run
    build``, ``tsc``, ``nest build`` of a global npm tool) is none: its
    output is the working directory, which the runtime stage copies whole
    (``commands.json`` ``compile_tools``)."""
    table = command_table()["compile_tools"]
    javascript = set(table["javascript"])
    npm = command_table()["npm_tool_commands"]
    for info in reading.infos.values():
        for op in info.all_ops:
            if op.kind is Kind.TOOL_INSTALL:
                for spec in op.packages:
                    package = spec[0] + spec[1:].split("@", 1)[0]
                    javascript.update(npm.get(package, [package.rsplit("/", 1)[-1]]))
    out = []
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind is not Kind.BUILD:
                continue
            name = op.command.name
            argv = op.command.argv or [name]
            words = [a for a in argv[1:] if not a.startswith("-")]
            if name in javascript:
                continue
            if name not in _COMPILE_TOOLS and op.manager not in ("setup.py", "python", "poetry", "pip") \
                    and "build" not in words[:1]:
                continue
            out.append(f"what `{op.detail}` leaves behind (line {ins.start_line})")
            break
    return out

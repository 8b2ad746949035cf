"""Walking a stage: the environment, working directory and user in effect at
each instruction, and the reading of every RUN into operations.

Variable substitution follows the Dockerfile reference
(https://docs.docker.com/reference/dockerfile/#environment-replacement):
``$var``, ``${var}``, ``${var:-word}`` and ``${var:+word}``, with ENV and
ARG values declared earlier in the stage (and global ARG defaults
re-declared with a bare ``ARG name``).
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from dataclasses import dataclass, field

from migrator.analysis.commands import WHEEL_BUILDERS, Kind, Op, read_command
from migrator.model.dockerfile import Dockerfile, Instruction, Stage, heredoc_is_script, instruction_script
from migrator.model.shell import Script, parse_script

_SUBST = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def substitute(word: str, env: dict[str, str], keep_unknown: bool = False) -> str | None:
    """Expand Dockerfile variables in ``word`` and remove its quotes.

    Args:
        word: one argument as BuildKit gives it (``"x y"``, ``${PY:-3.12}``).
        env: known variables.
        keep_unknown: leave references to unknown variables as written
            (``$PATH`` set by the base image) instead of failing.
    Returns:
        the value, or None when it refers to an unknown variable (and
        ``keep_unknown`` is false).
    """
    unknown = False

    def sub(m: re.Match) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(4)
        op, alt = m.group(2), m.group(3)
        val = env.get(name)
        if op == "-":
            return val if val else substitute(alt, env) or ""
        if op == "+":
            return (substitute(alt, env) or "") if val else ""
        if val is None:
            if keep_unknown:
                return m.group(0)
            unknown = True
            return ""
        return val

    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        if word[0] == "'":
            return word[1:-1]
        word = word[1:-1]
    out = _SUBST.sub(sub, word.replace("\\$", "\x00"))
    if unknown:
        return None
    return out.replace("\x00", "$")


def is_root(user: str | None) -> bool:
    """True when a USER value runs as root: none set, ``root``, ``0``, or
    those with a root group (``root:root``, ``0:0``...).

    Source: https://docs.docker.com/reference/dockerfile/#user (root is the
    default; ``user[:group]`` by name or number).
    """
    if user is None:
        return True
    name = user.partition(":")[0]
    return name in ("root", "0")


DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""The PATH of the Debian and Alpine images, and the one docker and podman
give a container whose image sets none."""

START_KEYWORDS = ("CMD", "ENTRYPOINT", "HEALTHCHECK")
"""Instructions whose command runs when the container starts."""


def start_words(ins: Instruction) -> list[str]:
    """The program names a CMD, ENTRYPOINT or HEALTHCHECK may run, in order:
    the base name of every word of its command (``["sh", "-c", "exec
    /usr/bin/supervisord -n"]`` -> ``sh, -c, exec, supervisord, -n``).
    Deliberately coarse: callers look for names they know, so a word that is
    an argument only costs a refusal, never a missed program."""
    return [posixpath.basename(w.strip("'\"")) for arg in ins.args for w in arg.split()]


PRE_STAGE_NAMES = ("frontend",)
"""Names of the stages a migration puts before the application's own stage
(the Node build of the ``frontend-stage`` transform). The transforms that
work on a single-stage file work on the stages after them, as if they were
not there: see :func:`app_stages`."""


def app_stages(df: Dockerfile) -> list[Stage]:
    """The stages of the application: all of them but the leading ones
    named in :data:`PRE_STAGE_NAMES` that no later stage is built FROM.
    The last stage is always one (a single stage named ``frontend`` is the
    application). The engine only migrates single-stage files, so during a
    run the leading stages can only be a transform's own."""
    stages = list(df.stages)
    k = 0
    while k < len(stages) - 1 and (stages[k].name or "").lower() in PRE_STAGE_NAMES and not any(
            (s.base_image or "").lower() == stages[k].name.lower() for s in stages[k + 1:]):
        k += 1
    return stages[k:]


@dataclass
class Context:
    """What is in effect just before an instruction runs.

    Read-only: contexts of consecutive instructions share their ``env``.

    Attributes:
        env: ENV and ARG values (name -> value; unknown values are absent).
        workdir: the working directory (absolute), or None if it can't be known.
        user: the USER in effect (``None``: root, the default).
        venv: the virtualenv put first on PATH by an earlier ENV, if any.
    """

    env: dict[str, str] = field(default_factory=dict)
    workdir: str | None = "/"
    user: str | None = None
    venv: str | None = None


def global_arg_defaults(df: Dockerfile) -> dict[str, str]:
    """ARG defaults declared before the first FROM (name -> value)."""
    out: dict[str, str] = {}
    for ins in df.global_args:
        for arg in ins.args:
            name, eq, val = arg.partition("=")
            if eq:
                v = substitute(val, out)
                if v is not None:
                    out[name] = v
    return out


def walk(df: Dockerfile, stage: Stage) -> list[tuple[Instruction, Context]]:
    """Return each instruction of ``stage`` (FROM included) with the
    :class:`Context` in effect before it runs. The result is shared between
    callers (computed once per file and stage): treat it as read-only."""
    return _walk(df, stage)[0]


def end_context(df: Dockerfile, stage: Stage) -> Context:
    """The :class:`Context` in effect after the stage's last instruction."""
    return _walk(df, stage)[1]


def copy_destination(ins: Instruction, ctx: Context) -> str | None:
    """The absolute destination of a COPY or ADD, as the builder resolves it.

    Args:
        ins: a COPY or ADD instruction (its last argument is the destination).
        ctx: the stage's state at ``ins`` (ENV for ``$VAR``, the WORKDIR a
            relative destination is joined to).
    Returns:
        the normalised absolute path (a folder when the destination ends in
        ``/``), or None when there is no destination or it can't be known (an
        unknown variable, a relative path under an unknown WORKDIR).
    Source: https://docs.docker.com/reference/dockerfile/#copy (a relative
    ``<dest>`` is taken relative to WORKDIR).
    """
    if len(ins.args) < 2:
        return None
    dest = substitute(ins.args[-1], ctx.env)
    if dest is None or (ctx.workdir is None and not dest.startswith("/")):
        return None
    return posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))


def _walk(df: Dockerfile, stage: Stage) -> tuple[list[tuple[Instruction, Context]], Context]:
    cache = df.__dict__.setdefault("_walks", {})
    got = cache.get(stage.index)
    if got is None:
        got = cache[stage.index] = _walk_stage(df, stage)
    return got


def _walk_stage(df: Dockerfile, stage: Stage) -> tuple[list[tuple[Instruction, Context]], Context]:
    globals_ = global_arg_defaults(df)
    # One env dict per ENV/ARG, shared by the contexts until the next one
    # (contexts are read-only): most instructions change nothing.
    env: dict[str, str] = {}
    workdir: str | None = "/"
    user: str | None = None
    venv: str | None = None
    out = []
    for ins in stage.instructions:
        out.append((ins, Context(env, workdir, user, venv)))
        kw = ins.keyword
        if kw == "ENV":
            env = dict(env)
            for name, raw in _env_pairs(ins):
                val = substitute(raw, env, keep_unknown=True)
                if val is None:
                    env.pop(name, None)
                else:
                    env[name] = val
            path = env.get("PATH", "")
            first = path.split(":")[0] if path else ""
            if first.endswith("/bin") and first != "/usr/local/bin" and first not in ("/bin", "/usr/bin"):
                root = posixpath.dirname(first)
                if env.get("VIRTUAL_ENV") == root or "venv" in root or root == venv:
                    venv = root
        elif kw == "ARG":
            env = dict(env)
            for arg in ins.args:
                name, eq, val = arg.partition("=")
                if eq:
                    v = substitute(val, env)
                    if v is None:
                        env.pop(name, None)
                    else:
                        env[name] = v
                elif name in globals_:
                    env[name] = globals_[name]
        elif kw == "WORKDIR" and ins.args:
            val = substitute(ins.args[0], env)
            if val is None or workdir is None:
                workdir = None
            else:
                workdir = posixpath.normpath(posixpath.join(workdir, val))
        elif kw == "USER" and ins.args:
            user = substitute(ins.args[0], env)
    return out, Context(env, workdir, user, venv)


def _env_pairs(ins: Instruction) -> list[tuple[str, str]]:
    args = list(ins.args)
    # BuildKit gives ENV as name, value, name, value... for both forms.
    return [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]


@dataclass
class RunInfo:
    """A RUN instruction read for what it does.

    Attributes:
        ins: the instruction.
        script: the parsed shell script, or None (JSON form, several heredocs).
        positions: map from script offsets to offsets from ``ins.start``
            (see :func:`migrator.model.dockerfile.instruction_script`), or None when
            span edits inside the instruction are not possible; use
            :func:`file_span` for file offsets.
        ops: for each top-level segment of the script, the :class:`Op` of
            each simple command in it.
        problem: why the RUN could not be read fully, or None.
    """

    ins: Instruction
    script: Script | None
    positions: tuple[int, ...] | None
    ops: list[list[Op]]
    problem: str | None = None

    @property
    def all_ops(self) -> list[Op]:
        """Every :class:`Op` of the RUN, in order."""
        return [op for seg in self.ops for op in seg]

    def kinds(self) -> set[Kind]:
        """The set of kinds of the RUN's operations."""
        return {op.kind for op in self.all_ops}


def read_run(df: Dockerfile, ins: Instruction, ctx: Context) -> RunInfo:
    """Read a RUN instruction into :class:`RunInfo`.

    A JSON-form RUN is read as one command; a RUN whose heredoc body is its
    script (``RUN <<EOT``, ``RUN <<EOT bash``) is read from the body; anything
    else from its shell text. Shell parse errors end up in ``problem``.

    Wheels built for an install of the same stage are the builder's own
    business: a build step (``pip wheel -w DIR``, ``pip download -d DIR``,
    ``hatch build``, ``python -m build``...) whose folder a ``pip install``
    of the stage reads (``DIR/*.whl``, ``--find-links DIR``) is read as a
    builder-only tool (``PYTHON_TOOL``), and so is an ``rm`` of nothing but
    such folders; see :func:`wheel_folders`.
    """
    info = _source_downloads(_read_run(df, ins, ctx), ctx.workdir)
    folders = wheel_folders(df, ins)
    if not folders or not any(op.kind is Kind.BUILD or op.command.name == "rm" for op in info.all_ops):
        return info
    ops = [[_builder_wheels(op, folders) for op in seg] for seg in info.ops]
    return RunInfo(info.ins, info.script, info.positions, ops, info.problem)


def _source_downloads(info: RunInfo, workdir: str | None) -> RunInfo:
    """``info`` with a download of sources into the working directory read
    as a build step writing that folder: a ``tar`` extraction into the
    WORKDIR or a folder inside it (:func:`migrator.analysis.commands.tar_extraction`)
    of what ``curl``/``wget`` fetched in the same RUN (piped into it, or an
    archive they wrote: :func:`migrator.analysis.commands.download_output`),
    the download, and an ``rm`` of nothing but such archives, each with
    manager ``download`` and the extraction folder as output. A download
    into a system folder (a toolchain unpacked into /usr/local) stays a
    setup step the runtime stage replays: what else that folder holds can't
    be told apart."""
    from dataclasses import replace

    from migrator.analysis.commands import download_output, tar_extraction

    if info.script is None or workdir in (None, "/"):
        return info
    marks: dict[tuple[int, int], tuple[str, str]] = {}
    archives: dict[str, str] = {}
    downloads: dict[str, tuple[int, int]] = {}
    for si, seg in enumerate(info.ops):
        piped = None
        for oi, op in enumerate(seg):
            out = download_output(op.command)
            if out == "-":
                piped = (si, oi)
            elif out:
                downloads[out] = (si, oi)
            got = tar_extraction(op.command)
            if got is None:
                continue
            dest, archive = got
            src = piped if archive == "-" else downloads.get(archive)
            if src is None or not (dest == workdir or dest.startswith(workdir.rstrip("/") + "/")):
                continue
            marks[(si, oi)] = (dest, "tar extraction of downloaded sources")
            marks[src] = (dest, f"{info.ops[src[0]][src[1]].command.name} download of sources")
            if archive != "-":
                archives[archive] = dest
    if not marks:
        return info
    for si, seg in enumerate(info.ops):
        for oi, op in enumerate(seg):
            argv = op.command.argv
            if op.command.name != "rm" or not argv:
                continue
            paths = [posixpath.normpath(posixpath.join(op.command.cwd or "/", a)) for a in argv[1:]
                     if not a.startswith("-")]
            if paths and all(p in archives for p in paths):
                marks[(si, oi)] = (archives[paths[0]], "rm of the downloaded archive")
    ops = [[replace(op, kind=Kind.BUILD, manager="download", output=marks[(si, oi)][0],
                    detail=marks[(si, oi)][1]) if (si, oi) in marks else op
            for oi, op in enumerate(seg)] for si, seg in enumerate(info.ops)]
    return RunInfo(info.ins, info.script, info.positions, ops, info.problem)


def _builder_wheels(op: Op, folders: frozenset[str]) -> Op:
    """``op`` read again when it builds or removes wheels of ``folders``."""
    from dataclasses import replace

    if op.kind is Kind.BUILD and op.output in folders:
        return replace(op, kind=Kind.PYTHON_TOOL, output=None,
                       detail=op.detail + f" (wheels for an install of the builder, in {op.output})")
    argv = op.command.argv
    if op.command.name == "rm" and argv:
        paths = [posixpath.normpath(posixpath.join(op.command.cwd or "/", a)) for a in argv[1:]
                 if not a.startswith("-")]
        if paths and all(any(p == f or p.startswith(f + "/") for f in folders) for p in paths):
            return replace(op, kind=Kind.PYTHON_TOOL, detail="rm of the builder's wheels")
    return op


def wheel_folders(df: Dockerfile, ins: Instruction) -> frozenset[str]:
    """Folders that build steps of the stage of ``ins`` fill (``pip wheel``,
    ``pip download``, ``hatch build``...) and a ``pip install`` of the same
    stage reads from: a local
    wheel or archive path's folder (``/wheels/*.whl``), a ``--find-links``
    folder. Source: pip.pypa.io/en/stable/cli/pip_wheel (``-w``),
    pip_install (``-f/--find-links``: a local folder of archives).
    Cached per stage."""
    stage = next((st for st in df.stages if st.instructions and st.instructions[0].index <= ins.index
                  <= st.instructions[-1].index), None)
    if stage is None:
        return frozenset()
    cache = df.__dict__.setdefault("_wheel_folders", {})
    got = cache.get(stage.index)
    if got is None:
        built: set[str] = set()
        read: set[str] = set()
        for step, ctx in walk(df, stage):
            if step.keyword != "RUN":
                continue
            for op in _read_run(df, step, ctx).all_ops:
                if op.kind is Kind.BUILD and op.output and op.manager in WHEEL_BUILDERS:
                    built.add(op.output)
                elif op.kind is Kind.PYTHON_INSTALL and op.manager == "pip":
                    cwd = op.command.cwd or "/"
                    for flag in op.flags:
                        name, _eq, value = flag.partition("=")
                        if name in ("-f", "--find-links") and value and "://" not in value:
                            read.add(posixpath.normpath(posixpath.join(cwd, value)))
                    for spec in op.packages:
                        if spec.endswith((".whl", ".tar.gz", ".zip")) and "://" not in spec and "/" in spec:
                            read.add(posixpath.normpath(posixpath.join(cwd, posixpath.dirname(spec))))
        got = cache[stage.index] = frozenset(built & read)
    return got


def _read_run(df: Dockerfile, ins: Instruction, ctx: Context) -> RunInfo:
    if ins.json:
        return _read(ins, " ".join(_shell_quote(a) for a in ins.args), ctx, None)
    got = instruction_script(ins, df.escape)
    if got is None:
        if ins.heredocs:
            head = ins.args[0] if ins.args else ""
            if len(ins.heredocs) == 1 and heredoc_is_script(head, ins.heredocs[0].name):
                return _read(ins, ins.heredocs[0].content, ctx, None)
            return RunInfo(ins, None, None, [], problem=f"line {ins.start_line}: RUN feeds heredocs to "
                           "a command; the tool does not read them")
        return _read(ins, ins.args[0] if ins.args else "", ctx, None)
    text, positions = got
    return _read(ins, text, ctx, positions)


@lru_cache(maxsize=256)
def _analyze(text: str, env: tuple[tuple[str, str], ...], cwd: str | None) -> tuple[Script, tuple]:
    """Parse and read one script. Cached: every transform reads the same
    RUNs again, and monorepos repeat the same RUNs across files."""
    script = parse_script(text, dict(env), cwd)
    return script, tuple(tuple(read_command(c) for c in seg.commands) for seg in script.segments)


def _read(ins: Instruction, text: str, ctx: Context, positions) -> RunInfo:
    script, ops = _analyze(text, tuple(sorted(ctx.env.items())), ctx.workdir)
    problem = f"line {ins.start_line}: {script.errors[0]}" if script.errors else None
    return RunInfo(ins, script, positions, [list(seg) for seg in ops], problem)


def _shell_quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def file_span(info: RunInfo, start: int, end: int) -> tuple[int, int] | None:
    """File offsets of ``script[start:end]`` of a RUN, when that text stands
    contiguously in the file (not split by a continuation); else None."""
    pos = info.positions
    if pos is None or end <= start or end > len(pos) - 1:
        return None
    a, b = pos[start], pos[end - 1] + 1
    if b - a != end - start:
        return None
    return info.ins.start + a, info.ins.start + b


def delete_word(info: RunInfo, word) -> "Edit | None":
    """An edit deleting one word of a RUN and the blanks before it, or None
    when the word can't be located in the file text."""
    from migrator.model.edits import Edit

    text = info.script.text if info.script else ""
    start = word.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    span = file_span(info, start, word.end) or file_span(info, word.start, word.end)
    return Edit.delete(*span) if span else None


def uv_managed_python(df: Dockerfile, stage: Stage) -> str | None:
    """Why uv may build a stage's virtualenv on a Python it downloads itself,
    into root's home (``~/.local/share/uv/python``), or None: the base image
    has no Python of its own and the file installs none, or a uv command
    asks for another version than the image's (``--python 3.13`` on
    ``python:3.12``, ``UV_PYTHON``). Source: docs.astral.sh/uv (Python
    versions: uv downloads a managed Python when no installed one matches,
    unless ``UV_PYTHON_DOWNLOADS=never``).

    Returns:
        ``"line N: <why>"`` without a final clause, for the caller to finish.
    """
    from migrator.analysis.packages import describe_base_image

    base = describe_base_image(substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image)
    image_version = (base.tag or "").split("-")[0] if base.language == "python" else None
    steps = walk(df, stage)
    runs = [(ins, ctx, read_run(df, ins, ctx)) for ins, ctx in steps if ins.keyword == "RUN"]
    system_python = base.language == "python" or any(
        op.kind is Kind.SYSTEM_INSTALL and any(p.startswith(("python3", "py3-")) for p in op.packages)
        for _ins, _ctx, info in runs for op in info.all_ops)
    for ins, ctx, info in runs:
        for op in info.all_ops:
            if op.command.name != "uv" or ctx.env.get("UV_PYTHON_DOWNLOADS") == "never":
                continue
            if not system_python:
                return f"line {ins.start_line}: {base.ref} has no Python of its own, so uv would download one into root's home"
            argv = op.command.argv or []
            wanted = ctx.env.get("UV_PYTHON")
            for i, word in enumerate(argv):
                if word in ("--python", "-p") and i + 1 < len(argv):
                    wanted = argv[i + 1]
                elif word.startswith("--python="):
                    wanted = word.split("=", 1)[1]
            if wanted and not wanted.startswith("/") and not (
                    image_version and wanted.removeprefix("python").startswith(image_version)):
                return f"line {ins.start_line}: uv asks for Python {wanted}, which it may download into root's home"
    return None

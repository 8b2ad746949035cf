"""The programs of the builder's fetches of sources, and whether a final
stage still needs them.

A ``git clone`` (and the git commands run on the clone) or a ``curl``/
``wget`` download unpacked by ``tar`` into the working directory is a build
step (:func:`migrator.analysis.commands.read_command`,
:func:`migrator.analysis.stage.read_run`): it runs once, in the builder
stage, and the runtime stage copies the folder it wrote. The package that
brought the program (git: about 40 MB with its dependencies on Debian
bookworm) is then needed in the runtime stage only when something that runs
there calls it: a RUN, the CMD/ENTRYPOINT/HEALTHCHECK, or a shell script
they run (read from the build context). A pip or npm install left in the
final stage may fetch with git itself (``git+https://`` requirements, git
dependencies of package.json), and a command the tool can't read may call
anything: both keep the package.

The programs each package provides come from the ``programs`` table of
``build-only-names.json`` (packages.debian.org file lists).
"""

from __future__ import annotations

import posixpath

from migrator.analysis.commands import FETCH_MANAGERS, Kind
from migrator.analysis.stage import START_KEYWORDS, read_run, start_words, walk
from migrator.model.dockerfile import Dockerfile, Stage
from migrator.options import Options

_SHELLS = ("sh", "bash", "dash", "ash")
_MAY_FETCH = (Kind.PYTHON_INSTALL, Kind.BUILD, Kind.SYSTEM_BUILD, Kind.TOOL_INSTALL, Kind.UNKNOWN)
"""Kinds of commands that may run git or a downloader themselves."""
_OPAQUE_SAFE = ("python", "python3")


def _package_of(program: str) -> str | None:
    from migrator.libraries.images import names_data

    table = names_data()["images"]["programs"]
    return next((pkg for pkg, progs in table.items() if not pkg.startswith("_") and program in progs), None)


def fetch_programs(df: Dockerfile, stage: Stage) -> dict[str, int]:
    """The programs the source fetches of ``stage`` run (``git``, ``curl``,
    ``wget``; not ``tar`` or ``rm``), each with the line of its first use."""
    out: dict[str, int] = {}
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.kind is Kind.BUILD and op.manager in FETCH_MANAGERS and op.command.name in ("git", "curl", "wget"):
                out.setdefault(op.command.name, ins.start_line)
    return out


def stage_calls(df: Dockerfile, stage: Stage, options: Options, program: str,
                skip: frozenset = frozenset()) -> str | None:
    """Why ``stage`` may run ``program``: a one-line reason naming the line
    (a RUN or CMD/ENTRYPOINT/HEALTHCHECK that runs it, a script they run
    that calls it or that the tool can't read, an install or unknown command
    that may run it), or None when nothing does. Commands of the kinds in
    ``skip`` are not looked at (the build steps of a stage still to be
    split, which stay in the builder)."""
    from migrator.analysis.full_image import read_script
    from migrator.libraries import script_calls, script_words

    scripts: list[tuple[str, int, str]] = []
    for ins, ctx in walk(df, stage):
        if ins.keyword == "RUN":
            for op in read_run(df, ins, ctx).all_ops:
                if op.kind in skip:
                    continue
                name = posixpath.basename(op.command.name or "")
                if name == program:
                    return f"line {ins.start_line} runs {program}"
                if op.kind in _MAY_FETCH and name not in _OPAQUE_SAFE and op.manager not in FETCH_MANAGERS:
                    return f"line {ins.start_line} runs `{op.detail or name}`, which may run {program}"
                argv = op.command.argv or [op.command.name or ""]
                words = [a for a in argv[1:] if not a.startswith("-")][:1] if name in _SHELLS else argv[:1]
                scripts.extend((w, ins.start_line, "RUN") for w in script_words(words))
        elif ins.keyword in START_KEYWORDS:
            if program in start_words(ins):
                return f"line {ins.start_line}: {ins.keyword} runs {program}"
            words = [w.strip("'\"") for arg in ins.args for w in arg.split()]
            scripts.extend((w, ins.start_line, ins.keyword) for w in script_words(words))
    for word, line, keyword in scripts:
        text = read_script(df, stage, word, options)
        if text is None:
            return f"line {line}: {keyword} runs {word}, which the tool can't read: it may call {program}"
        calls = script_calls(text, [program])
        if calls:
            return f"line {line}: {keyword} runs {word}, which calls {program} ({word}:{calls[0][0]})"
    return None


def fetch_packages_left_behind(df: Dockerfile, options: Options) -> dict[str, str]:
    """The packages the final stage of a multi-stage ``df`` installs only
    for the source fetches that now run in an earlier stage: ``{package:
    why}`` (``{"git": "only line 3's `git clone` of the builder stage runs
    git"}``). A package counts when an earlier stage both installs it and
    runs its program in a fetch, and nothing in the final stage may call
    the program (:func:`stage_calls`). ``{}`` for a single-stage file.
    Never raises for a readable file."""
    if len(df.stages) < 2:
        return {}
    final = df.stages[-1]
    out: dict[str, str] = {}
    for stage in df.stages[:-1]:
        installed = {p for ins, ctx in walk(df, stage) if ins.keyword == "RUN"
                     for op in read_run(df, ins, ctx).all_ops if op.kind is Kind.SYSTEM_INSTALL for p in op.packages}
        for program, line in fetch_programs(df, stage).items():
            package = _package_of(program)
            if package is None or package not in installed or package in out:
                continue
            if stage_calls(df, final, options, program) is None:
                out[package] = f"only the source fetch of line {line} (builder stage) runs {program}"
    return out


def fetch_tool_gains(df: Dockerfile, stage: Stage, boundary_index: int, options: Options,
                     carried: frozenset[str] | set[str]) -> list[str]:
    """What a split of the single ``stage`` frees because a source fetch
    moves to the builder: the packages installed before the last build step
    (``boundary_index``) whose program only the fetches run, that the base
    image does not carry (``carried``) and that nothing left in the runtime
    stage may call (:func:`stage_calls`, the build steps skipped), as
    phrases (``"git (line 3), run only by line 5's source fetch"``)."""
    from migrator.analysis.gain import BUILD_KINDS

    installs: dict[str, int] = {}
    removed: set[str] = set()
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.kind is Kind.SYSTEM_INSTALL and ins.index <= boundary_index:
                for p in op.packages:
                    installs.setdefault(p, ins.start_line)
            elif op.kind is Kind.SYSTEM_REMOVE:
                removed.update(op.packages)
    out = []
    for program, line in fetch_programs(df, stage).items():
        package = _package_of(program)
        if package is None or package not in installs or package in removed or package in carried:
            continue
        if stage_calls(df, stage, options, program, skip=BUILD_KINDS) is None:
            out.append(f"{package} (line {installs[package]}), run only by line {line}'s source fetch")
    return out

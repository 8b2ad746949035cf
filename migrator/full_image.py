"""Whether the runtime stage of a file on a full image may move to its slim sibling.

A full image (``python:3.12``, ``node:20``: built on buildpack-deps) carries
programs its ``-slim`` sibling lacks: git, curl, wget, ssh, make, gcc... When
the runtime stage, or a script it runs, calls one of them, moving that stage
to the slim image breaks the app at run time; the move is then an unsafe
change. The programs come from :func:`migrator.libraries.full_only_programs`
(buildpack-deps' package lists); scripts are read from the build context.

Shared by ``build-deps`` (whether its slim move is safe) and
:mod:`migrator.gain` (a full base image counts as a gain of the split only
when its slim move is safe, or with ``--unsafe``), which must not import a
transform.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container

from migrator.analysis import START_KEYWORDS, app_stages, global_arg_defaults, read_run, start_words, substitute, walk
from migrator.commands import Kind
from migrator.model import Dockerfile
from migrator.options import Options

SHELLS = frozenset({"sh", "bash", "dash", "ash"})
"""Shells that run a script named as their first operand (``sh script.sh``)."""


def describe(ref: str, options: Options):
    """:func:`migrator.packages.describe_base_image` of ``ref`` with the
    configured image facts of ``options.images``."""
    from migrator.packages import describe_base_image

    return describe_base_image(ref, options.images)


def slim_move_blocker(df: Dockerfile, options: Options) -> str | None:
    """Why a single-stage file on a full ``python``/``node`` image would keep
    its runtime stage on the full image after a split (the move to the slim
    sibling stays an unsafe change of ``build-deps``), as a one-line reason
    naming the line: a command that stays in the runtime stage (CMD,
    ENTRYPOINT, HEALTHCHECK, a RUN that is not a build step) or a shell
    script it runs calls a program only the full image has (git, curl,
    make...), or a script the tool can't read.

    Args:
        df: a parsed Dockerfile.
        options: the run's options (``images``: configured base-image facts;
            ``context``: the build context the scripts are read from).
    Returns:
        the reason, or None when the move would be safe, when the file has
        more than one stage, or when its base is not a full ``python``/
        ``node`` image with a slim sibling. Never raises.
    """
    from migrator.gain import BUILD_KINDS
    from migrator.libraries import full_only_programs

    if len(app_stages(df)) != 1:
        return None
    stage = app_stages(df)[0]
    base = describe(substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image, options)
    if not (base.full and base.slim_ref and base.language in ("python", "node")):
        return None
    return full_only_program(df, stage, base, options, full_only_programs(base), skip=BUILD_KINDS)


def full_only_program(df: Dockerfile, stage, base, options: Options, programs: dict[str, str],
                      skip: Container = frozenset()) -> str | None:
    """Why ``stage`` needs the full image: the first program of ``programs``
    (program -> the package that ships it) that a RUN, CMD, ENTRYPOINT,
    HEALTHCHECK or a script they run calls and that the stage does not
    install itself; or a script the tool can't read.

    Args:
        df, stage: the file and the stage read.
        base: the stage's :class:`migrator.packages.BaseImage`.
        options: the run's options (the build context for scripts).
        programs: :func:`migrator.libraries.full_only_programs` of ``base``.
        skip: kinds of commands not looked at (the build steps of a stage
            that is still to be split).
    Returns:
        a one-line reason naming the line, or None when there is none.
    """
    from migrator.libraries import programs_of, script_calls, script_words

    installs: list[str] = []
    scripts: list[tuple[str, int, str]] = []
    for ins, ctx in walk(df, stage):
        if ins.keyword == "RUN":
            info = read_run(df, ins, ctx)
            for op in info.all_ops:
                if op.kind is Kind.SYSTEM_INSTALL:
                    installs.extend(op.packages)
                    continue
                if op.kind in skip:
                    continue
                name = posixpath.basename(op.command.name or "")
                if name in programs and name not in programs_of(installs, base):
                    return f"line {ins.start_line} runs {name}, which only the full image has{_from(name, programs)}"
                argv = op.command.argv or [op.command.name or ""]
                run_words = argv[:1]
                if name in SHELLS:   # sh script.sh
                    run_words = [a for a in argv[1:] if not a.startswith("-")][:1]
                for word in script_words(run_words):
                    scripts.append((word, ins.start_line, "RUN"))
        elif ins.keyword in START_KEYWORDS:
            provided = programs_of(installs, base)
            for word in start_words(ins):
                if word in programs and word not in provided:
                    return (f"line {ins.start_line}: {ins.keyword} runs {word}, which only the full image "
                            f"has{_from(word, programs)}")
            words = [w.strip("'\"") for arg in ins.args for w in arg.split()]
            for word in script_words(words):
                scripts.append((word, ins.start_line, ins.keyword))
    provided = programs_of(installs, base)
    wanted = [p for p in programs if p not in provided]
    for word, line, keyword in scripts:
        text = read_script(df, stage, word, options)
        if text is None:
            return (f"line {line}: {keyword} runs {word}, which the tool can't read"
                    f"{'' if options.context else ' (no build context)'}: it may call a program only the full "
                    "image has (git, curl, make...)")
        calls = script_calls(text, wanted)
        if calls:
            number, prog = calls[0]
            return (f"line {line}: {keyword} runs {word}, which calls {prog} ({word}:{number}), which only the "
                    f"full image has{_from(prog, programs)}")
    return None


def _from(program: str, programs: dict[str, str]) -> str:
    """`` (package)`` when the program's package is named otherwise."""
    return f" ({programs[program]})" if programs[program] != program else ""


def read_script(df: Dockerfile, stage, word: str, options: Options) -> str | None:
    """The text of the script ``word`` names (``./docker-entrypoint.sh``),
    from the build context ``options.context``: where a COPY of the stage
    put it (its source), else the same relative path. None without a build
    context or when no candidate can be read."""
    ctx_files = options.context
    if ctx_files is None:
        return None
    base = posixpath.basename(word)
    candidates: list[str] = []
    for ins, ctx in walk(df, stage):
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or len(ins.args) < 2:
            continue
        for src in ins.args[:-1]:
            src = src.strip("'\"")
            if posixpath.basename(src.rstrip("/")) == base:
                candidates.append(src.lstrip("./") or src)
            elif src in (".", "./") or src.endswith("/"):
                rel = word[2:] if word.startswith("./") else word.lstrip("/")
                if not word.startswith("/"):
                    candidates.append(posixpath.normpath(posixpath.join(src, rel)))
                else:
                    dest = substitute(ins.args[-1], ctx.env) or ins.args[-1]
                    dest = posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))
                    if word.startswith(dest.rstrip("/") + "/"):
                        candidates.append(posixpath.normpath(posixpath.join(src, word[len(dest.rstrip('/')) + 1:])))
    if not word.startswith("/"):
        candidates.append(word[2:] if word.startswith("./") else word)
    for rel in dict.fromkeys(candidates):
        try:
            text = ctx_files.read_text(rel)
        except Exception:   # a context read must never cost the file
            text = None
        if text is not None:
            return text
    return None

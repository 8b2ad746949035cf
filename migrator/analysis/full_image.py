"""Whether the runtime stage of a file on a full image may move to its slim sibling.

A full image (``python:3.12``, ``node:20``: built on buildpack-deps) carries
programs its ``-slim`` sibling lacks: git, curl, wget, ssh, make, gcc... When
the runtime stage, or a script it runs, calls one of them, moving that stage
to the slim image breaks the app at run time; the move is then an unsafe
change. The programs come from :func:`migrator.libraries.full_only_programs`
(buildpack-deps' package lists); scripts are read from the build context.

Shared by ``build-deps`` (whether its slim move is safe) and
:mod:`migrator.analysis.gain` (a full base image counts as a gain of the split only
when its slim move is safe, or with ``--unsafe``), which must not import a
transform.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container

from migrator.analysis.stage import START_KEYWORDS, app_stages, global_arg_defaults, read_run, start_words, substitute, walk
from migrator.analysis.commands import Kind
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options

SHELLS = frozenset({"sh", "bash", "dash", "ash"})
"""Shells that run a script named as their first operand (``sh script.sh``)."""


def describe(ref: str, options: Options):
    """:func:`migrator.analysis.packages.describe_base_image` of ``ref`` with the
    configured image facts of ``options.images``."""
    from migrator.analysis.packages import describe_base_image

    return describe_base_image(ref, options.images)


def slim_move_blocker(df: Dockerfile, options: Options) -> str | None:
    """Why a single-stage file on a full ``python``/``node`` image would keep
    its runtime stage on the full image after a split (the move to the slim
    sibling stays an unsafe change of ``build-deps``), as a one-line reason
    naming the line: a command that stays in the runtime stage (CMD,
    ENTRYPOINT, HEALTHCHECK, a RUN that is not a build step) or a shell
    script it runs calls a program only the full image has (git, curl,
    make...), or a script the tool can't read; or the base is pinned by
    digest (:func:`digest_pinned`).

    Args:
        df: a parsed Dockerfile.
        options: the run's options (``images``: configured base-image facts;
            ``context``: the build context the scripts are read from).
    Returns:
        the reason, or None when the move would be safe, when the file has
        more than one stage, or when its base is not a full ``python``/
        ``node`` image with a slim sibling. Never raises.
    """
    from migrator.analysis.gain import BUILD_KINDS
    from migrator.libraries import full_only_programs

    if len(app_stages(df)) != 1:
        return None
    stage = app_stages(df)[0]
    base = describe(substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image, options)
    if not (base.full and base.slim_ref and base.language in ("python", "node")):
        return None
    from migrator.libraries import programs_of

    programs = full_only_programs(base)
    added, _needs, refused = slim_installs(df, stage, base, options, programs, skip=BUILD_KINDS)
    if refused:
        return refused
    rest = {p: pkg for p, pkg in programs.items() if p not in programs_of(added, base)}
    problem = full_only_program(df, stage, base, options, rest, skip=BUILD_KINDS)
    return problem or archived_apt(df, stage, base, options) or digest_pinned(stage, base)


def digest_pinned(stage, base) -> str | None:
    """Why the slim move of a base pinned by digest (``node:20.10.0@sha256:...``)
    is unsafe: the slim sibling is a tag that moves, so ``build-deps``
    offers the move only as an unsafe change, to be pinned again. None for
    a base without a digest."""
    written = stage.base_image
    if "@" not in written:
        return None
    return (f"line {stage.from_instruction.start_line} pins {written.split('@', 1)[0]} by digest, and "
            f"{base.slim_ref} is a tag that moves (build-deps offers the move only as unsafe, to be pinned again)")


def slim_move_refused(df: Dockerfile, options: Options) -> str | None:
    """Why ``build-deps`` would not offer the slim move of a single-stage
    file's runtime stage at all, even with ``--unsafe``: a build step of
    the stage runs a tool the slim image lacks and can't install
    (:func:`slim_installs`' problem: a build-only program, or an archived
    release); None otherwise (same arguments as :func:`slim_move_blocker`).
    An archived release alone is no refusal (:func:`archived_apt`: an
    unsafe reason). Never raises."""
    from migrator.analysis.gain import BUILD_KINDS
    from migrator.libraries import full_only_programs

    if len(app_stages(df)) != 1:
        return None
    stage = app_stages(df)[0]
    base = describe(substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image, options)
    if not (base.full and base.slim_ref and base.language in ("python", "node")):
        return None
    return slim_installs(df, stage, base, options, full_only_programs(base), skip=BUILD_KINDS)[2]


def archived_apt(df: Dockerfile, stage, base, options: Options) -> str | None:
    """Why the slim move of ``base`` is unsafe when its Debian release is
    archived (``debian_archived`` of ``base-images.json``: buster and older)
    and ``stage`` runs no apt of its own (the original built without the
    archive): the runtime libraries resolved from the build are installed
    only when the recorded list is not empty (``if [ -s LIST ]``:
    :func:`migrator.libraries.install_parts`), so a pure-JavaScript or
    pure-Python app never runs ``apt-get update``, but a build that links a
    library outside the slim image fails at build time. None otherwise."""
    from migrator.libraries import archived_release

    release = describe(base.slim_ref, options).release or base.release
    if not archived_release(release):
        return None
    for ins, ctx in walk(df, stage):
        if ins.keyword == "RUN" and any(op.kind is Kind.SYSTEM_INSTALL and op.manager == "apt"
                                        for op in read_run(df, ins, ctx).all_ops):
            return None
    return (f"Debian {release} is archived: the move fails at build time only if the build links a library "
            f"outside the slim image ({base.slim_ref}), because {release}'s archive is not reachable (the runtime "
            "stage runs apt-get update only when the list of libraries recorded in the builder is not empty)")


def full_only_program(df: Dockerfile, stage, base, options: Options, programs: dict[str, str],
                      skip: Container = frozenset()) -> str | None:
    """Why ``stage`` needs the full image: the first program of ``programs``
    (program -> the package that ships it) that a RUN, CMD, ENTRYPOINT,
    HEALTHCHECK or a script they run calls and that the stage does not
    install itself; or a script the tool can't read.

    Args:
        df, stage: the file and the stage read.
        base: the stage's :class:`migrator.analysis.packages.BaseImage`.
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


def run_programs(df: Dockerfile, stage, base, options: Options, programs: dict[str, str],
                 skip: Container = frozenset()) -> list[tuple[int, str]]:
    """The programs of ``programs`` that the RUN steps of ``stage`` call
    (directly, or in a shell script a RUN runs that the build context
    holds) and that the stage has not installed by then: ``[(line,
    program)]``, the first line of each program. These are build steps of
    the stage, not start-up commands: on an image without the program they
    surely fail (``curl: not found``), or worse, a pipeline (``curl ... |
    python3 -``) builds without what it installs.

    Args:
        df, stage, base, options, programs, skip: as :func:`full_only_program`.
    Returns:
        ``[(line number, program)]`` in file order; ``[]`` when none.
        A script the tool can't read is not counted (:func:`full_only_program`
        names it).
    """
    from migrator.libraries import programs_of, script_calls, script_words

    installs: list[str] = []
    found: dict[str, int] = {}
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        info = read_run(df, ins, ctx)
        for op in info.all_ops:
            if op.kind is Kind.SYSTEM_INSTALL:
                installs.extend(op.packages)
                continue
            if op.kind in skip:
                continue
            provided = programs_of(installs, base)
            name = posixpath.basename(op.command.name or "")
            if name in programs and name not in provided:
                found.setdefault(name, ins.start_line)
            argv = op.command.argv or [op.command.name or ""]
            run_words = [a for a in argv[1:] if not a.startswith("-")][:1] if name in SHELLS else argv[:1]
            for word in script_words(run_words):
                text = read_script(df, stage, word, options)
                if text is not None:
                    for _number, prog in script_calls(text, [p for p in programs if p not in provided]):
                        found.setdefault(prog, ins.start_line)
    return sorted(((line, prog) for prog, line in found.items()), key=lambda x: x[0])


def slim_installs(df: Dockerfile, stage, base, options: Options, programs: dict[str, str],
                  skip: Container = frozenset()) -> tuple[list[str], list[tuple[int, str]], str | None]:
    """What the slim sibling of ``base`` must install for the RUN steps of
    ``stage`` that run a tool only the full image has
    (:func:`run_programs`): their packages (the ``programs`` table of
    ``build-only-names.json``: curl, git, wget...) and ``ca-certificates``
    for those that fetch over https, unless the slim image carries it.

    Returns:
        ``(packages, needs, problem)``: ``needs`` the ``[(line, program)]``
        of :func:`run_programs`; ``problem`` a reason when they can't be
        installed (a build-only program such as make, or a Debian release
        that is archived or has no package data: its ``apt-get update``
        fails or its package names are unknown), else None. ``([], [],
        None)`` when no RUN needs one.
    """
    from migrator.libraries import archived_release, carried_packages, needs_ca_certificates, tool_packages
    from migrator.analysis.packages import package_index

    needs = run_programs(df, stage, base, options, programs, skip)
    if not needs:
        return [], [], None
    slim = describe(base.slim_ref, options)
    for line, prog in needs:
        if programs[prog] not in tool_packages():
            return [], needs, (f"line {line} runs {prog} in a build step of the runtime stage, which "
                               f"{base.slim_ref} lacks ({programs[prog]}, build-only): that step would fail")
    line, prog = needs[0]
    release = slim.release or base.release
    why = None
    if base.family != "debian" or not release:
        why = "the tool has no package data for its release"
    elif archived_release(release):
        why = f"Debian {release} is archived, its apt-get update fails"
    else:
        try:
            package_index("debian", release)
        except KeyError:
            why = f"the tool has no package data for Debian {release}"
    if why:
        return [], needs, (f"line {line} runs {prog} in a build step of the runtime stage, which {base.slim_ref} "
                           f"lacks; installing it there would need apt-get update, and {why}")
    added = list(dict.fromkeys(programs[p] for _n, p in needs))
    if needs_ca_certificates(added) and "ca-certificates" not in carried_packages(slim):
        added.insert(0, "ca-certificates")
    return added, needs, None


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

"""A split that frees nothing, made without growth: ``pip install --prefix``.

When nothing would leave the runtime image (:func:`migrator.analysis.gain.split_pays`:
``pip install --no-cache-dir`` on a slim base, no build-only packages, no
builder-only tool, no compiled output), a split through a new virtualenv
would make the image grow by the virtualenv's own pip (and setuptools before
Python 3.12). The builder can instead install the app's packages with
``pip install --prefix=/install`` and the runtime stage copy that folder
over ``/usr/local`` (``COPY --from=builder /install /usr/local``, the
pattern of the user's seed 002): the packages land where the original put
them, in the system site-packages of the same base image, with console
scripts in ``/usr/local/bin`` written for the same interpreter
(``/usr/local/bin/python``), so nothing about how the app imports or runs
changes and the image does not grow. A later dependency that needs a
compiler or leaves a cache then stays in the builder.

The same split serves a file whose only gain is pip's download cache
(``pip install`` without ``--no-cache-dir``: :data:`migrator.analysis.gain.ONLY_CACHES`):
the cache (``/root/.cache/pip``) stays in the builder and no virtualenv
pip is added, so the image can only get smaller, whatever the cache
weighs (review 5 E3: the virtualenv split made it 10.8 % larger).

Only where that is provably the same image (:func:`prefix_split`):

- the base is an official ``python`` image (slim, alpine, full), whose
  interpreter lives in ``/usr/local`` (``base-images.json`` ``python``); a
  distribution's Python (``/usr``) is left alone;
- every Python install of the stage is one plain ``pip install`` into the
  system Python, run as root, before which only an upgrade of pip itself
  (and of setuptools/wheel below Python 3.12) may run, which the runtime
  stage runs again before its copy (:attr:`PrefixSplit.replays`); no ``-e``/``--editable``, ``--user``, ``--target``, ``--prefix``,
  ``--root`` (nor ``PIP_*`` variables setting them), no other installer
  (poetry, pipenv, uv, pdm, ``setup.py install``: their own environment
  handling), no virtualenv of the original's own, no second pip install
  (it would not see the packages the first put in /install: pip resolves
  against the interpreter's own site-packages), no pip at start;
- nothing in the builder after that install runs a program that could need
  the installed packages (``python manage.py collectstatic``, ``python -c
  "import x"``, a console script): the builder's Python can't see /install;
- the requirement files the install reads, where the build context holds
  them (:mod:`migrator.context.requirements`), and its arguments name
  neither pip, setuptools nor wheel (a second dist-info would land over the
  base image's in /usr/local) nor an editable install, and each can be
  decoded as pip decodes it.

The builder's install is made to run after ``mkdir -p /install`` (pip
creates the prefix only when it writes a file: review 6 F1).

Source: pip.pypa.io/en/stable/cli/pip_install/#cmdoption-prefix (``--prefix``:
lib, bin and other top-level folders under the prefix; scripts reference
the interpreter of the pip that ran), docs.docker.com/reference/dockerfile/#copy
(a folder's contents are copied into the destination, owned by root).
"""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass, replace

from migrator.analysis.commands import VENV_SEED_PACKAGES, Kind, requirement_name
from migrator.analysis.stage import START_KEYWORDS, file_span, start_words
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options

PREFIX = "/install"
"""The folder the builder installs into."""

TARGET = "/usr/local"
"""Where the runtime stage copies it: the official python image's prefix."""

NOTHING_LEAVES = "nothing would leave the runtime image"
"""How :func:`migrator.analysis.gain.split_pays` starts the one answer this path takes."""

SAFE_AFTER = frozenset({"rm", "mkdir", "chmod", "chown", "echo", "true", ":", "touch", "set"})
"""Commands that may follow the prefixed install in the builder: none runs Python."""

_PIP_PLACE_OPTIONS = ("-e", "--editable", "--user", "-t", "--target", "--prefix", "--root")
_PIP_PLACE_ENV = ("PIP_TARGET", "PIP_PREFIX", "PIP_ROOT", "PIP_USER", "PIP_EDITABLE", "PYTHONUSERBASE")


@dataclass(frozen=True)
class PrefixSplit:
    """The plan of a split through ``pip install --prefix``.

    Attributes:
        install: ``(instruction index, command start)`` of the pip install
            that gets ``--prefix=/install`` (its ``Op.command.start``).
        line: its line (1-based).
        upgrades: lines of the upgrades of pip itself that stay in the
            builder only.
        upgraded: the packages they upgrade (``("pip",)``).
        caches: the install caches that leave with the split
            (:class:`migrator.analysis.gain.InstallCache`), when they are all
            it gains (:data:`migrator.analysis.gain.ONLY_CACHES`); empty when
            nothing leaves.
        replays: the upgrades as the runtime stage runs them again before
            its copy of /install, one ``(RUN flags, commands)`` per RUN that
            had them (review 6 F2: the install resolved against the
            upgraded pip/setuptools/wheel, so pip left them out of /install;
            the runtime needs the same ones, as the original image had).
    """

    install: tuple[int, int]
    line: int
    upgrades: tuple[int, ...] = ()
    upgraded: tuple[str, ...] = ()
    caches: tuple = ()
    replays: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()


def prefix_split(df: Dockerfile, reading, options: Options, no_gain: str | None) -> tuple[PrefixSplit | None, str | None]:
    """Whether the split that gains nothing can be made with ``pip install --prefix``.

    Args:
        df: the single-stage file.
        reading: :func:`migrator.analysis.gain.read_stage` of its stage.
        options: the run's options (``context``: the requirement files).
        no_gain: :func:`migrator.analysis.gain.split_pays`'s answer.
    Returns:
        ``(plan, None)`` when it can; ``(None, why)`` when the stage has a
        pip install but one of the rules of the module docstring stops it
        (``why``: one clause naming the line); ``(None, None)`` when the
        answer was another than "nothing would leave" or the stage has no
        pip install at all. Never raises.
    """
    from migrator.analysis.gain import ONLY_CACHES, install_caches

    only_caches = (ONLY_CACHES, ONLY_CACHES.replace("an install cache", "install caches"))
    if not no_gain or not no_gain.startswith((NOTHING_LEAVES, *only_caches)) or reading.boundary is None:
        return None, None
    pips = [(ins, ctx, op) for ins, ctx in reading.steps for op in _ops(reading, ins)
            if op.kind is Kind.PYTHON_INSTALL and op.manager == "pip"]
    if not pips:
        return None, None
    from migrator.analysis.gain import _unread_install, split_gains

    if split_gains(df, reading, options)[1] or _unread_install(reading):
        return None, None     # something would count, but can't leave: a split of its own kind, not this one
    why = _blocker(df, reading, options, pips)
    if why:
        return None, f"no split with pip --prefix either: {why}"
    ins, _ctx, op = pips[0]
    upgrades = [(i, o) for i, _c in reading.steps for o in _ops(reading, i) if _self_upgrade(o)]
    names = tuple(dict.fromkeys(n for _i, o in upgrades for n in o.options.get("names", ())))
    caches = tuple(install_caches(reading)) if no_gain.startswith(only_caches) else ()
    return PrefixSplit((ins.index, op.command.start), ins.start_line,
                       tuple(sorted({i.start_line for i, _o in upgrades})), names, caches,
                       _replays(reading, upgrades)), None


def _replays(reading, upgrades) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """:attr:`PrefixSplit.replays` of the ``(instruction, op)`` self-upgrades:
    each command's own text (its ``VAR=value`` prefixes and redirections
    included; a continuation's blanks folded where no quote could hold
    them), grouped by RUN with that RUN's flags (``--mount=type=cache``...)."""
    out: dict[int, tuple[tuple[str, ...], list[str]]] = {}
    for ins, op in upgrades:
        info = reading.infos[ins.index]
        argv = op.command.argv or []
        text = (info.script.text[op.command.start:op.command.end].strip() if info.script is not None
                else shlex.join(argv))
        if not any(q in text for q in "'\"\\"):
            text = " ".join(text.split())
        out.setdefault(ins.index, (tuple(ins.flags), []))[1].append(text)
    return tuple((flags, tuple(cmds)) for flags, cmds in out.values())


def prefixed(reading, plan: PrefixSplit) -> None:
    """Mark, in place, the planned install of ``reading`` as writing
    :data:`PREFIX` (as a ``pip install --prefix=/install`` is read), so the
    split copies that folder like any other prefix."""
    index, start = plan.install
    info = reading.infos[index]
    for seg in info.ops:
        for k, op in enumerate(seg):
            if op.kind is Kind.PYTHON_INSTALL and op.command.start == start:
                seg[k] = replace(op, output=PREFIX, options={**op.options, "prefix": PREFIX, "prefix_added": True})


def install_word(op):
    """The ``install`` word of a pip command (to put ``--prefix`` after it), or None."""
    seen_pip = False
    for w in op.command.words:
        value = w.value or ""
        if value.rsplit("/", 1)[-1].startswith("pip"):
            seen_pip = True
        elif seen_pip and value == "install":
            return w
    return None


def _ops(reading, ins):
    info = reading.infos.get(ins.index)
    return info.all_ops if info else []


def _self_upgrade(op) -> bool:
    """``pip install --upgrade pip`` (pip's own seed packages only)."""
    names = op.options.get("names", ())
    return op.kind is Kind.PYTHON_TOOL and op.manager == "pip" and bool(names) and set(names) <= set(VENV_SEED_PACKAGES)


def _blocker(df: Dockerfile, reading, options: Options, pips) -> str | None:
    from migrator.analysis.gain import _base, _python_version

    base = _base(df, reading.stage, options)
    if base.name != "python" or not (base.python or "").startswith(TARGET + "/"):
        return (f"the base image {base.ref} is not an official python image (python:*, whose interpreter and "
                f"packages live in {TARGET})")
    if len(pips) > 1:
        return (f"a second pip install (line {pips[1][0].start_line}) would not see the packages the first "
                f"(line {pips[0][0].start_line}) put in {PREFIX}: pip resolves against the interpreter's own "
                "site-packages")
    ins, ctx, op = pips[0]
    argv = op.command.argv or []
    if op.options.get("editable") or any(a.split("=", 1)[0] in ("-e", "--editable") for a in argv[1:]):
        return f"line {ins.start_line}'s pip install is editable (its project folder stays in use)"
    placed = [a.split("=", 1)[0] for a in argv[1:] if a.split("=", 1)[0] in _PIP_PLACE_OPTIONS]
    if placed:
        return f"line {ins.start_line}'s pip install has {placed[0]}, which places the packages itself"
    if not argv or op.output != "env" or ctx.venv or ctx.env.get("VIRTUAL_ENV") or any(
            a.startswith("VIRTUAL_ENV=") for a in op.command.assignments):
        return f"line {ins.start_line}'s pip install does not install into the image's own Python"
    env = {**ctx.env, **dict(a.split("=", 1) for a in op.command.assignments if "=" in a)}
    set_env = [k for k in _PIP_PLACE_ENV if k in env]
    if set_env:
        return f"{set_env[0]} chooses where line {ins.start_line}'s pip install places the packages"
    if ctx.user not in (None, "root", "0", "0:0"):
        return f"line {ins.start_line}'s pip install runs as {ctx.user}, not root"
    word = install_word(op)
    info = reading.infos[ins.index]
    if word is None or info.script is None or file_span(info, word.start, word.end) is None:
        return f"line {ins.start_line}'s pip install can't be edited in place"
    for i, _c in reading.steps:
        for o in _ops(reading, i):
            if o is op or o.kind not in (Kind.PYTHON_INSTALL, Kind.PYTHON_TOOL, Kind.VENV, Kind.BUILD,
                                         Kind.SYSTEM_BUILD, Kind.TOOL_INSTALL):
                continue
            if _self_upgrade(o) and (i.index, o.command.start) < (ins.index, op.command.start):
                if set(o.options.get("names", ())) - {"pip"}:
                    version = _python_version(base)
                    if version is None or version >= (3, 12):
                        return (f"line {i.start_line} upgrades {', '.join(o.options['names'])} in the builder only: "
                                f"a package that needs setuptools or wheel would find them there and not get them "
                                f"in {PREFIX}, and {base.ref} has none")
                if o.command.argv is None or set(o.command.argv) & {"--target", "-t", "--prefix", "--root"}:
                    return f"line {i.start_line}'s pip install of {', '.join(o.options['names'])} places them itself"
                continue
            return (f"line {i.start_line} runs `{o.detail or o.command.name}`, a build step of its own (only a "
                    f"lone pip install moves to {PREFIX})")
    named = [requirement_name(s) for s in op.packages]
    seeds = [n for n in named if n in VENV_SEED_PACKAGES]
    if seeds:
        return (f"line {ins.start_line} installs {seeds[0]}, whose second copy would land over the base image's "
                f"in {TARGET}")
    reqs = [a for k, a in zip(argv, argv[1:]) if k in ("-r", "--requirement", "-c", "--constraint")] + [
        a.split("=", 1)[1] for a in argv if a.startswith(("--requirement=", "--constraint="))] + [
        a[2:] for a in argv if a.startswith(("-r", "-c")) and len(a) > 2 and not a.startswith("--")]
    if reqs and op.command.cwd is None and not all(r.startswith("/") for r in reqs):
        return f"line {ins.start_line}'s requirement files are in a folder the tool can't resolve"
    if reqs and options.context is not None:
        from migrator.context.requirements import read_requirements

        paths = [posixpath.normpath(posixpath.join(op.command.cwd or "/", r)) for r in reqs]
        read = read_requirements(df, reading.stage, paths, options.context)
        if read.undecodable:
            return (f"can't read {read.undecodable[0]} (neither a UTF-8/16/32 byte-order mark, a coding line nor "
                    "UTF-8, as pip decodes it), so whether it names pip, setuptools or wheel, whose second copy "
                    f"would land over the base image's in {TARGET}, is unknown")
        seed = next((n for n in VENV_SEED_PACKAGES if n in read.names), None)
        if seed:
            return (f"{read.names[seed]} names {seed}, whose second copy would land over the base image's "
                    f"in {TARGET}")
        if read.editable:
            return f"{read.editable[0][0]} has an editable install ({read.editable[0][1]})"
    # after the install, up to the end of the builder: nothing that runs Python
    after = False
    for i, _c in reading.steps:
        if i.index > reading.boundary.index:
            break
        for o in _ops(reading, i):
            if o is op:
                after = True
                continue
            if after and o.kind not in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE, Kind.SYSTEM_META) \
                    and o.command.name not in SAFE_AFTER:
                return (f"line {i.start_line} runs `{o.detail or o.command.name}` in the builder after the pip "
                        f"install, where Python can't see the packages in {PREFIX}")
    for i, _c in reading.steps:
        if i.keyword in START_KEYWORDS and any(w.rsplit("/", 1)[-1].startswith("pip") for w in start_words(i)):
            return f"line {i.start_line}: {i.keyword} runs pip"
    return None

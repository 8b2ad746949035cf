"""The build context a Compose file gives a Dockerfile, for ``batch``.

``docker compose build`` builds a service's image from the folder its
``build`` key names: ``build: ./api`` (the context; the Dockerfile is
``Dockerfile`` in it), or ``build: {context: ., dockerfile: api/Dockerfile}``
(``dockerfile`` relative to the context; ``context`` relative to the Compose
file's folder, default ``.``). A Dockerfile built that way must be migrated
with that folder as its build context: its ``COPY`` sources, its
``.dockerignore`` and the files the transforms read are there, not beside
the Dockerfile.
Reference: https://docs.docker.com/reference/compose-file/build/ (``context``,
``dockerfile``) and https://docs.docker.com/compose/intro/compose-application-model/
(the file names Compose looks for).

:func:`compose_context` looks for a Compose file in the Dockerfile's folder,
then in each parent up to the batch root, and takes the first one with a
service built from that Dockerfile. Reads are bounded as
:mod:`migrator.context` reads are: a file of at most
:data:`migrator.context.MAX_BYTES`, never through a symbolic link out of the
root, parsed with PyYAML's safe loader. A file that can't be read or parsed,
a context given by a variable or a URL, a context outside the root, or two
services that build the same Dockerfile from different folders leave the
Dockerfile's own folder as the context, with a note saying why; never an
error.
"""

from __future__ import annotations

import functools
import os
import posixpath
from dataclasses import dataclass

from migrator.context import MAX_BYTES

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
"""The file names Compose reads by default, in its order of preference
(docs.docker.com/compose/intro/compose-application-model)."""


@dataclass(frozen=True)
class ComposeContext:
    """Where a Dockerfile's build context is.

    Attributes:
        folder: the absolute context folder (the Dockerfile's own folder
            when no Compose file names another).
        source: ``"compose.yaml (service api)"`` relative to the root when
            a Compose file gave it, else None.
        note: one line saying why a Compose file was not followed, or None.
    """

    folder: str
    source: str | None = None
    note: str | None = None


def compose_context(root: str, dockerfile: str) -> ComposeContext:
    """The build context of ``dockerfile`` in a batch run at ``root``.

    Args:
        root: the batch root (absolute, symbolic links resolved).
        dockerfile: the Dockerfile's absolute path, inside ``root``.
    Returns:
        a :class:`ComposeContext`: the ``build.context`` of the first
        service whose ``build`` names this Dockerfile, in the first Compose
        file found from the Dockerfile's folder up to ``root``; else the
        Dockerfile's folder, with a note when a Compose file was skipped.
    Never raises.
    """
    root = os.path.realpath(root)
    target = os.path.realpath(dockerfile)
    own = os.path.dirname(target)
    notes: list[str] = []
    folder = own
    while _within(folder, root):
        for name in COMPOSE_FILES:
            path = os.path.join(folder, name)
            if not os.path.lexists(path):
                continue
            shown = _rel(path, root)
            services, problem = _services(path, root)
            if problem:
                notes.append(f"{shown}: {problem}")
                continue
            found, problem = _context_of(services, folder, target, root)
            if problem:
                notes.append(f"{shown}: {problem}")
                continue
            if found is not None:
                context, service = found
                return ComposeContext(context, f"{shown} (service {service})", _note(notes))
        if folder == root:
            break
        folder = os.path.dirname(folder)
    return ComposeContext(own, None, _note(notes))


def _note(notes: list[str]) -> str | None:
    if not notes:
        return None
    return "build context: " + "; ".join(notes) + "; the Dockerfile's folder is used"


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _services(path: str, root: str) -> tuple[dict, str | None]:
    """The ``services`` mapping of a Compose file, or ``({}, problem)``."""
    real = os.path.realpath(path)
    if not _within(real, root):
        return {}, "a symbolic link out of the batch root, not read"
    try:
        st = os.stat(real)
    except OSError as exc:
        return {}, f"can't be read ({exc.strerror or exc})"
    if not os.path.isfile(real):
        return {}, "not a regular file"
    if st.st_size > MAX_BYTES:
        return {}, f"larger than {MAX_BYTES // (1 << 20)} MiB, not read"
    return _parsed(real, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _parsed(real: str, mtime_ns: int, size: int) -> tuple[dict, str | None]:
    """Parse one Compose file (cached by path, mtime and size: the Dockerfiles
    of a monorepo share a few Compose files)."""
    import yaml

    try:
        with open(real, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return {}, f"larger than {MAX_BYTES // (1 << 20)} MiB, not read"
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        doc = yaml.load(raw.decode("utf-8-sig"), Loader=loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        return {}, f"can't be read ({exc.strerror or exc})"
    except UnicodeDecodeError:
        return {}, "not UTF-8"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return {}, f"not valid YAML{where}"
    except RecursionError:
        return {}, "nested too deeply to read"
    if doc is None:
        return {}, None
    if not isinstance(doc, dict):
        return {}, "not a Compose file (its top level is not a mapping)"
    services = doc.get("services", {})
    if services is None:
        return {}, None
    if not isinstance(services, dict):
        return {}, "its `services` is not a mapping"
    return services, None


def _context_of(services: dict, folder: str, target: str, root: str) -> tuple[tuple[str, str] | None, str | None]:
    """``((context folder, service), None)`` for the services that build
    ``target``, ``(None, None)`` when none does, ``(None, problem)`` when
    one does but its context can't be used."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for service, spec in services.items():
        build = spec.get("build") if isinstance(spec, dict) else None
        if isinstance(build, str):
            context, dockerfile = build, "Dockerfile"
        elif isinstance(build, dict):
            context = build.get("context", ".")
            dockerfile = build.get("dockerfile", "Dockerfile")
        else:
            continue
        if not isinstance(context, str) or not isinstance(dockerfile, str):
            continue
        if "$" in context or "$" in dockerfile:
            if posixpath.basename(dockerfile) == os.path.basename(target) or "$" in dockerfile:
                problems.append(f"service {service} names its build with a variable, which the tool does not resolve")
            continue
        if "://" in context or context.startswith(("git@", "github.com/")):
            continue       # a remote context: not this file
        base = os.path.normpath(os.path.join(folder, *context.split("/")))
        path = os.path.normpath(os.path.join(base, *dockerfile.split("/")))
        if os.path.realpath(path) != target:
            continue
        real_base = os.path.realpath(base)
        if not _within(real_base, root):
            problems.append(f"service {service} builds from {context}, outside the batch root")
            continue
        found.setdefault(real_base, str(service))
    if len(found) > 1:
        names = ", ".join(sorted(found.values()))
        return None, f"services {names} build this Dockerfile from different folders"
    if found:
        base, service = next(iter(found.items()))
        return (base, service), None
    if problems:
        return None, "; ".join(problems)
    return None, None

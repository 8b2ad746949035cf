"""What official base images already carry, and the programs a runtime stage
loses when it leaves a full image for its ``-slim`` sibling.

Facts from ``migrator/data/build-only-names.json`` (section ``images``,
curated in ``scripts/regen_build_only_names.py`` from the docker-library
buildpack-deps, python and node Dockerfiles) and, for the build-only
packages, from the per-release package data (:mod:`migrator.analysis.packages`).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable

from migrator.libraries.names import name_index, names_data
from migrator.analysis.packages import BaseImage, package_index


def _index_for(base: BaseImage):
    """The package data of ``base``'s release, else the name rules."""
    if base.family == "debian" and base.release:
        try:
            return package_index("debian", base.release)
        except KeyError:
            pass
    if base.family == "alpine":
        return package_index("alpine")
    return name_index(base.family) if base.family in ("debian", "ubuntu", "alpine") else None


def _variant(base: BaseImage) -> str | None:
    if base.family == "alpine":
        return "alpine"
    if base.family in ("debian", "ubuntu"):
        return "full" if base.full else "slim"
    return None


def on_buildpack_deps(base: BaseImage) -> bool:
    """Whether ``base`` is a full official image built on buildpack-deps
    (``python:3.12``, ``node:22``; not a third-party "full" image such as
    ``nvidia/cuda:*-devel``, whose contents the data does not list)."""
    return base.full and base.name in names_data()["images"]["buildpack_deps_images"]


def buildpack_deps_packages() -> tuple[str, ...]:
    """The packages of the buildpack-deps curl, scm and full layers, in the
    order of ``build-only-names.json``: what every full image carries."""
    layers = names_data()["images"]["buildpack_deps"]
    return tuple(p for layer in ("curl", "scm", "full") for p in layers[layer])


@functools.lru_cache(maxsize=256)
def carried_packages(base: BaseImage) -> frozenset[str]:
    """Packages ``base`` already has, which a runtime stage on it never needs
    to install: for a full image the buildpack-deps packages and, with
    release data, the runtime libraries of its ``-dev`` packages
    (``libpq-dev`` -> ``libpq5`` on ``python:3.12``); for the variants the
    data lists, what the image installs (``node:20-alpine``: ``libgcc``,
    ``libstdc++``; ``python:3.12-slim``: ``ca-certificates``...).
    ``frozenset()`` when the data says nothing about the image."""
    out: set[str] = set()
    variant = _variant(base)
    if variant == "full" and on_buildpack_deps(base):
        full = buildpack_deps_packages()
        out.update(full)
        index = _index_for(base)
        if index is not None:
            for name in full:
                out.update(index.facts(name).runtime)
    table = names_data()["images"]["variants"].get(base.name, {})
    if variant:
        out.update(table.get(variant, ()))
    return frozenset(out)


def full_only_programs(base: BaseImage) -> dict[str, str]:
    """``{program: package}``: what a full image has on PATH that its slim
    sibling lacks: the programs of the buildpack-deps packages (git, curl,
    wget, ssh...) and the commands of its build-only ones (gcc, make, cc...,
    from the release's package data, else the name rules). ``{}`` for an
    image that is not full. For a full image not built on buildpack-deps
    (a configured one) the same list stands in: a conservative guess."""
    return dict(_full_only_programs(base))


@functools.lru_cache(maxsize=256)
def _full_only_programs(base: BaseImage) -> tuple[tuple[str, str], ...]:
    if not base.full:
        return ()
    out: dict[str, str] = {}
    programs = names_data()["images"]["programs"]
    full = buildpack_deps_packages()
    for pkg in full:
        for prog in programs.get(pkg, ()):
            out.setdefault(prog, pkg)
    index = _index_for(base)
    if index is not None:
        for cmd, name in index.commands_of([p for p in full if index.facts(p).build_only]).items():
            out.setdefault(cmd, name)
    return tuple(out.items())


def programs_of(packages: Iterable[str], base: BaseImage) -> set[str]:
    """The programs the named packages provide, as far as the data knows
    (the ``programs`` table and the build-only commands): what a runtime
    stage that installs them has on PATH again."""
    programs = names_data()["images"]["programs"]
    names = list(packages)
    out = {p for name in names for p in programs.get(name, ())}
    index = _index_for(base)
    if index is not None:
        out.update(index.commands_of(names))
    return out


_COMMAND_START = (r"(?:^|[;&|(`{]|\$\(|\b(?:then|do|else|exec|sudo|xargs|time|nohup|env)\s)\s*"
                  r"(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*")


def script_calls(text: str, programs: Iterable[str]) -> list[tuple[int, str]]:
    """Where a shell script calls one of ``programs``: ``[(line number,
    program)]``, in order, at most one per line. A program counts at the
    start of a command (line start, after ``;``, ``&&``, ``|``, ``$(``,
    ``then``/``do``/``exec``...), by bare name or any path
    (``/usr/bin/git``); comments are ignored."""
    names = sorted(set(programs), key=len, reverse=True)
    if not names:
        return []
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(_COMMAND_START + r"(?:[\w./-]*/)?(" + alternatives + r")(?=$|[\s;&|)`])")
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        m = pattern.search(line)
        if m:
            found.append((number, m.group(1)))
    return found


def script_words(words: Iterable[str]) -> list[str]:
    """The words of a command that name a shell script it runs: ``*.sh``,
    ``*.bash``, or a relative path without an extension (``./start``); a
    program in another language (``./run.py``) is the application itself."""
    return [w for w in words if w.endswith((".sh", ".bash"))
            or (w.startswith("./") and len(w) > 2 and "." not in posixpath.basename(w))]


def tool_packages() -> frozenset[str]:
    """Packages of the ``programs`` table of ``build-only-names.json``: the
    tools a full image carries that are not build-only (curl, git, wget,
    procps...), which a slim runtime stage may install for a build step
    that runs one of them."""
    return frozenset(k for k in names_data()["images"]["programs"] if not k.startswith("_"))


def needs_ca_certificates(packages: Iterable[str]) -> bool:
    """Whether one of ``packages`` fetches over https (``tls_clients`` of
    ``build-only-names.json``: curl, wget, git...), so ``ca-certificates``
    goes with it under ``--no-install-recommends``."""
    clients = set(names_data()["images"]["tls_clients"]["packages"])
    return any(p in clients for p in packages)


def archived_release(release: str | None) -> bool:
    """Whether the Debian ``release`` (codename) is archived: its images'
    ``apt-get update`` fails (``debian_archived`` of ``base-images.json``).
    False for None or a release the data does not list."""
    from migrator.analysis.packages import _base_image_data

    if not release:
        return False
    return release in _base_image_data().get("debian_archived", {}).get("releases", ())

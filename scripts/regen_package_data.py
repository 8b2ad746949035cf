#!/usr/bin/env python3
"""Regenerate the package knowledge in ``migrator/data/`` from its sources.

Run ``python scripts/regen_package_data.py`` (needs ``python-debian``, the
project's optional extra ``data``, and ``apt-get``).  It writes:

``migrator/data/debian-<release>.json`` for buster, bullseye, bookworm and trixie
    Derived from Debian's archive ``Packages`` indexes, component ``main``,
    architecture ``amd64``, of each release's suites (the newest version of a
    package across them wins).  Where they come from is configured in one
    place, :data:`RELEASES`:

    * bullseye, bookworm, trixie: ``<release>`` and ``<release>-updates`` at
      http://deb.debian.org/debian, ``<release>-security`` at
      http://deb.debian.org/debian-security;
    * buster (archived): ``buster`` and ``buster-updates`` (optional: taken
      when the archive has it) at http://archive.debian.org/debian,
      ``buster/updates`` at http://archive.debian.org/debian-security.

    The indexes are fetched by ``apt-get update`` run with a private
    configuration (``APT_CONFIG`` pointing at a generated file, private
    ``Dir::State::Lists`` and ``Dir::Cache``, no ``apt.conf.d`` hooks) in a
    temporary folder, so the host's apt configuration and lists are left
    alone.  Signatures are always checked: against
    ``/usr/share/keyrings/debian-archive-keyring.gpg``, and for buster also
    ``debian-archive-removed-keys.gpg``, which holds buster's archive,
    security and release keys.  The archive's Release files carry expired
    Valid-Until dates, so its sources (only those) get
    ``Check-Valid-Until: no``.  A suite that is not optional and was not
    fetched and verified fails the run (apt-get itself exits 0 when a mirror
    cannot be reached), and no Debian data file is written.  The
    paragraphs are parsed with ``debian.deb822.Packages.iter_paragraphs`` and
    the curated corrections of ``migrator/data/package-overrides.json`` are
    applied on top.

``migrator/data/alpine.json``
    From the curated ``scripts/alpine_packages.toml`` (Alpine's APKINDEX is
    not reachable from the build machines).

Derivation rules for one Debian release (see :func:`build_release_data`):

* *build-only*: Section ``devel`` or ``libdevel``, or a name ending in
  ``-dev``; plus the override patterns ``debian.build_only`` (compilers in
  other sections: cpp, rustc, golang-go ...), minus ``debian.not_build_only``
  (debuggers and language runtimes that live in Section devel).
* *build-support*: a package that is not build-only, not Essential, not of
  Priority required/important, and whose every reverse dependency
  (Depends, Pre-Depends and Recommends, all alternatives, virtual packages
  expanded to their providers) is build-only or build-support (least fixed
  point).  Example: libasan8 (only gcc needs it).  They leave the image
  together with the build-only packages that pull them in.  A runtime
  library of a -dev package can be one (libfoo1 needed by nothing but
  libfoo-dev); the loader does not count those of the packages it is asked
  about, since the runtime stage installs them.
* *runtime libraries of a -dev package* (name ``*-dev`` or Section libdevel):
  follow ``Depends``/``Pre-Depends`` (first alternative, version constraints,
  ``:any``/``:arch`` stripped, a virtual package with exactly one provider
  resolved to it) transitively through -dev packages built from the same
  ``Source``, and collect the non-dev packages of that same source that are
  shared libraries (Section ``libs``/``oldlibs``, or a ``lib*`` name with a
  version digit).  Override ``debian.runtime`` replaces the result,
  ``debian.never_runtime`` removes always-present libraries (libc6).
* *removal closure*: for every build-only/build-support package its
  ``Depends``/``Pre-Depends`` (first alternative) that are themselves
  build-only/build-support; ``Installed-Size`` (KiB) of each.

Output format (format 1), one JSON object per distro release, written with
sorted keys and no whitespace so regeneration from the same indexes is
byte-identical.  Bulky columns are plain strings because ``json.loads`` of
strings is several times faster than of nested lists, which keeps
``migrator.packages`` under its load-time budget::

    family, release, source, indexes     provenance
    nodes        "\\n"-joined names: build-only, then build-support, then
                 runtime libraries (each group sorted)
    n_build_only, n_support              group sizes
    size_kib     Installed-Size per node (KiB, as in the index), as one
                 comma-separated string
    deps         per node, ``;``-separated: comma-separated indexes of the
                 nodes whose removal it pulls along (build-only and
                 build-support nodes only)
    runtime      per node, ``;``-separated: space-separated runtime
                 libraries it stands for (empty for most)
    other        "\\n"-joined names of every other known package (sorted)
    alias_names, alias_targets
                 "\\n"-joined, aligned: virtual packages with exactly one
                 provider (what ``apt-get install`` accepts in its place,
                 e.g. libfreetype6-dev -> libfreetype-dev on trixie), except
                 the generated ones of Sections rust/golang/haskell

Every group of names is sorted by code point so the loader can bisect.

Options: ``--lists DIR`` reuses already-fetched ``*_Packages`` files in DIR
(no network), ``--keep-lists DIR`` fetches into DIR and keeps it (the
indexes land in ``DIR/lists``, the folder to give ``--lists`` later),
``--release NAME`` limits the Debian releases (repeatable), ``--skip-debian``
only rebuilds ``alpine.json``.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "migrator" / "data"
OVERRIDES = DATA / "package-overrides.json"
ALPINE_SOURCE = ROOT / "scripts" / "alpine_packages.toml"

MIRROR = "http://deb.debian.org/debian"
SECURITY_MIRROR = "http://deb.debian.org/debian-security"
ARCHIVE = "http://archive.debian.org/debian"
ARCHIVE_SECURITY = "http://archive.debian.org/debian-security"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
# Keys of releases older than the ones the keyring above holds (buster's
# archive, security and stable release keys are here, not in KEYRING).
REMOVED_KEYRING = "/usr/share/keyrings/debian-archive-removed-keys.gpg"


class Suite(NamedTuple):
    """One suite of a release's Packages indexes, and how apt is to fetch it.

    ``optional``: a suite that may be missing from its mirror; the others must
    be fetched and verified or the run fails.  ``check_valid_until``: false
    only for archived suites, whose Release files carry a Valid-Until date long
    past (signatures are still checked).
    """

    mirror: str
    suite: str
    keyrings: tuple[str, ...] = (KEYRING,)
    optional: bool = False
    check_valid_until: bool = True


# Where every Debian release's indexes come from: the only place that knows
# mirrors, suite names and keyrings.  The order of a release's suites is the
# order of its provenance (``indexes``) and of the merge (newest version wins).
RELEASES: dict[str, tuple[Suite, ...]] = {
    "buster": (
        # Archived (gone from deb.debian.org); its security suite keeps the
        # pre-bullseye name layout, buster/updates.
        Suite(ARCHIVE, "buster", (REMOVED_KEYRING, KEYRING), check_valid_until=False),
        Suite(ARCHIVE, "buster-updates", (REMOVED_KEYRING, KEYRING), optional=True,
              check_valid_until=False),
        Suite(ARCHIVE_SECURITY, "buster/updates", (REMOVED_KEYRING, KEYRING),
              check_valid_until=False),
    ),
    "bullseye": (
        Suite(MIRROR, "bullseye"),
        Suite(MIRROR, "bullseye-updates"),
        Suite(SECURITY_MIRROR, "bullseye-security"),
    ),
    "bookworm": (
        Suite(MIRROR, "bookworm"),
        Suite(MIRROR, "bookworm-updates"),
        Suite(SECURITY_MIRROR, "bookworm-security"),
    ),
    "trixie": (
        Suite(MIRROR, "trixie"),
        Suite(MIRROR, "trixie-updates"),
        Suite(SECURITY_MIRROR, "trixie-security"),
    ),
}
FORMAT = 1
FIELDS = ("Package", "Source", "Version", "Section", "Priority", "Essential",
          "Installed-Size", "Depends", "Pre-Depends", "Recommends", "Provides")

BUILD_SECTIONS = frozenset({"devel", "libdevel"})
# Providers in these sections declare thousands of machine-generated virtual
# names (crate features, Go import paths, GHC ABI hashes) nobody installs by
# hand; they are left out of the virtual-package aliases.
GENERATED_VIRTUAL_SECTIONS = frozenset({"rust", "golang", "haskell"})
LIB_SECTIONS = frozenset({"libs", "oldlibs"})
ALWAYS_PRESENT_PRIORITIES = frozenset({"required", "important"})
_NOT_A_LIBRARY = re.compile(r"-(bin|common|data|doc|dbg|tools|utils|examples)$")
_LIBRARY_NAME = re.compile(r"^lib.*\d")

# The Python build dependencies whose mapping is printed after each run.
COMMON_DEV_PACKAGES = (
    "libpq-dev", "libffi-dev", "libssl-dev", "libxml2-dev", "libxslt1-dev",
    "libjpeg-dev", "libjpeg62-turbo-dev", "zlib1g-dev", "libpng-dev",
    "libfreetype6-dev", "libmariadb-dev", "default-libmysqlclient-dev",
    "libsqlite3-dev", "libyaml-dev", "libcurl4-openssl-dev", "libgeos-dev",
    "libgdal-dev", "libproj-dev", "libblas-dev", "liblapack-dev",
    "libopenblas-dev", "libsasl2-dev", "libldap2-dev", "libkrb5-dev",
    "libmagic-dev", "libpcre3-dev", "libbz2-dev", "liblzma-dev",
    "libreadline-dev", "libncurses-dev", "libtiff-dev", "libwebp-dev",
    "libcairo2-dev", "libhdf5-dev", "libzmq3-dev", "libsnappy-dev",
    "libpython3-dev", "python3-dev", "libgmp-dev", "unixodbc-dev",
    "freetds-dev", "libc6-dev", "linux-libc-dev",
)


# --------------------------------------------------------------------------
# Parsing helpers (pure)
# --------------------------------------------------------------------------

def _strip_relation(atom: str) -> str:
    """``'libssl3 (>= 3.0) [amd64] <!nocheck>'`` / ``'perl:any'`` -> bare name."""
    atom = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", atom).strip()
    return atom.split(":", 1)[0].strip()


def relation_groups(value: str | None) -> list[list[str]]:
    """Parse a Depends-style field into OR-groups of bare package names."""
    groups = []
    for group in (value or "").split(","):
        names = [_strip_relation(alt) for alt in group.split("|")]
        names = [n for n in names if n]
        if names:
            groups.append(names)
    return groups


def _source_name(para: Mapping[str, str]) -> str:
    source = para.get("Source") or para["Package"]
    return source.split("(", 1)[0].strip()


def _version_key(version: str):
    """Sort key for Debian versions (python-debian's comparison)."""
    from debian.debian_support import Version

    return Version(version)


def merge_suites(suites: Iterable[Iterable[Mapping[str, str]]],
                 newer=None) -> dict[str, dict[str, str]]:
    """Merge the paragraphs of several suites, keeping the newest version.

    ``suites`` are iterables of Packages paragraphs (mappings with at least
    ``Package``).  ``newer(a, b)`` decides whether version string ``a`` is
    newer than ``b``; by default python-debian's Debian version comparison.
    Returns ``{package name: paragraph as a plain dict}``.
    """
    if newer is None:
        def newer(a: str, b: str) -> bool:
            return _version_key(a) > _version_key(b)
    merged: dict[str, dict[str, str]] = {}
    for paragraphs in suites:
        for para in paragraphs:
            name = para["Package"]
            old = merged.get(name)
            if old is None or newer(para.get("Version", "0"), old.get("Version", "0")):
                merged[name] = dict(para)
    return merged


# --------------------------------------------------------------------------
# The derivation (pure): paragraphs -> JSON document
# --------------------------------------------------------------------------

def _entries(section: Mapping) -> dict:
    return {k: v for k, v in section.items() if not k.startswith("_")}


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def build_release_data(packages: Mapping[str, Mapping[str, str]], overrides: Mapping,
                       release: str, source: str,
                       indexes: Mapping[str, str] | None = None) -> dict:
    """Build the JSON document of one Debian release from parsed paragraphs.

    Args:
        packages: ``{name: Packages paragraph}`` (see :func:`merge_suites`);
            fields used: Package, Source, Section, Priority, Essential,
            Installed-Size (KiB), Depends, Pre-Depends, Recommends, Provides.
        overrides: the ``"debian"`` object of ``package-overrides.json``.
        release: Debian codename written into the document.
        source: provenance sentence written into the document.
        indexes: ``{suite: Date of its Release file}`` for provenance.

    Returns the document described in the module docstring (a dict ready for
    :func:`dump_json`).  Pure and deterministic: the same input gives the
    same document whatever the iteration order of ``packages``.
    """
    names = sorted(packages)
    extra_build = _entries(overrides.get("build_only", {}))
    not_build = _entries(overrides.get("not_build_only", {}))
    runtime_over = _entries(overrides.get("runtime", {}))
    never_runtime = set(_entries(overrides.get("never_runtime", {})))

    providers: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for group in relation_groups(packages[name].get("Provides")):
            providers[group[0]].add(name)

    def resolve(dep: str) -> str | None:
        if dep in packages:
            return dep
        provs = providers.get(dep, ())
        return next(iter(provs)) if len(provs) == 1 else None

    def section(name: str) -> str:
        return packages[name].get("Section", "").rsplit("/", 1)[-1]

    def dev_like(name: str) -> bool:
        return name.endswith("-dev") or section(name) == "libdevel"

    build_only = set()
    for name in names:
        derived = name.endswith("-dev") or section(name) in BUILD_SECTIONS
        if (derived or _matches(name, extra_build)) and not _matches(name, not_build):
            build_only.add(name)

    # Hard dependencies (first alternative) of each package, resolved.
    hard: dict[str, list[str]] = {}
    for name in names:
        para = packages[name]
        deps = []
        for field in ("Pre-Depends", "Depends"):
            for group in relation_groups(para.get(field)):
                target = resolve(group[0])
                if target and target != name and target not in deps:
                    deps.append(target)
        hard[name] = deps

    # Runtime libraries of -dev packages.
    def is_library(name: str) -> bool:
        if _NOT_A_LIBRARY.search(name):
            return False
        return section(name) in LIB_SECTIONS or bool(_LIBRARY_NAME.match(name))

    def derive_runtime(dev: str) -> list[str]:
        src = _source_name(packages[dev])
        seen, queue, found = {dev}, [dev], set()
        while queue:
            for dep in hard[queue.pop()]:
                if dep in seen:
                    continue
                seen.add(dep)
                if _source_name(packages[dep]) != src:
                    continue
                if dev_like(dep):
                    queue.append(dep)
                elif is_library(dep):
                    found.add(dep)
        return sorted(found - never_runtime)

    runtime: dict[str, list[str]] = {}
    for name in names:
        if name in build_only and dev_like(name):
            libs = derive_runtime(name)
            if libs:
                runtime[name] = libs
    for name, rule in sorted(runtime_over.items()):
        if name not in packages:
            continue
        if "same_as" in rule:
            libs = runtime.get(rule["same_as"], [])
        else:
            libs = sorted(set(rule["runtime"]) & set(packages))
        if libs:
            runtime[name] = list(libs)
        else:
            runtime.pop(name, None)

    runtime_targets = {lib for libs in runtime.values() for lib in libs}

    # Reverse dependencies over every alternative, for build-support.
    rdeps: dict[str, set[str]] = defaultdict(set)
    for name in names:
        para = packages[name]
        for field in ("Pre-Depends", "Depends", "Recommends"):
            for group in relation_groups(para.get(field)):
                for alt in group:
                    for target in ({alt} | providers.get(alt, set())):
                        if target != name:
                            rdeps[target].add(name)
    support: set[str] = set()
    removable = set(build_only)
    pending = [
        n for n in names
        if n not in build_only and rdeps.get(n)
        and packages[n].get("Essential", "no") != "yes"
        and packages[n].get("Priority") not in ALWAYS_PRESENT_PRIORITIES
    ]
    changed = True
    while changed:
        changed = False
        still = []
        for name in pending:
            if rdeps[name] <= removable:
                support.add(name)
                removable.add(name)
                changed = True
            else:
                still.append(name)
        pending = still

    # Nodes: build-only, build-support, then runtime libraries (sizes only).
    group_bo = sorted(build_only)
    group_sup = sorted(support)
    in_graph = build_only | support
    group_rt = sorted(runtime_targets - in_graph)
    nodes = group_bo + group_sup + group_rt
    index = {name: i for i, name in enumerate(nodes)}

    def size_kib(name: str) -> int:
        try:
            return int(packages[name].get("Installed-Size", "0") or 0)
        except ValueError:
            return 0

    deps_out = []
    for name in nodes:
        if name in in_graph:
            deps_out.append(sorted(index[d] for d in hard[name] if d in in_graph))
        else:
            deps_out.append([])
    other = sorted(set(names) - set(nodes))
    aliases = {}
    for virtual, provs in providers.items():
        if virtual not in packages and len(provs) == 1:
            (provider,) = provs
            if section(provider) not in GENERATED_VIRTUAL_SECTIONS:
                aliases[virtual] = provider
    alias_names = sorted(aliases)
    return {
        "format": FORMAT,
        "family": "debian",
        "release": release,
        "source": source,
        "indexes": dict(sorted((indexes or {}).items())),
        "nodes": "\n".join(nodes),
        "n_build_only": len(group_bo),
        "n_support": len(group_sup),
        "size_kib": encode_ints(size_kib(n) for n in nodes),
        "deps": encode_deps(deps_out),
        "runtime": encode_runtime(nodes, runtime),
        "other": "\n".join(other),
        "alias_names": "\n".join(alias_names),
        "alias_targets": "\n".join(aliases[a] for a in alias_names),
    }


def build_alpine_data(curated: Mapping) -> dict:
    """Build ``alpine.json`` (same format as the Debian documents) from the
    parsed ``scripts/alpine_packages.toml``.

    ``curated`` has ``source`` (str) and ``packages``: ``{name: {"build_only":
    bool, "runtime": [names], "size_kib": int, "depends": [names]}}`` (every key
    but ``build_only`` optional).  Runtime libraries named only as targets
    become known non-build-only packages.  ``depends`` entries must be curated
    build-only packages.
    """
    pkgs = {name: dict(info) for name, info in curated["packages"].items()}
    for name, info in list(pkgs.items()):
        for lib in info.get("runtime", []):
            pkgs.setdefault(lib, {"build_only": False})
        for dep in info.get("depends", []):
            if not pkgs.get(dep, {}).get("build_only"):
                raise ValueError(f"alpine: {name} depends on {dep}, which is not a curated build-only package")
        if info.get("runtime") and not info.get("build_only"):
            raise ValueError(f"alpine: {name} has runtime libraries but is not build-only")
    build_only = sorted(n for n, i in pkgs.items() if i.get("build_only"))
    rest = sorted(n for n, i in pkgs.items() if not i.get("build_only"))
    sized = [n for n in rest if pkgs[n].get("size_kib")]
    nodes = build_only + sized
    index = {n: i for i, n in enumerate(nodes)}
    return {
        "format": FORMAT,
        "family": "alpine",
        "release": None,
        "source": curated["source"],
        "indexes": {},
        "nodes": "\n".join(nodes),
        "n_build_only": len(build_only),
        "n_support": 0,
        "size_kib": encode_ints(int(pkgs[n].get("size_kib", 0)) for n in nodes),
        "deps": encode_deps(sorted(index[d] for d in pkgs[n].get("depends", []))
                            if n in build_only else [] for n in nodes),
        "runtime": encode_runtime(nodes, {n: sorted(pkgs[n].get("runtime", [])) for n in build_only}),
        "other": "\n".join(n for n in rest if n not in index),
        "alias_names": "",
        "alias_targets": "",
    }


def encode_ints(values: Iterable[int]) -> str:
    """``[1, 22, 3]`` -> ``"1,22,3"`` (parsed by the loader only when needed)."""
    return ",".join(str(v) for v in values)


def encode_deps(rows: Iterable[Iterable[int]]) -> str:
    """``[[1, 2], [], [0]]`` -> ``"1,2;;0"``: one ``;``-separated row per node."""
    return ";".join(encode_ints(row) for row in rows)


def encode_runtime(nodes: list[str], runtime: Mapping[str, list[str]]) -> str:
    """Runtime libraries per node, ``;``-separated rows of space-separated names."""
    return ";".join(" ".join(runtime.get(n, ())) for n in nodes)


def decode_runtime(doc: Mapping) -> dict[str, list[str]]:
    """Inverse of :func:`encode_runtime`: ``{package: [libraries]}`` (non-empty)."""
    rows = doc["runtime"].split(";")
    return {n: r.split() for n, r in zip(doc["nodes"].split("\n"), rows) if r}


def dump_json(doc: Mapping) -> str:
    """Serialize a document deterministically (sorted keys, compact)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def unused_overrides(overrides: Mapping, known: Iterable[str]) -> list[str]:
    """Override keys/patterns that match no package in ``known`` (for warnings)."""
    known = set(known)
    unused = []
    for kind in ("build_only", "not_build_only", "runtime", "never_runtime"):
        for key in _entries(overrides.get(kind, {})):
            if any(c in key for c in "*?["):
                used = any(fnmatch.fnmatchcase(n, key) for n in known)
            else:
                used = key in known
            if not used:
                unused.append(f"{kind}:{key}")
    return unused


def check_overrides(overrides: Mapping) -> None:
    """Raise ``ValueError`` unless every override entry states a reason."""
    for kind, section in overrides.items():
        if not isinstance(section, Mapping):
            continue
        for key, value in _entries(section).items():
            reason = value.get("reason") if isinstance(value, Mapping) else value
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(f"override {kind}:{key} has no reason")


# --------------------------------------------------------------------------
# Fetching (apt-get with a private configuration) and parsing
# --------------------------------------------------------------------------

def source_stanzas(releases: Iterable[str]) -> str:
    """The deb822 ``sources`` text that fetches ``releases`` (see :data:`RELEASES`).

    One stanza per mirror, keyrings and Valid-Until policy, in the order they
    first appear, so ``Check-Valid-Until: no`` applies to the archived suites
    only and every suite is verified against its own keyrings.
    """
    groups: dict[tuple[str, tuple[str, ...], bool], list[str]] = {}
    for release in releases:
        for s in RELEASES[release]:
            groups.setdefault((s.mirror, s.keyrings, s.check_valid_until), []).append(s.suite)
    stanzas = []
    for (mirror, keyrings, check_valid_until), suites in groups.items():
        stanzas.append(
            f"Types: deb\nURIs: {mirror}\nSuites: {' '.join(suites)}\nComponents: main\n"
            f"Architectures: amd64\nSigned-By: {' '.join(keyrings)}\n"
            + ("" if check_valid_until else "Check-Valid-Until: no\n"))
    return "\n".join(stanzas)


def missing_indexes(lists: Path, releases: Iterable[str]) -> tuple[list[Suite], list[Suite]]:
    """(required, optional) suites of ``releases`` whose Packages index is not in ``lists``."""
    required, optional = [], []
    for release in releases:
        for s in RELEASES[release]:
            if not _index_file(lists, s.mirror, s.suite, PACKAGES_SUFFIX).exists():
                (optional if s.optional else required).append(s)
    return required, optional


def fetch_lists(releases: Iterable[str], workdir: Path) -> Path:
    """Download the Packages indexes with apt-get into ``workdir/lists``.

    Uses a private ``APT_CONFIG`` (no host apt.conf.d, sources.list, lists or
    caches are read or written).  apt verifies every Release file against the
    suite's keyrings; a suite that fails to download or to verify leaves no
    index in a fresh folder.  Raises ``RuntimeError`` when the index of a
    suite that is not ``optional`` is missing afterwards, and
    ``subprocess.CalledProcessError`` when apt-get fails otherwise (a missing
    optional suite is reported and tolerated).  In a reused ``--keep-lists``
    folder apt keeps an index it could not refresh, so use a fresh folder to
    be sure every index is current.
    """
    releases = list(releases)
    etc = workdir / "etc"
    for sub in ("apt.conf.d", "preferences.d", "sources.list.d", "trusted.gpg.d"):
        (etc / sub).mkdir(parents=True, exist_ok=True)
    lists = workdir / "lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (workdir / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    (etc / "sources.list.d" / "debian.sources").write_text(source_stanzas(releases))
    conf = workdir / "apt.conf"
    conf.write_text("\n".join([
        f'Dir::Etc "{etc}";',
        f'Dir::Etc::parts "{etc}/apt.conf.d";',
        'Dir::Etc::main "/dev/null";',
        'Dir::Etc::sourcelist "/dev/null";',
        f'Dir::Etc::sourceparts "{etc}/sources.list.d";',
        f'Dir::State "{workdir}";',
        f'Dir::State::Lists "{lists}";',
        'Dir::State::status "/dev/null";',
        f'Dir::Cache "{workdir}/cache";',
        'Dir::Cache::pkgcache "";',
        'Dir::Cache::srcpkgcache "";',
        'Acquire::Languages "none";',
        'Acquire::GzipIndexes "false";',
        *CONTENTS_TARGET,
        'APT::Architecture "amd64";',
        'APT::Architectures { "amd64"; };',
        "",
    ]))
    # apt drops privileges to _apt for downloads: let it write there.
    for path in (workdir, lists, lists / "partial"):
        os.chmod(path, 0o755)
    env = dict(os.environ, APT_CONFIG=str(conf))
    status = subprocess.run(["apt-get", "-q", "update"], env=env).returncode
    required, optional = missing_indexes(lists, releases)
    for s in optional:
        print(f"note: optional suite {s.suite} ({s.mirror}) not fetched; going on without it",
              file=sys.stderr)
    if required:
        raise RuntimeError("apt-get update did not fetch and verify: " + ", ".join(
            f"{s.mirror} {s.suite}" for s in required) + f" (apt-get exit status {status})")
    if status and not optional:
        raise subprocess.CalledProcessError(status, ["apt-get", "-q", "update"])
    return lists


PACKAGES_SUFFIX = "main_binary-amd64_Packages"
# The Contents index of component main (file -> packages), fetched by the same
# apt-get update as an extra index target.  Its hash is listed in the Release
# file apt verifies, like the Packages index's; apt keeps it gzip-compressed.
CONTENTS_KEY = "main/Contents-amd64"
CONTENTS_SUFFIX = "main_Contents-amd64"
CONTENTS_TARGET = (
    "Acquire::IndexTargets::deb::Contents-deb {",
    '  MetaKey "$(COMPONENT)/Contents-$(ARCHITECTURE)";',
    '  ShortDescription "Contents-$(ARCHITECTURE)";',
    '  Description "$(RELEASE)/$(COMPONENT) $(ARCHITECTURE) Contents (deb)";',
    '  KeepCompressed "true";',
    '  KeepCompressedAs "gz";',
    '  PDiffs "false";',
    "};",
)


def _index_file(lists: Path, mirror: str, suite: str, suffix: str) -> Path:
    """apt's list file name: the URI with ``/`` as ``_`` (``buster/updates`` too)."""
    host_path = mirror.split("://", 1)[1].replace("/", "_")
    return lists / f"{host_path}_dists_{suite.replace('/', '_')}_{suffix}"


def read_release(lists: Path, release: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Parse and merge the suites of ``release`` (see :data:`RELEASES`) found in ``lists``.

    Returns ``(packages, {suite: Release Date})``.  Every suite's index is
    required (``FileNotFoundError`` otherwise) except an ``optional`` one's.
    """
    from debian.deb822 import Packages

    suites, dates = [], {}
    for s in RELEASES[release]:
        path = _index_file(lists, s.mirror, s.suite, PACKAGES_SUFFIX)
        if not path.exists():
            if not s.optional:
                raise FileNotFoundError(path)
            continue
        with open(path, encoding="utf-8") as fh:
            suites.append([dict(p) for p in Packages.iter_paragraphs(
                fh, fields=FIELDS, use_apt_pkg=False)])
        dates[s.suite] = _release_date(lists, s.mirror, s.suite)
    return merge_suites(suites), dates


def release_mirrors(release: str) -> list[str]:
    """The mirrors of ``release``'s suites, each once, in configuration order."""
    return list(dict.fromkeys(s.mirror for s in RELEASES[release]))


def _release_date(lists: Path, mirror: str, suite: str) -> str:
    for name in ("InRelease", "Release"):
        path = _index_file(lists, mirror, suite, name)
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("Date:"):
                    return line.split(":", 1)[1].strip()
    return "unknown"


# --------------------------------------------------------------------------
# Report and main
# --------------------------------------------------------------------------

def mapping_table(docs: Mapping[str, Mapping], names: Iterable[str] = COMMON_DEV_PACKAGES) -> str:
    """Text table: -dev package -> runtime libraries, one column per release."""
    releases = list(docs)
    runtime = {rel: decode_runtime(doc) for rel, doc in docs.items()}
    known = {rel: set(doc["nodes"].split("\n")) | set(doc["other"].split("\n"))
             for rel, doc in docs.items()}
    aliases = {rel: dict(zip(doc["alias_names"].split("\n"), doc["alias_targets"].split("\n")))
               for rel, doc in docs.items()}
    rows = [("package", *releases)]
    for name in names:
        row = [name]
        for rel in releases:
            target = aliases[rel].get(name)
            if target:
                libs = " ".join(runtime[rel].get(target, [])) or "-"
                row.append(f"{libs} (virtual, provided by {target})")
            elif name not in known[rel]:
                row.append("(not in release)")
            else:
                row.append(" ".join(runtime[rel].get(name, [])) or "-")
        rows.append(tuple(row))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def write(path: Path, doc: Mapping) -> None:
    """Write ``doc`` to ``path`` deterministically and say so."""
    text = dump_json(doc)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(text.encode()):,} bytes)")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=Path, help="reuse *_Packages files from this folder (no download)")
    parser.add_argument("--keep-lists", type=Path, help="download into this folder and keep it")
    parser.add_argument("--release", action="append", choices=RELEASES, help="limit to these releases")
    parser.add_argument("--skip-debian", action="store_true", help="only regenerate alpine.json")
    args = parser.parse_args(argv)

    with open(ALPINE_SOURCE, "rb") as fh:
        write(DATA / "alpine.json", build_alpine_data(tomllib.load(fh)))
    if args.skip_debian:
        return 0

    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))["debian"]
    check_overrides(overrides)
    releases = args.release or list(RELEASES)
    tmp = None
    try:
        if args.lists:
            lists = args.lists
        elif args.keep_lists:
            args.keep_lists.mkdir(parents=True, exist_ok=True)
            lists = fetch_lists(releases, args.keep_lists.resolve())
        else:
            tmp = tempfile.mkdtemp(prefix="regen-package-data-")
            lists = fetch_lists(releases, Path(tmp))
    except RuntimeError as exc:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"error: {exc}; no Debian data file was written", file=sys.stderr)
        return 1
    try:
        docs, known = {}, set()
        for release in releases:
            packages, dates = read_release(lists, release)
            suites = ", ".join(dates)
            source = (f"Debian {release} main amd64 Packages indexes ({suites}) from "
                      f"{' and '.join(release_mirrors(release))}, with migrator/data/package-overrides.json; "
                      f"regenerate with: python scripts/regen_package_data.py")
            docs[release] = build_release_data(packages, overrides, release, source, dates)
            known.update(packages)
            write(DATA / f"debian-{release}.json", docs[release])
            d = docs[release]
            print(f"  {release}: {len(packages)} packages, {d['n_build_only']} build-only, "
                  f"{d['n_support']} build-support, "
                  f"{len(decode_runtime(d))} with runtime libraries")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    for entry in unused_overrides(overrides, known):
        print(f"warning: override {entry} matches no package", file=sys.stderr)
    print()
    print(mapping_table(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

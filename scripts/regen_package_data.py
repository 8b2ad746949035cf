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

    The commands of the packages come from the same suites' ``Contents``
    indexes of component main, ``main/Contents-amd64.gz`` and
    ``main/Contents-all.gz`` (Contents-amd64 leaves out Architecture: all
    packages: autoconf, automake, dpkg-dev, libtool...).  They are not
    fetched by apt (apt drops every index of a suite when one of its files
    fails, and a bad Contents would cost the Packages index) but by
    :func:`fetch_contents` with urllib from the same mirror, after apt
    verified the suite's InRelease: each file must have the size and SHA256
    that InRelease lists, or it is not used.  debian-security publishes an
    empty Contents-amd64 and no Contents-all, so a package whose newest
    version is a security update takes the file list of the version its
    release or -updates suite lists (see :func:`merge_commands`); one found
    only in -security has no known file list (``commands_unknown``).
    :data:`CONTENTS_FALLBACK` names suites that stand in when a release's
    own Contents fail the check (trixie here: the mirror serves 13.7's
    Contents under 13.8's InRelease).  The files are streamed (tens of MB
    compressed, several hundred uncompressed), and only the lines under the
    command folders are parsed.

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
* *commands* of every build-only/build-support package: the basenames of the
  files its Contents entries put right under ``bin/``, ``sbin/``,
  ``usr/bin/`` or ``usr/sbin/`` (the last field of a Contents line is
  ``[component/]section/package[,...]``; a file shipped by several packages
  counts for each), plus override ``debian.commands`` (links that
  update-alternatives makes in a maintainer script, which no Contents index
  shows: cc, c++, yacc...).

Output format (format 2; format 1 had no commands and joined the name lists
with "\\n"), one JSON object per distro release, written with sorted keys
and no whitespace so regeneration from the same indexes is byte-identical.
Bulky columns are plain strings because ``json.loads`` of strings is
several times faster than of nested lists, and their separators need no
JSON escape, which keeps ``migrator.analysis.packages`` under its load-time budget::

    family, release, source, indexes     provenance
    contents_indexes                     provenance of the commands:
                 {suite: Release Date (and Version)} of the Contents used
    nodes        space-separated names: build-only, then build-support, then
                 runtime libraries (each group sorted)
    n_build_only, n_support              group sizes
    size_kib     Installed-Size per node (KiB, as in the index), as one
                 comma-separated string
    deps         per node, ``;``-separated: comma-separated indexes of the
                 nodes whose removal it pulls along (build-only and
                 build-support nodes only)
    runtime      per node, ``;``-separated: space-separated runtime
                 libraries it stands for (empty for most)
    commands     per node, ``;``-separated: space-separated, sorted
                 commands it ships (build-only and build-support nodes;
                 empty for the runtime libraries), e.g. make's row
                 ``gmake make make-first-existing-target``
    commands_unknown
                 space-separated build-only/build-support nodes no
                 verified Contents lists (their commands row is empty but
                 means "not known", not "none")
    other        space-separated names of every other known package (sorted)
    alias_names, alias_targets
                 space-separated, aligned: virtual packages with exactly one
                 provider (what ``apt-get install`` accepts in its place,
                 e.g. libfreetype6-dev -> libfreetype-dev on trixie), except
                 the generated ones of Sections rust/golang/haskell

Every group of names is sorted by code point so the loader can bisect.

Options: ``--lists DIR`` reuses the already-fetched ``*_Packages``,
``*_InRelease`` and ``*_Contents-*.gz`` files in DIR (no network; the
Contents files are checked against the InRelease files again),
``--keep-lists DIR`` fetches into DIR and keeps it (the indexes land in
``DIR/lists``, the folder to give ``--lists`` later),
``--release NAME`` limits the Debian releases (repeatable), ``--skip-debian``
only rebuilds ``alpine.json``.
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
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
# Suites whose Contents indexes (only those: their Packages indexes are read
# for the versions they list, never merged) may give the file lists of a
# release's packages when the release's own suites cannot, e.g. a mirror that
# still serves the previous point release's Contents under the current
# Release file, so that the hash check refuses it (trixie here: 13.7's
# Contents under 13.8's InRelease, while the ``stable`` alias still serves
# the whole 13.7 suite, consistently signed).  Fetched and verified like the
# release's suites, used only when their Release file names the release as
# its Codename, and only for the packages the release's suites cannot give.
CONTENTS_FALLBACK: dict[str, tuple[Suite, ...]] = {
    "trixie": (Suite(MIRROR, "stable", optional=True),),
}
# The Contents indexes of component main: one per architecture, amd64 and
# all (Contents-amd64 does not list Architecture: all packages such as
# autoconf, automake, dpkg-dev or libtool).
CONTENTS_KEYS = ("main/Contents-amd64", "main/Contents-all")
# Executables: files right under these folders (paths as Contents lists them,
# without the leading slash); the command is the basename.
COMMAND_DIRS = frozenset({b"bin", b"sbin", b"usr/bin", b"usr/sbin"})
_COMMAND_PREFIXES = tuple(d + b"/" for d in sorted(COMMAND_DIRS))
# A command name the data can hold: printable ASCII without whitespace and
# without ";" (the row separator of the column).
_COMMAND_NAME = re.compile(r"[!-:<-~]+")

FORMAT = 2
# Separator of the name lists (nodes, other, aliases): package names hold no
# space, and a space needs no JSON escape ("\n", format 1's, made json.loads
# of those columns several times slower).
NAME_SEP = " "
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


def parse_contents(lines: Iterable[bytes]) -> dict[str, set[str]]:
    """The executables each package ships, from the lines of a Contents index.

    ``lines``: the (decompressed) lines of ``Contents-<arch>``, as bytes:
    ``path<whitespace>[component/]section/package[,...]`` (the path may hold
    spaces; the owners are the last field).  An executable is a file right
    under ``bin/``, ``sbin/``, ``usr/bin/`` or ``usr/sbin/``; names outside
    printable ASCII or holding ``;`` are skipped.  Returns ``{package:
    {basename, ...}}`` for the packages that ship at least one.
    """
    found: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if not line.startswith(_COMMAND_PREFIXES):
            continue
        fields = line.rsplit(None, 1)
        if len(fields) != 2:
            continue
        directory, _, base = fields[0].rpartition(b"/")
        if directory not in COMMAND_DIRS:
            continue
        name = base.decode("ascii", "replace")
        if not _COMMAND_NAME.fullmatch(name):
            continue
        for owner in fields[1].split(b","):
            package = owner.rsplit(b"/", 1)[-1].decode("ascii", "replace")
            if package:
                found[package].add(name)
    return dict(found)


def command_lines(stream, chunk_size: int = 1 << 24):
    """Yield the lines of a binary ``stream`` that start with a command folder.

    Reads ``stream`` (a file object: ``read(n) -> bytes``) in chunks and finds
    the lines starting with ``bin/``, ``sbin/``, ``usr/bin/`` or ``usr/sbin/``
    with ``bytes.find``: about twice as fast as iterating over the millions
    of lines of a Contents index (most are under usr/share and usr/lib), of
    which a few thousand are wanted.  Lines are yielded without their
    newline.
    """
    needles = tuple(b"\n" + prefix for prefix in _COMMAND_PREFIXES)
    tail = b"\n"  # the first line has no newline before it
    while True:
        chunk = stream.read(chunk_size)
        data = tail + chunk
        cut = data.rfind(b"\n") if chunk else len(data)
        if cut <= 0:
            tail = data
            if not chunk:
                break
            continue
        hits = []
        for needle in needles:
            pos = data.find(needle, 0, cut)
            while pos != -1:
                end = data.find(b"\n", pos + 1)
                end = len(data) if end == -1 else end
                hits.append((pos, data[pos + 1:end]))
                pos = data.find(needle, end, cut)
        hits.sort()
        yield from (line for _, line in hits)
        tail = data[cut:]
        if not chunk:
            break


def package_versions(lines: Iterable[bytes]) -> dict[str, str]:
    """``{Package: Version}`` of a Packages index, read line by line (bytes).

    A fast scan for the two fields only (the Contents provenance needs the
    versions of suites whose paragraphs are not otherwise parsed).
    """
    versions: dict[str, str] = {}
    name = None
    for line in lines:
        if line.startswith(b"Package:"):
            name = line[8:].strip().decode("utf-8", "replace")
        elif line.startswith(b"Version:") and name is not None:
            versions[name] = line[8:].strip().decode("utf-8", "replace")
            name = None
    return versions


class ContentsSource(NamedTuple):
    """One suite's contribution to the file lists of a release.

    ``versions``: ``{package: version}`` of the suite's Packages index.
    ``commands``: :func:`parse_contents` of its Contents indexes, or ``None``
    when the suite has no verified Contents (debian-security publishes empty
    ones; a mirror may serve one that fails the hash check).
    """

    name: str
    versions: Mapping[str, str]
    commands: Mapping[str, set[str]] | None


def merge_commands(packages: Mapping[str, Mapping[str, str]], sources: Iterable[ContentsSource],
                   newer=None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The executables of every package of a release, from per-suite Contents.

    Contents indexes carry no versions, so each package takes the file list
    of a source whose Packages index lists the very version the release data
    was derived from (``packages[name]["Version"]``, see :func:`merge_suites`);
    when none does (the newest version came from a suite without Contents,
    i.e. a security update), the file list of the newest other version any
    source lists.  ``sources`` in order of preference; ``newer(a, b)`` as in
    :func:`merge_suites`.

    Returns ``(commands, provenance)``: ``{package: sorted basenames}`` for
    every package some source gives a file list for (``[]`` when it ships no
    executable), and ``{"exact": [...], "other_version": [...], "unknown":
    [...]}`` with the sorted package names of each case (``unknown``: no
    source with a file list has the package at all).
    """
    if newer is None:
        def newer(a: str, b: str) -> bool:
            return _version_key(a) > _version_key(b)
    usable = [s for s in sources if s.commands is not None]
    commands: dict[str, list[str]] = {}
    provenance: dict[str, list[str]] = {"exact": [], "other_version": [], "unknown": []}
    for name in sorted(packages):
        version = packages[name].get("Version")
        chosen, kind, best = None, "exact", None
        for source in usable:
            listed = source.versions.get(name)
            if listed is None:
                continue
            if listed == version:
                chosen = source
                break
            if best is None or newer(listed, best[0]):
                best = (listed, source)
        if chosen is None and best is not None:
            chosen, kind = best[1], "other_version"
        if chosen is None:
            provenance["unknown"].append(name)
            continue
        provenance[kind].append(name)
        commands[name] = sorted(chosen.commands.get(name, ()))
    return commands, provenance


def release_file_hashes(text: str) -> dict[str, tuple[str, int]]:
    """``{path: (sha256, size)}`` from the ``SHA256`` field of a Release file.

    ``text``: an InRelease (clear-signed) or Release file's text.
    """
    hashes: dict[str, tuple[str, int]] = {}
    in_sha256 = False
    for line in text.splitlines():
        if line.startswith("-----BEGIN PGP SIGNATURE"):
            break
        if not line.startswith(" "):
            in_sha256 = line.rstrip() == "SHA256:"
            continue
        if in_sha256:
            parts = line.split()
            if len(parts) == 3:
                hashes[parts[2]] = (parts[0].lower(), int(parts[1]))
    return hashes


# --------------------------------------------------------------------------
# The derivation (pure): paragraphs -> JSON document
# --------------------------------------------------------------------------

def _entries(section: Mapping) -> dict:
    return {k: v for k, v in section.items() if not k.startswith("_")}


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def build_release_data(packages: Mapping[str, Mapping[str, str]], overrides: Mapping,
                       release: str, source: str,
                       indexes: Mapping[str, str] | None = None,
                       commands: Mapping[str, Iterable[str]] | None = None,
                       contents: Mapping[str, str] | None = None) -> dict:
    """Build the JSON document of one Debian release from parsed paragraphs.

    Args:
        packages: ``{name: Packages paragraph}`` (see :func:`merge_suites`);
            fields used: Package, Source, Section, Priority, Essential,
            Installed-Size (KiB), Depends, Pre-Depends, Recommends, Provides.
        overrides: the ``"debian"`` object of ``package-overrides.json``.
        release: Debian codename written into the document.
        source: provenance sentence written into the document.
        indexes: ``{suite: Date of its Release file}`` for provenance.
        commands: ``{name: executable basenames}`` from the Contents indexes
            (see :func:`merge_commands`); a package missing from it has no
            known file list (``None``: none has).
        contents: ``{suite: Date of its Release file}`` of the Contents
            indexes ``commands`` comes from, for provenance.

    Returns the document described in the module docstring (a dict ready for
    :func:`dump_json`).  Pure and deterministic: the same input gives the
    same document whatever the iteration order of ``packages``.
    """
    names = sorted(packages)
    extra_build = _entries(overrides.get("build_only", {}))
    not_build = _entries(overrides.get("not_build_only", {}))
    runtime_over = _entries(overrides.get("runtime", {}))
    never_runtime = set(_entries(overrides.get("never_runtime", {})))
    extra_commands = _entries(overrides.get("commands", {}))
    commands = {} if commands is None else commands

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
    # Executables of the build-only and build-support nodes (the runtime
    # stage drops them); the runtime libraries get an empty row.
    node_commands: dict[str, list[str]] = {}
    commands_unknown = []
    for name in nodes:
        if name not in in_graph:
            continue
        shipped = set(commands.get(name, ()))
        if name not in commands:
            commands_unknown.append(name)
        if name in extra_commands:
            shipped.update(extra_commands[name]["commands"])
        node_commands[name] = sorted(shipped)
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
        "nodes": NAME_SEP.join(nodes),
        "n_build_only": len(group_bo),
        "n_support": len(group_sup),
        "size_kib": encode_ints(size_kib(n) for n in nodes),
        "deps": encode_deps(deps_out),
        "runtime": encode_runtime(nodes, runtime),
        "commands": encode_runtime(nodes, node_commands),
        "commands_unknown": NAME_SEP.join(sorted(commands_unknown)),
        "contents_indexes": dict(sorted((contents or {}).items())),
        "other": NAME_SEP.join(other),
        "alias_names": NAME_SEP.join(alias_names),
        "alias_targets": NAME_SEP.join(aliases[a] for a in alias_names),
    }


def build_alpine_data(curated: Mapping) -> dict:
    """Build ``alpine.json`` (same format as the Debian documents) from the
    parsed ``scripts/alpine_packages.toml``.

    ``curated`` has ``source`` (str) and ``packages``: ``{name: {"build_only":
    bool, "runtime": [names], "size_kib": int, "depends": [names], "commands":
    [names]}}`` (every key but ``build_only`` optional).  Runtime libraries
    named only as targets become known non-build-only packages.  ``depends``
    entries must be curated build-only packages.  ``commands`` (the
    executables in /usr/bin, /bin, /usr/sbin, /sbin) is required for a
    build-only package whose name does not end in ``-dev``; a ``-dev`` package
    without it ships none (abuild's default -dev split moves only
    ``usr/bin/*-config`` there).  Raises ``ValueError`` on a broken table.
    """
    pkgs = {name: dict(info) for name, info in curated["packages"].items()}
    for name, info in list(pkgs.items()):
        if "commands" in info and not info.get("build_only"):
            raise ValueError(f"alpine: {name} lists commands but is not build-only")
        if info.get("build_only") and "commands" not in info and not name.endswith("-dev"):
            raise ValueError(f"alpine: build-only {name} needs a commands list (possibly empty)")
        for cmd in info.get("commands", []):
            if not _COMMAND_NAME.fullmatch(cmd):
                raise ValueError(f"alpine: {name} has a command name the data cannot hold: {cmd!r}")
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
        "min_release": curated["min_release"],
        "source": curated["source"],
        "indexes": {},
        "nodes": NAME_SEP.join(nodes),
        "n_build_only": len(build_only),
        "n_support": 0,
        "size_kib": encode_ints(int(pkgs[n].get("size_kib", 0)) for n in nodes),
        "deps": encode_deps(sorted(index[d] for d in pkgs[n].get("depends", []))
                            if n in build_only else [] for n in nodes),
        "runtime": encode_runtime(nodes, {n: sorted(pkgs[n].get("runtime", [])) for n in build_only}),
        "commands": encode_runtime(nodes, {n: sorted(set(pkgs[n].get("commands", []))) for n in build_only}),
        "commands_unknown": "",
        "contents_indexes": {},
        "other": NAME_SEP.join(n for n in rest if n not in index),
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
    """Names per node (runtime libraries, commands): ``;``-separated rows of
    space-separated names, one row per node (``""`` for a node not in
    ``runtime``)."""
    return ";".join(" ".join(runtime.get(n, ())) for n in nodes)


def decode_commands(doc: Mapping) -> dict[str, list[str]]:
    """Inverse of the ``commands`` column: ``{package: [commands]}`` (non-empty)."""
    rows = doc["commands"].split(";")
    return {n: r.split() for n, r in zip(doc["nodes"].split(NAME_SEP), rows) if r}


def decode_runtime(doc: Mapping) -> dict[str, list[str]]:
    """Inverse of :func:`encode_runtime`: ``{package: [libraries]}`` (non-empty)."""
    rows = doc["runtime"].split(";")
    return {n: r.split() for n, r in zip(doc["nodes"].split(NAME_SEP), rows) if r}


def dump_json(doc: Mapping) -> str:
    """Serialize a document deterministically (sorted keys, compact)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def unused_overrides(overrides: Mapping, known: Iterable[str]) -> list[str]:
    """Override keys/patterns that match no package in ``known`` (for warnings)."""
    known = set(known)
    unused = []
    for kind in ("build_only", "not_build_only", "runtime", "never_runtime", "commands"):
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
            if kind == "commands":
                names = value.get("commands") if isinstance(value, Mapping) else None
                if (not isinstance(names, list) or not names
                        or not all(isinstance(n, str) and _COMMAND_NAME.fullmatch(n) for n in names)):
                    raise ValueError(f"override commands:{key} needs a list of command names")


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
        for s in contents_suites(release):
            suites = groups.setdefault((s.mirror, s.keyrings, s.check_valid_until), [])
            if s.suite not in suites:
                suites.append(s.suite)
    stanzas = []
    for (mirror, keyrings, check_valid_until), suites in groups.items():
        stanzas.append(
            f"Types: deb\nURIs: {mirror}\nSuites: {' '.join(suites)}\nComponents: main\n"
            f"Architectures: amd64\nSigned-By: {' '.join(keyrings)}\n"
            + ("" if check_valid_until else "Check-Valid-Until: no\n"))
    return "\n".join(stanzas)


def missing_indexes(lists: Path, releases: Iterable[str]) -> tuple[list[Suite], list[Suite]]:
    """(required, optional) suites of ``releases`` whose Packages index is not in ``lists``.

    The :data:`CONTENTS_FALLBACK` suites count as optional.
    """
    required, optional = [], []
    for release in releases:
        for s in contents_suites(release):
            if not _index_file(lists, s.mirror, s.suite, PACKAGES_SUFFIX).exists():
                (optional if s.optional else required).append(s)
    return required, optional


def contents_suites(release: str) -> tuple[Suite, ...]:
    """``release``'s suites (:data:`RELEASES`), then its :data:`CONTENTS_FALLBACK` ones."""
    return RELEASES[release] + CONTENTS_FALLBACK.get(release, ())


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


def _release_text(lists: Path, mirror: str, suite: str) -> str | None:
    """The text of the Release file apt verified into ``lists`` (InRelease or Release)."""
    for name in ("InRelease", "Release"):
        path = _index_file(lists, mirror, suite, name)
        if path.exists():
            return path.read_text(encoding="utf-8", errors="replace")
    return None


def _release_field(text: str, field: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
        if line.startswith("-----BEGIN PGP SIGNATURE"):
            break
    return None


def _contents_file(lists: Path, mirror: str, suite: str, key: str) -> Path:
    """Where a suite's gzip-compressed Contents index is kept (apt's naming)."""
    return _index_file(lists, mirror, suite, key.replace("/", "_") + ".gz")


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_contents(lists: Path, mirror: str, suite: str, key: str) -> str | None:
    """Why the kept Contents index ``key`` of a suite cannot be used, or ``None``.

    Checks the ``.gz`` file's size and SHA256 against the entry of
    ``<key>.gz`` in the suite's Release file in ``lists``, the one apt
    fetched and verified against the suite's keyrings.
    """
    text = _release_text(lists, mirror, suite)
    if text is None:
        return "no verified Release file"
    expected = release_file_hashes(text).get(key + ".gz")
    if expected is None:
        return f"the Release file lists no {key}.gz"
    path = _contents_file(lists, mirror, suite, key)
    if not path.exists():
        return "not downloaded"
    actual = _sha256_file(path)
    if actual != expected:
        return (f"{path.name} does not match the Release file (size {actual[1]}, SHA256 "
                f"{actual[0][:12]}..., expected {expected[1]}, {expected[0][:12]}...): the mirror "
                f"serves another version of the file")
    return None


def fetch_contents(lists: Path, releases: Iterable[str], urlopen=urllib.request.urlopen) -> None:
    """Download the Contents indexes of ``releases``' suites into ``lists``, verified.

    Runs after :func:`fetch_lists`: for every suite whose Release file apt
    fetched and verified, each of :data:`CONTENTS_KEYS` (``.gz``) is
    downloaded with urllib from the suite's mirror, by hash
    (``by-hash/SHA256/<hash>``) when the Release file says
    ``Acquire-By-Hash: yes``, else (or when that is missing) by name,
    streamed to disk, and kept only when its size and SHA256 are those the
    Release file lists (:func:`verify_contents`).  A file that fails is
    reported and removed, not fatal: :func:`read_commands` decides.  The
    :data:`CONTENTS_FALLBACK` suites of a release are fetched only when one
    of the release's own suites with packages is left without Contents.
    Separate from apt on purpose: apt drops every index of a suite when one
    of its files fails, so a bad Contents would cost the Packages index.
    """
    def fetch(s: Suite) -> bool:
        text = _release_text(lists, s.mirror, s.suite)
        if text is None:
            return False
        hashes = release_file_hashes(text)
        by_hash = (_release_field(text, "Acquire-By-Hash") or "").lower() == "yes"
        ok = True
        for key in CONTENTS_KEYS:
            if verify_contents(lists, s.mirror, s.suite, key) is None:
                continue  # already here and verified (a kept lists folder)
            entry = hashes.get(key + ".gz")
            if entry is None:
                continue  # the suite publishes none (debian-security: no Contents-all)
            base = f"{s.mirror}/dists/{s.suite}/{key.rsplit('/', 1)[0]}"
            urls = ([f"{base}/by-hash/SHA256/{entry[0]}"] if by_hash else []) + [f"{s.mirror}/dists/{s.suite}/{key}.gz"]
            path = _contents_file(lists, s.mirror, s.suite, key)
            problem = "not downloaded"
            for url in urls:
                try:
                    _download(url, path, urlopen)
                except (urllib.error.URLError, OSError) as exc:
                    problem = f"{url}: {exc}"
                    continue
                problem = verify_contents(lists, s.mirror, s.suite, key)
                if problem is None:
                    break
            if problem is not None:
                path.unlink(missing_ok=True)
                print(f"warning: {s.suite} {key}.gz not usable: {problem}", file=sys.stderr)
                ok = False
        return ok

    done: dict[tuple[str, str], bool] = {}
    for release in releases:
        complete = True
        for s in RELEASES[release]:
            if (s.mirror, s.suite) not in done:
                done[s.mirror, s.suite] = fetch(s)
            has_packages = _index_file(lists, s.mirror, s.suite, PACKAGES_SUFFIX).exists()
            complete &= done[s.mirror, s.suite] or not has_packages
        if not complete:
            for s in CONTENTS_FALLBACK.get(release, ()):
                if (s.mirror, s.suite) not in done:
                    done[s.mirror, s.suite] = fetch(s)


def _download(url: str, path: Path, urlopen) -> None:
    """Stream ``url`` to ``path`` (through ``path.partial``)."""
    partial = path.with_name(path.name + ".partial")
    try:
        with urlopen(url, timeout=120) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_contents(lists: Path, mirror: str, suite: str) -> dict[str, set[str]] | None:
    """:func:`parse_contents` of a suite's verified Contents indexes in ``lists``.

    ``None`` when one of :data:`CONTENTS_KEYS` that the suite's Release file
    lists is missing or fails :func:`verify_contents`, or when all are empty
    or unlisted (debian-security publishes an empty Contents-amd64 and no
    Contents-all).  The gzip files are streamed, never held in memory.
    """
    text = _release_text(lists, mirror, suite)
    if text is None:
        return None
    listed = release_file_hashes(text)
    found: dict[str, set[str]] = {}
    empty = True
    for key in CONTENTS_KEYS:
        if key + ".gz" not in listed:
            continue
        if verify_contents(lists, mirror, suite, key) is not None:
            return None
        with gzip.open(_contents_file(lists, mirror, suite, key), "rb") as fh:
            empty &= not fh.read(1)
            fh.seek(0)
            for package, names in parse_contents(command_lines(fh)).items():
                found.setdefault(package, set()).update(names)
    return None if empty else found


def read_commands(lists: Path, release: str, packages: Mapping[str, Mapping[str, str]]
                  ) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """The executables of ``release``'s packages, from the Contents indexes in ``lists``.

    ``packages``: the merged paragraphs of the release (:func:`read_release`).
    Sources, in order: the release's suites (:data:`RELEASES`), then its
    :data:`CONTENTS_FALLBACK` suites whose Release file names the release as
    its Codename; each with the versions of its Packages index and its
    verified Contents (see :func:`merge_commands`).

    Returns ``(commands, provenance, {suite: Release Date} of the Contents
    used)``.  Raises ``RuntimeError`` when no suite has verified Contents.
    """
    sources, dates = [], {}
    for s in contents_suites(release):
        packages_file = _index_file(lists, s.mirror, s.suite, PACKAGES_SUFFIX)
        text = _release_text(lists, s.mirror, s.suite)
        if not packages_file.exists() or text is None:
            continue
        if s not in RELEASES[release] and _release_field(text, "Codename") != release:
            print(f"note: {s.suite} ({s.mirror}) is not {release} any more; its Contents are not used",
                  file=sys.stderr)
            continue
        commands = read_contents(lists, s.mirror, s.suite)
        if commands is None:
            continue
        with open(packages_file, "rb") as fh:
            versions = package_versions(fh)
        sources.append(ContentsSource(s.suite, versions, commands))
        version = _release_field(text, "Version")
        dates[s.suite] = (_release_field(text, "Date") or "unknown") + (f" ({version})" if version else "")
    if not sources:
        raise RuntimeError(f"no verified Contents index for {release}")
    commands, provenance = merge_commands(packages, sources)
    return commands, provenance, dates


# --------------------------------------------------------------------------
# Report and main
# --------------------------------------------------------------------------

def mapping_table(docs: Mapping[str, Mapping], names: Iterable[str] = COMMON_DEV_PACKAGES) -> str:
    """Text table: -dev package -> runtime libraries, one column per release."""
    releases = list(docs)
    runtime = {rel: decode_runtime(doc) for rel, doc in docs.items()}
    known = {rel: set(doc["nodes"].split(NAME_SEP)) | set(doc["other"].split(NAME_SEP))
             for rel, doc in docs.items()}
    aliases = {rel: dict(zip(doc["alias_names"].split(NAME_SEP), doc["alias_targets"].split(NAME_SEP)))
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
    parser.add_argument("--lists", type=Path,
                        help="reuse the *_Packages, *_InRelease and *_Contents-*.gz files of this folder (no download)")
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
        if not args.lists:
            fetch_contents(lists, releases)
    except RuntimeError as exc:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"error: {exc}; no Debian data file was written", file=sys.stderr)
        return 1
    try:
        docs, known, notes = {}, set(), []
        for release in releases:
            packages, dates = read_release(lists, release)
            try:
                commands, provenance, contents = read_commands(lists, release, packages)
            except RuntimeError as exc:
                print(f"error: {exc}; no Debian data file was written", file=sys.stderr)
                return 1
            suites = ", ".join(dates)
            source = (f"Debian {release} main amd64 Packages indexes ({suites}) and main amd64/all "
                      f"Contents indexes ({', '.join(contents)}) from "
                      f"{' and '.join(release_mirrors(release))}, with migrator/data/package-overrides.json; "
                      f"regenerate with: python scripts/regen_package_data.py")
            docs[release] = build_release_data(packages, overrides, release, source, dates,
                                               commands, contents)
            known.update(packages)
            d = docs[release]
            graph = set(d["nodes"].split(NAME_SEP)[:d["n_build_only"] + d["n_support"]])
            counts = {k: sorted(graph.intersection(v)) for k, v in provenance.items()}
            notes.append(
                f"  {release}: {len(packages)} packages, {d['n_build_only']} build-only, "
                f"{d['n_support']} build-support, {len(decode_runtime(d))} with runtime libraries, "
                f"{len(decode_commands(d))} with commands; file lists of the build-only/support "
                f"packages: {len(counts['exact'])} of their version, {len(counts['other_version'])} "
                f"of another version, {len(counts['unknown'])} unknown"
                + (f" ({', '.join(counts['unknown'][:12])}{' ...' if len(counts['unknown']) > 12 else ''})"
                   if counts["unknown"] else ""))
        for release in releases:
            write(DATA / f"debian-{release}.json", docs[release])
        print("\n".join(notes))
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

#!/usr/bin/env python3
"""Regenerate ``migrator/data/build-only-names.json`` from the package data.

Run ``python scripts/regen_build_only_names.py`` after
``scripts/regen_package_data.py``; it reads only files of ``migrator/data``
and needs nothing outside the standard library.

The file holds what the tool knows about package *names* when it has no
package data for the release a base image is built on (Ubuntu, Debian
buster, Alpine before 3.18, an image configured in
``[tool.dockerfile-migrator.images]``), and which packages the official
images carry:

``debian`` / ``alpine``
    ``names``: packages that are build-only (compilers, toolchains, build
    tools) in *every* release of the family the data holds (a name one
    release marks build-only by its Section ``devel`` alone may be a
    program: the intersection keeps the rules conservative), plus the
    build-only names of releases the data does not hold
    (``build-only-old-names.json``: ``swig3.0``, ``cython``), except
    those the ``-dev`` suffix rule already covers (Debian: each
    ``debian-<release>.json``; Alpine: ``alpine.json``).  ``suffixes``:
    a name ending in one of them is build-only (``-dev``: headers, static
    libraries, ``pkg-config`` files), unless it is listed in
    ``not_build_only`` (a ``-dev`` name some release does not mark
    build-only, or an override of ``package-overrides.json``).
    ``patterns``: fnmatch patterns of versioned toolchains whose names
    change with each release (``gcc-9`` on Ubuntu 20.04, ``clang-18``),
    from :data:`VERSIONED_TOOLCHAINS` and the build-only patterns of
    ``package-overrides.json``.  ``commands``: the executables each
    build-only name ships, the union over the releases, for the names that
    ship any.

``always_present``
    Libraries every image of the family already has, which a list of
    runtime packages resolved from a build leaves out
    (:data:`ALWAYS_PRESENT`).

``images``
    What official base images carry (:data:`IMAGES`): the packages of the
    buildpack-deps layers that full ``python:X``/``node:X``/``golang:X``
    images are built on, the packages the slim and Alpine variants
    install, and the programs of the non-build-only ones.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "migrator", "data")
OUT = os.path.join(DATA, "build-only-names.json")

SUFFIXES = ["-dev"]
"""Debian policy 8.4 and Alpine's abuild naming: the ``-dev`` package of a
library holds its headers, static library and ``.so`` symlink, needed only
to compile against it."""

VERSIONED_TOOLCHAINS = [
    "gcc-[0-9]*", "g++-[0-9]*", "cpp-[0-9]*", "gfortran-[0-9]*", "gccgo-[0-9]*",
    "clang-[0-9]*", "lld-[0-9]*", "llvm-[0-9]*-dev", "llvm-[0-9]*-tools",
]
"""Versioned compiler packages (Debian and Ubuntu name one per GCC/LLVM
release: ``gcc-9`` on focal, ``gcc-13`` on noble, ``clang-18``); the data
of any one Debian release only lists the versions it ships."""

NOT_BUILD_ONLY = ["gcc-[0-9]*-base", "cpp-[0-9]*-base"]
"""Runtime packages the versioned toolchain patterns would catch: GCC's
``gcc-N-base`` holds the copyright files of its runtime libraries, and
libgcc-s1 and libstdc++6 depend on it."""

ALWAYS_PRESENT = {
    "_doc": "Packages every image of the family has, left out of the runtime packages resolved from a build: "
            "debian/ubuntu: the C library and the GCC support and C++ libraries that apt itself links "
            "(apt is in every Debian and Ubuntu image, debuerreotype minbase; libgcc1 is the name before "
            "bullseye) and zlib1g (Priority: required); alpine: musl (the C library of every Alpine image).",
    "debian": ["libc6", "libgcc-s1", "libgcc1", "libstdc++6", "zlib1g"],
    "alpine": ["musl"],
}

IMAGES = {
    "_source": "docker-library/buildpack-deps Dockerfiles (debian/<release>/curl, scm and full; the same "
               "lists for ubuntu/<release>), the base of the full python, node and golang images; "
               "docker-library/python and docker-library/node Dockerfiles for what the slim and Alpine "
               "variants install (python: ca-certificates netbase tzdata; node alpine: libstdc++, which "
               "depends on libgcc).",
    "buildpack_deps_images": ["python", "pypy", "node", "golang", "buildpack-deps"],
    "buildpack_deps": {
        "curl": ["ca-certificates", "curl", "dirmngr", "gnupg", "netbase", "sq", "wget"],
        "scm": ["git", "mercurial", "openssh-client", "procps", "subversion"],
        "full": ["autoconf", "automake", "bzip2", "default-libmysqlclient-dev", "dpkg-dev", "file", "g++",
                 "gcc", "imagemagick", "libbz2-dev", "libc6-dev", "libcurl4-openssl-dev", "libdb-dev",
                 "libevent-dev", "libffi-dev", "libgdbm-dev", "libglib2.0-dev", "libgmp-dev", "libjpeg-dev",
                 "libkrb5-dev", "liblzma-dev", "libmagickcore-dev", "libmagickwand-dev", "libmaxminddb-dev",
                 "libncurses5-dev", "libncursesw5-dev", "libpng-dev", "libpq-dev", "libreadline-dev",
                 "libsqlite3-dev", "libssl-dev", "libtool", "libwebp-dev", "libxml2-dev", "libxslt-dev",
                 "libyaml-dev", "make", "patch", "unzip", "xz-utils", "zlib1g-dev"],
    },
    "variants": {
        "_doc": "Packages an official image installs on top of its OS base, by image name and variant "
                "(full = Debian non-slim, slim = Debian -slim, alpine).",
        "python": {"slim": ["ca-certificates", "netbase", "tzdata"],
                   "alpine": ["ca-certificates", "tzdata"]},
        "pypy": {"slim": ["ca-certificates"]},
        "node": {"alpine": ["libgcc", "libstdc++"]},
    },
    "tls_clients": {
        "_doc": "Packages of the programs table whose programs fetch over https (curl, wget, git, hg, svn): a "
                "runtime stage that installs one of them on a slim image installs ca-certificates with it "
                "(--no-install-recommends leaves it out; curl and wget only Recommend it, git Recommends it "
                "through libcurl: packages.debian.org), unless the image carries it.",
        "packages": ["curl", "wget", "git", "mercurial", "subversion"],
    },
    "programs": {
        "_doc": "Programs of the buildpack-deps packages that are not build-only (the build-only ones come "
                "from the package data): what a runtime stage loses when it leaves a full image for its "
                "-slim sibling. From each package's file list (packages.debian.org).",
        "curl": ["curl"],
        "wget": ["wget"],
        "gnupg": ["gpg", "gpg-agent"],
        "git": ["git", "git-receive-pack", "git-upload-pack", "git-upload-archive", "git-shell"],
        "mercurial": ["hg"],
        "openssh-client": ["ssh", "scp", "sftp", "ssh-keygen", "ssh-keyscan", "ssh-agent", "ssh-add"],
        "subversion": ["svn", "svnadmin", "svnversion"],
        "procps": ["ps", "pgrep", "pkill", "top", "free", "watch", "vmstat", "pmap", "uptime"],
        "unzip": ["unzip"],
        "bzip2": ["bzip2", "bunzip2", "bzcat"],
        "xz-utils": ["xz", "unxz", "xzcat"],
        "file": ["file"],
        "patch": ["patch"],
        "imagemagick": ["convert", "identify", "mogrify", "composite", "magick"],
    },
}


def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _build_only(doc: dict) -> tuple[list[str], dict[str, list[str]]]:
    """The build-only names of one data document, and their commands."""
    names = doc["nodes"].split(" ")
    n = doc["n_build_only"]
    rows = doc["commands"].split(";")
    build = names[:n]
    commands = {name: rows[i].split() for i, name in enumerate(build) if rows[i].split()}
    return build, commands


def _all_names(doc: dict) -> set[str]:
    return set(doc["nodes"].split(" ")) | set(doc["other"].split(" "))


def family_rules(docs: list[dict], overrides: dict | None, old_names: dict | None = None) -> dict:
    """The name rules of one family from its data documents.

    Args:
        docs: the parsed ``debian-<release>.json`` files (or ``[alpine.json]``).
        overrides: the family's section of ``package-overrides.json``, or None.
        old_names: the family's section of ``build-only-old-names.json``
            (name -> what it is and where it ships), or None.
    Returns:
        ``{"sources", "suffixes", "patterns", "names", "not_build_only",
        "commands"}`` as described in the module docstring.
    """
    sets, commands = [], {}
    for doc in docs:
        build, cmds = _build_only(doc)
        sets.append(set(build))
        for name, got in cmds.items():
            commands.setdefault(name, set()).update(got)
    everywhere = set.intersection(*sets)
    # old releases' names, unless a release of the data ships the name as a runtime package
    runtime_somewhere = set().union(*(_all_names(doc) - build for doc, build in zip(docs, sets)))
    old = {n for n in (old_names or {}) if not n.startswith("_")} - runtime_somewhere
    patterns = list(VERSIONED_TOOLCHAINS)
    not_build_only: set[str] = set(NOT_BUILD_ONLY)
    if overrides:
        patterns += [p for p in overrides.get("build_only", {}) if not p.startswith("_") and any(
            c in p for c in "*?[")]
        not_build_only |= {p for p in overrides.get("not_build_only", {}) if not p.startswith("_")}
    for doc, build in zip(docs, sets):
        not_build_only |= {n for n in _all_names(doc) - build if n.endswith(tuple(SUFFIXES))}

    def by_rule(name: str) -> bool:
        return name.endswith(tuple(SUFFIXES)) or any(fnmatch.fnmatchcase(name, p) for p in patterns)

    names = sorted(n for n in everywhere | old if not by_rule(n))
    sources = sorted(f"{d['family']}-{d['release']}" if d["release"] else d["family"] for d in docs)
    return {
        "sources": sources + (["build-only-old-names.json"] if old else []),
        "suffixes": SUFFIXES,
        "patterns": sorted(set(patterns)),
        "names": " ".join(names),
        "not_build_only": sorted(not_build_only),
        "commands": {n: " ".join(sorted(commands[n])) for n in sorted(everywhere) if n in commands},
    }


def build_document() -> dict:
    """The whole ``build-only-names.json`` document."""
    debian = [_load(p) for p in sorted(glob.glob(os.path.join(DATA, "debian-*.json")))]
    if not debian:
        raise SystemExit("no migrator/data/debian-*.json: run scripts/regen_package_data.py first")
    alpine = _load(os.path.join(DATA, "alpine.json"))
    overrides = _load(os.path.join(DATA, "package-overrides.json"))
    old_names = _load(os.path.join(DATA, "build-only-old-names.json"))
    return {
        "source": "Generated by scripts/regen_build_only_names.py from migrator/data/debian-*.json, alpine.json, "
                  "package-overrides.json and build-only-old-names.json (names build-only in every release of the "
                  "data, old releases' and Ubuntu's build-only names, the -dev "
                  "suffix rule, versioned toolchain patterns), plus its curated tables ALWAYS_PRESENT and IMAGES. "
                  "Read by migrator.libraries; do not edit by hand.",
        "format": 1,
        "debian": family_rules(debian, overrides.get("debian"), old_names.get("debian")),
        "alpine": family_rules([alpine], None),
        "always_present": ALWAYS_PRESENT,
        "images": IMAGES,
    }


def main(argv: list[str]) -> int:
    """Write the file (or, with ``--check``, exit 1 when it is out of date)."""
    text = json.dumps(build_document(), indent=1, sort_keys=False) + "\n"
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as fh:
            return 0 if fh.read() == text else 1
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Package knowledge (migrator.packages) and the generator behind its data."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from migrator.packages import (
    PackageIndex,
    describe_base_image,
    package_index,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "migrator" / "data"
DEBIAN_RELEASES = ("bullseye", "bookworm", "trixie")
# buster's indexes come from Debian's archive, which a machine may not reach
# when the data is regenerated: its tests run once debian-buster.json exists.
BUSTER = pytest.param("buster", marks=pytest.mark.skipif(
    not (DATA / "debian-buster.json").exists(),
    reason="migrator/data/debian-buster.json not generated (the archive was unreachable): "
           "run scripts/regen_package_data.py --release buster"))
OLD_RELEASES = ("bullseye", BUSTER)

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def _load_regen():
    spec = importlib.util.spec_from_file_location(
        "regen_package_data", ROOT / "scripts" / "regen_package_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("regen_package_data", module)
    spec.loader.exec_module(module)
    return module


regen = _load_regen()


# ---------------------------------------------------------------------------
# Debian facts from the shipped data
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_libpq_dev_stands_for_libpq5(release):
    facts = package_index("debian", release).facts("libpq-dev")
    assert facts.known and facts.build_only
    assert facts.runtime == ("libpq5",)
    assert facts.installed_size > 100 * 1024


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["libjpeg-dev", "libjpeg62-turbo-dev"])
def test_libjpeg_dev_goes_through_libjpeg62_turbo_dev(release, name):
    assert package_index("debian", release).facts(name).runtime == ("libjpeg62-turbo",)


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["python3-dev", "libc6-dev", "linux-libc-dev"])
def test_dev_packages_without_a_runtime_library(release, name):
    facts = package_index("debian", release).facts(name)
    assert facts.known and facts.build_only
    assert facts.runtime == ()


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["gcc", "g++", "build-essential", "make", "cmake", "pkg-config",
                                  "autoconf", "libtool", "cpp", "cargo", "rustc", "golang-go"])
def test_toolchain_is_build_only(release, name):
    facts = package_index("debian", release).facts(name)
    assert facts.known and facts.build_only, facts


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["curl", "ca-certificates", "libpq5", "git", "gdb", "strace", "tzdata"])
def test_runtime_packages_are_not_build_only(release, name):
    facts = package_index("debian", release).facts(name)
    assert facts.known and not facts.build_only, facts
    assert facts.runtime == ()


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_unknown_package(release):
    facts = package_index("debian", release).facts("no-such-package-xyz")
    assert facts == type(facts)("no-such-package-xyz", False, False, (), 0)


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_version_and_arch_suffixes_are_stripped(release):
    index = package_index("debian", release)
    assert index.facts("libpq-dev=15.*").name == "libpq-dev"
    assert index.facts("libpq-dev=15.*").runtime == ("libpq5",)
    assert index.facts("gcc:amd64").build_only
    assert index.facts(" make ").build_only


def test_libssl_dev_differs_between_releases():
    assert package_index("debian", "bookworm").facts("libssl-dev").runtime == ("libssl3",)
    assert package_index("debian", "trixie").facts("libssl-dev").runtime == ("libssl3t64",)


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_default_libmysqlclient_dev_override(release):
    assert package_index("debian", release).facts("default-libmysqlclient-dev").runtime == ("libmariadb3",)


def test_virtual_package_with_one_provider_answers_for_it():
    trixie = package_index("debian", "trixie")
    facts = trixie.facts("libfreetype6-dev")  # a real package on bookworm only
    assert facts.known and facts.build_only and facts.runtime == ("libfreetype6",)
    assert not trixie.facts("libpcre3-dev").known  # gone from trixie
    assert package_index("debian", "bookworm").facts("libpcre3-dev").known


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_removed_bytes_counts_the_union_once(release):
    index = package_index("debian", release)
    gcc = index.removed_bytes(["gcc"])
    libpq = index.removed_bytes(["libpq-dev"])
    both = index.removed_bytes(["gcc", "libpq-dev"])
    assert gcc > 100 * 2**20  # gcc-NN, cpp-NN and the sanitizer runtimes
    assert gcc > index.facts("gcc").installed_size  # dependencies are counted
    assert both > max(gcc, libpq) and both <= gcc + libpq
    # g++ pulls gcc in: together they count no more than g++ alone.
    assert index.removed_bytes(["gcc", "g++"]) == index.removed_bytes(["g++"])
    assert index.removed_bytes(["gcc", "gcc", "gcc:amd64"]) == gcc
    assert index.removed_bytes(["curl", "no-such-package"]) == 0
    assert index.removed_bytes([]) == 0


def test_package_index_is_cached_and_rejects_unknown_data():
    assert package_index("debian", "trixie") is package_index("debian", "trixie")
    for family, release in [("debian", None), ("debian", "stretch"), ("ubuntu", "noble"),
                            ("debian", "../alpine"), ("fedora", None)]:
        with pytest.raises(KeyError):
            package_index(family, release)


# ---------------------------------------------------------------------------
# Older Debian releases: runtime library names differ
# ---------------------------------------------------------------------------

OLD_RUNTIME = {
    # -dev package: (bullseye, buster) runtime libraries
    "libpq-dev": (("libpq5",), ("libpq5",)),
    "libffi-dev": (("libffi7",), ("libffi6",)),
    "libssl-dev": (("libssl1.1",), ("libssl1.1",)),
    "libxml2-dev": (("libxml2",), ("libxml2",)),
    "libjpeg-dev": (("libjpeg62-turbo",), ("libjpeg62-turbo",)),
    "zlib1g-dev": (("zlib1g",), ("zlib1g",)),
    "default-libmysqlclient-dev": (("libmariadb3",), ("libmariadb3",)),
}


@pytest.mark.parametrize("release", OLD_RELEASES)
@pytest.mark.parametrize("name", sorted(OLD_RUNTIME))
def test_old_release_runtime_libraries(release, name):
    expected = OLD_RUNTIME[name][0 if release == "bullseye" else 1]
    index = package_index("debian", release)
    facts = index.facts(name)
    assert facts.known and facts.build_only, facts
    assert facts.runtime == expected
    for lib in expected:  # the library is a real, installable package of that release
        lib_facts = index.facts(lib)
        assert lib_facts.known and not lib_facts.build_only and lib_facts.installed_size > 0, lib_facts


@pytest.mark.parametrize("release", OLD_RELEASES)
@pytest.mark.parametrize("name", ["gcc", "build-essential", "python3-dev"])
def test_old_release_toolchain_is_build_only(release, name):
    facts = package_index("debian", release).facts(name)
    assert facts.known and facts.build_only, facts
    assert facts.runtime == ()


@pytest.mark.parametrize("release", OLD_RELEASES)
def test_old_release_unknown_package(release):
    index = package_index("debian", release)
    assert index.release == release
    facts = index.facts("no-such-package-xyz")
    assert facts == type(facts)("no-such-package-xyz", False, False, (), 0)


def test_bullseye_mis_sectioned_libraries_are_overridden():
    # bullseye files libndctl6/libdaxctl1 under Section libdevel.
    bullseye = package_index("debian", "bullseye")
    assert bullseye.facts("libndctl-dev").runtime == ("libndctl6",)
    assert bullseye.facts("libdaxctl-dev").runtime == ("libdaxctl1",)
    assert not bullseye.facts("libndctl6").build_only and bullseye.facts("libndctl6").known


# ---------------------------------------------------------------------------
# Alpine (curated)
# ---------------------------------------------------------------------------

def test_alpine_dev_packages():
    alpine = package_index("alpine")
    assert alpine.family == "alpine" and alpine.release is None
    assert alpine.facts("postgresql-dev").runtime == ("libpq",)
    assert alpine.facts("libpq-dev").runtime == ("libpq",)
    assert alpine.facts("openssl-dev").runtime == ("libcrypto3", "libssl3")
    assert alpine.facts("jpeg-dev").runtime == ("libjpeg-turbo",)
    assert alpine.facts("mariadb-dev").runtime == ("mariadb-connector-c",)
    assert alpine.facts("musl-dev").runtime == () and alpine.facts("musl-dev").build_only
    assert alpine.facts("python3-dev").build_only and alpine.facts("python3-dev").runtime == ()


def test_alpine_build_only_and_sizes():
    alpine = package_index("alpine")
    for name in ("build-base", "gcc", "g++", "make", "linux-headers", "cargo", "rust"):
        assert alpine.facts(name).build_only, name
    for name in ("git", "curl", "libpq", "ca-certificates"):
        facts = alpine.facts(name)
        assert facts.known and not facts.build_only, name
    assert not alpine.facts("no-such-apk").known
    assert alpine.facts("postgresql-dev=16.4-r0").name == "postgresql-dev"
    assert alpine.facts("gcc~13").build_only and alpine.facts("gcc>13").build_only
    base = alpine.removed_bytes(["build-base"])
    assert base > alpine.facts("gcc").installed_size > 0
    assert alpine.removed_bytes(["build-base", "gcc", "musl-dev"]) == base


# ---------------------------------------------------------------------------
# Base images
# ---------------------------------------------------------------------------

BASE_IMAGES = [
    # ref, family, release, from_default, full, slim_ref, language
    ("python:3.12", "debian", "trixie", True, True, "python:3.12-slim", "python"),
    ("python:3.12-bookworm", "debian", "bookworm", False, True, "python:3.12-slim-bookworm", "python"),
    ("python:3.12-slim", "debian", "trixie", True, False, None, "python"),
    ("python:3.12-slim-bookworm", "debian", "bookworm", False, False, None, "python"),
    ("python:3.11-trixie", "debian", "trixie", False, True, "python:3.11-slim-trixie", "python"),
    ("python:3.9", "debian", "bookworm", True, True, "python:3.9-slim", "python"),
    ("python", "debian", "trixie", True, True, "python:slim", "python"),
    ("python:3", "debian", "trixie", True, True, "python:3-slim", "python"),
    ("docker.io/library/python:3.12@sha256:" + "a" * 64, "debian", "trixie", True, True,
     "docker.io/library/python:3.12-slim", "python"),
    ("library/python:3.12-bookworm", "debian", "bookworm", False, True,
     "library/python:3.12-slim-bookworm", "python"),
    ("python:3.12-alpine", "alpine", None, False, False, None, "python"),
    ("python:3.12-alpine3.20", "alpine", None, False, False, None, "python"),
    ("node:20", "debian", "trixie", True, True, "node:20-slim", "node"),
    ("node:20-bookworm", "debian", "bookworm", False, True, "node:20-bookworm-slim", "node"),
    ("node:20-bookworm-slim", "debian", "bookworm", False, False, None, "node"),
    ("node:18", "debian", "bookworm", True, True, "node:18-slim", "node"),
    ("golang:1.22-bookworm", "debian", "bookworm", False, True, "debian:bookworm-slim", "go"),
    ("golang:1.22", "debian", "bookworm", True, True, "debian:bookworm-slim", "go"),
    ("golang:1.22-alpine", "alpine", None, False, False, "alpine:3", "go"),
    ("golang:1.22-alpine3.20", "alpine", None, False, False, "alpine:3.20", "go"),
    ("debian:bookworm-slim", "debian", "bookworm", False, False, None, None),
    ("debian:12", "debian", "bookworm", False, False, None, None),
    ("debian:stable-slim", "debian", "trixie", True, False, None, None),
    ("buildpack-deps:bookworm", "debian", "bookworm", False, True, "debian:bookworm-slim", None),
    ("buildpack-deps:bookworm-curl", "debian", "bookworm", False, False, None, None),
    ("ubuntu:22.04", "ubuntu", "jammy", False, False, None, None),
    ("alpine:3.20", "alpine", None, False, False, None, None),
    ("pypy:3.10-slim", "debian", "trixie", True, False, None, "python"),
    ("scratch", "scratch", None, False, False, None, None),
    ("gcr.io/distroless/python3-debian12:nonroot", "distroless", "bookworm", False, False, None, "python"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "windows", None, False, False, None, None),
    ("python:3.12-windowsservercore-ltsc2022", "windows", None, False, False, None, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", "windows", None, False, False, None, None),
    ("continuumio/miniconda3:24.1.2-0", "conda", None, False, False, None, None),
    ("docker.io/condaforge/miniforge3", "conda", None, False, False, None, None),
    ("mambaorg/micromamba:1.5", "conda", None, False, False, None, None),
    ("ghcr.io/acme/python:3.12", "unknown", None, False, False, None, None),
    ("nginx:1.27", "unknown", None, False, False, None, None),
    ("python:${PYTHON_VERSION}-slim", "unknown", None, False, False, None, None),
    ("python:@PYTHON_VERSION@", "unknown", None, False, False, None, None),   # a template, not a digest
]


def test_runtime_packages_of_a_go_image_are_what_its_os_image_lacks():
    assert describe_base_image("golang:1.22").runtime_packages == ("ca-certificates", "tzdata", "netbase")
    assert describe_base_image("golang:1.22-alpine").runtime_packages == ("ca-certificates", "tzdata")
    assert describe_base_image("python:3.12").runtime_packages == ()


@pytest.mark.parametrize("ref,family,release,from_default,full,slim_ref,language", BASE_IMAGES)
def test_describe_base_image(ref, family, release, from_default, full, slim_ref, language):
    image = describe_base_image(ref)
    assert (image.family, image.release, image.release_from_default, image.full,
            image.slim_ref, image.language) == (family, release, from_default, full, slim_ref, language)


def test_describe_base_image_splits_the_reference():
    image = describe_base_image("docker.io/library/python:3.12-slim@sha256:" + "b" * 64)
    assert (image.name, image.tag, image.digest) == ("python", "3.12-slim", "sha256:" + "b" * 64)
    image = describe_base_image("localhost:5000/team/app")
    assert (image.name, image.tag, image.digest, image.family) == ("localhost:5000/team/app", None, None, "unknown")


# ---------------------------------------------------------------------------
# The generator: derivation rules on a hand-made Packages snippet
# ---------------------------------------------------------------------------

SNIPPET = """\
Package: libfoo-dev
Source: foo (1.0-1)
Version: 1.0-1
Section: libdevel
Installed-Size: 100
Depends: libfoo1 (= 1.0-1), libbar-dev, libc6-dev | libc-dev

Package: libfoo-compat-dev
Source: foo
Version: 1.0-1
Section: libdevel
Installed-Size: 5
Depends: libfoo-dev (= 1.0-1)

Package: libfoo1
Source: foo
Version: 1.0-1
Section: libs
Installed-Size: 50
Depends: libc6 (>= 2.34)

Package: libbar-dev
Source: libbar
Version: 2.0
Section: libdevel
Installed-Size: 30
Depends: libbar2:any

Package: libbar2
Source: libbar
Version: 2.0
Section: libs
Installed-Size: 20

Package: libc6-dev
Source: glibc
Version: 2.36-9
Section: libdevel
Installed-Size: 1000
Depends: libc6 (= 2.36-9), linux-libc-dev
Provides: libc-dev

Package: libc6
Source: glibc
Version: 2.36-9
Section: libs
Installed-Size: 12000

Package: linux-libc-dev
Source: linux
Version: 6.1
Section: devel
Installed-Size: 700

Package: gcc
Source: gcc-defaults (1.203)
Version: 4:12.2.0-3
Section: devel
Installed-Size: 40
Depends: cpp (= 4:12.2.0-3), gcc-12 (>= 12.2.0-1~)

Package: gcc-12
Version: 12.2.0-14
Section: devel
Installed-Size: 60000
Depends: libasan8 (>= 12.2.0-14), libc6 (>= 2.34), binutils

Package: cpp
Source: gcc-defaults
Version: 4:12.2.0-3
Section: interpreters
Installed-Size: 30

Package: libasan8
Source: gcc-12
Version: 12.2.0-14
Section: libs
Installed-Size: 8000

Package: binutils
Version: 2.40-2
Section: devel
Installed-Size: 100

Package: gdb
Version: 13.1-3
Section: devel
Installed-Size: 11000
Depends: libc6

Package: curl
Version: 7.88.1-10
Section: web
Installed-Size: 500
Depends: libc6, libcurl4

Package: libcurl4
Version: 7.88.1-10
Section: libs
Installed-Size: 800

Package: python3-dev
Source: python3-defaults
Version: 3.11.2-1
Section: python
Installed-Size: 150
Depends: python3 (= 3.11.2-1), libpython3-dev (= 3.11.2-1)

Package: libpython3-dev
Source: python3-defaults
Version: 3.11.2-1
Section: python
Installed-Size: 37
Depends: libpython3.11-dev (>= 3.11.2-1~)

Package: libpython3.11-dev
Source: python3.11
Version: 3.11.2-6
Section: libdevel
Installed-Size: 20000
Depends: libpython3.11 (= 3.11.2-6)

Package: libpython3.11
Source: python3.11
Version: 3.11.2-6
Section: libs
Installed-Size: 5000

Package: python3
Source: python3-defaults
Version: 3.11.2-1
Section: python
Installed-Size: 80

Package: python3-six
Version: 1.16.0-4
Section: python
Installed-Size: 60
Depends: python3:any
"""

SNIPPET_OVERRIDES = {
    "build_only": {"_doc": "ignored", "cpp": "preprocessor, part of the compiler"},
    "not_build_only": {"gdb": "debugger used in the running image"},
    "runtime": {},
    "never_runtime": {"libc6": "always present"},
}

# Exactly what build_release_data must produce for SNIPPET.
# Nodes: build-only (sorted), then build-support (libasan8 and the leaf
# libraries only their -dev package needs), then other runtime libraries.
EXPECTED = {
    "format": 1,
    "family": "debian",
    "release": "testrel",
    "source": "hand-made snippet",
    "indexes": {"testrel": "Sat, 01 Jan 2000 00:00:00 UTC"},
    "nodes": "\n".join([
        "binutils", "cpp", "gcc", "gcc-12", "libbar-dev", "libc6-dev",            # 0-5
        "libfoo-compat-dev", "libfoo-dev", "libpython3-dev", "libpython3.11-dev",  # 6-9
        "linux-libc-dev", "python3-dev",                                         # 10-11
        "libasan8", "libbar2", "libfoo1", "libpython3.11",                       # 12-15 support
    ]),
    "n_build_only": 12,
    "n_support": 4,
    "size_kib": "100,30,40,60000,30,1000,5,100,37,20000,700,150,8000,20,50,5000",
    "deps": ";".join(["", "", "1,3", "0,12", "13", "10", "7", "4,5,14", "9", "15", "", "8",
                      "", "", "", ""]),
    "runtime": ";".join(["", "", "", "", "libbar2", "", "libfoo1", "libfoo1", "", "libpython3.11",
                         "", "", "", "", "", ""]),
    "other": "curl\ngdb\nlibc6\nlibcurl4\npython3\npython3-six",
    "alias_names": "libc-dev",
    "alias_targets": "libc6-dev",
}


def _parse_snippet(text: str) -> list[dict[str, str]]:
    """Minimal deb822 reader for the snippet (no continuation lines)."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        paragraphs.append(dict(line.split(": ", 1) for line in block.splitlines()))
    return paragraphs


def _build(paragraphs):
    packages = regen.merge_suites([paragraphs], newer=lambda a, b: a > b)
    return regen.build_release_data(packages, SNIPPET_OVERRIDES, "testrel", "hand-made snippet",
                                    {"testrel": "Sat, 01 Jan 2000 00:00:00 UTC"})


def test_generator_output_for_a_packages_snippet():
    doc = _build(_parse_snippet(SNIPPET))
    assert doc == EXPECTED
    # Deterministic: paragraph order does not matter, serialization is stable.
    shuffled = _parse_snippet(SNIPPET)
    random.Random(7).shuffle(shuffled)
    assert regen.dump_json(_build(shuffled)) == regen.dump_json(doc)

    # The loader reads the generated document back as intended.
    index = PackageIndex.from_document(json.loads(regen.dump_json(doc)))
    assert index.facts("libfoo-dev").runtime == ("libfoo1",)
    assert index.facts("libfoo-compat-dev").runtime == ("libfoo1",)  # through same-source -dev
    assert index.facts("python3-dev").runtime == ()  # stops at the source boundary
    assert index.facts("libc6-dev").runtime == ()  # never_runtime
    assert index.facts("cpp").build_only and not index.facts("gdb").build_only
    assert index.facts("libc-dev").runtime == () and index.facts("libc-dev").build_only
    assert index.facts("libasan8") == type(index.facts("x"))("libasan8", True, False, (), 8000 * 1024)
    kib = 1024
    assert index.removed_bytes(["gcc"]) == (40 + 30 + 60000 + 100 + 8000) * kib
    # libfoo1 and libbar2 stay (the runtime stage installs them); the -dev
    # closure and libc6-dev/linux-libc-dev go.
    assert index.removed_bytes(["libfoo-dev", "libbar-dev"]) == (100 + 30 + 1000 + 700) * kib
    assert index.removed_bytes(["gcc", "gcc-12", "binutils"]) == index.removed_bytes(["gcc"])
    assert index.removed_bytes(["gdb", "curl"]) == 0


def test_snippet_parses_the_same_with_python_debian():
    deb822 = pytest.importorskip("debian.deb822")
    parsed = [dict(p) for p in deb822.Packages.iter_paragraphs(SNIPPET.splitlines(keepends=True),
                                                               use_apt_pkg=False)]
    assert _build(parsed) == EXPECTED


def test_merge_suites_keeps_the_newest_version():
    pytest.importorskip("debian.debian_support")
    merged = regen.merge_suites([
        [{"Package": "libssl3", "Version": "3.0.15-1~deb12u1"}],
        [{"Package": "libssl3", "Version": "3.0.17-1~deb12u2"}, {"Package": "x", "Version": "1"}],
        [{"Package": "libssl3", "Version": "3.0.9-1"}],
    ])
    assert merged["libssl3"]["Version"] == "3.0.17-1~deb12u2" and set(merged) == {"libssl3", "x"}


def test_every_release_with_data_is_configured_once():
    shipped = {p.name[len("debian-"):-len(".json")] for p in DATA.glob("debian-*.json")}
    assert {"bullseye", "bookworm", "trixie"} <= shipped <= set(regen.RELEASES)
    assert {"buster", "bullseye", "bookworm", "trixie"} <= set(regen.RELEASES)
    for release, suites in regen.RELEASES.items():
        assert suites[0].suite == release and not suites[0].optional
        assert len({s.suite for s in suites}) == len(suites)


def test_buster_comes_from_the_archive_with_its_keys():
    buster = regen.RELEASES["buster"]
    assert [(s.mirror, s.suite) for s in buster] == [
        (regen.ARCHIVE, "buster"), (regen.ARCHIVE, "buster-updates"),
        (regen.ARCHIVE_SECURITY, "buster/updates")]
    assert [s.optional for s in buster] == [False, True, False]
    assert all(regen.REMOVED_KEYRING in s.keyrings and not s.check_valid_until for s in buster)
    for release in ("bullseye", "bookworm", "trixie"):
        suites = regen.RELEASES[release]
        assert [(s.mirror, s.suite) for s in suites] == [
            (regen.MIRROR, release), (regen.MIRROR, f"{release}-updates"),
            (regen.SECURITY_MIRROR, f"{release}-security")]
        assert all(s.keyrings == (regen.KEYRING,) and s.check_valid_until and not s.optional
                   for s in suites)


def test_source_stanzas_skip_valid_until_for_the_archive_only():
    text = regen.source_stanzas(["buster", "bullseye", "bookworm"])
    stanzas = {dict(line.split(": ", 1) for line in block.splitlines())["URIs"]: block.strip() + "\n"
               for block in text.split("\n\n")}
    assert set(stanzas) == {regen.ARCHIVE, regen.ARCHIVE_SECURITY, regen.MIRROR, regen.SECURITY_MIRROR}
    assert "Suites: buster buster-updates\n" in stanzas[regen.ARCHIVE]
    assert "Suites: buster/updates\n" in stanzas[regen.ARCHIVE_SECURITY]
    assert "Suites: bullseye bullseye-updates bookworm bookworm-updates\n" in stanzas[regen.MIRROR]
    for uri in (regen.ARCHIVE, regen.ARCHIVE_SECURITY):
        assert "Check-Valid-Until: no\n" in stanzas[uri]
        assert f"Signed-By: {regen.REMOVED_KEYRING} {regen.KEYRING}\n" in stanzas[uri]
    for uri in (regen.MIRROR, regen.SECURITY_MIRROR):
        assert "Check-Valid-Until" not in stanzas[uri]
        assert f"Signed-By: {regen.KEYRING}\n" in stanzas[uri]
    current = regen.source_stanzas(["bookworm", "trixie"])
    assert regen.ARCHIVE not in current and "Check-Valid-Until" not in current


def _write_buster_lists(lists: Path) -> None:
    """buster's main and security indexes (no buster-updates) as apt names them."""
    names = {
        (regen.ARCHIVE, "buster"): "Package: libffi6\nVersion: 3.2.1-9\nSection: libs\n",
        (regen.ARCHIVE_SECURITY, "buster/updates"): "Package: libffi6\nVersion: 3.2.1-9+deb10u1\nSection: libs\n",
    }
    for (mirror, suite), text in names.items():
        regen._index_file(lists, mirror, suite, regen.PACKAGES_SUFFIX).write_text(text)
        regen._index_file(lists, mirror, suite, "InRelease").write_text(f"Suite: x\nDate: {suite} date\n")


def test_missing_indexes_tolerate_only_the_optional_suites(tmp_path):
    _write_buster_lists(tmp_path)
    assert regen._index_file(tmp_path, regen.ARCHIVE_SECURITY, "buster/updates", "InRelease").name == (
        "archive.debian.org_debian-security_dists_buster_updates_InRelease")
    buster = regen.RELEASES["buster"]
    assert regen.missing_indexes(tmp_path, ["buster"]) == ([], [buster[1]])  # buster-updates
    assert regen.missing_indexes(tmp_path, ["buster", "bullseye"])[0] == list(regen.RELEASES["bullseye"])
    regen._index_file(tmp_path, regen.ARCHIVE_SECURITY, "buster/updates", regen.PACKAGES_SUFFIX).unlink()
    assert regen.missing_indexes(tmp_path, ["buster"]) == ([buster[2]], [buster[1]])


def test_read_release_needs_every_suite_but_the_optional_ones(tmp_path):
    pytest.importorskip("debian.deb822")
    _write_buster_lists(tmp_path)
    packages, dates = regen.read_release(tmp_path, "buster")  # buster-updates is optional
    assert packages["libffi6"]["Version"] == "3.2.1-9+deb10u1"  # the security update wins
    assert dates == {"buster": "buster date", "buster/updates": "buster/updates date"}
    regen._index_file(tmp_path, regen.ARCHIVE_SECURITY, "buster/updates", regen.PACKAGES_SUFFIX).unlink()
    with pytest.raises(FileNotFoundError):
        regen.read_release(tmp_path, "buster")


def test_relation_parsing():
    assert regen.relation_groups("perl:any, libc6 (>= 2.34) | libc-dev, python3:any (>= 3.7~) [amd64]") == [
        ["perl"], ["libc6", "libc-dev"], ["python3"]]
    assert regen.relation_groups(None) == []


# ---------------------------------------------------------------------------
# The shipped data is what the sources say
# ---------------------------------------------------------------------------

def test_alpine_json_is_generated_from_the_curated_toml():
    with open(ROOT / "scripts" / "alpine_packages.toml", "rb") as fh:
        expected = regen.dump_json(regen.build_alpine_data(tomllib.load(fh)))
    assert (ROOT / "migrator" / "data" / "alpine.json").read_text(encoding="utf-8") == expected


def test_every_override_has_a_reason_and_the_debian_data_applies_them():
    overrides = json.loads((ROOT / "migrator" / "data" / "package-overrides.json").read_text())
    regen.check_overrides(overrides["debian"])
    shipped = [p.name[len("debian-"):-len(".json")] for p in sorted(DATA.glob("debian-*.json"))]
    for release in shipped:
        index = package_index("debian", release)
        assert "Packages index" in index.source and release in index.source
        assert all(mirror in index.source for mirror in regen.release_mirrors(release))
        assert not index.facts("gdb").build_only  # not_build_only override
        assert index.facts("dpkg-dev").build_only  # build_only override (Section utils)
        assert index.facts("gfortran").runtime == ("libgfortran5",)  # runtime override

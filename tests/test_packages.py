"""Package knowledge (migrator.analysis.packages) and the generator behind its data."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from migrator.analysis.packages import (
    ImageFacts,
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
# Commands of build-only packages (from the archive's Contents indexes)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_gettext_stays_a_runtime_package(release):
    # package-overrides.json: Django's compilemessages runs its msgfmt, often from an entrypoint script
    assert not package_index("debian", release).facts("gettext").build_only


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("package,command", [
    ("bison", "bison"), ("flex", "flex"), ("make", "make"), ("gcc", "gcc"),
    ("gcc", "cc"),        # update-alternatives link (package-overrides.json)
    ("g++", "g++"), ("g++", "c++"), ("cmake", "cmake"), ("python3-dev", "python3-config"),
    ("libpq-dev", "pg_config"), ("autoconf", "autoreconf"),  # Architecture: all (Contents-all)
    ("automake", "automake"), ("dpkg-dev", "dpkg-buildpackage"), ("pkgconf", "pkg-config"),
])
def test_build_only_package_provides_command(release, package, command):
    index = package_index("debian", release)
    facts = index.facts(package)
    assert facts.build_only and command in facts.commands, facts
    assert index.commands_of([package])[command] == package


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_build_essential_closure_provides_the_toolchain(release):
    index = package_index("debian", release)
    assert index.facts("build-essential").commands == ()  # a meta package ships none itself
    dropped = index.commands_of(["build-essential"])
    for command in ("make", "gcc", "g++", "cc", "c++", "cpp", "ld", "as", "dpkg-buildpackage"):
        assert dropped[command] == "build-essential", command
    providers = index.command_providers(["build-essential"])
    assert providers["make"] == ("build-essential", "make")
    assert providers["g++"] == ("build-essential", "g++")
    assert providers["dpkg-buildpackage"] == ("build-essential", "dpkg-dev")
    # Own commands first, then the first name (in the order given) that pulls it.
    both = index.command_providers(["build-essential", "make"])
    assert both["make"] == ("make", "make") and both["gcc"] == ("build-essential", "gcc")
    assert index.commands_of(["gcc:amd64"])["gcc"] == "gcc:amd64"  # the name as given
    assert index.commands_unknown(["build-essential"]) == []


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_python3_dev_ships_python3_config(release):
    index = package_index("debian", release)
    assert index.facts("python3-dev").commands == ("python3-config",)
    dropped = index.commands_of(["python3-dev"])
    version = {"bullseye": "3.9", "bookworm": "3.11", "trixie": "3.13"}[release]
    assert dropped[f"python{version}-config"] == "python3-dev"  # from python3.X-dev
    assert "python3" not in dropped and f"python{version}" not in dropped  # the interpreter stays


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["libpq5", "libssl3", "zlib1g", "curl", "git", "python3", "tzdata",
                                  "no-such-package-xyz"])
def test_runtime_packages_provide_no_command(release, name):
    index = package_index("debian", release)
    assert index.facts(name).commands == ()
    assert index.commands_of([name]) == {}  # not build-only: nothing is dropped


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
@pytest.mark.parametrize("name", ["libssl-dev", "zlib1g-dev", "libffi-dev", "libc6-dev"])
def test_plain_dev_packages_ship_no_command(release, name):
    index = package_index("debian", release)
    assert index.facts(name).build_only and index.facts(name).commands == ()
    # What they pull along: libc6-dev's libc-dev-bin (gencat) and rpcsvc-proto (rpcgen).
    assert set(index.command_providers([name]).values()) <= {
        (name, "libc-dev-bin"), (name, "rpcsvc-proto")}


def test_commands_unknown_names_security_only_packages():
    # bullseye-security carries a backported clang-19 that no Contents lists.
    bullseye = package_index("debian", "bullseye")
    assert "clang-19" in bullseye.commands_unknown(["clang-19"])
    assert bullseye.facts("clang-19").build_only and bullseye.facts("clang-19").commands == ()
    # What is known of its closure still counts (binutils' ld...).
    assert bullseye.command_providers(["clang-19"])["ld"] == ("clang-19", "binutils")


@pytest.mark.parametrize("release", DEBIAN_RELEASES)
def test_commands_provenance(release):
    index = package_index("debian", release)
    assert "Contents indexes" in index.source
    contents = index._doc["contents_indexes"]
    assert contents and all(" UTC" in date for date in contents.values())
    # Everything build-only/build-support has a file list, but a few
    # security-only packages (see commands_unknown).
    unknown = index._doc["commands_unknown"].split()
    assert len(unknown) < 0.01 * (index._doc["n_build_only"] + index._doc["n_support"])


def test_alpine_commands():
    alpine = package_index("alpine")
    assert {"gcc", "cc"} <= set(alpine.facts("gcc").commands)
    assert alpine.facts("make").commands == ("make",)
    assert alpine.facts("musl-dev").commands == () and alpine.facts("musl-dev").build_only
    assert alpine.facts("libffi-dev").commands == ()  # a -dev package without commands ships none
    assert alpine.facts("git").commands == ()
    dropped = alpine.commands_of(["build-base"])
    for command in ("make", "gcc", "cc", "g++", "c++", "ld"):
        assert dropped[command] == "build-base", command
    assert alpine.command_providers(["build-base"])["c++"] == ("build-base", "g++")
    assert alpine.commands_of(["cargo"])["rustc"] == "cargo"
    assert alpine.commands_unknown(["build-base"]) == []


def test_loader_rejects_the_old_format():
    document = json.loads((DATA / "debian-bookworm.json").read_text(encoding="utf-8"))
    document["format"] = 1
    with pytest.raises(ValueError):
        PackageIndex.from_document(document)


def test_whitespace_in_a_name_is_not_a_package():
    index = package_index("debian", "bookworm")
    assert not index.facts("curl git").known  # two neighbours in the name lists
    assert index.facts(" curl ").known


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
    ("python:3.12-alpine3.20", "alpine", "3.20", False, False, None, "python"),
    ("alpine:3.12.1", "alpine", "3.12", False, False, None, None),
    ("node:20", "debian", "bookworm", True, True, "node:20-slim", "node"),
    ("node:20-bookworm", "debian", "bookworm", False, True, "node:20-bookworm-slim", "node"),
    ("node:20-bookworm-slim", "debian", "bookworm", False, False, None, "node"),
    ("node:18", "debian", "bookworm", True, True, "node:18-slim", "node"),
    ("golang:1.22-bookworm", "debian", "bookworm", False, True, "debian:bookworm-slim", "go"),
    ("golang:1.22", "debian", "bookworm", True, True, "debian:bookworm-slim", "go"),
    ("golang:1.14.4", "debian", "buster", True, True, "debian:buster-slim", "go"),
    ("golang:1.22-alpine", "alpine", None, False, False, "alpine:3", "go"),
    ("golang:1.22-alpine3.20", "alpine", "3.20", False, False, "alpine:3.20", "go"),
    ("debian:bookworm-slim", "debian", "bookworm", False, False, None, None),
    ("debian:12", "debian", "bookworm", False, False, None, None),
    ("debian:stable-slim", "debian", "trixie", True, False, None, None),
    ("buildpack-deps:bookworm", "debian", "bookworm", False, True, "debian:bookworm-slim", None),
    ("buildpack-deps:bookworm-curl", "debian", "bookworm", False, False, None, None),
    ("ubuntu:22.04", "ubuntu", "jammy", False, False, None, None),
    ("alpine:3.20", "alpine", "3.20", False, False, None, None),
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
    # Older Debian releases: the slim sibling follows each image's own tag naming
    ("python:3.7-stretch", "debian", "stretch", False, True, "python:3.7-slim-stretch", "python"),
    ("python:3.6-jessie", "debian", "jessie", False, True, "python:3.6-slim-jessie", "python"),
    ("python:3.8-buster", "debian", "buster", False, True, "python:3.8-slim-buster", "python"),
    ("python:3.14-rc-trixie", "debian", "trixie", False, True, "python:3.14-rc-slim-trixie", "python"),
    ("python:2.7-wheezy", "debian", "wheezy", False, True, None, "python"),     # never had a slim tag
    ("python:3.6-onbuild", "debian", "bullseye", True, True, None, "python"),  # ONBUILD image: no slim sibling
    ("node:10-stretch", "debian", "stretch", False, True, "node:10-stretch-slim", "node"),
    ("node:8-jessie", "debian", "jessie", False, True, "node:8-jessie-slim", "node"),
    ("node:lts-bookworm", "debian", "bookworm", False, True, "node:lts-bookworm-slim", "node"),
    ("node:iron", "debian", "bookworm", True, True, "node:iron-slim", "node"),
    ("pypy:3.10-7.3.17-bookworm", "debian", "bookworm", False, True, "pypy:3.10-7.3.17-slim-bookworm", "python"),
    ("buildpack-deps:stretch", "debian", "stretch", False, True, "debian:stretch-slim", None),
    ("debian:9", "debian", "stretch", False, False, None, None),
    # A floating builder tag gets a runtime that follows it; a series left behind keeps its release
    ("golang:latest", "debian", "trixie", True, True, "debian:stable-slim", "go"),
    ("golang", "debian", "trixie", True, True, "debian:stable-slim", "go"),
    ("golang:1", "debian", "trixie", True, True, "debian:stable-slim", "go"),
    ("golang:1.25", "debian", "trixie", True, True, "debian:stable-slim", "go"),
    ("golang:1.25.3", "debian", "trixie", True, True, "debian:trixie-slim", "go"),
    ("golang:1.16-stretch", "debian", "stretch", False, True, "debian:stretch-slim", "go"),
    ("golang:1.25-bookworm", "debian", "bookworm", False, True, "debian:bookworm-slim", "go"),
    # Ubuntu: every tag form, the release as its codename
    ("ubuntu", "ubuntu", "noble", True, False, None, None),
    ("ubuntu:latest", "ubuntu", "noble", True, False, None, None),
    ("ubuntu:16.04", "ubuntu", "xenial", False, False, None, None),
    ("ubuntu:18.04", "ubuntu", "bionic", False, False, None, None),
    ("ubuntu:20.04", "ubuntu", "focal", False, False, None, None),
    ("ubuntu:23.04", "ubuntu", "lunar", False, False, None, None),
    ("ubuntu:24.04", "ubuntu", "noble", False, False, None, None),
    ("ubuntu:focal", "ubuntu", "focal", False, False, None, None),
    ("ubuntu:jammy-20240530", "ubuntu", "jammy", False, False, None, None),
    ("docker.io/library/ubuntu:22.04", "ubuntu", "jammy", False, False, None, None),
    ("buildpack-deps:jammy", "ubuntu", "jammy", False, True, None, None),
    # Third-party bases (base-images.json "third_party", each citing its Dockerfiles)
    ("nvidia/cuda:12.2.0-devel-ubuntu22.04", "ubuntu", "jammy", False, True,
     "nvidia/cuda:12.2.0-runtime-ubuntu22.04", None),
    ("nvidia/cuda:12.6.3-cudnn-devel-ubuntu24.04", "ubuntu", "noble", False, True,
     "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04", None),
    ("nvidia/cuda:11.8.0-cudnn8-devel-ubuntu20.04", "ubuntu", "focal", False, True,
     "nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu20.04", None),
    ("nvcr.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04", "ubuntu", "jammy", False, False, None, None),
    ("nvidia/cuda:11.0.3-base-ubuntu18.04", "ubuntu", "bionic", False, False, None, None),
    ("nvidia/cuda:12.2.0-devel-ubi8", "unknown", None, False, False, None, None),   # RPM based: no facts
    ("apache/airflow:2.9.0", "debian", "bookworm", True, False, None, "python"),
    ("apache/airflow:slim-2.10.2-python3.12", "debian", "bookworm", True, False, None, "python"),
    ("apache/airflow:2.5.1-python3.9", "debian", "bullseye", True, False, None, "python"),
    ("apache/airflow:2.1.1-python3.8", "debian", "buster", True, False, None, "python"),
    ("apache/airflow", "debian", "bookworm", True, False, None, "python"),
    ("docker.io/apache/airflow:latest-python3.11", "debian", "bookworm", True, False, None, "python"),
    ("nikolaik/python-nodejs:python3.12-nodejs22", "debian", "trixie", True, True,
     "nikolaik/python-nodejs:python3.12-nodejs22-slim", "python"),
    ("nikolaik/python-nodejs:python3.11-nodejs20-bookworm", "debian", "bookworm", False, True, None, "python"),
    ("nikolaik/python-nodejs:python3.11-nodejs20-slim", "debian", "trixie", True, False, None, "python"),
    ("nikolaik/python-nodejs:python3.11-nodejs20-alpine", "alpine", None, False, False, None, "python"),
    ("nikolaik/python-nodejs", "debian", "trixie", True, True, None, "python"),
    ("tiangolo/uvicorn-gunicorn-fastapi:python3.11", "debian", "trixie", True, True,
     "tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim", "python"),
    ("tiangolo/uvicorn-gunicorn:python3.9", "debian", "bookworm", True, True,
     "tiangolo/uvicorn-gunicorn:python3.9-slim", "python"),
    ("tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim", "debian", "trixie", True, False, None, "python"),
    ("tiangolo/uvicorn-gunicorn-fastapi:python3.7", "debian", "bullseye", True, True, None, "python"),  # no -slim
    ("tiangolo/uvicorn-gunicorn-fastapi:python3.9-2025-11-09", "debian", "bookworm", True, True, None, "python"),
    ("tiangolo/uvicorn-gunicorn-fastapi", "debian", "trixie", True, True, None, "python"),   # latest moves
    ("tiangolo/uvicorn-gunicorn-starlette:python-3.8", "debian", "bookworm", True, True,
     "tiangolo/uvicorn-gunicorn-starlette:python-3.8-slim", "python"),
    ("tiangolo/uvicorn-gunicorn:python3.8-alpine3.10", "alpine", "3.10", False, False, None, "python"),
    ("tiangolo/meinheld-gunicorn-flask:python3.9", "debian", "bookworm", False, True, None, "python"),
    ("tiangolo/uwsgi-nginx-flask:python3.12", "debian", "trixie", True, True, None, "python"),
    ("someone/python-nodejs:python3.12-nodejs22", "unknown", None, False, False, None, None),
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


@pytest.mark.parametrize("ref", [ref for ref, *_ in BASE_IMAGES])
def test_every_slim_sibling_is_a_known_non_full_image_of_the_same_family(ref):
    """A runtime moved to ``slim_ref`` must land on a tag the data describes
    as slim, of the same family (the tag mapping never invents a tag the
    data would not recognise)."""
    image = describe_base_image(ref)
    if image.slim_ref is None:
        return
    slim = describe_base_image(image.slim_ref)
    assert not slim.full and slim.family == image.family
    if image.release and not image.floating and slim.family in ("debian", "ubuntu"):
        assert slim.release == image.release


def test_floating_tags_are_flagged():
    assert describe_base_image("golang:1").floating and describe_base_image("python:3").floating
    assert describe_base_image("debian:stable-slim").floating and describe_base_image("ubuntu").floating
    assert not describe_base_image("golang:1.22").floating          # left on bookworm for good
    assert not describe_base_image("python:3.12-bookworm").floating  # the release is spelled
    assert not describe_base_image("ubuntu:22.04").floating


def test_python_interpreter_of_the_image():
    assert describe_base_image("python:3.12-slim").python == "/usr/local/bin/python"
    assert describe_base_image("pypy:3.10").python == "/usr/local/bin/pypy3"
    assert describe_base_image("apache/airflow:2.9.0").python == "/usr/local/bin/python"
    for ref in ("debian:bookworm", "ubuntu:22.04", "alpine:3.20", "node:20", "nvidia/cuda:12.2.0-devel-ubuntu22.04"):
        assert describe_base_image(ref).python is None, ref


def test_users_of_third_party_images():
    airflow = describe_base_image("apache/airflow:2.9.0-python3.11")
    assert airflow.users == (("airflow", "50000:0"),) and airflow.runs_as == "airflow"
    assert describe_base_image("nikolaik/python-nodejs:python3.12-nodejs22").users == (("pn", "1000:1000"),)
    assert describe_base_image("nikolaik/python-nodejs:python3.12-nodejs22").runs_as is None   # root
    assert "supervisord" in describe_base_image("tiangolo/uwsgi-nginx-flask:python3.12").needs_root
    # Their commands run Python packages the image installed: a new virtualenv would hide the app's from them.
    assert "gunicorn" in describe_base_image("tiangolo/uvicorn-gunicorn-fastapi:python3.11").own_python_packages
    assert "/home/airflow/.local" in describe_base_image("apache/airflow:2.9.0").own_python_packages
    assert describe_base_image("nikolaik/python-nodejs:python3.12-nodejs22").own_python_packages is None
    assert describe_base_image("python:3.12").own_python_packages is None
    # Their own command runs the app a child image adds: a file without CMD is still run as it is.
    assert describe_base_image("tiangolo/uvicorn-gunicorn-fastapi:python3.11").command == "/start.sh"
    assert "port 80" in describe_base_image("tiangolo/uvicorn-gunicorn-fastapi:python3.11").needs_root
    assert describe_base_image("python:3.12").command is None   # CMD python3: a prompt, not an app
    assert describe_base_image("apache/airflow").facts_from == "base-images.json"


def test_ubuntu_images_from_23_04_have_the_ubuntu_user():
    for ref in ("ubuntu:24.04", "ubuntu:lunar", "ubuntu", "buildpack-deps:noble",
                "nvidia/cuda:12.6.3-runtime-ubuntu24.04"):
        assert describe_base_image(ref).users == (("ubuntu", "1000:1000"),), ref
    for ref in ("ubuntu:22.04", "ubuntu:18.04", "nvidia/cuda:12.2.0-devel-ubuntu22.04", "debian:trixie"):
        assert describe_base_image(ref).users == (), ref


def test_conda_images_stay_refused_on_every_registry():
    for ref in ("continuumio/miniconda3:24.1.2-0", "docker.io/continuumio/anaconda3", "continuumio/miniconda3"):
        assert describe_base_image(ref).family == "conda", ref


def test_third_party_data_cites_its_sources():
    data = json.loads((DATA / "base-images.json").read_text("utf-8"))
    for name, entry in data["third_party"].items():
        if name.startswith("_"):
            continue
        assert "Dockerfile" in entry["comments"] or "dockerfile" in entry["comments"], name
        for rule in entry["tags"]:
            assert ("image" in rule) != ("family" in rule), (name, rule)


def test_no_facts_reason_names_the_configuration_key():
    reason = describe_base_image("ghcr.io/acme/python:3.12").no_facts_reason()
    assert reason == ("base image ghcr.io/acme/python:3.12 is an image the tool has no facts for; declare its "
                      "family, Python and users under [tool.dockerfile-migrator.images] in pyproject.toml or "
                      ".dockerfile-migrator.toml")
    assert describe_base_image("acme/base").no_facts_reason("Python interpreter").startswith(
        "base image acme/base is an image the tool has no facts for; declare its Python interpreter under "
        "[tool.dockerfile-migrator.images]")
    assert "build argument" in describe_base_image("python:${V}").no_facts_reason()


def _facts(pattern, **table):
    return ImageFacts.from_table(pattern, table)


def test_configured_facts_describe_an_unknown_image():
    images = (_facts("registry.example.com/platform/*", family="debian", release="bookworm",
                     python="/usr/local/bin/python", users={"app": "1000:1000"}),)
    image = describe_base_image("registry.example.com/platform/python:3.12", images)
    assert (image.family, image.release, image.release_from_default, image.language, image.python, image.users,
            image.full, image.slim_ref, image.runs_as) == (
        "debian", "bookworm", False, "python", "/usr/local/bin/python", (("app", "1000:1000"),), False, None, None)
    assert image.name == "registry.example.com/platform/python" and image.tag == "3.12"
    assert describe_base_image("registry.example.com/other/python:3.12", images).family == "unknown"


def test_configured_facts_win_over_the_bundled_data():
    # The same family: what the entry declares wins, the rest stays as bundled.
    images = (_facts("python:*", family="debian", users={"app": "1000:1000"}),)
    image = describe_base_image("python:3.12-bookworm", images)
    assert image.users == (("app", "1000:1000"),)
    assert (image.release, image.full, image.slim_ref, image.python) == (
        "bookworm", True, "python:3.12-slim-bookworm", "/usr/local/bin/python")
    # Another family: the bundled facts no longer apply.
    image = describe_base_image("nvidia/cuda:12.2.0-devel-ubuntu22.04",
                                (_facts("nvidia/cuda:*", family="debian", release="bookworm"),))
    assert (image.family, image.release, image.full, image.slim_ref) == ("debian", "bookworm", False, None)
    # Declared full with a slim template: {name} and {tag} of the FROM.
    image = describe_base_image("docker.io/acme/base:1.4", (_facts("acme/base", family="ubuntu", release="jammy",
                                                                   full=True, slim="{name}:{tag}-runtime"),))
    assert image.slim_ref == "docker.io/acme/base:1.4-runtime"
    # The first matching glob wins; a tagged glob matches name:tag, latest when untagged.
    images = (_facts("acme/base:*-alpine", family="alpine"), _facts("acme/*", family="debian"))
    assert describe_base_image("acme/base:2-alpine", images).family == "alpine"
    assert describe_base_image("acme/base", images).family == "debian"
    # Scratch and unresolved build arguments are never configured away.
    assert describe_base_image("scratch", (_facts("*", family="debian"),)).family == "scratch"
    assert describe_base_image("acme/${BASE}", (_facts("*", family="debian"),)).family == "unknown"
    assert describe_base_image("python:@PYTHON_VERSION@", (_facts("*", family="debian"),)).family == "unknown"


def test_describe_base_image_keeps_its_cache_and_its_default():
    images = (_facts("acme/*", family="alpine", release="3.20"),)
    first = describe_base_image("acme/app:1", images)
    assert describe_base_image("acme/app:1", images) is first
    assert describe_base_image("acme/app:1").family == "unknown"   # callers without configuration
    assert describe_base_image("acme/app:1", list(images)) is first  # any iterable of entries


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
    "commands": {"gcc": {"commands": ["cc"], "reason": "update-alternatives link"},
                 "curl": {"commands": ["never-stored"], "reason": "not build-only: ignored"}},
}

# What the Contents indexes would say of the snippet's packages (see
# merge_commands): every build-only/build-support node but libpython3.11-dev,
# whose file list is "unknown"; libfoo1 ships a helper to check that the
# runtime libraries a -dev package stands for keep their commands.
SNIPPET_COMMANDS = {
    "binutils": ["ld", "as"], "cpp": ["cpp"], "gcc": ["gcc", "gcc-ar"], "gcc-12": ["gcc-12"],
    "libbar-dev": [], "libc6-dev": [], "libfoo-compat-dev": [], "libfoo-dev": ["foo-config"],
    "libpython3-dev": [], "linux-libc-dev": [], "python3-dev": ["python3-config"],
    "libasan8": [], "libbar2": [], "libfoo1": ["foo-helper"], "libpython3.11": [],
    "gdb": ["gdb"], "curl": ["curl"],  # not build-only: not stored
}

# Exactly what build_release_data must produce for SNIPPET.
# Nodes: build-only (sorted), then build-support (libasan8 and the leaf
# libraries only their -dev package needs), then other runtime libraries.
EXPECTED = {
    "format": 2,
    "family": "debian",
    "release": "testrel",
    "source": "hand-made snippet",
    "indexes": {"testrel": "Sat, 01 Jan 2000 00:00:00 UTC"},
    "nodes": " ".join([
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
    "commands": ";".join(["as ld", "cpp", "cc gcc gcc-ar", "gcc-12", "", "", "", "foo-config", "",
                          "", "", "python3-config", "", "", "foo-helper", ""]),
    "commands_unknown": "libpython3.11-dev",
    "contents_indexes": {"testrel": "Sat, 02 Jan 2000 00:00:00 UTC"},
    "other": "curl gdb libc6 libcurl4 python3 python3-six",
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
                                    {"testrel": "Sat, 01 Jan 2000 00:00:00 UTC"}, SNIPPET_COMMANDS,
                                    {"testrel": "Sat, 02 Jan 2000 00:00:00 UTC"})


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

    # Commands: a package's own, and those of what its removal pulls along.
    assert index.facts("gcc").commands == ("cc", "gcc", "gcc-ar")  # with the override's cc
    assert index.facts("curl").commands == () and index.facts("gdb").commands == ()
    assert index.commands_of(["gcc"]) == {
        "cc": "gcc", "gcc": "gcc", "gcc-ar": "gcc", "cpp": "gcc", "gcc-12": "gcc", "as": "gcc", "ld": "gcc"}
    assert index.command_providers(["gcc:amd64"])["ld"] == ("gcc:amd64", "binutils")
    # A name's own commands map to it even when another name's closure has them.
    assert index.command_providers(["gcc", "binutils"])["ld"] == ("binutils", "binutils")
    assert index.command_providers(["gcc", "gcc-12"])["cpp"] == ("gcc", "cpp")
    # libfoo1 stays (the runtime stage installs it), so its helper does too.
    assert index.commands_of(["libfoo-dev"]) == {"foo-config": "libfoo-dev"}
    assert "foo-helper" not in index.commands_of(["libfoo-compat-dev", "libfoo-dev"])
    assert index.commands_of(["gdb", "curl", "libfoo1", "no-such-package"]) == {}
    assert index.commands_of(["python3-dev"]) == {"python3-config": "python3-dev"}
    assert index.commands_unknown(["python3-dev"]) == ["libpython3.11-dev"]
    assert index.commands_unknown(["gcc"]) == []


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
# The generator: commands from Contents indexes
# ---------------------------------------------------------------------------

CONTENTS_SNIPPET = b"""\
bin/bash                                                shells/bash
bin/ls                                                  utils/coreutils
sbin/ldconfig                                           libs/libc-bin
usr/bin/gcc-12                                          devel/gcc-12
usr/bin/make                                            devel/make,devel/make-guile
usr/bin/msgfmt                                          devel/gettext
usr/bin/weird name                                      devel/weird
usr/bin/semi;colon                                      devel/weird
usr/bin/subdir/tool                                     devel/weird
usr/bin/x86_64-linux-gnu-gcc-12                         devel/gcc-12
usr/lib/gcc/x86_64-linux-gnu/12/cc1                     devel/gcc-12
usr/libexec/helper                                      devel/weird
usr/local/bin/nothing                                   devel/weird
usr/sbin/update-foo                                     contrib/admin/foo-tools
usr/share/doc/make/README                               devel/make
"""


def test_parse_contents_takes_executables_only():
    assert regen.parse_contents(CONTENTS_SNIPPET.splitlines(keepends=True)) == {
        "bash": {"bash"}, "coreutils": {"ls"}, "libc-bin": {"ldconfig"},
        "gcc-12": {"gcc-12", "x86_64-linux-gnu-gcc-12"},
        "make": {"make"}, "make-guile": {"make"},  # a file of two packages counts for both
        "gettext": {"msgfmt"},
        "foo-tools": {"update-foo"},  # component/section/package
    }


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 64, 1 << 20])
def test_command_lines_across_chunk_boundaries(chunk_size):
    import io

    wanted = [line for line in CONTENTS_SNIPPET.split(b"\n")
              if line.startswith((b"bin/", b"sbin/", b"usr/bin/", b"usr/sbin/"))]
    assert list(regen.command_lines(io.BytesIO(CONTENTS_SNIPPET), chunk_size)) == wanted
    # No final newline, and a file that starts with a wanted line.
    assert list(regen.command_lines(io.BytesIO(b"usr/bin/a  x/a"), chunk_size)) == [b"usr/bin/a  x/a"]
    assert list(regen.command_lines(io.BytesIO(b""), chunk_size)) == []


def test_merge_commands_takes_the_file_list_of_the_same_version():
    packages = {
        "gcc-12": {"Version": "12.2.0-14"},          # in the release suite
        "tool": {"Version": "2.0"},                   # updated in -updates
        "patched": {"Version": "1.0+deb12u1"},        # security update: no Contents there
        "new-in-security": {"Version": "1.0"},        # only in -security
    }
    release = regen.ContentsSource("rel", {"gcc-12": "12.2.0-14", "tool": "1.0", "patched": "1.0"},
                                   {"gcc-12": {"gcc-12"}, "tool": {"tool-old"}, "patched": {"patched"}})
    updates = regen.ContentsSource("rel-updates", {"tool": "2.0"}, {"tool": {"tool", "tool-new"}})
    security = regen.ContentsSource("rel-security", {"patched": "1.0+deb12u1", "new-in-security": "1.0"}, None)
    commands, provenance = regen.merge_commands(packages, [release, updates, security],
                                                newer=lambda a, b: a > b)
    assert commands == {"gcc-12": ["gcc-12"], "tool": ["tool", "tool-new"], "patched": ["patched"]}
    assert provenance == {"exact": ["gcc-12", "tool"], "other_version": ["patched"],
                          "unknown": ["new-in-security"]}


RELEASE_TEXT = """\
-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Origin: Debian
Codename: testrel
Date: Sat, 01 Jan 2000 00:00:00 UTC
Acquire-By-Hash: yes
MD5Sum:
 00000000000000000000000000000000 {size_amd64} main/Contents-amd64.gz
SHA256:
 {sha_amd64} {size_amd64} main/Contents-amd64.gz
 {sha_all} {size_all} main/Contents-all.gz
 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 0 main/binary-amd64/Packages
-----BEGIN PGP SIGNATURE-----

iQIzBAEBCAAdFiEE
-----END PGP SIGNATURE-----
"""


def _gz(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


def _fake_mirror(tmp_path, files, *, contents_all=True):
    """A lists folder as apt leaves it for suite testrel of MIRROR, and what the mirror serves."""
    import hashlib

    amd64, all_ = _gz(files["amd64"]), _gz(files["all"])
    text = RELEASE_TEXT.format(sha_amd64=hashlib.sha256(amd64).hexdigest(), size_amd64=len(amd64),
                               sha_all=hashlib.sha256(all_).hexdigest(), size_all=len(all_))
    if not contents_all:
        text = "\n".join(line for line in text.splitlines() if "Contents-all" not in line) + "\n"
    regen._index_file(tmp_path, regen.MIRROR, "testrel", "InRelease").write_text(text)
    regen._index_file(tmp_path, regen.MIRROR, "testrel", regen.PACKAGES_SUFFIX).write_text(
        "Package: make\nVersion: 4.3-4.1\n\nPackage: autoconf\nVersion: 2.71-3\n")
    return {"main/Contents-amd64.gz": amd64, "main/Contents-all.gz": all_}, text


class _Served:
    """urlopen stand-in: serves ``files`` by name and by hash, records the URLs asked."""

    def __init__(self, files, *, by_hash=True, override=None):
        import hashlib

        self.asked = []
        self.urls = {}
        base = f"{regen.MIRROR}/dists/testrel/"
        for key, data in files.items():
            served = (override or {}).get(key, data)
            self.urls[base + key] = served
            if by_hash:
                self.urls[base + "main/by-hash/SHA256/" + hashlib.sha256(data).hexdigest()] = served

    def __call__(self, url, timeout=None):
        import io
        import urllib.error

        self.asked.append(url)
        if url not in self.urls:
            raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)
        return io.BytesIO(self.urls[url])


@pytest.fixture
def test_release(monkeypatch):
    monkeypatch.setitem(regen.RELEASES, "testrel", (regen.Suite(regen.MIRROR, "testrel"),))
    return "testrel"


def test_fetch_contents_verifies_against_the_release_file(tmp_path, test_release):
    files, _ = _fake_mirror(tmp_path, {"amd64": b"usr/bin/make  devel/make\n",
                                       "all": b"usr/bin/autoreconf  devel/autoconf\n"})
    served = _Served(files)
    regen.fetch_contents(tmp_path, [test_release], urlopen=served)
    assert all("/by-hash/SHA256/" in url for url in served.asked)  # Acquire-By-Hash: yes
    assert regen.read_contents(tmp_path, regen.MIRROR, "testrel") == {
        "make": {"make"}, "autoconf": {"autoreconf"}}
    packages = {"make": {"Version": "4.3-4.1"}, "autoconf": {"Version": "2.71-3"}, "gone": {"Version": "1"}}
    commands, provenance, dates = regen.read_commands(tmp_path, test_release, packages)
    assert commands == {"make": ["make"], "autoconf": ["autoreconf"]}
    assert provenance["unknown"] == ["gone"]
    assert dates == {"testrel": "Sat, 01 Jan 2000 00:00:00 UTC"}
    served.asked.clear()
    regen.fetch_contents(tmp_path, [test_release], urlopen=served)  # kept and verified: no download
    assert served.asked == []


def test_fetch_contents_refuses_a_file_that_does_not_match(tmp_path, test_release, capsys):
    files, _ = _fake_mirror(tmp_path, {"amd64": b"usr/bin/make  devel/make\n", "all": b""})
    stale = _gz(b"usr/bin/make  devel/make\nusr/bin/evil  devel/make\n")
    served = _Served(files, by_hash=False, override={"main/Contents-amd64.gz": stale})
    regen.fetch_contents(tmp_path, [test_release], urlopen=served)
    assert "does not match the Release file" in capsys.readouterr().err
    assert not regen._contents_file(tmp_path, regen.MIRROR, "testrel", "main/Contents-amd64").exists()
    assert regen.read_contents(tmp_path, regen.MIRROR, "testrel") is None
    with pytest.raises(RuntimeError):
        regen.read_commands(tmp_path, test_release, {"make": {"Version": "4.3-4.1"}})
    # A file tampered with after the download is refused when read, too (--lists).
    regen._contents_file(tmp_path, regen.MIRROR, "testrel", "main/Contents-amd64").write_bytes(stale)
    assert "does not match" in regen.verify_contents(tmp_path, regen.MIRROR, "testrel", "main/Contents-amd64")


def test_fetch_contents_falls_back_to_the_name_when_by_hash_is_missing(tmp_path, test_release):
    files, _ = _fake_mirror(tmp_path, {"amd64": b"usr/bin/make  devel/make\n", "all": b""})
    served = _Served(files, by_hash=False)
    regen.fetch_contents(tmp_path, [test_release], urlopen=served)
    assert served.asked[-1].endswith("/dists/testrel/main/Contents-all.gz")
    assert regen.read_contents(tmp_path, regen.MIRROR, "testrel") == {"make": {"make"}}


def test_read_contents_of_an_empty_or_unlisted_contents_is_none(tmp_path, test_release):
    # debian-security: an empty Contents-amd64, no Contents-all in the Release file.
    files, _ = _fake_mirror(tmp_path, {"amd64": b"", "all": b""}, contents_all=False)
    regen.fetch_contents(tmp_path, [test_release], urlopen=_Served(files))
    assert regen._contents_file(tmp_path, regen.MIRROR, "testrel", "main/Contents-amd64").exists()
    assert regen.read_contents(tmp_path, regen.MIRROR, "testrel") is None


def test_contents_fallback_needs_the_same_codename(tmp_path, monkeypatch):
    monkeypatch.setitem(regen.RELEASES, "otherrel", (regen.Suite(regen.MIRROR, "otherrel"),))
    monkeypatch.setitem(regen.CONTENTS_FALLBACK, "otherrel", (regen.Suite(regen.MIRROR, "testrel", optional=True),))
    files, _ = _fake_mirror(tmp_path, {"amd64": b"usr/bin/make  devel/make\n", "all": b""})
    regen._index_file(tmp_path, regen.MIRROR, "otherrel", regen.PACKAGES_SUFFIX).write_text(
        "Package: make\nVersion: 4.3-4.1\n")
    regen._index_file(tmp_path, regen.MIRROR, "otherrel", "InRelease").write_text(
        "Codename: otherrel\nDate: x\nSHA256:\n " + "0" * 64 + " 1 main/Contents-amd64.gz\n")
    served = _Served(files)
    regen.fetch_contents(tmp_path, ["otherrel"], urlopen=served)  # otherrel's own fails: fallback
    assert regen.read_contents(tmp_path, regen.MIRROR, "testrel") == {"make": {"make"}}
    with pytest.raises(RuntimeError):  # testrel's Release says Codename: testrel
        regen.read_commands(tmp_path, "otherrel", {"make": {"Version": "4.3-4.1"}})
    assert regen.missing_indexes(tmp_path, ["otherrel"]) == ([], [])
    (fallback,) = regen.CONTENTS_FALLBACK["otherrel"]
    regen._index_file(tmp_path, regen.MIRROR, "testrel", regen.PACKAGES_SUFFIX).unlink()
    assert regen.missing_indexes(tmp_path, ["otherrel"]) == ([], [fallback])  # optional


def test_trixie_contents_fallback_is_the_stable_alias():
    assert regen.CONTENTS_FALLBACK == {"trixie": (regen.Suite(regen.MIRROR, "stable", optional=True),)}
    assert "Suites: trixie trixie-updates stable\n" in regen.source_stanzas(["trixie"])


def test_release_file_hashes():
    hashes = regen.release_file_hashes(RELEASE_TEXT.format(sha_amd64="AB" * 32, size_amd64=5,
                                                           sha_all="cd" * 32, size_all=7))
    assert hashes == {"main/Contents-amd64.gz": ("ab" * 32, 5), "main/Contents-all.gz": ("cd" * 32, 7),
                      "main/binary-amd64/Packages": (
                          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0)}


def test_package_versions_scan():
    assert regen.package_versions(b"Package: a\nSource: x\nVersion: 1\n\nPackage: b\nVersion: 2:3\n".splitlines()) == {
        "a": "1", "b": "2:3"}


def test_command_overrides_need_names_and_reasons():
    regen.check_overrides({"commands": {"gcc": {"commands": ["cc"], "reason": "alternative"}}})
    for bad in ({"commands": [], "reason": "r"}, {"commands": ["a b"], "reason": "r"}, {"commands": ["cc"]}):
        with pytest.raises(ValueError):
            regen.check_overrides({"commands": {"gcc": bad}})


def test_alpine_build_only_packages_must_list_their_commands():
    source = {"source": "s", "min_release": "3.18", "packages": {"make": {"build_only": True}}}
    with pytest.raises(ValueError):
        regen.build_alpine_data(source)
    source["packages"]["make"]["commands"] = ["make"]
    source["packages"]["zlib-dev"] = {"build_only": True}  # -dev: none by default
    doc = regen.build_alpine_data(source)
    index = PackageIndex.from_document(json.loads(regen.dump_json(doc)))
    assert index.facts("make").commands == ("make",) and index.facts("zlib-dev").commands == ()
    with pytest.raises(ValueError):
        regen.build_alpine_data({"source": "s", "min_release": "3.18", "packages": {"git": {"build_only": False, "commands": ["git"]}}})


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

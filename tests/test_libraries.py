"""migrator.libraries: the step that resolves runtime libraries from a build
(run for real on this Debian machine), build-only packages by name, and
what official base images carry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.libraries import (always_present, carried_packages, full_only_programs, install_parts, name_index,
                                record_lines, record_script, script_calls, script_words)
from migrator.analysis.packages import describe_base_image

ROOT = Path(__file__).resolve().parents[1]
HAS_DPKG = shutil.which("dpkg-query") is not None and shutil.which("ldd") is not None


def _extension(name: str) -> Path | None:
    """The file of a compiled stdlib module of the running Python, if it is one."""
    mod = __import__(name)
    path = getattr(mod, "__file__", None)
    return Path(path) if path and path.endswith(".so") else None


def _owner(lib: str) -> str | None:
    """The Debian package owning ``lib`` (a path ldd printed), as dpkg-query says."""
    for path in (lib, os.path.realpath(lib), "/usr" + lib if not lib.startswith("/usr/") else lib[4:]):
        got = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
        if got.returncode == 0:
            return got.stdout.split(":", 1)[0]
    return None


def _linked(path: Path, stem: str) -> str | None:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith(stem) and parts[1] == "=>" and parts[2].startswith("/"):
            return parts[2]
    return None


@pytest.mark.skipif(not HAS_DPKG, reason="needs dpkg-query and glibc's ldd (a Debian or Ubuntu machine)")
def test_record_step_names_the_packages_owning_what_a_copied_extension_links(tmp_path):
    ssl = _extension("_ssl")
    if ssl is None or _linked(ssl, "libssl") is None or _owner(_linked(ssl, "libssl")) is None:
        pytest.skip("this Python's _ssl does not link a packaged libssl")
    venv = tmp_path / "venv"
    site = venv / "lib" / "python3" / "site-packages"
    site.mkdir(parents=True)
    shutil.copy(ssl, site / ssl.name)
    expected = {_owner(_linked(ssl, "libssl"))}
    ctypes_ext = _extension("_ctypes")
    if ctypes_ext is not None and _linked(ctypes_ext, "libffi") and _owner(_linked(ctypes_ext, "libffi")):
        shutil.copy(ctypes_ext, site / ctypes_ext.name)
        expected.add(_owner(_linked(ctypes_ext, "libffi")))
    # a wheel's vendored copy (auditwheel's <pkg>.libs/) is never scanned
    vendored = venv / "lib" / "python3" / "site-packages" / "numpy.libs"
    vendored.mkdir()
    shutil.copy(ssl, vendored / "libvendored-1a2b3c.so")
    out = venv / ".runtime-packages"
    script = record_script("debian", [str(venv)], str(out), always_present("debian"))
    assert subprocess.run(["sh", "-n", "-c", script]).returncode == 0
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = out.read_text().split()
    assert expected <= set(listed)
    assert listed == sorted(set(listed))
    assert "libc6" not in listed            # every image has it
    for pkg in listed:                      # only installable package names, no paths or versions
        assert subprocess.run(["dpkg-query", "-W", pkg], capture_output=True).returncode == 0


@pytest.mark.skipif(not HAS_DPKG, reason="needs dpkg-query and glibc's ldd")
def test_record_step_writes_an_empty_list_when_nothing_links_a_library(tmp_path):
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "main.py").write_text("print('hi')\n")
    out = folder / ".runtime-packages"
    done = subprocess.run(["sh", "-c", record_script("ubuntu", [str(folder)], str(out))], capture_output=True)
    assert done.returncode == 0
    assert out.read_text() == ""


@pytest.mark.parametrize("listed, calls", [("", []), ("libpq5\nlibxml2\n", ["update", "install"])])
def test_install_step_fetches_no_package_lists_for_an_empty_list(tmp_path, listed, calls):
    # a stand-in apt-get on PATH records what the runtime stage's install step runs
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    fake = bin_dir / "apt-get"
    fake.write_text(f"#!/bin/sh\necho \"$1 $*\" >> {log}\n")
    fake.chmod(0o755)
    listing = tmp_path / ".runtime-packages"
    listing.write_text(listed)
    parts = install_parts("debian", str(listing))
    script = " ".join(f"{op} {cmd}" if op else cmd for op, cmd in parts).replace(
        "rm -rf /var/lib/apt/lists/*", "true")
    done = subprocess.run(["sh", "-c", script], capture_output=True, env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    got = log.read_text().splitlines() if log.exists() else []
    assert [line.split()[0] for line in got] == calls
    if calls:
        assert got[1].endswith("libpq5 libxml2")


@pytest.mark.skipif(not HAS_DPKG, reason="needs dpkg-query and glibc's ldd")
def test_record_step_fails_the_build_when_the_list_cannot_be_written(tmp_path):
    script = record_script("debian", [str(tmp_path)], str(tmp_path / "missing" / "list"))
    assert subprocess.run(["sh", "-c", script], capture_output=True).returncode != 0


@pytest.mark.parametrize("family", ["debian", "ubuntu", "alpine"])
def test_generated_steps_are_valid_posix_shell(family):
    lines = record_lines(family, ["/opt/venv", "/app dir"], "/opt/venv/.runtime-packages", always_present(family))
    for script in (" ".join(lines), " && ".join(cmd for _op, cmd in install_parts(family, "/opt/venv/x"))):
        assert subprocess.run(["sh", "-n", "-c", script]).returncode == 0
    assert "'/app dir'" in lines[0]     # folders are quoted for the shell


def test_alpine_step_asks_apk_and_calls_musl_ldd_once_per_file():
    script = record_script("alpine", ["/opt/venv"], "/opt/venv/.runtime-packages", ["musl"])
    assert "apk info --who-owns" in script and "dpkg-query" not in script
    assert "-exec ldd {} \\;" in script     # musl's ldd reads one file per call
    assert "-e musl" in script


def test_install_reads_the_list_and_cleans_up_in_the_same_layer():
    debian = [cmd for _op, cmd in install_parts("debian", "/opt/venv/.runtime-packages")]
    # an empty list fetches no package lists at all
    assert debian[0] == "if [ -s /opt/venv/.runtime-packages ]; then apt-get update"
    assert debian[-2] == "rm -rf /var/lib/apt/lists/*; fi"
    assert "xargs -r apt-get install -y --no-install-recommends < /opt/venv/.runtime-packages" in debian[1]
    # the list leaves the app's folder in the RUN that reads it; `&&`: a failed install still fails the RUN
    assert install_parts("debian", "/opt/venv/.runtime-packages")[-1] == ("&&", "rm -f /opt/venv/.runtime-packages")
    assert install_parts("alpine", "/opt/venv/.runtime-packages") == [
        ("", "xargs -r apk add --no-cache < /opt/venv/.runtime-packages"),
        ("&&", "rm -f /opt/venv/.runtime-packages")]
    with pytest.raises(ValueError):
        install_parts("windows", "/x")
    with pytest.raises(ValueError):
        record_lines("debian", ["relative"], "/x")


@pytest.mark.parametrize("name, build_only", [
    ("gcc", True), ("gcc-9", True), ("g++-13", True), ("clang-18", True), ("build-essential", True),
    ("libpq-dev", True), ("libssl-dev=3.0.2-0ubuntu1", True), ("python3-dev", True), ("pkg-config", True),
    ("gcc-10-base", False), ("python3-pip", False), ("git", False), ("gettext", False), ("gdb", False),
    ("libpq5", False), ("systemtap-sdt-dev", False),
])
def test_build_only_by_name_on_ubuntu(name, build_only):
    assert name_index("ubuntu").build_only(name) is build_only


@pytest.mark.parametrize("name", ["swig3.0", "swig2.0", "cython", "python-dev", "python3.8-dev",
                                  "libmysqlclient-dev", "libmariadbclient-dev"])
def test_old_release_names_are_build_only_by_name(name):
    # build-only-old-names.json: names of Debian releases before bullseye and of Ubuntu
    old = json.loads((ROOT / "migrator" / "data" / "build-only-old-names.json").read_text())
    assert name in old["debian"] and "packages." in old["debian"][name]   # each with where it ships
    assert name_index("ubuntu").build_only(name) and name_index("debian").build_only(name)


def test_a_release_index_answers_names_it_lacks_by_their_rules():
    from migrator.libraries import with_name_rules
    from migrator.analysis.packages import package_index

    bookworm = with_name_rules(package_index("debian", "bookworm"))
    lacked = bookworm.facts("python-dev")
    assert (lacked.known, lacked.build_only, lacked.runtime) == (False, True, ())
    assert bookworm.facts("libpq-dev").runtime == ("libpq5",)          # the release's own facts first
    assert not bookworm.facts("msodbcsql17").build_only                  # an unknown runtime name stays
    assert bookworm.by_name(["gcc", "python-dev", "libmysqlclient-dev", "libpq-dev"]) == [
        "libmysqlclient-dev", "python-dev"]
    assert with_name_rules(bookworm) is bookworm and with_name_rules(name_index("debian")) is name_index("debian")


def test_names_the_release_lacks_leave_the_runtime_with_libraries_resolved_from_the_build():
    from migrator.engine import migrate_text
    from migrator.options import Options

    r = migrate_text("FROM python:3.11-slim-bookworm\n"
                     "RUN apt-get update && apt-get install -y gcc python-dev libmysqlclient-dev "
                     "&& rm -rf /var/lib/apt/lists/*\n"
                     "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
                     'CMD ["python", "app.py"]\n', Options())
    runtime = r.output[r.output.rindex("\nFROM "):]
    assert "python-dev" not in runtime and "libmysqlclient-dev" not in runtime and "gcc" not in runtime
    assert "xargs -r apt-get install" in runtime      # what mysqlclient links, recorded in the builder
    reason = next(c.reason for c in r.changes if c.transform == "build-deps")
    assert "libmysqlclient-dev, python-dev are not in the package data of python:3.11-slim-bookworm" in reason


def test_build_only_by_name_on_alpine():
    index = name_index("alpine")
    assert index.build_only("build-base") and index.build_only("postgresql-dev") and index.build_only("linux-headers")
    assert not index.build_only("libpq") and not index.build_only("py3-pip")
    assert index.commands_of(["gcc"])["gcc"] == "gcc"


def test_build_only_names_data_is_what_the_script_generates():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import regen_build_only_names as regen
    finally:
        sys.path.pop(0)
    data = json.loads((ROOT / "migrator" / "data" / "build-only-names.json").read_text())
    assert data == json.loads(json.dumps(regen.build_document()))


@pytest.mark.parametrize("ref, has, lacks", [
    ("python:3.12", {"libpq5", "git", "gcc", "libpq-dev", "curl"}, set()),
    ("python:3.12-slim", {"ca-certificates", "tzdata"}, {"libpq5", "git"}),
    ("node:22", {"git", "curl", "make"}, set()),
    ("node:20-alpine", {"libgcc", "libstdc++"}, {"git"}),
    ("ubuntu:22.04", set(), {"git", "libpq5"}),
])
def test_packages_a_base_image_carries(ref, has, lacks):
    carried = carried_packages(describe_base_image(ref))
    assert has <= carried and not lacks & carried


def test_programs_only_the_full_image_has():
    programs = full_only_programs(describe_base_image("python:3.12"))
    for prog in ("git", "curl", "wget", "ssh", "make", "gcc"):
        assert prog in programs
    assert "python" not in programs and "sh" not in programs
    assert full_only_programs(describe_base_image("python:3.12-slim")) == {}


def test_script_calls_finds_programs_at_command_position_only():
    text = "#!/bin/sh\nset -e\n# git pull here\necho git\nif true; then /usr/bin/git pull; fi\nexec curl -f x\n"
    assert script_calls(text, ["git", "curl"]) == [(5, "git"), (6, "curl")]
    assert script_words(["sh", "-c", "./start.sh", "docker-entrypoint.sh", "gunicorn"]) == [
        "./start.sh", "docker-entrypoint.sh"]

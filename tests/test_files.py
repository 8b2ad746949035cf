"""Reading Dockerfiles safely and writing them back atomically."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import subprocess
import sys

import pytest

import migrator.files as files
from migrator.files import MAX_BYTES, InputError, read_dockerfile, write_atomic

GOOD = b"FROM python:3.12-slim\nRUN pip install flask\n"


def assert_user_error(info, path) -> str:
    """One line, naming the path, no chained traceback."""
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    assert info.value.__cause__ is None
    assert info.value.__context__ is None or info.value.__suppress_context__
    return message


# --------------------------------------------------------------------------
# read_dockerfile
# --------------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = str(tmp_path / "Dockerfile")
    with pytest.raises(InputError) as info:
        read_dockerfile(path)
    assert "no such file" in assert_user_error(info, path)


def test_directory(tmp_path):
    with pytest.raises(InputError) as info:
        read_dockerfile(str(tmp_path))
    assert "directory" in assert_user_error(info, str(tmp_path))


@pytest.mark.parametrize("data, words", [
    (b"FROM alpine\x00\nRUN x\n", "binary"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
    (b"", "empty"),
    (b"   \n\t\r\n\n", "empty"),
    (b"FROM alpine\n# caf\xe9\n", "UTF-8"),
    (b"\xff\xfeF\x00R\x00O\x00M\x00", "binary"),  # UTF-16
], ids=["nul", "elf", "empty", "whitespace-only", "latin-1", "utf-16"])
def test_unreadable_content(tmp_path, data, words):
    path = tmp_path / "Dockerfile"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_dockerfile(str(path))
    assert words.lower() in assert_user_error(info, str(path)).lower()


def test_invalid_utf8_names_the_offset(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM a\n# \xff\n")
    with pytest.raises(InputError) as info:
        read_dockerfile(str(path))
    assert "0xff" in str(info.value) and "offset 9" in str(info.value)


def test_too_large(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(InputError) as info:
        read_dockerfile(str(path))
    assert "large" in assert_user_error(info, str(path))


@pytest.mark.parametrize("name, data", [
    ("missing", None),
    ("empty", b""),
    ("binary", b"\x00\x01\x02"),
    ("latin1", b"FROM a\n# caf\xe9\n"),
])
def test_cli_reports_bad_input_in_one_line_without_traceback(tmp_path, name, data):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "migrator", "diff", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert proc.stdout == ""


def test_bom_and_crlf_are_kept(tmp_path):
    data = b"\xef\xbb\xbfFROM alpine\r\nRUN echo caf\xc3\xa9\r\n"
    path = tmp_path / "Dockerfile"
    path.write_bytes(data)
    source = read_dockerfile(str(path))
    assert source.text.startswith("\ufeff")
    assert "\r\n" in source.text
    assert source.text.encode("utf-8") == data
    assert source.digest == hashlib.sha256(data).hexdigest()
    assert source.path == str(path)


def test_mode_is_recorded(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.chmod(path, 0o640)
    assert read_dockerfile(str(path)).mode == 0o640


def test_read_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf" + GOOD)))
    source = read_dockerfile("-")
    assert source.path == "-"
    assert source.mode is None
    assert source.text == "\ufeff" + GOOD.decode()


def test_empty_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InputError) as info:
        read_dockerfile("-")
    assert_user_error(info, "-")


# --------------------------------------------------------------------------
# write_atomic
# --------------------------------------------------------------------------


def listing(folder) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o664])
def test_write_keeps_mode_bits(tmp_path, mode):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.chmod(path, mode)
    source = read_dockerfile(str(path))
    write_atomic(source, "FROM python:3.12-slim AS builder\n")
    assert path.read_bytes() == b"FROM python:3.12-slim AS builder\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == mode
    assert listing(tmp_path) == ["Dockerfile"]


def test_write_keeps_bom_and_crlf(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"\xef\xbb\xbfFROM a\r\n")
    source = read_dockerfile(str(path))
    write_atomic(source, source.text + "USER 1\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbfFROM a\r\nUSER 1\r\n"


def test_write_refuses_a_file_changed_since_read(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    source = read_dockerfile(str(path))
    path.write_bytes(GOOD + b"# edited by someone else\n")
    with pytest.raises(InputError) as info:
        write_atomic(source, "FROM other\n")
    assert "changed" in assert_user_error(info, str(path))
    assert path.read_bytes() == GOOD + b"# edited by someone else\n"
    assert listing(tmp_path) == ["Dockerfile"]


def test_write_refuses_a_file_deleted_since_read(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    source = read_dockerfile(str(path))
    path.unlink()
    with pytest.raises(InputError) as info:
        write_atomic(source, "FROM other\n")
    assert_user_error(info, str(path))
    assert listing(tmp_path) == []


def test_write_refuses_standard_input():
    source = files.Source("-", "FROM a\n", hashlib.sha256(b"FROM a\n").hexdigest(), None)
    with pytest.raises(InputError):
        write_atomic(source, "FROM b\n")


@pytest.mark.parametrize("failing", ["replace", "fsync", "chmod"])
def test_failed_write_leaves_original_and_no_temp_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    source = read_dockerfile(str(path))

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, failing, boom)
    with pytest.raises(InputError) as info:
        write_atomic(source, "FROM python:3.12-slim AS builder\n")
    monkeypatch.undo()
    assert "No space left on device" in assert_user_error(info, str(path))
    assert path.read_bytes() == GOOD
    assert listing(tmp_path) == ["Dockerfile"]


def test_write_through_symlink_keeps_the_link(tmp_path):
    real_dir = tmp_path / "real"
    link_dir = tmp_path / "links"
    real_dir.mkdir()
    link_dir.mkdir()
    target = real_dir / "Dockerfile"
    target.write_bytes(GOOD)
    os.chmod(target, 0o640)
    link = link_dir / "Dockerfile"
    link.symlink_to(os.path.relpath(target, link_dir))
    source = read_dockerfile(str(link))
    write_atomic(source, "FROM python:3.12-slim AS builder\n")
    assert link.is_symlink()
    assert os.readlink(link) == os.path.relpath(target, link_dir)
    assert target.read_bytes() == b"FROM python:3.12-slim AS builder\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert listing(real_dir) == ["Dockerfile"]
    assert listing(link_dir) == ["Dockerfile"]


def test_write_then_read_round_trip(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    first = read_dockerfile(str(path))
    write_atomic(first, "FROM b\n")
    second = read_dockerfile(str(path))
    assert second.text == "FROM b\n"
    # the new digest is what a second write checks against
    write_atomic(second, "FROM c\n")
    assert path.read_bytes() == b"FROM c\n"
    with pytest.raises(InputError):
        write_atomic(first, "FROM d\n")  # stale source
    assert path.read_bytes() == b"FROM c\n"

"""Reading Dockerfiles safely and writing migrated ones atomically.

Nothing here knows about Dockerfile syntax: this module turns a path into
text (or a one-line :class:`InputError`) and writes text back without ever
leaving a partial file behind.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass

MAX_BYTES = 4 * 1024 * 1024
"""Largest Dockerfile read, in bytes (4 MiB); real ones are a few KiB."""


class InputError(Exception):
    """Bad input: the message is one line meant for the user, no traceback."""


@dataclass(frozen=True)
class Source:
    """A Dockerfile as read from disk or standard input.

    Attributes:
        path: the path as given (``"-"`` for standard input).
        text: the decoded text, byte-for-byte reversible with
            ``text.encode("utf-8")`` (a UTF-8 BOM stays in it as U+FEFF;
            CRLF line endings stay as they are).
        known_digest: the SHA-256 hex digest of the bytes read, when the
            caller already has it (a batch worker sends it back without the
            text); else None, and :attr:`digest` computes it from ``text``.
        mode: permission bits of the file (``None`` for standard input).
    """

    path: str
    text: str
    known_digest: str | None = None
    mode: int | None = None

    @property
    def digest(self) -> str:
        """SHA-256 hex digest of the bytes read, used by :func:`write_atomic`
        to refuse a file that changed meanwhile. Computed on first need:
        ``diff`` and ``check`` never pay for hashlib (~10 ms to import)."""
        if self.known_digest is not None:
            return self.known_digest
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(data: bytes, path: str) -> str:
    """Decode Dockerfile bytes as UTF-8 (BuildKit reads UTF-8).

    Args:
        data: the raw bytes.
        path: the path, only for the error message.
    Returns:
        the text; a leading BOM is kept as U+FEFF so encoding restores it.
    Raises:
        InputError: empty, binary (a NUL byte) or not UTF-8.
    """
    if not data.strip():
        raise InputError(f"{path}: empty file, not a Dockerfile")
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (contains NUL bytes), not a Dockerfile")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_dockerfile(path: str) -> Source:
    """Read one Dockerfile, or standard input when ``path`` is ``"-"``.

    Args:
        path: a file path, or ``"-"``.
    Returns:
        a :class:`Source`.
    Raises:
        InputError: missing, a directory, unreadable, larger than
            :data:`MAX_BYTES`, empty, binary or not UTF-8.
    """
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        mode = None
    else:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: is a directory (use `batch` for a tree)")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: not a regular file")
        if st.st_size > MAX_BYTES:
            raise InputError(f"{path}: {st.st_size} bytes, too large for a Dockerfile")
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        mode = stat.S_IMODE(st.st_mode)
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: too large for a Dockerfile")
    return Source(path, decode(data, path), None, mode)


def write_atomic(source: Source, text: str) -> None:
    """Replace the file ``source.path`` with ``text``, atomically.

    The text is written to a temporary file in the same folder, given the
    original permission bits, flushed to disk and renamed over the original,
    so readers see either the old or the new file, never a partial one. A
    symlink is written through (its target is replaced, the link stays).

    Args:
        source: what was read; its digest must still match the file on disk.
        text: the new content; encoded as UTF-8 (a BOM in the text is kept).
    Raises:
        InputError: the file changed since it was read, or cannot be written.
            The original file is then untouched.
    """
    if source.path == "-":
        raise InputError("-: cannot write back to standard input")
    import hashlib
    import tempfile

    target = os.path.realpath(source.path)
    try:
        with open(target, "rb") as fh:
            current = hashlib.sha256(fh.read()).hexdigest()
    except OSError as exc:
        raise InputError(f"{source.path}: cannot re-read before writing ({exc.strerror})") from None
    if current != source.digest:
        raise InputError(f"{source.path}: changed on disk since it was read; not written")
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dfm-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{source.path}: cannot create a temporary file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        if source.mode is not None:
            os.chmod(tmp, source.mode)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"{source.path}: cannot write ({exc.strerror})") from None


def reread_context_file(path: str, original: str, output: str) -> tuple[bytes, int, str] | None:
    """Read a build-context file again just before it is replaced.

    Args:
        path: the file on disk.
        original: its text when the migration read it.
        output: the text that will replace it.
    Returns:
        ``(current bytes, permission bits, BOM prefix for output)``: the BOM
        is ``"\ufeff"`` when the file on disk starts with one and ``output``
        does not (the edit keeps it); None when the text on disk is no
        longer ``original`` (a BOM aside): it changed since it was read.
    Raises:
        OSError: the file can't be read or stat'ed.
    """
    with open(path, "rb") as fh:
        current = fh.read()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if current.decode("utf-8", "replace").lstrip("\ufeff") != original.lstrip("\ufeff"):
        return None
    bom = "\ufeff" if current.startswith(b"\xef\xbb\xbf") and not output.startswith("\ufeff") else ""
    return current, mode, bom


def write_context_file(root: str, context_file) -> str:
    """Write one build-context file a migration creates or changes.

    A created file (``context_file.original is None``) is written to a
    temporary file in its folder and then linked into place, which fails if
    the name exists by then: an existing file is never written over. A
    changed file is re-read first and written atomically only while its text
    is still ``context_file.original`` (mode kept).

    Args:
        root: the build context folder (``FileResult.context_root``).
        context_file: a :class:`migrator.model.results.ContextFile`.
    Returns:
        the path written.
    Raises:
        InputError: the file exists (to create) or changed (to change), its
            folder is missing, or it cannot be written; nothing is written.
    """
    import tempfile

    path = os.path.join(root, *context_file.path.split("/"))
    if context_file.original is not None:
        try:
            again = reread_context_file(path, context_file.original, context_file.output)
        except OSError as exc:
            raise InputError(f"{path}: cannot re-read before writing ({exc.strerror})") from None
        if again is None:
            raise InputError(f"{path}: changed on disk since it was read; not written")
        current, mode, bom = again
        write_atomic(Source(path, current.decode("utf-8", "replace"), None, mode), bom + context_file.output)
        return path
    folder = os.path.dirname(path) or "."
    if os.path.lexists(path):
        raise InputError(f"{path}: already exists; not overwritten")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dfm-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot create a temporary file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(context_file.output.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, path)   # fails with EEXIST rather than replace a file made meanwhile
    except FileExistsError:
        raise InputError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return path

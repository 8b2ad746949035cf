"""Read an image's file system without running it: no shell needed in the image.

A builder hands over an image's files in one of two ways (see
:meth:`migrator.verify.builders.Builder.filesystem`):

* a folder where the image is mounted (``podman image mount``, ``buildah
  mount``, as root): :class:`DirTree` reads it with ``lstat``, never following
  a symlink on the host;
* a tar stream of the flattened file system (``docker``/``podman export`` of
  a created, never started container; ``tar`` under ``buildah unshare``):
  :func:`tree_from_tar` keeps the listing (kind, mode, owner, link target),
  the first bytes of every executable file and a few small text files in a
  :class:`MemoryTree`.

On either, :func:`lookup` follows symlinks the way the kernel does, but inside
the image (an absolute link target starts at the image's root), so
``/bin/sh`` resolves through Debian's ``/bin -> usr/bin``. Nothing here starts
a process.
"""

from __future__ import annotations

import os
import stat
import struct
import tarfile
from dataclasses import dataclass, field
from typing import IO, Protocol

HEAD_BYTES = 4096
"""Bytes of an executable read to learn its interpreter (``#!`` line or the
ELF program interpreter, whose name sits in the first page)."""

MAX_TEXT = 1 << 20
"""Largest kept text file (``/etc/passwd``, ``/etc/group``)."""

KEPT_TEXT = ("/etc/passwd", "/etc/group")
"""Files whose content a :class:`MemoryTree` keeps."""

MAX_SYMLINKS = 40
"""Symlinks followed in one lookup before giving up (Linux's ``ELOOP`` limit)."""

FILE, DIR, SYMLINK, OTHER = "file", "dir", "symlink", "other"


@dataclass(frozen=True)
class Entry:
    """One name in an image, as ``lstat`` sees it.

    Attributes:
        kind: ``"file"``, ``"dir"``, ``"symlink"`` or ``"other"`` (device, fifo...).
        mode: permission bits (``0o755``).
        uid: owner.
        gid: group.
        target: a symlink's target, as written.
    """

    kind: str
    mode: int = 0o644
    uid: int = 0
    gid: int = 0
    target: str = ""


@dataclass(frozen=True)
class Header:
    """How the kernel would start an executable file.

    Attributes:
        kind: ``"script"`` (a ``#!`` line), ``"elf"`` or ``"unknown"``.
        interpreter: the ``#!`` interpreter path, or the ELF program
            interpreter (dynamic loader); ``""`` for a static ELF binary.
        argument: for a script, the rest of the ``#!`` line (one argument).
    """

    kind: str
    interpreter: str = ""
    argument: str = ""


def parse_header(head: bytes) -> Header:
    """Read the ``#!`` line or the ELF ``PT_INTERP`` of a file's first bytes.

    >>> parse_header(b"#!/opt/venv/bin/python\\n# -*- coding: utf-8 -*-\\n")
    Header(kind='script', interpreter='/opt/venv/bin/python', argument='')
    >>> parse_header(b"#!/usr/bin/env python3\\n")
    Header(kind='script', interpreter='/usr/bin/env', argument='python3')
    """
    if head.startswith(b"#!"):
        line = head[2:].split(b"\n", 1)[0].strip().decode("utf-8", "replace")
        interpreter, _sep, argument = line.replace("\t", " ").partition(" ")
        return Header("script", interpreter, argument.strip())
    if head.startswith(b"\x7fELF") and len(head) >= 64:
        return _elf_header(head)
    return Header("unknown")


def _elf_header(head: bytes) -> Header:
    ei_class, ei_data = head[4], head[5]
    if ei_class not in (1, 2) or ei_data not in (1, 2):
        return Header("unknown")
    end = "<" if ei_data == 1 else ">"
    try:
        if ei_class == 2:
            (phoff,) = struct.unpack_from(end + "Q", head, 0x20)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 0x36)
        else:
            (phoff,) = struct.unpack_from(end + "I", head, 0x1C)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 0x2A)
        for i in range(phnum):
            at = phoff + i * phentsize
            if at + phentsize > len(head):
                return Header("unknown")  # program headers beyond what was read
            (p_type,) = struct.unpack_from(end + "I", head, at)
            if p_type != 3:  # PT_INTERP
                continue
            if ei_class == 2:
                (offset,) = struct.unpack_from(end + "Q", head, at + 8)
                (size,) = struct.unpack_from(end + "Q", head, at + 32)
            else:
                (offset,) = struct.unpack_from(end + "I", head, at + 4)
                (size,) = struct.unpack_from(end + "I", head, at + 16)
            if offset + size > len(head):
                return Header("unknown")
            name = head[offset: offset + size].split(b"\0", 1)[0].decode("utf-8", "replace")
            return Header("elf", name)
    except struct.error:
        return Header("unknown")
    return Header("elf", "")


class Tree(Protocol):
    """An image's file system, read without following symlinks."""

    def entry(self, path: str) -> Entry | None:
        """``lstat`` of ``path`` (absolute, normalised, its parent already
        resolved to a folder); ``None`` when nothing has that name."""

    def header(self, path: str) -> Header | None:
        """How the regular file ``path`` (resolved) starts; ``None`` when unknown."""

    def text(self, path: str) -> str | None:
        """The content of the regular file ``path`` (resolved), when kept."""


def _norm(name: str) -> str:
    """``"./usr/bin/x"``, ``"usr/bin/x/"`` -> ``"/usr/bin/x"``; ``"."`` -> ``"/"``."""
    parts = [p for p in name.split("/") if p and p != "."]
    return "/" + "/".join(parts)


@dataclass
class MemoryTree:
    """A file system held as a listing: tests build one by hand, a tar
    stream fills one (:func:`tree_from_tar`).

    Attributes:
        entries: absolute path -> :class:`Entry` (parents missing from the
            listing count as folders).
        headers: executable file -> its :class:`Header`.
        texts: kept text files (``/etc/passwd``...).
    """

    entries: dict[str, Entry] = field(default_factory=dict)
    headers: dict[str, Header] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    _dirs: set[str] = field(default_factory=set, repr=False)

    def add(self, path: str, entry: Entry, header: Header | None = None, text: str | None = None) -> None:
        """Add ``path`` (its parents become folders if unknown)."""
        path = _norm(path)
        self.entries[path] = entry
        parent = os.path.dirname(path)
        while parent not in self._dirs and parent != "/":
            self._dirs.add(parent)
            parent = os.path.dirname(parent)
        if header is not None:
            self.headers[path] = header
        if text is not None:
            self.texts[path] = text

    def entry(self, path: str) -> Entry | None:
        if path == "/":
            return Entry(DIR, 0o755)
        found = self.entries.get(path)
        if found is None and path in self._dirs:
            return Entry(DIR, 0o755)
        return found

    def header(self, path: str) -> Header | None:
        return self.headers.get(path)

    def text(self, path: str) -> str | None:
        return self.texts.get(path)

    def paths(self) -> list[str]:
        """Every listed path, sorted."""
        return sorted(self.entries)


def tree_from_tar(stream: IO[bytes]) -> MemoryTree:
    """Read a tar stream of a flattened file system (an ``export``).

    Hard links take their target's kind; the first :data:`HEAD_BYTES` of
    every executable regular file are parsed into a :class:`Header`; the
    files of :data:`KEPT_TEXT` are kept.

    Raises:
        tarfile.TarError: the stream is not a tar archive.
    """
    tree = MemoryTree()
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            path = _norm(member.name)
            mode = member.mode & 0o7777
            if member.issym():
                tree.add(path, Entry(SYMLINK, mode, member.uid, member.gid, member.linkname))
                continue
            if member.islnk():
                target = _norm(member.linkname)
                original = tree.entries.get(target)
                kind = original.kind if original is not None else FILE
                tree.add(path, Entry(kind, mode, member.uid, member.gid),
                         tree.headers.get(target), tree.texts.get(target))
                continue
            if member.isdir():
                tree.add(path, Entry(DIR, mode, member.uid, member.gid))
                continue
            if not member.isreg():
                tree.add(path, Entry(OTHER, mode, member.uid, member.gid))
                continue
            header = text = None
            if path in KEPT_TEXT and member.size <= MAX_TEXT:
                fh = tar.extractfile(member)
                text = fh.read().decode("utf-8", "replace") if fh is not None else None
            elif mode & 0o111:
                fh = tar.extractfile(member)
                header = parse_header(fh.read(HEAD_BYTES)) if fh is not None else None
            tree.add(path, Entry(FILE, mode, member.uid, member.gid), header, text)
    return tree


class DirTree:
    """An image mounted at ``root`` on this machine.

    Only ever ``lstat``\\ s ``root + path`` for a path whose parents
    :func:`lookup` already resolved to real folders, so no symlink of the
    image is followed on the host.
    """

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")

    def _host(self, path: str) -> str:
        return self.root + _norm(path)

    def entry(self, path: str) -> Entry | None:
        try:
            st = os.lstat(self._host(path))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return None
        mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(self._host(path))
            except OSError:
                target = ""
            return Entry(SYMLINK, mode, st.st_uid, st.st_gid, target)
        if stat.S_ISDIR(st.st_mode):
            return Entry(DIR, mode, st.st_uid, st.st_gid)
        if stat.S_ISREG(st.st_mode):
            return Entry(FILE, mode, st.st_uid, st.st_gid)
        return Entry(OTHER, mode, st.st_uid, st.st_gid)

    def _read(self, path: str, limit: int) -> bytes | None:
        try:
            fd = os.open(self._host(path), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return os.read(fd, limit)
        except OSError:
            return None
        finally:
            os.close(fd)

    def header(self, path: str) -> Header | None:
        head = self._read(path, HEAD_BYTES)
        return None if head is None else parse_header(head)

    def text(self, path: str) -> str | None:
        data = self._read(path, MAX_TEXT)
        return None if data is None else data.decode("utf-8", "replace")


@dataclass(frozen=True)
class Lookup:
    """Where a path leads in an image.

    Attributes:
        path: the final path, every symlink followed (or, on failure, the
            name that could not be resolved).
        entry: what is there; ``None`` on failure.
        error: ``None``, ``"missing"`` (a name does not exist, e.g. a dangling
            symlink), ``"notdir"`` (a parent is not a folder) or ``"loop"``.
        links: the symlinks followed, as ``(link, target)``.
    """

    path: str
    entry: Entry | None
    error: str | None = None
    links: tuple[tuple[str, str], ...] = ()


def join(cwd: str, path: str) -> str:
    """``path`` made absolute against ``cwd`` (no normalisation of ``..``)."""
    if path.startswith("/"):
        return path
    return (cwd.rstrip("/") or "") + "/" + path


def lookup(tree: Tree, path: str, cwd: str = "/") -> Lookup:
    """Resolve ``path`` inside ``tree`` like the kernel's path walk.

    A relative ``path`` starts at ``cwd``; every symlink is followed, a
    relative target from the link's folder, an absolute one from the image's
    root; ``..`` never climbs above the root.
    """
    pending = [p for p in join(cwd, path).split("/") if p and p != "."][::-1]
    current: list[str] = []
    links: list[tuple[str, str]] = []
    while pending:
        part = pending.pop()
        if part == "..":
            if current:
                current.pop()
            continue
        name = "/" + "/".join(current + [part])
        entry = tree.entry(name)
        if entry is None:
            return Lookup(name, None, "missing", tuple(links))
        if entry.kind == SYMLINK:
            links.append((name, entry.target))
            if len(links) > MAX_SYMLINKS:
                return Lookup(name, None, "loop", tuple(links))
            if entry.target.startswith("/"):
                current = []
            pending.extend([p for p in entry.target.split("/") if p and p != "."][::-1])
            continue
        if pending and entry.kind != DIR:
            return Lookup(name, None, "notdir", tuple(links))
        current.append(part)
    final = "/" + "/".join(current)
    entry = tree.entry(final)
    return Lookup(final, entry, None if entry is not None else "missing", tuple(links))


__all__ = [
    "DIR", "FILE", "OTHER", "SYMLINK", "DirTree", "Entry", "Header", "Lookup", "MemoryTree", "Tree",
    "join", "lookup", "parse_header", "tree_from_tar",
]

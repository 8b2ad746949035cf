"""The build context as an input: bounded, safe reads of its files.

Some decisions can't be settled by the Dockerfile alone: whether the image
is a GitHub Docker action (``action.yml``), where a frontend build writes
(``vite.config.ts``), which folders a Django app writes at run time. The
transforms read such files through a :class:`BuildContext`, which

- reads only files named by a relative path inside the context folder,
  never following a symbolic link out of it (a link inside is followed);
- reads at most :data:`MAX_BYTES` of one file and lists at most
  :data:`MAX_ENTRIES` names of one folder;
- answers ``None`` (or ``False``/``()``) for anything missing, too large,
  unreadable, not UTF-8 or outside the context: a decision that depends on
  it falls back to what the Dockerfile alone allows. It never raises for
  the content of the context.

The context folder is the one ``docker build`` would be given: by default
the Dockerfile's folder (``--context DIR`` on the command line).
Reference: https://docs.docker.com/build/concepts/context/
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 1 << 20
"""Largest file read, in bytes (1 MiB): manifests and configs are far smaller."""

MAX_ENTRIES = 10_000
"""Most names one :meth:`BuildContext.list_dir` call returns."""


@dataclass(frozen=True)
class BuildContext:
    """A build context folder, read with bounded reads.

    Attributes:
        root: the context folder, absolute and with symbolic links resolved.
        overlay: files a migration proposes to create or change, as
            ``(path, text)`` pairs relative to ``root``: reads see them as
            if written (:meth:`with_files`), so a later transform decides on
            the context an earlier one leaves (a ``.dockerignore`` about to
            exist).

    Construct with :meth:`at`. Instances are immutable and hashable (they
    travel inside :class:`migrator.options.Options`); reads are not cached
    here, callers keep what they need.
    """

    root: Path
    overlay: tuple[tuple[str, str], ...] = ()

    def with_files(self, files) -> "BuildContext":
        """This context with ``files`` (:class:`migrator.model.results.ContextFile`
        or ``(path, text)`` pairs) laid over it."""
        pairs = dict(self.overlay)
        for f in files:
            path, text = (f.path, f.output) if hasattr(f, "output") else f
            pairs[posixpath.normpath(path.lstrip("/"))] = text
        return BuildContext(self.root, tuple(sorted(pairs.items())))

    def _overlaid(self, rel: str) -> str | None:
        if not self.overlay or not isinstance(rel, str):
            return None
        norm = posixpath.normpath(rel.lstrip("/"))
        return next((text for path, text in self.overlay if path == norm), None)

    @classmethod
    def at(cls, folder: str | os.PathLike) -> "BuildContext | None":
        """The context at ``folder``, or None when it is not a readable folder.

        Args:
            folder: a path to the context folder (relative to the current
                directory or absolute).
        Returns:
            the :class:`BuildContext`, or None (missing, not a folder).
        """
        try:
            root = Path(os.path.realpath(os.fspath(folder)))
        except (OSError, ValueError):
            return None
        return cls(root) if root.is_dir() else None

    def _resolve(self, rel: str) -> Path | None:
        """The real path of ``rel`` when it lies inside the context, else None."""
        if not isinstance(rel, str) or not rel or "\0" in rel:
            return None
        norm = posixpath.normpath(rel.lstrip("/")) if rel not in ("/", ".") else "."
        if norm == ".." or norm.startswith("../"):
            return None
        try:
            real = Path(os.path.realpath(self.root / norm))
        except (OSError, ValueError):
            return None
        if real != self.root and self.root not in real.parents:
            return None   # a symbolic link out of the context
        return real

    def read_text(self, rel: str, limit: int = MAX_BYTES) -> str | None:
        """The text of the file ``rel`` (a path relative to the context).

        Args:
            rel: POSIX path relative to the context root (``"frontend/package.json"``);
                a leading ``/`` is read as the context root, as COPY sources are.
            limit: the largest size read, in bytes.
        Returns:
            the file's text decoded as UTF-8 (a BOM dropped), or None when it
            is missing, not a regular file, larger than ``limit``, unreadable,
            not UTF-8, or outside the context.
        """
        raw = self.read_bytes(rel, limit)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None

    def read_bytes(self, rel: str, limit: int = MAX_BYTES) -> bytes | None:
        """The bytes of the file ``rel`` (as :meth:`read_text`; an overlaid
        file encoded as UTF-8), or None when it is missing, not a regular
        file, larger than ``limit``, unreadable or outside the context; for
        files whose encoding the reader decides (a UTF-16 requirements file:
        :mod:`migrator.context.requirements`)."""
        overlaid = self._overlaid(rel)
        if overlaid is not None:
            data = overlaid.encode("utf-8")
            return data if len(data) <= limit else None
        path = self._resolve(rel)
        if path is None:
            return None
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            with open(path, "rb") as fh:
                raw = fh.read(limit + 1)
        except OSError:
            return None
        if len(raw) > limit:
            return None
        return raw

    def is_file(self, rel: str) -> bool:
        """Whether ``rel`` is a regular file inside the context."""
        if self._overlaid(rel) is not None:
            return True
        path = self._resolve(rel)
        return path is not None and path.is_file()

    def is_dir(self, rel: str) -> bool:
        """Whether ``rel`` is a folder inside the context (``"."``: the root)."""
        path = self._resolve(rel)
        return path is not None and path.is_dir()

    def list_dir(self, rel: str = ".") -> tuple[str, ...]:
        """The names in folder ``rel``, sorted; ``()`` when it is missing or
        outside the context, at most :data:`MAX_ENTRIES` names."""
        path = self._resolve(rel)
        if path is None:
            return ()
        names = []
        try:
            with os.scandir(path) as it:
                for entry in it:
                    names.append(entry.name)
                    if len(names) >= MAX_ENTRIES:
                        break
        except OSError:
            if not self.overlay:
                return ()
        folder = posixpath.normpath(rel.lstrip("/")) if rel not in ("", "/") else "."
        for p, _text in self.overlay:
            if posixpath.dirname(p) == ("" if folder == "." else folder) and p.rsplit("/", 1)[-1] not in names:
                names.append(p.rsplit("/", 1)[-1])
        return tuple(sorted(names[:MAX_ENTRIES]))

    def first_file(self, *candidates: str) -> str | None:
        """The first of ``candidates`` (relative paths) that is a file, or None."""
        return next((c for c in candidates if self.is_file(c)), None)

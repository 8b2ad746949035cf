"""The build context as the migration leaves it, for the migrated build.

A migration may write files of the build context besides the Dockerfile
(:class:`migrator.model.results.ContextFile`): a ``.dockerignore``, a Django
settings module that reads ``VERSION.txt`` (``version-file``). ``verify``
must build the migrated image from that context, or it proves nothing about
those changes; and it must never write the user's files.

* A migration that writes only a ``.dockerignore`` needs no copy: the
  session puts it beside the migrated Dockerfile as
  ``<name>.dockerignore``, which BuildKit and Buildah read before the
  context's own (https://docs.docker.com/build/concepts/context/#filename-and-location),
  and builds from the user's context.
* Any other file: :func:`stage_context` makes a temporary copy of the
  context whose unchanged files are hard links to the user's (no data is
  copied; a file system that refuses the link, another device, gets a
  copy with ``shutil.copy2``: modes and times kept), lays every
  ``ContextFile`` over it, and the migrated build reads that copy. A changed
  file is first unlinked from the copy and written anew, so the user's inode
  is never written through the link. Paths the build's ignore files keep out
  of the context are not copied at all (a ``node_modules`` or ``.git``
  folder), judged conservatively: a path is left out only when *every*
  ignore file the builder might read excludes it, and a folder only when no
  ignore file has an exception line (``!x``) that could bring back
  something under it. :func:`remove_tree` removes the copy; it never
  changes a linked file's mode.

Symbolic links are copied as links (a build sends links as links); a
context file whose path goes through a link that leaves the copy is
refused (:class:`OverlayError`) rather than written through it.
"""

from __future__ import annotations

import errno
import os
import posixpath
import shutil
import stat
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

IGNORE_NAME = ".dockerignore"
ROOT_IGNORE_FILES = (".dockerignore", ".containerignore")
"""Ignore files a builder reads from the context root (podman/buildah prefer
``.containerignore``: https://github.com/containers/common/blob/main/docs/containerignore.5.md)."""

LINK_FALLBACK_ERRNOS = frozenset({errno.EXDEV, errno.EPERM, errno.EACCES, errno.EMLINK, errno.ENOTSUP,
                                  errno.EOPNOTSUPP, errno.ENOSYS})
"""``os.link`` failures answered by a copy: another device, a file system
without hard links, ``fs.protected_hardlinks`` (a file the user does not
own), too many links."""


class OverlayError(OSError):
    """The migrated context can't be made (one line, e.g. ``mysite/settings.py:
    changed on disk since the migration read it``)."""


@dataclass(frozen=True)
class Applied:
    """One context file as the migrated build gets it.

    Attributes:
        path: POSIX path relative to the context root.
        created: the migration creates it (else it changes it).
        transform: the transform that made it.
        where: ``"copy"`` (written into the temporary copy of the context) or
            ``"ignore file"`` (read as ``<Dockerfile name>.dockerignore``
            beside the migrated Dockerfile; no copy was needed).
    """

    path: str
    created: bool
    transform: str
    where: str

    def describe(self) -> str:
        """``"mysite/settings.py (changed by version-file)"``."""
        verb = "created" if self.created else "changed"
        return f"{self.path} ({verb} by {self.transform})" if self.transform else f"{self.path} ({verb})"

    def to_json(self) -> dict:
        """``{"path", "created", "transform", "where"}``."""
        return {"path": self.path, "created": self.created, "transform": self.transform, "where": self.where}


@dataclass
class Staged:
    """The context the migrated build reads.

    Attributes:
        root: its folder: the user's context, or the temporary copy.
        copied: ``root`` is a temporary copy (:func:`stage_context`).
        applied: the migration's context files, as applied.
        linked: files of the copy that are hard links to the user's files.
        copied_files: files of the copy that had to be copied (no hard link).
        left_out: files and folders of the context not copied because the
            build's ignore files exclude them (a folder counts once).
    """

    root: str
    copied: bool = False
    applied: list[Applied] = field(default_factory=list)
    linked: int = 0
    copied_files: int = 0
    left_out: int = 0

    def summary(self) -> str:
        """One line for the log and the report."""
        if not self.copied:
            return "the build context as it is"
        return (f"a temporary copy of the build context ({self.linked} files hard-linked, "
                f"{self.copied_files} copied, {self.left_out} ignored paths left out)")


def _norm(path: str) -> str:
    return posixpath.normpath(path.lstrip("/"))


def needs_copy(files: Iterable) -> bool:
    """Whether the migrated build needs a copy of the context: the migration
    writes a context file other than the root ``.dockerignore``.

    Args:
        files: :class:`migrator.model.results.ContextFile` items.
    """
    return any(_norm(f.path) != IGNORE_NAME for f in files)


def ignore_rules(texts: Iterable[str]) -> list[list[tuple[bool, object]]]:
    """Each ignore text parsed into ``(exception, regex)`` pairs, with the
    ``.dockerignore`` grammar of :mod:`transforms.dockerignore` (moby's
    patternmatcher)."""
    from transforms.dockerignore import parse_ignore

    return [parse_ignore(text) for text in texts]


def left_out(rules: Sequence[list], rel: str, is_dir: bool) -> bool:
    """Whether the build never sees context path ``rel`` whichever of the
    ignore files in ``rules`` the builder reads: every one excludes it; for a
    folder, also none has an exception line (moby walks into an excluded
    folder when one might match below it)."""
    from transforms.dockerignore import excluded

    if not rules or rel in ROOT_IGNORE_FILES:
        return False   # the builder reads these itself
    if is_dir and any(exception for patterns in rules for exception, _regex in patterns):
        return False
    return all(excluded(patterns, rel) for patterns in rules)


class _Linker:
    """``shutil.copytree``'s copy function: a hard link, else a copy."""

    def __init__(self) -> None:
        self.no_links = False
        self.linked = 0
        self.copied = 0

    def __call__(self, src: str, dst: str) -> str:
        if not self.no_links:
            try:
                os.link(src, dst, follow_symlinks=False)
                self.linked += 1
                return dst
            except OSError as exc:
                if exc.errno not in LINK_FALLBACK_ERRNOS:
                    raise
                if exc.errno in (errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
                    self.no_links = True   # every other file would fail the same way
        if not stat.S_ISREG(os.lstat(src).st_mode):
            return dst   # a socket or FIFO on another device: a build can't send it either
        shutil.copy2(src, dst, follow_symlinks=False)
        self.copied += 1
        return dst


def stage_context(
    context: str,
    files: Sequence,
    dest: str,
    ignore_texts: Sequence[str] = (),
    avoid: str | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> Staged:
    """Copy ``context`` to ``dest`` (hard links) and apply ``files`` there.

    Args:
        context: the user's build context folder (read only).
        files: the migration's :class:`migrator.model.results.ContextFile` items.
        dest: a folder that does not exist yet, outside ``context`` (or
            inside ``avoid``, which is skipped).
        ignore_texts: the ignore files the migrated build may read (its
            ``<name>.dockerignore``, else the context's ``.dockerignore`` and
            ``.containerignore``); see :func:`left_out`.
        avoid: a folder never copied (the verification's own temporary
            folder, should it lie inside the context).
        progress: called with a one-line status.
    Returns:
        the :class:`Staged` copy (``copied=True``).
    Raises:
        OverlayError: a context file can't be applied (it changed on disk
            since the migration read it, one to create exists, its path
            leaves the copy through a symbolic link), or the context can't
            be read.
    """
    source = os.path.realpath(context)
    avoid_real = os.path.realpath(avoid) if avoid else None
    rules = ignore_rules(ignore_texts)
    linker = _Linker()
    skipped = [0]

    def _ignore(folder: str, names: list[str]) -> set[str]:
        rel_folder = os.path.relpath(folder, source)
        out = set()
        for name in names:
            # copytree walks real paths (``source`` is resolved and linked folders are copied as links)
            full = os.path.join(folder, name)
            if full == avoid_real:
                out.add(name)
                continue
            if not rules:
                continue
            rel = name if rel_folder == "." else posixpath.join(rel_folder.replace(os.sep, "/"), name)
            if left_out(rules, rel, os.path.isdir(full) and not os.path.islink(full)):
                out.add(name)
        skipped[0] += len(out)
        return out

    progress("copying the build context (hard links)")
    try:
        shutil.copytree(source, dest, symlinks=True, ignore=_ignore, copy_function=linker)
    except shutil.Error as exc:
        first = exc.args[0][0] if exc.args and isinstance(exc.args[0], list) and exc.args[0] else exc
        raise OverlayError(f"cannot copy the build context: {_one_line(first)}") from None
    except OSError as exc:
        raise OverlayError(f"cannot copy the build context: {exc.strerror or exc}") from None
    staged = Staged(dest, copied=True, linked=linker.linked, copied_files=linker.copied, left_out=skipped[0])
    for cf in files:
        apply_file(dest, cf)
        staged.applied.append(Applied(_norm(cf.path), cf.original is None, cf.transform, "copy"))
    return staged


def _one_line(item: object) -> str:
    if isinstance(item, tuple) and len(item) == 3:
        return f"{item[0]}: {item[2]}"
    return str(item).splitlines()[0] if str(item) else type(item).__name__


def apply_file(root: str, cf) -> str:
    """Write one :class:`migrator.model.results.ContextFile` into the copy ``root``.

    A changed file must still read as ``cf.original`` (as
    :func:`migrator.files.write_context_file` requires before writing): it
    is unlinked and written anew with its mode, so a hard link to the user's
    file is never written through. A created file must not exist; it gets
    mode 0644 and its folders are made.

    Returns:
        the path written.
    Raises:
        OverlayError: see :func:`stage_context`.
    """
    rel = _norm(cf.path)
    if rel in (".", "") or rel == ".." or rel.startswith("../"):
        raise OverlayError(f"{cf.path}: not a path inside the build context")
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, *rel.split("/")))
    if not target.startswith(base + os.sep):
        raise OverlayError(f"{rel}: its path leaves the build context through a symbolic link; not written")
    folder = os.path.dirname(target)
    if cf.original is None:
        if os.path.lexists(target):
            raise OverlayError(f"{rel}: the migration creates it, but the build context has it; not written")
        mode = 0o644
        bom = ""
        os.makedirs(folder, exist_ok=True)
    else:
        from migrator.files import reread_context_file

        try:
            again = reread_context_file(target, cf.original, cf.output)
        except OSError as exc:
            raise OverlayError(f"{rel}: cannot read it in the build context ({exc.strerror})") from None
        if again is None:
            raise OverlayError(f"{rel}: changed on disk since the migration read it; run verify again")
        _current, mode, bom = again
    folder_mode = stat.S_IMODE(os.stat(folder).st_mode)
    opened = not folder_mode & stat.S_IWUSR
    if opened:  # a read-only folder of the copy (never a linked file): opened for the write, then restored
        os.chmod(folder, folder_mode | stat.S_IWUSR | stat.S_IXUSR)
    try:
        if cf.original is not None:
            os.unlink(target)   # drop the link to the user's file before writing
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write((bom + cf.output).encode("utf-8"))
        os.chmod(target, mode)   # the umask may have narrowed it
    except OSError as exc:
        raise OverlayError(f"{rel}: cannot write it in the copy of the build context ({exc.strerror})") from None
    finally:
        if opened:
            os.chmod(folder, folder_mode)
    return target


def remove_tree(path: str) -> None:
    """Remove ``path`` (the verification's temporary folder) and everything
    in it, also a copied read-only folder: on a first failure every folder
    of the tree (folders are never hard links) is made writable and the
    removal runs again. Links and linked files are removed, never followed
    or changed. Errors after that are ignored (a temporary folder)."""
    try:
        shutil.rmtree(path)
        return
    except FileNotFoundError:
        return
    except OSError:
        pass
    _open_folders(path)
    shutil.rmtree(path, ignore_errors=True)


def _open_folders(path: str) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if not stat.S_ISDIR(st.st_mode):
        return
    try:
        os.chmod(path, stat.S_IMODE(st.st_mode) | stat.S_IRWXU)
        with os.scandir(path) as it:
            entries = [e.path for e in it if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for entry in entries:
        _open_folders(entry)

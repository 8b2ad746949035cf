"""The requirement files a pip install reads, found in the build context.

A ``pip install -r requirements.txt`` reads a file the Dockerfile copied
into the image; which distributions it names decides whether a split that
installs with ``pip install --prefix`` is safe
(:mod:`migrator.analysis.prefix_split`): a file naming pip, setuptools or
wheel would put a second copy of those over the base image's.

The image path of the file is mapped back to the build context through the
COPY/ADD instructions of the stage (the last one that writes the path wins;
copy semantics of https://docs.docker.com/reference/dockerfile/#copy: a
directory source copies its contents, several sources or a destination
ending in ``/`` make the destination a directory), then read with the
bounded reads of :class:`migrator.context.BuildContext`, following ``-r``
and ``-c`` lines (pip.pypa.io/en/stable/reference/requirements-file-format).
A file is decoded as pip decodes it (:func:`decode`: a BOM, else a PEP 263
coding line, else UTF-8), so a Windows PowerShell ``pip freeze >
requirements.txt`` (UTF-16 with a BOM) is read too; one that pip's way
can't decode is reported as undecodable. A file that can't be placed or
read is reported as unread, never an error.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass, field

from migrator.analysis.commands import requirement_name
from migrator.analysis.stage import substitute, walk
from migrator.model.dockerfile import Dockerfile, Stage

MAX_FILES = 32
"""Most requirement files followed from one install (``-r`` chains)."""


@dataclass
class Requirements:
    """What the requirement files of one install name.

    Attributes:
        names: lowercased distribution name -> the context file naming it.
        editable: ``(context file, line)`` of ``-e``/``--editable`` lines.
        unread: image paths of the files not found or not readable in the
            context (their contents are unknown).
        undecodable: context files found but not decodable as pip decodes
            them (:func:`decode`): what they name is unknown.
    """

    names: dict[str, str] = field(default_factory=dict)
    editable: list[tuple[str, str]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    undecodable: list[str] = field(default_factory=list)


def read_requirements(df: Dockerfile, stage: Stage, image_paths, context) -> Requirements:
    """Read the requirement files at ``image_paths`` (absolute paths in the
    stage's image) from ``context`` (a :class:`migrator.context.BuildContext`
    or None: every file is then unread). Never raises."""
    out = Requirements()
    pending: list[tuple[str | None, str]] = []
    for path in image_paths:
        rel = context_file(df, stage, path, context) if context is not None else None
        if rel is None:
            out.unread.append(path)
        else:
            pending.append((rel, path))
    seen: set[str] = set()
    while pending and len(seen) < MAX_FILES:
        rel, shown = pending.pop(0)
        if rel in seen:
            continue
        seen.add(rel)
        raw = context.read_bytes(rel)
        if raw is None:
            out.unread.append(shown)
            continue
        text = decode(raw)
        if text is None:
            out.undecodable.append(rel)
            continue
        for line in _lines(text):
            m = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)", line)
            if m:
                nested = posixpath.normpath(posixpath.join(posixpath.dirname(rel), m.group(2)))
                pending.append((nested, nested))
                continue
            if re.match(r"^(-e|--editable)(\s|=|$)", line):
                out.editable.append((rel, line))
                continue
            if line.startswith("-") or line.startswith((".", "/")) or "://" in line.split(";")[0].split("@")[0]:
                continue
            name = requirement_name(line.split()[0])
            if name:
                out.names.setdefault(name, rel)
    return out


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
)
"""pip's byte-order marks, in pip's order (pip/_internal/utils/encoding.py ``BOMS``)."""

_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")
"""pip's PEP 263 coding comment (pip/_internal/utils/encoding.py ``ENCODING_RE``)."""


def decode(raw: bytes) -> str | None:
    """The text of a requirements file as pip reads it, or None when pip's
    way can't decode it.

    pip's ``auto_decode`` (pip/_internal/utils/encoding.py, used by
    pip/_internal/req/req_file.py ``get_file_content``): a leading BOM
    chooses UTF-8/16/32 (the BOM dropped); else a ``# ... coding: X`` comment
    in the first two lines (PEP 263); else the locale's encoding, UTF-8 in
    the official python image (``LANG=C.UTF-8``, and PEP 538 coerces the C
    locale to UTF-8). A text with a NUL (a UTF-32 LE file matches pip's
    UTF-16 LE BOM first) is not one pip could read either: None.
    """
    text = None
    try:
        for bom, encoding in _BOMS:
            if raw.startswith(bom):
                text = raw[len(bom):].decode(encoding)
                break
        else:
            for head in raw.split(b"\n")[:2]:
                found = _CODING.search(head) if head[:1] == b"#" else None
                if found:
                    text = raw.decode(found.group(1).decode("ascii"))
                    break
            else:
                text = raw.decode("utf-8")
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\x00" in text else text


def _lines(text: str) -> list[str]:
    """The requirement lines of a file: continuations joined, comments and blanks dropped."""
    joined = re.sub(r"\\\r?\n", "", text)
    out = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line:
            out.append(line)
    return out


def context_file(df: Dockerfile, stage: Stage, image_path: str, context) -> str | None:
    """The build-context file (relative path) that the stage's COPY/ADD
    instructions without ``--from`` put at ``image_path``, when that file
    exists in ``context``; else None (a URL, a pattern, an unresolved
    variable or an unknown WORKDIR place nothing)."""
    image_path = posixpath.normpath(image_path)
    found = None
    for ins, ctx in walk(df, stage):
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or ins.heredocs \
                or ins.flag("parents") is not None:
            continue
        args = [substitute(a, ctx.env) for a in ins.args]
        if len(args) < 2 or any(a is None for a in args):
            continue
        *srcs, dest = args
        if not dest.startswith("/") and ctx.workdir is None:
            continue
        dest_abs = posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))
        dest_dir = dest.endswith("/") or dest in (".", "./") or len(srcs) > 1
        for src in srcs:
            if "://" in src or any(ch in src for ch in "*?[$"):
                continue
            s = posixpath.normpath(src.lstrip("/") or ".")
            s = "" if s == "." else s
            if s.startswith(".."):
                continue
            if s == "" or context.is_dir(s):
                if image_path.startswith(dest_abs.rstrip("/") + "/"):
                    cand = posixpath.normpath(posixpath.join(s, posixpath.relpath(image_path, dest_abs)))
                    found = cand if context.is_file(cand) else found
            else:
                target = posixpath.join(dest_abs, posixpath.basename(s)) if dest_dir else dest_abs
                if target == image_path and context.is_file(s):
                    found = s
    return found

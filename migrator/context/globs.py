"""COPY/ADD sources with wildcards, matched in the build context as Docker matches them.

``COPY package*.json ./`` copies every file of the context root whose name
matches ``package*.json``. Docker matches each source against the context
with Go's ``filepath.Match`` rules (https://docs.docker.com/reference/dockerfile/#copy:
"each <src> may contain wildcards and matching will be done using Go's
filepath.Match rules"; https://pkg.go.dev/path/filepath#Match): ``*`` is
any run of characters other than ``/``, ``?`` one such character,
``[...]`` a class (``[^...]`` its complement, ``a-z`` ranges), ``\\`` escapes
the next character. A pattern never crosses a ``/``, so it is matched one
path element at a time.

Reads go through :class:`migrator.context.BuildContext` (bounded listings,
nothing outside the context); a folder that can't be listed matches nothing.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

_WILD = re.compile(r"[*?\[\\]")

MAX_MATCHES = 1000
"""Most context paths one pattern is matched to."""


def has_wildcard(source: str) -> bool:
    """Whether a COPY source holds a ``filepath.Match`` metacharacter
    (``*``, ``?``, ``[``, or ``\\``)."""
    return bool(_WILD.search(source))


@lru_cache(maxsize=256)
def element_regex(pattern: str) -> re.Pattern | None:
    """The regular expression of one path element of a ``filepath.Match``
    pattern (no ``/`` in it), or None when the pattern is malformed (Go's
    ``ErrBadPattern``: an unclosed ``[``, a trailing ``\\``), which matches
    nothing."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "\\":
            if i + 1 >= len(pattern):
                return None
            i += 1
            out += re.escape(pattern[i])
        elif c == "[":
            j = i + 1
            negate = j < len(pattern) and pattern[j] == "^"
            if negate:
                j += 1
            body, closed = "", False
            first = True
            while j < len(pattern):
                ch = pattern[j]
                if ch == "]" and not first:
                    closed = True
                    break
                first = False
                if ch == "\\":
                    if j + 1 >= len(pattern):
                        return None
                    j += 1
                    ch = pattern[j]
                    body += re.escape(ch)
                elif ch == "-" and body:
                    body += "-"
                else:
                    body += re.escape(ch)
                j += 1
            if not closed or not body:
                return None
            out += "[" + ("^/" if negate else "") + body + "]"
            i = j
        else:
            out += re.escape(c)
        i += 1
    try:
        return re.compile(out + r"\Z")
    except re.error:
        return None


def could_match(pattern: str, path: str) -> bool:
    """Whether the ``filepath.Match`` pattern ``pattern`` matches the
    relative path ``path`` (element by element, same number of elements)."""
    pats = [p for p in posixpath.normpath(pattern).split("/") if p not in ("", ".")]
    parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
    if len(pats) != len(parts):
        return False
    for pat, part in zip(pats, parts):
        regex = element_regex(pat)
        if regex is None or not regex.match(part):
            return False
    return True


def match_sources(context, source: str) -> list[str]:
    """The context paths a COPY source names.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        source: a COPY/ADD source as written (``package*.json``,
            ``./config/*.yml``, ``package.json``); a leading ``/`` or ``./``
            is the context root.
    Returns:
        the matching paths relative to the root, sorted (at most
        :data:`MAX_MATCHES`); a source without wildcards gives itself when
        the context has it. ``[]`` when nothing matches (Docker then fails
        the COPY unless another source matches). Never raises.
    """
    clean = posixpath.normpath(source.lstrip("/") or ".")
    if clean.startswith(".."):
        return []
    if not has_wildcard(clean):
        return [clean] if clean != "." and (context.is_file(clean) or context.is_dir(clean)) else []
    found = ["."]
    for element in clean.split("/"):
        nxt: list[str] = []
        for folder in found:
            if not has_wildcard(element):
                path = element if folder == "." else f"{folder}/{element}"
                if context.is_file(path) or context.is_dir(path):
                    nxt.append(path)
                continue
            regex = element_regex(element)
            if regex is None:
                return []
            for name in context.list_dir(folder):
                if regex.match(name):
                    nxt.append(name if folder == "." else f"{folder}/{name}")
                    if len(nxt) >= MAX_MATCHES:
                        break
        found = nxt
        if not found:
            return []
    return sorted(found)[:MAX_MATCHES]

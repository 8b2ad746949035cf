"""Unified diffs that ``git apply`` accepts."""

from __future__ import annotations

import difflib
import os

NO_EOL = "\\ No newline at end of file\n"


def display_path(path: str) -> str:
    """Return ``path`` relative to the current directory, with ``/``
    separators, as diff headers and reports show it (standard input, ``"-"``,
    shows as ``Dockerfile``)."""
    if path == "-":
        return "Dockerfile"
    rel = os.path.relpath(os.path.abspath(path))
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = os.path.abspath(path).lstrip(os.sep)
    return rel.replace(os.sep, "/")


def _lines(text: str) -> list[str]:
    # splitlines(keepends) would also split on \x0b, \x1c... which difflib
    # and git do not treat as line ends; split on \n only.
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(original: str | None, output: str, path: str, context: int = 3) -> str:
    """Return a unified diff from ``original`` to ``output``.

    Args:
        original: the text before; ``None`` for a file the change creates
            (the old side is then ``/dev/null``, as git writes it).
        output: the text after.
        path: the display path (already relative, ``/``-separated); headers
            are ``a/<path>`` and ``b/<path>`` so ``git apply`` at the
            directory the path is relative to accepts the patch.
        context: lines of context around each hunk.
    Returns:
        the diff text (``""`` when the texts are equal). A last line without
        a newline is followed by git's ``\\ No newline at end of file``
        marker; CRLF endings are kept inside the lines, as git expects.
    """
    if original == output:
        return ""
    old_name = "/dev/null" if original is None else f"a/{path}"
    out: list[str] = []
    for line in difflib.unified_diff(
        _lines(original or ""), _lines(output), old_name, f"b/{path}", n=context
    ):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + NO_EOL)
    return "".join(out)


def context_file_diffs(result, base: str | None = None) -> list[tuple[str, str, bool]]:
    """The diffs of the build-context files a migration creates or changes.

    Args:
        result: a :class:`migrator.model.results.FileResult`.
        base: the folder the displayed paths are relative to (``None``: the
            current directory, as :func:`display_path` shows paths).
    Returns:
        ``[(display path, diff, created)]`` in the result's order; empty
        when the result has no context files.
    """
    out = []
    for cf in result.context_files:
        full = os.path.join(result.context_root or ".", *cf.path.split("/"))
        shown = display_path(full) if base is None else os.path.relpath(full, base).replace(os.sep, "/")
        out.append((shown, unified_diff(cf.original, cf.output, shown), cf.original is None))
    return out

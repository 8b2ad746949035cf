"""A build context on disk for tests: the files a transform reads."""

from __future__ import annotations

from pathlib import Path

from migrator.context import BuildContext


def context(tmp_path: Path, files: dict[str, str]) -> BuildContext:
    """Write ``files`` (relative path -> text) under ``tmp_path`` and return
    the :class:`BuildContext` rooted there."""
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return BuildContext.at(tmp_path)

"""Span edits and the fixes that group them.

As in pyupgrade/tokenize-rt, edits replace character spans of the original
text and are applied from the end backwards, so offsets stay valid and the
text between edits stays byte-identical. As in ruff, edits are grouped into a
:class:`Fix` that carries its applicability, and edits that overlap are
rejected, never merged by luck.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrator.model.results import Applicability


class OverlapError(ValueError):
    """Two edits touch the same characters."""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``.

    Attributes:
        start, end: character offsets in the text the edit was made against;
            ``start == end`` is an insertion.
        content: the replacement text.
    """

    start: int
    end: int
    content: str = ""

    def __post_init__(self):
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit span {self.start}..{self.end}")

    @classmethod
    def insert(cls, at: int, content: str) -> "Edit":
        """An insertion of ``content`` at offset ``at``."""
        return cls(at, at, content)

    @classmethod
    def delete(cls, start: int, end: int) -> "Edit":
        """A deletion of ``text[start:end]``."""
        return cls(start, end, "")


@dataclass(frozen=True)
class Fix:
    """One reviewable change: edits that only make sense together.

    Attributes:
        reason: one line for reviewers.
        edits: the :class:`Edit` list (any order; they must not overlap).
        applicability: safe fixes apply by default; unsafe ones need opt-in.
        bytes_saved: estimated bytes removed from the runtime image.
    """

    reason: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    bytes_saved: int = 0


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        # Two insertions at one point would be ordered by luck.
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def check_disjoint(edits: list[Edit]) -> None:
    """Raise :class:`OverlapError` if any two edits overlap.

    Two insertions at the same offset count as overlapping (their order would
    be arbitrary); an insertion at the boundary of a replacement does not.
    """
    ordered = sorted(edits)
    for prev, cur in zip(ordered, ordered[1:]):
        if _overlaps(prev, cur):
            raise OverlapError(f"edits {prev.start}..{prev.end} and {cur.start}..{cur.end} overlap")


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits to ``text``, from the end backwards.

    Args:
        text: the text the edits' offsets refer to.
        edits: the edits.
    Returns:
        the new text.
    Raises:
        OverlapError: two edits overlap.
        ValueError: an edit lies outside the text.
    """
    check_disjoint(edits)
    for e in edits:
        if e.end > len(text):
            raise ValueError(f"edit {e.start}..{e.end} past the end of a {len(text)}-character text")
    out = text
    for e in sorted(edits, reverse=True):
        out = out[: e.start] + e.content + out[e.end:]
    return out


def line_shifts(text: str, edits: list[Edit]) -> list[tuple[int, int]]:
    """Describe how edits move the lines of ``text``.

    Returns:
        ``(threshold, delta)`` for each edit: every line numbered
        ``threshold`` or more in the old text moves by ``delta`` lines (an
        insertion at the start of line N moves line N itself).
    """
    out = []
    for e in sorted(edits):
        delta = e.content.count("\n") - text.count("\n", e.start, e.end)
        line = text.count("\n", 0, e.end) + 1
        at_line_start = e.end == 0 or text[e.end - 1] == "\n"
        out.append((line if at_line_start else line + 1, delta))
    return out


def map_line(line: int, shifts: list[tuple[int, int]]) -> int:
    """Return where line ``line`` of the old text is in the new one, given
    the ``shifts`` of :func:`line_shifts`."""
    return line + sum(delta for threshold, delta in shifts if line >= threshold)


def unmap_line(line: int, shifts: list[tuple[int, int]]) -> int | None:
    """Return the line of the old text that line ``line`` of the new one is,
    given the ``shifts`` of :func:`line_shifts`; None for a line the edits
    inserted."""
    old = max(1, line - sum(delta for _t, delta in shifts if delta > 0))
    while old > 1 and map_line(old, shifts) > line:
        old -= 1
    while map_line(old + 1, shifts) <= line:
        old += 1
    return old if map_line(old, shifts) == line else None

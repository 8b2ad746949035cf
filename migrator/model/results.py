"""What one migration run produced for one Dockerfile.

A file ends in exactly one :class:`Status`, the way a libcst codemod ends in
success, skip or failure: ``migrated`` (the output differs from the input),
``unchanged`` (every transform ran and none had anything to do), ``skipped``
(the tool deliberately leaves this kind of file alone, e.g. it is already
multi-stage), ``refused`` (the tool could not make the migration safely and
says why) or ``error`` (the input is not a Dockerfile it can read).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(str, enum.Enum):
    """Final state of one file, as printed in reports and ``--json``."""

    MIGRATED = "migrated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    REFUSED = "refused"
    ERROR = "error"


class Applicability(str, enum.Enum):
    """How sure a transform is that its change keeps the image working.

    ``safe`` changes are applied by default; ``unsafe`` ones only when the
    caller opts in (``--unsafe``), as with ruff's fix applicability.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Change:
    """One reviewable change made to a file.

    Attributes:
        transform: id of the transform that made it (e.g. ``"build-deps"``).
        reason: one line saying why, for reviewers.
        applicability: :class:`Applicability` of the change.
        lines: 1-based inclusive ``(first, last)`` line span of the change in
            the *migrated* text; ``(n, n - 1)`` marks a pure deletion before
            line ``n``.
        bytes_saved: estimated bytes (not KiB) removed from the runtime image
            by this change, from the Debian ``Installed-Size`` fields or the
            curated Alpine table; 0 when unknown.
    """

    transform: str
    reason: str
    applicability: Applicability = Applicability.SAFE
    lines: tuple[int, int] = (0, 0)
    bytes_saved: int = 0

    @property
    def where(self) -> str:
        """The span for people: ``"line 7"``, ``"lines 7-9"``, ``"before
        line 7"`` (a deletion), or ``""`` when unknown."""
        first, last = self.lines
        if not first:
            return ""
        if last < first:
            return f"before line {first}"
        return f"line {first}" if first == last else f"lines {first}-{last}"

    def to_json(self) -> dict:
        """Return a JSON-ready dict with keys transform, reason, applicability,
        lines ([first, last]) and bytes_saved."""
        return {
            "transform": self.transform,
            "reason": self.reason,
            "applicability": self.applicability.value,
            "lines": list(self.lines),
            "bytes_saved": self.bytes_saved,
        }


@dataclass(frozen=True)
class Refusal:
    """A change a transform would have made but declined, with the reason.

    Attributes:
        transform: id of the transform that declined.
        reason: one line, e.g. ``"line 7: package list uses $DEPS, which has no
            static value"``.
        unsafe_only: True when the change exists but is unsafe and was not
            requested (``--unsafe`` would apply it).
    """

    transform: str
    reason: str
    unsafe_only: bool = False

    def to_json(self) -> dict:
        """Return a JSON-ready dict with keys transform, reason, unsafe_only."""
        return {"transform": self.transform, "reason": self.reason, "unsafe_only": self.unsafe_only}


@dataclass(frozen=True)
class ContextFile:
    """A file of the build context a migration creates or changes, beside
    the Dockerfile (a ``.dockerignore``; a settings module).

    Attributes:
        path: POSIX path relative to the build context root
            (``".dockerignore"``, ``"mysite/settings.py"``).
        original: the file's text when it was read, ``None`` when the
            migration creates it (it must not exist when written).
        output: the new text.
        transform: id of the transform that made it.
        reason: one line for reviewers.
        applicability: :class:`Applicability` of the change; an unsafe one
            is written only with ``--unsafe``, else reported as a refusal
            the option would apply. A transform may propose a second file
            at the same path whose ``original`` is its first one's
            ``output``: a change on top of it (the engine merges them into
            one file and reports two changes).
    """

    path: str
    original: str | None
    output: str
    transform: str = ""
    reason: str = ""
    applicability: Applicability = Applicability.SAFE

    def to_json(self) -> dict:
        """Return a JSON-ready dict with keys path, created, transform, reason."""
        return {"path": self.path, "created": self.original is None, "transform": self.transform,
                "reason": self.reason}


@dataclass
class FileResult:
    """Outcome of migrating one Dockerfile.

    Attributes:
        path: the path as given by the user (``"-"`` for standard input).
        status: the final :class:`Status`.
        original: the input text (``""`` when it could not be read).
        output: the migrated text; equals ``original`` unless status is
            ``migrated``.
        changes: the :class:`Change` list, in the order the transforms ran.
        refusals: the :class:`Refusal` list (changes declined, with reasons);
            a ``migrated`` file may still carry refusals of single changes.
        reason: one line explaining ``skipped``, ``refused`` or ``error``.
        notes: warnings that are not refusals (e.g. EXPOSE of a port below
            1024 with a non-root user, packages the tool does not know).
        context_files: files of the build context the migration creates or
            changes (:class:`ContextFile`), written with the Dockerfile.
        context_root: the build context folder those paths are relative to
            (absolute), or None when there is no build context.
    """

    path: str
    status: Status
    original: str = ""
    output: str = ""
    changes: list[Change] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    context_files: list[ContextFile] = field(default_factory=list)
    context_root: str | None = None

    @property
    def changed(self) -> bool:
        """True when the output differs from the input."""
        return self.status is Status.MIGRATED

    @property
    def bytes_saved(self) -> int:
        """Sum of the changes' estimated bytes removed from the runtime image."""
        return sum(c.bytes_saved for c in self.changes)

    def to_json(self) -> dict:
        """Return the per-file record printed by ``--json``: path, status,
        reason, changes, refusals, notes and bytes_saved, and
        context_files when the migration creates or changes any."""
        record = {
            "path": self.path,
            "status": self.status.value,
            "reason": self.reason,
            "changes": [c.to_json() for c in self.changes],
            "refusals": [r.to_json() for r in self.refusals],
            "notes": list(self.notes),
            "bytes_saved": self.bytes_saved,
        }
        if self.context_files:
            record["context_files"] = [f.to_json() for f in self.context_files]
        return record

"""The contract between the engine and the transforms.

A transform is an object with an ``id``, a ``title``, a ``rationale`` and a
``run(df, options)`` method that reads a parsed :class:`~migrator.model.dockerfile.Dockerfile`
and returns an :class:`Outcome`: the fixes it proposes (span edits on that
very text) and the changes it refuses, each with a one-line reason. It never
reads or writes files and never sees another transform's internals; the
engine runs transforms in order, applies their fixes, re-parses, and checks
the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from migrator.model.edits import Fix
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options
from migrator.model.results import ContextFile


@dataclass
class Outcome:
    """What one transform proposes for one file.

    Attributes:
        fixes: fixes to apply, each one reviewable change.
        refusals: reasons for changes it declined (one line each).
        notes: warnings for the report that are not refusals.
        files: files of the build context to create or change
            (:class:`~migrator.model.results.ContextFile`, paths relative to
            ``options.context.root``; only when ``options.context`` is set).
            Each is one reviewable change, safe: a transform that can't make
            one safely refuses instead. Two transforms proposing the same
            path: the later one is refused.
    """

    fixes: list[Fix] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[ContextFile] = field(default_factory=list)

    @classmethod
    def refuse(cls, reason: str) -> "Outcome":
        """An outcome that declines the whole transform with ``reason``."""
        return cls(refusals=[reason])


class Transform(Protocol):
    """A source-to-source change of Dockerfiles.

    Attributes:
        id: stable kebab-case id used by ``--select``/``--ignore``.
        title: a few words for ``dockerfile-migrator transforms``.
        rationale: one sentence on why the change is worth making.
        default: whether a run without ``--select`` uses it (opt-in
            transforms are off and turned on with ``--extend-select``);
            the engine reads it with ``getattr(t, "default", True)``.
    """

    id: str
    title: str
    rationale: str
    default: bool

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Return the :class:`Outcome` of this transform on ``df``."""
        ...

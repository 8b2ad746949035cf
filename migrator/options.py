"""Options that shape a migration run, shared by the CLI, batch and the API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """Knobs of one migration run.

    Attributes:
        select: transform ids to run (``None``: every transform that runs by
            default). Unknown ids raise ``ValueError`` in the engine.
        ignore: transform ids not to run.
        unsafe: also apply changes whose applicability is ``unsafe``
            (e.g. moving the runtime stage to the ``-slim`` tag).
        uid: numeric UID and GID of the non-root user (default 10001, above
            the 1-999 system range and the 1000 of a first login user).
        user: name of that user and group.
        venv_path: absolute path of the virtual environment the builder
            creates and the runtime stage copies.
    """

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    unsafe: bool = False
    uid: int = 10001
    user: str = "app"
    venv_path: str = "/opt/venv"

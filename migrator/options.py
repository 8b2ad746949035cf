"""Options that shape a migration run, shared by the CLI, batch and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from migrator.context import BuildContext

GO_RUNTIMES = ("distroless", "scratch", "debian-slim")
"""The runtime images ``--go-runtime`` chooses from (``go-runtime.json`` ``runtimes``)."""


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
        extend_select: opt-in transform ids to run in addition to the
            default ones (ruff's ``--extend-select``).
        images: facts about base images the bundled data does not know,
            from the ``[tool.dockerfile-migrator.images]`` configuration
            table: a tuple of entries that :func:`migrator.analysis.packages.describe_base_image`
            reads (see :mod:`migrator.config`); ``()`` when none.
        context: the build context the Dockerfile is built with, read with
            bounded reads where a decision depends on its files
            (:class:`migrator.context.BuildContext`); ``None`` when unknown
            (standard input), and the transforms then decide from the
            Dockerfile alone.
        healthcheck_url: the URL the ``healthcheck`` transform probes from
            inside the container (``http://127.0.0.1:8000/health``), from
            ``--healthcheck-url``; ``None``: that transform refuses.
        go_runtime: the runtime image of a static Go build (``go-runtime``
            transform): ``"distroless"`` (gcr.io/distroless/static-debian12),
            ``"scratch"`` or ``"debian-slim"`` (the OS image the golang image
            is built on), from ``--go-runtime`` or the ``go-runtime`` key.
    """

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    unsafe: bool = False
    uid: int = 10001
    user: str = "app"
    venv_path: str = "/opt/venv"
    extend_select: frozenset[str] = frozenset()
    images: tuple[Any, ...] = ()
    context: "BuildContext | None" = None
    healthcheck_url: str | None = None
    go_runtime: str = "distroless"

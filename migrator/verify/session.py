"""One whole verification: build both Dockerfiles, look inside, compare, clean up.

Both builds cache their layers, so the migrated file's builder stage (the
original's instructions, byte for byte, plus insertions) reuses what the
original's build made. Nothing is left behind but the log file: the migrated
Dockerfile is written to a temporary folder that is removed, and both images
and the layer images the builds made are removed at the end (unless the
caller keeps them), also when the run is interrupted; layer images that
existed before the verification started are kept
(:meth:`migrator.verify.builders.Builder.cleanup`).

The migrated image is built from the build context as the migration leaves
it: a migration that writes context files other than the ``.dockerignore``
(a settings module) gets a temporary copy of the context, hard links of the
user's files with those files applied (:mod:`migrator.verify.overlay`),
removed with the temporary folder; the user's context is never written.
"""

from __future__ import annotations

import datetime
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Callable

from migrator.verify.builders import Builder, BuilderError
from migrator.verify.compare import ImageFacts, Verdict, compare
from migrator.verify.inspect import OWN_WORKDIR, gather
from migrator.verify.overlay import ROOT_IGNORE_FILES, Applied, Staged, needs_copy, remove_tree, stage_context

TAG_PREFIX = "dockerfile-migrator-verify-"


@dataclass
class Request:
    """What to verify.

    Attributes:
        dockerfile: path of the original Dockerfile.
        context: the build context folder shared by both builds.
        migrated_text: the migrated Dockerfile.
        smoke: a shell command to run in both images, or ``None``.
        log_path: file receiving the builder's full log (kept).
        smoke_timeout: seconds allowed to the smoke command in each image.
        build_timeout: seconds allowed to each build (``None``: no limit).
        keep_images: leave both images behind (their tags are in the outcome),
            and the layer images their builds made.
        migrated_ignore: the ``.dockerignore`` the migration creates in the
            build context, or ``None`` (then taken from ``context_files``):
            the migrated build reads it as ``<name>.dockerignore`` beside the
            migrated Dockerfile (which BuildKit and Buildah prefer to the
            context's), so the context itself is never written.
        context_files: every build-context file the migration creates or
            changes (:class:`migrator.model.results.ContextFile`); any other than
            the ``.dockerignore`` makes the migrated build read a temporary
            copy of the context with them applied.
        root_kept: the migration's reason for leaving the user as it was
            (the ``non-root-user`` refusal), or ``None``; see
            :func:`migrator.verify.compare.compare`.
    """

    dockerfile: str
    context: str
    migrated_text: str
    smoke: str | None = None
    log_path: str = ""
    smoke_timeout: float = 120
    build_timeout: float | None = None
    keep_images: bool = False
    migrated_ignore: str | None = None
    root_kept: str | None = None
    context_files: tuple = ()


@dataclass
class Outcome:
    """What a verification found.

    Attributes:
        original, migrated: the facts gathered about each image.
        verdict: the comparison's outcome.
        tags: ``{"original": tag, "migrated": tag}``.
        kept_images: the images were kept (``--keep-images``).
        cleanup_problems: one line per image the cleanup could not remove.
        context: the context the migrated build read and the migration's
            context files applied to it (:class:`~migrator.verify.overlay.Staged`).
    """

    original: ImageFacts
    migrated: ImageFacts
    verdict: Verdict
    tags: dict[str, str] = field(default_factory=dict)
    kept_images: bool = False
    cleanup_problems: list[str] = field(default_factory=list)
    context: Staged | None = None


def default_log_path(dockerfile: str) -> str:
    """``$TMPDIR/dockerfile-migrator-verify-<folder>-<YYYYmmdd-HHMMSS>.log``."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(dockerfile))) or "root"
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in folder)
    return os.path.join(tempfile.gettempdir(), f"{TAG_PREFIX}{safe}-{stamp}-{os.getpid()}.log")


def _stage_migrated(request: Request, folder: str) -> str:
    """Write the migrated Dockerfile into ``folder`` under the original's
    name, with the ``.dockerignore`` the migration creates, or else the
    original's ``<name>.dockerignore``, beside it as ``<name>.dockerignore``
    (BuildKit and Buildah read that file before the context's
    ``.dockerignore``: https://docs.docker.com/build/concepts/context/#filename-and-location)."""
    name = os.path.basename(request.dockerfile) or "Dockerfile"
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(request.migrated_text)
    ignore = request.dockerfile + ".dockerignore"
    migrated_ignore = _migrated_ignore(request)
    if migrated_ignore is not None:
        with open(path + ".dockerignore", "w", encoding="utf-8") as fh:
            fh.write(migrated_ignore)
    elif os.path.isfile(ignore):
        shutil.copyfile(ignore, path + ".dockerignore")
    return path


def _migrated_ignore(request: Request) -> str | None:
    """The ``.dockerignore`` the migration creates, or None."""
    if request.migrated_ignore is not None:
        return request.migrated_ignore
    return next((f.output for f in request.context_files
                 if f.path.lstrip("/") == ".dockerignore" and f.original is None), None)


def _ignore_texts(request: Request, migrated_path: str) -> list[str]:
    """The ignore files the migrated build may read: its
    ``<name>.dockerignore`` (which the builders read first), or else the
    context's ``.dockerignore`` and ``.containerignore``."""
    beside = migrated_path + ".dockerignore"
    candidates = [beside] if os.path.isfile(beside) else [os.path.join(request.context, n) for n in ROOT_IGNORE_FILES]
    texts = []
    for candidate in candidates:
        try:
            with open(candidate, encoding="utf-8", errors="replace") as fh:
                texts.append(fh.read())
        except OSError:
            continue
    return texts


def _migrated_context(request: Request, folder: str, migrated_path: str,
                      progress: Callable[[str], None]) -> Staged:
    """The context the migrated build reads: a copy with the migration's
    context files applied when it writes any besides the .dockerignore,
    else the user's context (the .dockerignore is beside the Dockerfile)."""
    if not needs_copy(request.context_files):
        return Staged(request.context, applied=[
            Applied(f.path.lstrip("/"), f.original is None, f.transform, "ignore file")
            for f in request.context_files])
    return stage_context(request.context, request.context_files, os.path.join(folder, "context"),
                         _ignore_texts(request, migrated_path), avoid=folder, progress=progress)


def verify(builder: Builder, request: Request, progress: Callable[[str], None] = lambda _m: None) -> Outcome:
    """Build the original and the migrated Dockerfile and compare the images.

    Args:
        builder: the builder to drive.
        request: what to verify.
        progress: called with a one-line status ("building the original image:
            STEP 3/7: RUN pip install ...") whenever the step changes.
    Returns:
        the :class:`Outcome`; its verdict decides the exit status.
    Raises:
        OSError: the log file or the temporary folder cannot be written;
            :class:`migrator.verify.overlay.OverlayError` (an ``OSError``):
            the migration's context files can't be applied to a copy of the
            context.
        migrator.verify.builders.BuilderError: the builder failed to inspect an
            image it had just built.
    """
    token = secrets.token_hex(5)
    tags = {
        "original": f"{TAG_PREFIX}{token}:original",
        "migrated": f"{TAG_PREFIX}{token}:migrated",
    }
    built: list[str] = []
    layers: list[str] = []
    try:
        before = None if request.keep_images else builder.image_ids()
    except BuilderError:
        before = None  # the tags are still removed; layer images may stay
    cleanup_problems: list[str] = []
    folder = tempfile.mkdtemp(prefix=TAG_PREFIX)
    try:
        migrated_path = _stage_migrated(request, folder)
        staged = _migrated_context(request, folder, migrated_path, progress)
        with open(request.log_path, "w", encoding="utf-8") as log:
            log.write(
                f"dockerfile-migrator verify: {request.dockerfile}\n"
                f"context: {request.context}\nbuilder: {builder.name} ({builder.binary})\n\n"
                "--- migrated Dockerfile ---\n"
                f"{request.migrated_text}{'' if request.migrated_text.endswith(chr(10)) else chr(10)}"
                "--- end ---\n\n"
                f"migrated build context: {staged.summary()}\n"
            )
            for applied in staged.applied:
                how = "in the copy" if applied.where == "copy" else f"as {os.path.basename(migrated_path)}.dockerignore"
                log.write(f"  applied: {applied.describe()}, {how}\n")
            log.write("\n")
            builds = {}
            contexts = {"original": request.context, "migrated": staged.root}
            for label, dockerfile in (("original", request.dockerfile), ("migrated", migrated_path)):
                progress(f"building the {label} image")
                log.write(f"=== build {label}: {dockerfile} ===\n")
                built.append(tags[label])
                builds[label] = builder.build(
                    dockerfile, contexts[label], tags[label], log,
                    on_step=lambda step, label=label: progress(f"building the {label} image: {step}"),
                    timeout=request.build_timeout, on_image=layers.append,
                )
            original = gather(
                builder, tags["original"], builds["original"], workdir=OWN_WORKDIR,
                smoke=request.smoke, smoke_timeout=request.smoke_timeout, progress=progress, label="original",
            )
            workdir = original.config.get("WorkingDir") if original.build.ok else None
            migrated = gather(
                builder, tags["migrated"], builds["migrated"], workdir=workdir,
                smoke=request.smoke, smoke_timeout=request.smoke_timeout, progress=progress, label="migrated",
            )
            for label, facts in (("original", original), ("migrated", migrated)):
                if facts.smoke is not None:
                    log.write(
                        f"=== smoke in {label}: {facts.smoke.command} -> exit {facts.smoke.exit_code}"
                        f"{' (timed out)' if facts.smoke.timed_out else ''} ===\n{facts.smoke.output}\n\n"
                    )
        verdict = compare(original, migrated, request.smoke, request.root_kept)
        return Outcome(original, migrated, verdict, tags, kept_images=request.keep_images,
                       cleanup_problems=cleanup_problems, context=staged)
    finally:
        remove_tree(folder)
        if not request.keep_images and built:
            try:
                cleanup_problems.extend(builder.cleanup(built, layers, before))
            except Exception as exc:  # noqa: BLE001 - cleanup must not hide the real outcome
                cleanup_problems.append(f"cleanup failed: {exc}")
            if cleanup_problems:
                try:
                    with open(request.log_path, "a", encoding="utf-8") as log:
                        log.write("=== left behind ===\n" + "\n".join(cleanup_problems) + "\n")
                except OSError:
                    pass

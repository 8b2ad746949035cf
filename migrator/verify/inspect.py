"""Learn what :mod:`migrator.verify.compare` needs about one built image.

Config and size come from the builder's inspect command; the user's UID from
the config, or for a user *name* from the image's own ``/etc/passwd``; the
files under WORKDIR from ``find`` run inside the image as root; the smoke
command runs as the image's own user, in its WORKDIR, with no network.

Whether the program the image starts exists is read from the image's files
without running it (:meth:`~migrator.verify.builders.Builder.filesystem`), so
that an image without a shell is checked too; the same files give
``/etc/passwd`` when ``cat`` cannot run in the image.
"""

from __future__ import annotations

from typing import Callable

from migrator.verify.builders import Builder, BuilderError
from migrator.verify.compare import BuildOutcome, ImageFacts, SmokeOutcome, resolve_uid, split_user
from migrator.verify.imagefs import Tree, lookup
from migrator.verify.programs import (
    ProgramCheck,
    check_plan,
    identity,
    plan_healthcheck,
    plan_launch,
    unreadable,
)

MAX_OUTPUT = 4000
"""Characters of smoke output kept (the end, where errors are)."""

OWN_WORKDIR = "<own WORKDIR>"
"""``gather(workdir=OWN_WORKDIR)`` lists the image's own WORKDIR."""

MAX_FILES = 20000
"""Files listed under WORKDIR at most (a bigger tree is cut, with a warning)."""


def _tail(text: str, limit: int = MAX_OUTPUT) -> str:
    text = text.strip()
    return text if len(text) <= limit else "..." + text[-limit:]


def read_passwd(builder: Builder, tag: str) -> str | None:
    """The image's ``/etc/passwd``, or ``None`` when it cannot be read."""
    result = builder.run(tag, ["cat", "/etc/passwd"], user="0")
    return result.output if result.exit_code == 0 else None


def resolve_image_uid(builder: Builder, tag: str, config: dict) -> tuple[int | None, str | None]:
    """The UID ``tag`` runs as: numeric USER as is, a name through ``/etc/passwd``."""
    name, _group = split_user(config.get("User") or "")
    if name.isdigit():
        return int(name), None
    return resolve_uid(config.get("User") or "", read_passwd(builder, tag))


def list_files(builder: Builder, tag: str, workdir: str) -> frozenset[str] | None:
    """Paths of the files and symlinks under ``workdir``, relative to it.

    Returns an empty set when the folder does not exist in the image, and
    ``None`` when the image cannot be listed (no ``find`` in it).
    """
    root = workdir.rstrip("/") or "/"
    script = (
        'if [ -d "$1" ]; then cd "$1" && find . -xdev \\( -type f -o -type l \\) -print; fi'
    )
    result = builder.run(tag, ["/bin/sh", "-c", script, "sh", root], user="0")
    if result.exit_code != 0:
        return None
    paths = set()
    for line in result.output.splitlines():
        line = line.strip()
        if line.startswith("./"):
            paths.add(line[2:])
        if len(paths) >= MAX_FILES:
            break
    return frozenset(paths)


def read_text(tree: Tree, path: str) -> str | None:
    """A text file of the image (symlinks followed inside it), or ``None``."""
    found = lookup(tree, path)
    return tree.text(found.path) if found.entry is not None else None


def check_programs(tree: Tree, config: dict, uid: int | None) -> tuple[ProgramCheck, ProgramCheck | None]:
    """Check the program ``config`` starts, and its HEALTHCHECK's command,
    against the image's files, as the image's user."""
    who = identity(config.get("User") or "", uid, read_text(tree, "/etc/passwd"), read_text(tree, "/etc/group"))
    health = plan_healthcheck(config)
    return check_plan(tree, plan_launch(config), who), None if health is None else check_plan(tree, health, who)


def check_image_files(
    builder: Builder, tag: str, facts: ImageFacts, progress: Callable[[str], None] = lambda _m: None, label: str = ""
) -> None:
    """Fill ``facts.entrypoint`` and ``facts.healthcheck_program`` from the
    image's files (and ``facts.uid`` when ``/etc/passwd`` could not be read
    by running ``cat``). An image that cannot be read gets checks whose
    status is unknown, with the reason."""
    launch, health = plan_launch(facts.config), plan_healthcheck(facts.config)
    passwd_needed = facts.uid is None and "could not be read" in (facts.user_error or "")
    if launch.source is None and health is None and not passwd_needed:
        facts.entrypoint = ProgramCheck(launch)
        return
    progress(f"checking the program the {label} image starts")
    try:
        with builder.filesystem(tag) as tree:
            if passwd_needed:  # no `cat` in the image (distroless): read its /etc/passwd file
                facts.uid, facts.user_error = resolve_uid(facts.config.get("User") or "", read_text(tree, "/etc/passwd"))
            facts.entrypoint, facts.healthcheck_program = check_programs(tree, facts.config, facts.uid)
    except BuilderError as exc:
        why = f"the image's files could not be read: {exc}"
        facts.entrypoint = unreadable(launch, why)
        facts.healthcheck_program = None if health is None else unreadable(health, why)


def run_smoke(builder: Builder, tag: str, command: str, timeout: float) -> SmokeOutcome:
    """Run ``command`` with ``/bin/sh -c`` as the image's user; a JSON array
    of strings (``["/app/server", "-selftest"]``) runs as it is, without a
    shell, like a Dockerfile's exec form: distroless and scratch images have
    no ``/bin/sh``."""
    result = builder.run(tag, exec_form(command) or ["/bin/sh", "-c", command], timeout=timeout)
    return SmokeOutcome(command, result.exit_code, _tail(result.output), result.timed_out)


def exec_form(command: str) -> list[str] | None:
    """The argv of a smoke command written as a JSON array of strings, or
    None for a shell command."""
    import json

    text = command.strip()
    if not text.startswith("["):
        return None
    try:
        argv = json.loads(text)
    except ValueError:
        return None
    if isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv):
        return argv
    return None


def gather(
    builder: Builder,
    tag: str,
    build: BuildOutcome,
    *,
    workdir: str | None,
    smoke: str | None,
    smoke_timeout: float = 120,
    progress: Callable[[str], None] = lambda _msg: None,
    label: str = "",
) -> ImageFacts:
    """Collect the :class:`ImageFacts` of a built image.

    Args:
        builder: the builder that built it.
        tag: the image.
        build: how the build went (nothing else is collected when it failed).
        workdir: folder whose files are listed (the original's WORKDIR);
            ``None`` or ``"/"``: no listing. :data:`OWN_WORKDIR`: the image's
            own WORKDIR (for the original image).
        smoke: the smoke command, or ``None``.
        smoke_timeout: seconds allowed to the smoke command.
        progress: called with a short message before each step.
        label: ``"original"`` or ``"migrated"``, for the progress messages.
    Raises:
        BuilderError: the builder could not inspect the image it just built.
    """
    facts = ImageFacts(build=build)
    if not build.ok:
        return facts
    progress(f"inspecting the {label} image")
    facts.config, facts.size = builder.inspect(tag)
    progress(f"resolving the {label} image's user")
    facts.uid, facts.user_error = resolve_image_uid(builder, tag, facts.config)
    check_image_files(builder, tag, facts, progress, label)
    if workdir == OWN_WORKDIR:
        workdir = facts.config.get("WorkingDir") or None
    if workdir and workdir.rstrip("/"):
        progress(f"listing files under {workdir} in the {label} image")
        facts.files = list_files(builder, tag, workdir)
    if smoke is not None:
        progress(f"running the smoke command in the {label} image")
        facts.smoke = run_smoke(builder, tag, smoke, smoke_timeout)
    return facts


__all__ = [
    "OWN_WORKDIR", "BuilderError", "check_image_files", "check_programs", "gather", "list_files", "read_passwd",
    "read_text", "resolve_image_uid", "run_smoke",
]

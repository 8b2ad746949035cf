"""Pure comparison of an original and a migrated image: no subprocess here.

Everything a builder told us about one image is gathered in an
:class:`ImageFacts`; :func:`compare` turns the two into a :class:`Verdict`:
whether the migration is proven (exit 0) and, when not, every reason why
(exit 1). The rule, from the ``verify`` command's contract: the migrated image
builds, its user is not root, its config is kept (Cmd, Entrypoint, Env,
ExposedPorts, WorkingDir, Healthcheck: the same, or a difference that keeps
behaviour, explained), the program it starts (and its HEALTHCHECK's command)
is an executable file in it unless the original lacks it too, the smoke
command, when given, passes in it, and the image is not larger: a migration
whose image grows by more than :data:`SIZE_ALLOWANCE` failed its goal. An
image that is not smaller (within the allowance), the original's smoke
result, files missing under WORKDIR and a program that could not be checked
are reported as warnings, not failures.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from migrator.verify.programs import FOUND, MISSING, NONE, UNKNOWN, ProgramCheck

CONFIG_FIELDS = ("Cmd", "Entrypoint", "Env", "ExposedPorts", "WorkingDir", "Healthcheck")
"""Image config fields compared, in report order."""

SHELL_FORM_PREFIXES = (["/bin/sh", "-c"], ["/bin/bash", "-c"], ["sh", "-c"])
"""What a shell-form CMD/ENTRYPOINT is stored as in the image config."""

_SHELL_SPECIAL = re.compile(r"[$`\\;&|<>(){}*?\[\]~!#'\"\n]")
"""Characters after which a shell-form command is not a plain word list."""

_IGNORED_PARTS = ("__pycache__",)
_IGNORED_SUFFIXES = (".pyc", ".pyo")

SIZE_ALLOWANCE = 64 * 1024
"""Bytes the migrated image may grow by and still pass (with a warning): what
adding the non-root user writes when there is nothing else to gain
(``/etc/passwd``, ``group``, ``shadow``, ``gshadow`` and their backups, a
home folder from ``/etc/skel``: 21 kB measured for ``groupadd --system`` +
``useradd --system --create-home`` on Debian bookworm). A split that keeps the
same runtime base adds more than that and fails."""

SAME = "same"
EQUIVALENT = "equivalent"
CHANGED = "changed"


@dataclass(frozen=True)
class BuildOutcome:
    """Result of building one Dockerfile.

    Attributes:
        ok: the builder exited 0 and the image exists.
        seconds: wall time of the build.
        error: for a failed build, the builder's last error line(s).
    """

    ok: bool
    seconds: float = 0.0
    error: str | None = None

    def to_json(self) -> dict:
        """Return ``{"ok", "seconds", "error"}``."""
        return {"ok": self.ok, "seconds": round(self.seconds, 1), "error": self.error}


@dataclass(frozen=True)
class SmokeOutcome:
    """Result of running the smoke command in one image.

    Attributes:
        command: the command, as given to ``--smoke``.
        exit_code: its exit status; ``None`` when it could not run or timed out.
        output: its combined stdout and stderr (possibly truncated).
        timed_out: it was killed after the time limit.
    """

    command: str
    exit_code: int | None
    output: str = ""
    timed_out: bool = False

    @property
    def passed(self) -> bool:
        """True when the command exited 0."""
        return self.exit_code == 0

    def to_json(self) -> dict:
        """Return ``{"command", "exit_code", "output", "timed_out"}``."""
        return {
            "command": self.command,
            "exit_code": self.exit_code,
            "output": self.output,
            "timed_out": self.timed_out,
        }


@dataclass
class ImageFacts:
    """What was learnt about one image.

    Attributes:
        build: how its build went; the other fields are empty when it failed.
        size: image size in bytes (sum of its layers), ``None`` when unknown.
        config: the image config, Docker's key names (``Cmd``, ``Env``,
            ``ExposedPorts``, ``WorkingDir``, ``Healthcheck``, ``User``...).
        uid: the numeric UID the image runs as; ``None`` when unknown.
        user_error: why ``uid`` is unknown (e.g. the name is not in
            ``/etc/passwd``).
        files: paths (relative to the original's WORKDIR) of the files and
            symlinks under that folder; ``None`` when not listed.
        smoke: result of the smoke command, ``None`` when none was given.
        entrypoint: whether the program the image starts (Entrypoint, else
            Cmd) is in it; ``None`` when not checked.
        healthcheck_program: the same for the HEALTHCHECK's command;
            ``None`` without a HEALTHCHECK.
    """

    build: BuildOutcome
    size: int | None = None
    config: dict = field(default_factory=dict)
    uid: int | None = None
    user_error: str | None = None
    files: frozenset[str] | None = None
    smoke: SmokeOutcome | None = None
    entrypoint: ProgramCheck | None = None
    healthcheck_program: ProgramCheck | None = None

    @property
    def user(self) -> str:
        """The ``User`` of the config as written (``""``: root by default)."""
        return self.config.get("User") or ""

    def to_json(self) -> dict:
        """Return the JSON record of one image."""
        return {
            "build": self.build.to_json(),
            "size": self.size,
            "user": self.user or "root",
            "uid": self.uid,
            "user_error": self.user_error,
            "config": {name: self.config.get(name) for name in CONFIG_FIELDS},
            "files": None if self.files is None else len(self.files),
            "smoke": None if self.smoke is None else self.smoke.to_json(),
            "entrypoint": None if self.entrypoint is None else self.entrypoint.to_json(),
            "healthcheck_program": None if self.healthcheck_program is None else self.healthcheck_program.to_json(),
        }


@dataclass(frozen=True)
class FieldDiff:
    """How one config field compares.

    Attributes:
        field: the config key (``"Cmd"``...).
        status: ``"same"``, ``"equivalent"`` (different, but behaviour is
            kept; ``explanation`` says how) or ``"changed"``.
        original: the original value.
        migrated: the migrated value.
        explanation: one line for reviewers ("" when the same).
    """

    field: str
    status: str
    original: object = None
    migrated: object = None
    explanation: str = ""

    @property
    def kept(self) -> bool:
        """True unless the field changed behaviour."""
        return self.status != CHANGED

    def to_json(self) -> dict:
        """Return ``{"field", "status", "original", "migrated", "explanation"}``."""
        return {
            "field": self.field,
            "status": self.status,
            "original": self.original,
            "migrated": self.migrated,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class ProgramDiff:
    """Whether the program an image starts is in both images.

    Attributes:
        name: ``"entrypoint"`` or ``"healthcheck"``.
        status: ``"ok"`` (found in the migrated image), ``"missing"`` (missing
            in the migrated image only: fails), ``"missing in both"`` (the
            original cannot start either: not the migration's fault),
            ``"unknown"`` (could not be checked in the migrated image) or
            ``"none"`` (the migrated image starts nothing).
        original: the original image's check.
        migrated: the migrated image's check.
        explanation: one line for the table.
    """

    name: str
    status: str
    original: ProgramCheck | None
    migrated: ProgramCheck | None
    explanation: str = ""

    @property
    def program(self) -> str | None:
        """The program proper (the migrated image's, else the original's)."""
        for check in (self.migrated, self.original):
            if check is not None and check.program:
                return check.program
        return None

    def to_json(self) -> dict:
        """``{"program", "original", "migrated", "status", "explanation"}``:
        ``original``/``migrated`` are the resolved path, ``"missing"``,
        ``"unknown"`` or ``None`` (starts nothing)."""
        def side(check: ProgramCheck | None) -> str | None:
            if check is None or check.status == NONE:
                return None
            return check.summary()

        return {
            "program": self.program,
            "original": side(self.original),
            "migrated": side(self.migrated),
            "status": self.status,
            "explanation": self.explanation,
        }


@dataclass
class Verdict:
    """The outcome of one verification.

    Attributes:
        ok: the migration is proven.
        reasons: why not (empty when ``ok``), one line each.
        warnings: facts a reviewer should see that do not fail the check.
        config: one :class:`FieldDiff` per field of :data:`CONFIG_FIELDS`
            (empty when an image did not build).
        size_change: ``(migrated - original) / original``; ``None`` when a
            size is unknown.
        missing_files: files under the original's WORKDIR that the migrated
            image lacks (``__pycache__``/``.pyc`` ignored), sorted.
        programs: the :class:`ProgramDiff` of the entrypoint and, with a
            HEALTHCHECK, of its command (empty when an image did not build).
    """

    ok: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    config: list[FieldDiff] = field(default_factory=list)
    size_change: float | None = None
    missing_files: list[str] = field(default_factory=list)
    programs: list[ProgramDiff] = field(default_factory=list)

    def program(self, name: str) -> ProgramDiff | None:
        """The :class:`ProgramDiff` called ``name``, if checked."""
        return next((p for p in self.programs if p.name == name), None)

    @property
    def exit_code(self) -> int:
        """0 when proven, 1 otherwise."""
        return 0 if self.ok else 1


# --- users ---------------------------------------------------------------------


def split_user(user: str) -> tuple[str, str | None]:
    """Split a ``USER`` value into ``(user, group)``.

    ``""`` means root; ``"app:app"`` gives ``("app", "app")``.
    """
    user = (user or "").strip()
    if not user:
        return "root", None
    name, sep, group = user.partition(":")
    return name or "root", (group if sep else None)


def resolve_uid(user: str, passwd: str | None) -> tuple[int | None, str | None]:
    """Resolve the ``USER`` of an image config to a numeric UID.

    Args:
        user: the config's ``User`` (``""``, ``"root"``, ``"10001"``,
            ``"app:app"``...).
        passwd: the image's ``/etc/passwd``, or ``None`` when it could not be
            read. Only needed for a user name.
    Returns:
        ``(uid, None)``, or ``(None, reason)`` when the UID cannot be known.
    """
    name, _group = split_user(user)
    if name.isdigit():
        return int(name), None
    if passwd is None:
        if name == "root":
            return 0, None
        return None, f"user {name!r} given by name and /etc/passwd could not be read"
    for line in passwd.splitlines():
        parts = line.split(":")
        if len(parts) >= 3 and parts[0] == name:
            try:
                return int(parts[2]), None
            except ValueError:
                return None, f"user {name!r} has a malformed /etc/passwd entry"
    if name == "root":
        return 0, None
    return None, f"user {name!r} is not in the image's /etc/passwd (the container would not start)"


def describe_user(facts: ImageFacts) -> str:
    """``"app (UID 10001)"``, ``"10001:10001 (UID 10001)"``, ``"root (UID 0)"``;
    ``"(no USER) (UID 0)"`` shows the default."""
    shown = facts.user or "(no USER)"
    uid = "unknown" if facts.uid is None else str(facts.uid)
    return f"{shown} (UID {uid})"


# --- config fields ---------------------------------------------------------------


def _empty(value: object) -> bool:
    return value is None or value == [] or value == {} or value == ""


def _shell_form(cmd: list[str] | None) -> str | None:
    """The shell string of a shell-form command, else ``None``."""
    if not cmd:
        return None
    for prefix in SHELL_FORM_PREFIXES:
        if len(cmd) == len(prefix) + 1 and cmd[: len(prefix)] == prefix:
            return cmd[-1]
    return None


def compare_command(name: str, original: list[str] | None, migrated: list[str] | None) -> FieldDiff:
    """Compare ``Cmd`` or ``Entrypoint``.

    Equal lists are the same. A shell-form command (``/bin/sh -c "python
    app.py"``) rewritten to the exec form of the same plain words
    (``["python", "app.py"]``) is equivalent: nothing in it needs a shell
    (no variables, quotes, redirections or globs), and the process now gets
    signals directly. Anything else is changed.
    """
    if (_empty(original) and _empty(migrated)) or original == migrated:
        return FieldDiff(name, SAME, original, migrated)
    for shell_side, exec_side, direction in (
        (original, migrated, "shell form -> exec form"),
        (migrated, original, "exec form -> shell form"),
    ):
        script = _shell_form(shell_side)
        if script is not None and exec_side and not _SHELL_SPECIAL.search(script):
            if shlex.split(script) == list(exec_side):
                return FieldDiff(
                    name, EQUIVALENT, original, migrated, f"{direction}, same words: {' '.join(exec_side)}"
                )
    return FieldDiff(name, CHANGED, original, migrated, f"{name} differs")


def env_dict(env: list[str] | None) -> dict[str, str]:
    """Turn a config ``Env`` list (``["K=V", ...]``) into an ordered dict."""
    result: dict[str, str] = {}
    for item in env or []:
        key, _sep, value = item.partition("=")
        result[key] = value
    return result


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def _go_toolchain_env() -> tuple[frozenset[str], frozenset[str]]:
    """The variables and PATH folders of a golang image's toolchain
    (``go-runtime.json`` ``toolchain_env``)."""
    import json

    from migrator.analysis.packages import read_data

    facts = json.loads(read_data("go-runtime.json"))["toolchain_env"]
    return frozenset(facts["variables"]), frozenset(facts["path_dirs"])


def compare_env(original: list[str] | None, migrated: list[str] | None) -> FieldDiff:
    """Compare ``Env``.

    Kept when every original variable is in the migrated image with the same
    value, except ``PATH``, which may gain folders (e.g. ``/opt/venv/bin``)
    as long as the original folders keep their order. Variables the migrated
    image adds are listed but keep behaviour (``VIRTUAL_ENV``...). A Go
    runtime stage that left the toolchain in the builder (the ``go-runtime``
    transform) loses the golang image's toolchain variables and PATH folders
    (``go-runtime.json`` ``toolchain_env``) on purpose: noted, not changed;
    its system PATH folders may come in the runtime image's own order.
    """
    before, after = env_dict(original), env_dict(migrated)
    if before == after:
        return FieldDiff("Env", SAME, original, migrated)
    changed: list[str] = []
    notes: list[str] = []
    toolchain_vars, toolchain_dirs = _go_toolchain_env()
    # a runtime that left the Go toolchain in the builder: its variables go on purpose
    left_toolchain = any(k in toolchain_vars and k not in after for k in before)
    for key, value in before.items():
        if key not in after:
            if key in toolchain_vars:
                notes.append(f"{key} stays with the Go toolchain in the builder")
                continue
            changed.append(f"{key} removed (was {value!r})")
        elif after[key] != value:
            if key == "PATH":
                old, new = value.split(":"), after[key].split(":")
                if left_toolchain:
                    kept = [p for p in old if p not in toolchain_dirs]
                    if kept != old:
                        notes.append("PATH loses the Go toolchain's " + ", ".join(p for p in old if p not in kept))
                    if not _is_subsequence(kept, new) and set(kept) <= set(new):
                        notes.append("PATH has the same system folders in the runtime image's order")
                        continue
                    old = kept
                if _is_subsequence(old, new):
                    gained = [p for p in new if p not in old]
                    if gained:
                        notes.append("PATH gains " + ", ".join(gained))
                    continue
            changed.append(f"{key}={after[key]!r} (was {value!r})")
    added = [f"{k}={v}" for k, v in after.items() if k not in before]
    if added:
        notes.append("adds " + ", ".join(added))
    if changed:
        return FieldDiff("Env", CHANGED, original, migrated, "; ".join(changed + notes))
    return FieldDiff("Env", EQUIVALENT, original, migrated, "; ".join(notes))


def compare_ports(original: dict | None, migrated: dict | None) -> FieldDiff:
    """Compare ``ExposedPorts`` as sets of ``"8000/tcp"`` keys."""
    before, after = set(original or {}), set(migrated or {})
    if before == after:
        return FieldDiff("ExposedPorts", SAME, sorted(before), sorted(after))
    parts = []
    if before - after:
        parts.append("no longer exposes " + ", ".join(sorted(before - after)))
    if after - before:
        parts.append("also exposes " + ", ".join(sorted(after - before)))
    return FieldDiff("ExposedPorts", CHANGED, sorted(before), sorted(after), "; ".join(parts))


def compare_workdir(original: str | None, migrated: str | None) -> FieldDiff:
    """Compare ``WorkingDir`` (``""`` and ``"/"`` are the same folder)."""
    before, after = (original or "/").rstrip("/") or "/", (migrated or "/").rstrip("/") or "/"
    if before == after:
        return FieldDiff("WorkingDir", SAME, original or "", migrated or "")
    return FieldDiff("WorkingDir", CHANGED, original or "", migrated or "", f"{before} -> {after}")


def compare_healthcheck(original: dict | None, migrated: dict | None) -> FieldDiff:
    """Compare ``Healthcheck`` (test and timings)."""
    if (_empty(original) and _empty(migrated)) or original == migrated:
        return FieldDiff("Healthcheck", SAME, original, migrated)
    if _empty(migrated):
        return FieldDiff("Healthcheck", CHANGED, original, migrated, "the HEALTHCHECK is gone")
    if _empty(original):
        return FieldDiff("Healthcheck", CHANGED, original, migrated, "a HEALTHCHECK was added")
    keys = sorted(k for k in set(original) | set(migrated) if original.get(k) != migrated.get(k))
    return FieldDiff("Healthcheck", CHANGED, original, migrated, "differs in " + ", ".join(keys))


def compare_config(original: dict, migrated: dict) -> list[FieldDiff]:
    """Compare every field of :data:`CONFIG_FIELDS`, in that order."""
    cmd = compare_command("Cmd", original.get("Cmd"), migrated.get("Cmd"))
    if cmd.status == CHANGED and _next_standalone(migrated):
        cmd = FieldDiff("Cmd", EQUIVALENT, original.get("Cmd"), migrated.get("Cmd"),
                        "Next.js standalone server in place of `next start` (node-runtime, an unsafe change)")
    return [
        cmd,
        compare_command("Entrypoint", original.get("Entrypoint"), migrated.get("Entrypoint")),
        compare_env(original.get("Env"), migrated.get("Env")),
        compare_ports(original.get("ExposedPorts"), migrated.get("ExposedPorts")),
        compare_workdir(original.get("WorkingDir"), migrated.get("WorkingDir")),
        compare_healthcheck(original.get("Healthcheck"), migrated.get("Healthcheck")),
    ]


def _next_standalone(config: dict) -> bool:
    """Whether ``config`` starts a Next.js standalone server as node-runtime
    writes it: ``Cmd ["node", "server.js"]`` with ``PORT`` and ``HOSTNAME``
    set (nextjs.org/docs/app/api-reference/config/next-config-js/output)."""
    env = env_dict(config.get("Env"))
    return config.get("Cmd") == ["node", "server.js"] and not config.get("Entrypoint") and "PORT" in env \
        and "HOSTNAME" in env


# --- files and sizes --------------------------------------------------------------


def _ignored(path: str) -> bool:
    return path.endswith(_IGNORED_SUFFIXES) or any(p in _IGNORED_PARTS for p in path.split("/"))


def missing_files(original: frozenset[str] | None, migrated: frozenset[str] | None) -> list[str]:
    """Files present under WORKDIR in the original but not in the migrated
    image, sorted; bytecode caches (``__pycache__``, ``.pyc``) are ignored."""
    if original is None or migrated is None:
        return []
    return sorted(p for p in original - migrated if not _ignored(p))


def relative_change(original: int | None, migrated: int | None) -> float | None:
    """``(migrated - original) / original``, or ``None`` when unknown."""
    if not original or migrated is None:
        return None
    return (migrated - original) / original


def size_growth(original: int | None, migrated: int | None) -> int | None:
    """``migrated - original`` in bytes (negative: smaller), ``None`` when a
    size is unknown."""
    if original is None or migrated is None:
        return None
    return migrated - original


def format_bytes(n: int | None) -> str:
    """``"391,234,567 B (373.1 MiB)"``; ``"unknown"`` for ``None``."""
    if n is None:
        return "unknown"
    return f"{n:,} B ({n / 1024 / 1024:.1f} MiB)"


def format_change(change: float | None) -> str:
    """``"-39.4 %"`` / ``"+2.0 %"``; ``"unknown"`` for ``None``."""
    if change is None:
        return "unknown"
    return f"{change * 100:+.1f} %"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


# --- the programs the images start ----------------------------------------------------


def _what(name: str, check: ProgramCheck) -> str:
    program = check.program or "?"
    if name == "healthcheck":
        return f"HEALTHCHECK command ({program})"
    return f"{check.plan.source or 'Cmd'} ({program})"


def compare_programs(
    name: str, original: ProgramCheck | None, migrated: ProgramCheck | None
) -> tuple[ProgramDiff, list[str], list[str]]:
    """Judge one program check of both images.

    A program missing from the migrated image fails (the container cannot
    start, or never becomes healthy) unless it is missing from the original
    too: then the original is broken the same way, which is reported as a
    warning and not blamed on the migration.

    Returns:
        ``(diff, reasons, warnings)``.
    """
    reasons: list[str] = []
    warnings: list[str] = []
    orig_status = original.status if original is not None else UNKNOWN
    if migrated is None or migrated.status == NONE:
        return ProgramDiff(name, NONE, original, migrated, "starts nothing"), reasons, warnings
    status = migrated.status
    if status == MISSING:
        if orig_status == MISSING:
            assert original is not None
            warnings.append(
                f"the original image cannot run its {_what(name, original)} either: {original.problem}; "
                "not caused by the migration"
            )
            return (ProgramDiff(name, "missing in both", original, migrated,
                                "missing in both images: not caused by the migration"), reasons, warnings)
        effect = "cannot start" if name == "entrypoint" else "would never be healthy"
        where = ""
        if orig_status == FOUND and original is not None:
            where = f" (the original image has it at {original.path})"
        elif orig_status == UNKNOWN:
            where = " (the original image could not be checked)"
        reasons.append(
            f"the migrated image {effect}: its {_what(name, migrated)} cannot run: {migrated.problem}{where}"
        )
        return ProgramDiff(name, MISSING, original, migrated, f"MISSING in the migrated image: {migrated.problem}"), \
            reasons, warnings
    if status == UNKNOWN:
        why = migrated.unknown or migrated.plan.unknown or "not found after a sourced file may have changed PATH"
        warnings.append(f"could not check the migrated image's {_what(name, migrated)}: {why}")
        return ProgramDiff(name, UNKNOWN, original, migrated, f"not checked: {why}"), reasons, warnings
    # found in the migrated image
    if orig_status == MISSING and original is not None:
        warnings.append(
            f"the original image cannot run its {_what(name, original)}: {original.problem}; the migrated image can"
        )
        text = "found in the migrated image only"
    elif orig_status == FOUND and original is not None:
        text = "found in both"
        if original.path != migrated.path:
            text += f" ({original.path} -> {migrated.path})"
    else:
        text = "found in the migrated image"
    return ProgramDiff(name, "ok", original, migrated, text), reasons, warnings


# --- the verdict ---------------------------------------------------------------------


def compare(original: ImageFacts, migrated: ImageFacts, smoke: str | None = None,
            root_kept: str | None = None) -> Verdict:
    """Decide whether the migration is proven.

    Args:
        original: facts about the image of the original Dockerfile.
        migrated: facts about the image of the migrated Dockerfile.
        smoke: the smoke command, when one was given.
        root_kept: why the migration left the image's user as it was (the
            non-root-user transform's refusal: a base image with no CMD, a
            service that drops privileges itself...), or None. A migrated
            image that runs as root then passes with a warning, when the
            original ran as root too.
    Returns:
        a :class:`Verdict`; ``reasons`` lists every failed condition.
    """
    verdict = Verdict(ok=True)
    reasons, warnings = verdict.reasons, verdict.warnings

    if not migrated.build.ok:
        reasons.append("the migrated Dockerfile does not build: " + (migrated.build.error or "builder failed"))
    if not original.build.ok:
        reasons.append(
            "the original Dockerfile does not build, so there is nothing to compare against: "
            + (original.build.error or "builder failed")
        )

    if migrated.build.ok:
        if migrated.uid is None:
            reasons.append(f"cannot tell which UID the migrated image runs as: {migrated.user_error or 'unknown'}")
        elif migrated.uid == 0:
            who = migrated.user or "root (no USER)"
            if root_kept and original.uid == 0:
                warnings.append(f"the migrated image runs as root (USER {who}, UID 0), as the original did: "
                                f"the migration kept the user because {root_kept}")
            else:
                reasons.append(f"the migrated image runs as root (USER {who}, UID 0)")

    if original.build.ok and migrated.build.ok:
        verdict.config = compare_config(original.config, migrated.config)
        for diff in verdict.config:
            if not diff.kept:
                reasons.append(f"config {diff.field} not kept: {diff.explanation}")
        verdict.size_change = relative_change(original.size, migrated.size)
        growth = size_growth(original.size, migrated.size)
        if growth is not None and growth > SIZE_ALLOWANCE:
            reasons.append(
                f"the migrated image is larger, the migration missed its goal: {format_bytes(original.size)} -> "
                f"{format_bytes(migrated.size)} ({format_change(verdict.size_change)}, +{growth:,} B)"
            )
        elif verdict.size_change is not None and verdict.size_change >= 0:
            warnings.append(
                f"the migrated image is not smaller ({format_bytes(original.size)} -> "
                f"{format_bytes(migrated.size)}, {format_change(verdict.size_change)})"
            )
        verdict.missing_files = missing_files(original.files, migrated.files)
        if verdict.missing_files:
            shown = ", ".join(verdict.missing_files[:5])
            more = len(verdict.missing_files) - 5
            workdir = original.config.get("WorkingDir") or "/"
            warnings.append(
                f"{len(verdict.missing_files)} file(s) under {workdir} missing in the migrated image: {shown}"
                + (f" and {more} more" if more > 0 else "")
            )

        for name, orig_check, mig_check in (
            ("entrypoint", original.entrypoint, migrated.entrypoint),
            ("healthcheck", original.healthcheck_program, migrated.healthcheck_program),
        ):
            if orig_check is None and mig_check is None:
                continue
            diff, why, notes = compare_programs(name, orig_check, mig_check)
            verdict.programs.append(diff)
            reasons.extend(why)
            warnings.extend(notes)

    if smoke is not None and migrated.build.ok:
        result = migrated.smoke
        if result is None or result.exit_code is None:
            why = "timed out" if result is not None and result.timed_out else "could not run"
            detail = f": {_last_line(result.output)}" if result is not None and result.output else ""
            reasons.append(f"the smoke command {why} in the migrated image{detail}")
        elif not result.passed:
            reasons.append(
                f"the smoke command failed in the migrated image (exit {result.exit_code}): "
                f"{_last_line(result.output)}"
            )
        if original.build.ok and original.smoke is not None and not original.smoke.passed:
            warnings.append(
                f"the smoke command also fails in the original image (exit {original.smoke.exit_code})"
            )

    verdict.ok = not reasons
    return verdict


def _program_json(diff: ProgramDiff | None) -> dict | None:
    return None if diff is None else diff.to_json()


def to_json(original: ImageFacts, migrated: ImageFacts, verdict: Verdict, **extra: object) -> dict:
    """The ``--json`` document: ``extra`` (dockerfile, context, builder, log...)
    then ok, exit_code, reasons, warnings, original, migrated, size_change,
    config, missing_files, entrypoint and healthcheck_program (each
    ``{"program", "original", "migrated", "status", "explanation"}``, or
    ``None`` when not checked)."""
    doc: dict = dict(extra)
    doc.update(
        {
            "ok": verdict.ok,
            "exit_code": verdict.exit_code,
            "reasons": list(verdict.reasons),
            "warnings": list(verdict.warnings),
            "original": original.to_json(),
            "migrated": migrated.to_json(),
            "size_change": None if verdict.size_change is None else round(verdict.size_change, 4),
            "config": [d.to_json() for d in verdict.config],
            "missing_files": list(verdict.missing_files),
            "entrypoint": _program_json(verdict.program("entrypoint")),
            "healthcheck_program": _program_json(verdict.program("healthcheck")),
        }
    )
    return doc

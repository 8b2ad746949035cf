"""Show a verification: a rich table for people, a JSON document for tools.

Rich is imported inside the functions that draw, so importing this module
stays cheap.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from migrator.verify.compare import (
    CHANGED,
    SIZE_ALLOWANCE,
    EQUIVALENT,
    FieldDiff,
    ImageFacts,
    ProgramDiff,
    Verdict,
    describe_user,
    format_change,
    size_growth,
    to_json,
)
from migrator.verify.programs import NONE, ProgramCheck

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from migrator.verify.session import Outcome

MAX_CELL = 70


def _short(value: object, limit: int = MAX_CELL) -> str:
    if value is None or value == [] or value == {} or value == "":
        return "-"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = json.dumps(value)
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bytes(n: int | None) -> str:
    return "unknown" if n is None else f"{n:,}"


def _mib(n: int | None) -> str:
    return "?" if n is None else f"{n / 1024 / 1024:.1f} MiB"


def _build_cell(facts: ImageFacts) -> str:
    if facts.build.ok:
        return f"ok ({facts.build.seconds:.0f} s)"
    return f"FAILED ({facts.build.seconds:.0f} s)"


def _smoke_cell(facts: ImageFacts) -> str:
    smoke = facts.smoke
    if not facts.build.ok:
        return "-"
    if smoke is None:
        return "not run"
    lines = [line for line in smoke.output.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else ""
    if len(last) > 50:
        last = last[:47] + "..."
    status = "timed out" if smoke.timed_out else f"exit {smoke.exit_code}"
    return f"{status}: {last}" if last else status


def _config_value(diff: FieldDiff, side: str) -> str:
    value = diff.original if side == "original" else diff.migrated
    if diff.field == "Env" and isinstance(value, list):
        return f"{len(value)} variables"
    if diff.field == "Healthcheck" and isinstance(value, dict) and isinstance(value.get("Test"), list):
        if side == "migrated" and diff.original == diff.migrated:
            return "same"
        return _short(" ".join(str(t) for t in value["Test"]))
    if side == "migrated" and diff.status != CHANGED and diff.original == diff.migrated:
        return "same"
    return _short(value)


PROGRAM_ROWS = {"entrypoint": "entrypoint", "healthcheck": "healthcheck cmd"}
"""Table row name of each :class:`ProgramDiff`."""


def _program_cell(check: ProgramCheck | None) -> str:
    if check is None:
        return "-"
    text = check.describe()
    if check.status == "unknown" and (check.unknown or check.plan.unknown):
        text = f"{check.program or '?'}: not checked"
    return _short(text)


def program_row(diff: ProgramDiff) -> tuple[str, str, str, str, str] | None:
    """``(row name, original cell, migrated cell, result, kind)`` of one
    program check, kind being ``"good"``, ``"bad"`` or ``"note"``; ``None``
    when neither image starts anything."""
    starts = [c for c in (diff.original, diff.migrated) if c is not None and c.status != NONE]
    if not starts:
        return None
    kind = {"ok": "good", "missing": "bad"}.get(diff.status, "note")
    return (PROGRAM_ROWS.get(diff.name, diff.name), _program_cell(diff.original), _program_cell(diff.migrated),
            diff.explanation, kind)


def context_row(outcome: "Outcome") -> tuple[str, str, str, str] | None:
    """``(row name, original cell, migrated cell, result)`` naming the build
    context files the migration wrote that the migrated build read applied;
    ``None`` when it wrote none."""
    staged = outcome.context
    if staged is None or not staged.applied:
        return None
    names = ", ".join(a.describe() for a in staged.applied)
    if staged.copied:
        result = "applied in a temporary copy of the build context (your files are not written)"
    else:
        result = "applied as <Dockerfile>.dockerignore beside the migrated Dockerfile"
    return ("context files", "as they are", names, result)


def render(console: "Console", outcome: "Outcome", *, dockerfile: str, builder: str, log_path: str) -> None:
    """Print the comparison table, the verdict and the log path."""
    from rich.table import Table
    from rich.text import Text

    original, migrated, verdict = outcome.original, outcome.migrated, outcome.verdict
    good, bad, note = "green", "bold red", "yellow"

    table = Table(title=f"verify {dockerfile} (builder: {builder})", title_justify="left", show_lines=False)
    table.add_column("check", style="bold", no_wrap=True)
    table.add_column("original", overflow="fold")
    table.add_column("migrated", overflow="fold")
    table.add_column("result", overflow="fold")

    def row(name: str, left: str, right: str, result: str, style: str) -> None:
        table.add_row(name, Text(left), Text(right), Text(result, style=style))

    row(
        "build", _build_cell(original), _build_cell(migrated),
        "ok" if migrated.build.ok else "FAIL: " + (migrated.build.error or "failed"),
        good if migrated.build.ok else bad,
    )
    cells = context_row(outcome)
    if cells is not None:
        row(*cells, good)
    if original.build.ok and migrated.build.ok:
        change = verdict.size_change
        growth = size_growth(original.size, migrated.size)
        larger = growth is not None and growth > SIZE_ALLOWANCE
        row(
            "size (bytes)", _bytes(original.size), _bytes(migrated.size),
            ("LARGER: " if larger else "") + f"{format_change(change)} ({_mib(original.size)} -> {_mib(migrated.size)})",
            bad if larger else good if change is not None and change < 0 else note,
        )
    if migrated.build.ok:
        non_root = migrated.uid is not None and migrated.uid != 0
        row(
            "user",
            describe_user(original) if original.build.ok else "-",
            describe_user(migrated),
            "non-root" if non_root else ("ROOT" if migrated.uid == 0 else f"unknown: {migrated.user_error}"),
            good if non_root else bad,
        )
    for diff in verdict.config:
        if diff.status == CHANGED:
            result, style = "CHANGED: " + diff.explanation, bad
        elif diff.status == EQUIVALENT:
            result, style = "kept: " + diff.explanation, good
        else:
            result, style = "same", good
        row(diff.field, _config_value(diff, "original"), _config_value(diff, "migrated"), result, style)
    styles = {"good": good, "bad": bad, "note": note}
    for diff in verdict.programs:
        cells = program_row(diff)
        if cells is not None:
            row(*cells[:4], styles[cells[4]])
    if original.files is not None and migrated.build.ok:
        workdir = original.config.get("WorkingDir") or "/"
        right = "-" if migrated.files is None else f"{len(migrated.files)} files"
        missing = verdict.missing_files
        if migrated.files is None:
            result, style = "could not list", note
        elif missing:
            shown = ", ".join(missing[:4]) + (f" (+{len(missing) - 4} more)" if len(missing) > 4 else "")
            result, style = f"{len(missing)} missing: {shown}", note
        else:
            result, style = "none missing", good
        row(f"files under {workdir}", f"{len(original.files)} files", right, result, style)
    if migrated.smoke is not None or original.smoke is not None:
        passed = migrated.smoke is not None and migrated.smoke.passed
        row("smoke", _smoke_cell(original), _smoke_cell(migrated), "passes" if passed else "FAILS",
            good if passed else bad)

    console.print(table)
    smoke = migrated.smoke
    if smoke is not None and not smoke.passed and smoke.output:
        console.print(Text(f"smoke output in the migrated image ({smoke.command}):", style="bold"))
        console.print(Text(smoke.output))
    if verdict.ok:
        console.print(Text("PASS: the migrated image builds, runs as a non-root user, keeps its config"
                           + (" and has the program it starts" if _starts_checked(verdict) else "")
                           + (", and the smoke command passes" if smoke is not None else ""), style="bold green"))
    else:
        console.print(Text("FAIL:", style="bold red"))
        for reason in verdict.reasons:
            console.print(Text(f"  - {reason}", style="red"))
    for warning in verdict.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    for problem in outcome.cleanup_problems:
        console.print(Text(f"warning: not removed: {problem}", style="yellow"), soft_wrap=True)
    if outcome.kept_images:
        console.print(Text(f"images kept: {outcome.tags['original']}  {outcome.tags['migrated']}"), soft_wrap=True)
    console.print(Text(f"builder log: {log_path}", style="dim"), soft_wrap=True)


def _starts_checked(verdict: Verdict) -> bool:
    diff = verdict.program("entrypoint")
    return diff is not None and diff.status == "ok"


def json_document(outcome: "Outcome", *, dockerfile: str, context: str, builder: str, log_path: str) -> dict:
    """The ``--json`` document (see :func:`migrator.verify.compare.to_json`),
    with ``context_files`` (the migration's context files the migrated build
    read applied: ``{"path", "created", "transform", "where"}``, where
    ``"copy"`` or ``"ignore file"``) and ``migrated_context`` (``"copy"``: a
    temporary copy of the context; ``"context"``: the context itself)."""
    extra: dict = {"dockerfile": dockerfile, "context": context, "builder": builder, "log": log_path}
    if outcome.kept_images:
        extra["images"] = dict(outcome.tags)
    extra["left_behind"] = list(outcome.cleanup_problems)
    staged = outcome.context
    extra["context_files"] = [] if staged is None else [a.to_json() for a in staged.applied]
    extra["migrated_context"] = None if staged is None else ("copy" if staged.copied else "context")
    return to_json(outcome.original, outcome.migrated, outcome.verdict, **extra)


__all__ = ["Verdict", "json_document", "render"]

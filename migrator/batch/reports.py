"""What a batch hands to people and tools: one patch, a JSON report, a
Markdown report for a pull request and the summary table of the terminal.

Every file report is written atomically (a temporary file in the same folder,
renamed over the target), so a reader never sees half a report; ``-`` means
standard output.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from typing import TextIO

from migrator.batch.runner import BatchRun, Entry
from migrator.model.results import Status

STATUS_ORDER = (Status.MIGRATED, Status.UNCHANGED, Status.SKIPPED, Status.REFUSED, Status.ERROR)


# ---------------------------------------------------------------------------
# Patch


_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
              "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def git_quote(name: str) -> str:
    """Quote a path the way git writes it in patch headers, when needed.

    Names with ``"``, ``\\`` or control characters are C-quoted
    (``"a/x\\ty"``), non-ASCII bytes as octal escapes; others are returned
    as they are.
    """
    if not any(c in _C_ESCAPES or ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return name
    out = ['"']
    for c in name:
        if c in _C_ESCAPES:
            out.append(_C_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\{ord(c):03o}")
        elif ord(c) > 0x7F:
            out.extend(f"\\{b:03o}" for b in c.encode("utf-8", "surrogateescape"))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def file_patch(entry: Entry) -> str:
    """The diff of one entry with git headers, paths relative to ROOT.

    ``unified_diff`` already writes ``--- a/<path>`` / ``+++ b/<path>``; this
    adds the ``diff --git`` line and quotes names git would quote, so that
    ``git apply`` at ROOT reads names with spaces or quotes correctly.
    """
    if not entry.diff:
        return ""
    return _patch_of(entry.path, entry.diff, False)


def _patch_of(path: str, diff: str, created: bool) -> str:
    """``diff`` (of :func:`migrator.model.diffing.unified_diff`) with git's headers
    for ``path``; a created file gets ``new file mode`` and ``/dev/null``."""
    first = diff.index("\n") + 1
    second = diff.index("\n", first) + 1
    body = diff[second:]
    a = git_quote("a/" + path)
    b = git_quote("b/" + path)
    # git ends a ---/+++ name that holds a space with a tab, so that tools
    # which take the name up to the first whitespace are not misled.
    tab = "\t" if " " in path and not a.startswith('"') else ""
    if created:
        return f"diff --git {a} {b}\nnew file mode 100644\n--- /dev/null\n+++ {b}{tab}\n{body}"
    return f"diff --git {a} {b}\n--- {a}{tab}\n+++ {b}{tab}\n{body}"


def write_patch(entries: Iterable[Entry], out: TextIO) -> None:
    """Write one patch with the changes of every migrated file, in path
    order, to ``out``; ``git apply`` at ROOT accepts it (empty when nothing
    changes). A build-context file the migrations create or change (a
    ``.dockerignore``) comes after the Dockerfile of the first entry that
    proposes it, once, however many Dockerfiles share that context."""
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.diff:
            out.write(file_patch(entry))
        for path, diff, created in entry.context_diffs:
            if diff and path not in seen:
                seen.add(path)
                out.write(_patch_of(path, diff, created))


def combined_patch(entries: Iterable[Entry]) -> str:
    """:func:`write_patch` as a string."""
    buf = io.StringIO()
    write_patch(entries, buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# JSON


def write_json(run: BatchRun, out: TextIO) -> None:
    """Write the JSON report to ``out``: per-file records as ``diff --json``
    prints them (:meth:`FileResult.to_json`, paths relative to ROOT, plus
    ``"written": true`` for files ``--write`` replaced), the totals and the
    paths noticed but not scanned.

    One file record per line keeps 10,000 records fast to write (the C
    encoder), streamed rather than held whole, and still readable.
    """
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    out.write("{\n")
    for key, value in (("tool", "dockerfile-migrator"), ("version", 1), ("root", run.root)):
        out.write(f"  {dumps(key)}: {dumps(value)},\n")
    out.write(f'  "summary": {dumps(run.summary.to_json())},\n')
    for name, items in (("files", run.entries), ("reported", run.reported)):
        out.write(f'  "{name}": [')
        sep = "\n    "
        for item in items:
            if name == "files":
                record = item.result.to_json()
                if item.written:
                    record["written"] = True
            else:
                record = item.to_json()
            out.write(sep + dumps(record))
            sep = ",\n    "
        out.write("\n  ]" if items else "]")
        out.write(",\n" if name == "files" else "\n")
    out.write("}\n")


def json_report(run: BatchRun) -> str:
    """:func:`write_json` as a string."""
    buf = io.StringIO()
    write_json(run, buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Markdown


def human_bytes(n: int) -> str:
    """``123456789`` -> ``"117.7 MiB"``."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(value) < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md(text: str | None) -> str:
    """Escape a one-line message for Markdown (tables and HTML included);
    balanced `code spans` in it stay code spans."""
    text = " ".join((text or "").split())
    if text.count("`") % 2:
        return _md_plain(text).replace("`", "\\`")
    parts = text.split("`")
    return "`".join(_md_plain(part) if k % 2 == 0 else part.replace("|", "\\|")
                    for k, part in enumerate(parts))


def _md_plain(text: str) -> str:
    for char, escaped in (("\\", "\\\\"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"),
                          ("*", "\\*"), ("_", "\\_"), ("[", "\\["), ("]", "\\]")):
        text = text.replace(char, escaped)
    return text


def markdown_report(run: BatchRun, limit: int | None = None) -> str:
    """A report a reviewer reads in a pull request: totals, then per file
    the changes with their reasons, the refusals with theirs, errors, and the
    paths that were not scanned.

    Args:
        run: the batch.
        limit: largest report in characters (a GitHub pull-request body holds
            65,536). Past it, files get one line each; past it still, each
            list ends with "... and N more". The totals are always there.
    """
    full = _render_markdown(run, compact=False, budget=None)
    if limit is None or len(full) <= limit:
        return full
    compact = _render_markdown(run, compact=True, budget=None)
    if len(compact) <= limit:
        return compact
    return _render_markdown(run, compact=True, budget=limit)


def _render_markdown(run: BatchRun, compact: bool, budget: int | None) -> str:
    s = run.summary
    c = s.counts
    head: list[str] = ["# Dockerfile migration report", ""]
    head.append(
        f"`dockerfile-migrator batch` on {_code(run.root)}: **{s.files}** Dockerfiles — "
        f"**{c['migrated']}** migrated, {c['unchanged']} unchanged, {c['skipped']} skipped, "
        f"**{c['refused']}** refused, **{c['error']}** errors."
    )
    if s.bytes_saved:
        head.append(f"Estimated size removed from runtime images: **{human_bytes(s.bytes_saved)}** in total.")
    if run.wrote:
        head.append(f"{s.written} files were rewritten in place.")
    if compact:
        head.append("")
        head.append("_Shortened to fit; the full report: `--markdown` without `--markdown-limit`, or `--json`._")
    head += ["", "| Status | Files |", "| --- | ---: |"]
    head += [f"| {status.value} | {c[status.value]} |" for status in STATUS_ORDER]
    if s.reported:
        head.append(f"| not scanned | {s.reported} |")
    head.append("")
    if s.changes_by_transform:
        head += ["| Transform | Changes |", "| --- | ---: |"]
        head += [f"| {_code(t)} | {n} |" for t, n in s.changes_by_transform.items()]
        head.append("")

    by_status: dict[Status, list[Entry]] = {st: [] for st in STATUS_ORDER}
    for entry in run.entries:
        by_status.setdefault(entry.status, []).append(entry)
    # (heading, one block of lines per item, closing lines)
    sections: list[tuple[list[str], list[list[str]], list[str]]] = []

    groups = s.refused_files + s.declined
    if groups:
        blocks = []
        for g in groups:
            flag = " (needs `--unsafe`)" if g.unsafe_only and "--unsafe" not in g.reason else ""
            blocks.append([f"| {_md(g.reason)}{flag} | {_code(g.transform) if g.transform else 'whole file'} "
                           f"| {g.files} |"])
        sections.append((["## Refusal reasons", "", "| Reason | Transform | Files |", "| --- | --- | ---: |"],
                         blocks, [""]))

    errors = by_status[Status.ERROR]
    if errors:
        sections.append(([f"## Errors ({len(errors)})", ""],
                         [[f"- {_code(e.path)}: {_md(e.result.reason)}"] for e in errors], [""]))

    migrated = by_status[Status.MIGRATED]
    if migrated:
        blocks = []
        for entry in migrated:
            r = entry.result
            if compact:
                ids = ", ".join(dict.fromkeys(ch.transform for ch in r.changes))
                saved = f", saves about {human_bytes(r.bytes_saved)}" if r.bytes_saved else ""
                declined = f", {len(r.refusals)} declined" if r.refusals else ""
                blocks.append([f"- {_code(r.path)}: {len(r.changes)} changes ({_md(ids)}){saved}{declined}"])
                continue
            saved = f" — saves about {human_bytes(r.bytes_saved)}" if r.bytes_saved else ""
            block = [f"### {_code(r.path)}{saved}", ""]
            for ch in r.changes:
                where = ch.where
                tags = ", ".join(x for x in (where, "unsafe" if ch.applicability.value == "unsafe" else "") if x)
                size = f" (−{human_bytes(ch.bytes_saved)})" if ch.bytes_saved else ""
                block.append(f"- **{_md(ch.transform)}**{f' ({tags})' if tags else ''}: {_md(ch.reason)}{size}")
            _declined(block, r)
            _notes(block, r)
            block.append("")
            blocks.append(block)
        sections.append(([f"## Migrated ({len(migrated)})", ""], blocks, [""] if compact else []))

    refused = by_status[Status.REFUSED]
    if refused:
        blocks = []
        for entry in refused:
            r = entry.result
            block = [f"- {_code(r.path)}: {_md(r.reason)}"]
            if not compact:
                block += [f"  - declined **{_md(ref.transform)}**: {_md(ref.reason)}"
                          for ref in r.refusals if ref.reason != r.reason]
                block += [f"  - note: {_md(note)}" for note in r.notes]
            blocks.append(block)
        sections.append(([f"## Refused ({len(refused)})", "",
                          "The tool left these files as they are, because it could not migrate them safely.", ""],
                         blocks, [""]))

    skipped = by_status[Status.SKIPPED]
    if skipped:
        sections.append(([f"## Skipped ({len(skipped)})", "",
                          "<details><summary>Files the tool leaves alone by design</summary>", ""],
                         [[f"- {_code(e.path)}: {_md(e.result.reason)}"] for e in skipped],
                         ["", "</details>", ""]))

    unchanged = by_status[Status.UNCHANGED]
    if unchanged:
        blocks = []
        for e in unchanged:
            block = [f"- {_code(e.path)}"]
            if not compact:
                _declined(block, e.result, indent="  ")
            blocks.append(block)
        sections.append(([f"## Unchanged ({len(unchanged)})", "",
                          "<details><summary>Nothing to change in these files</summary>", ""],
                         blocks, ["", "</details>", ""]))

    if run.reported:
        sections.append(([f"## Not scanned ({len(run.reported)})", ""],
                         [[f"- {_code(r.path)}: {_md(r.message)}"] for r in run.reported], [""]))

    out = list(head)
    if budget is None:
        for heading, blocks, closing in sections:
            out += heading
            for block in blocks:
                out += block
            out += closing
        return "\n".join(out).rstrip("\n") + "\n"

    # Within the budget: every section's heading, then items taken one per
    # section in turn, so that no list crowds the others out.
    size = sum(len(line) + 1 for line in out)
    fixed = sum(len(line) + 1 for heading, _, closing in sections for line in heading + closing)
    room = budget - size - fixed - 40 * len(sections) - 2
    shown = [0] * len(sections)
    progress = True
    while progress:
        progress = False
        for k, (_, blocks, _) in enumerate(sections):
            if shown[k] < len(blocks):
                cost = sum(len(line) + 1 for line in blocks[shown[k]])
                if cost <= room:
                    room -= cost
                    shown[k] += 1
                    progress = True
    for k, (heading, blocks, closing) in enumerate(sections):
        out += heading
        for block in blocks[:shown[k]]:
            out += block
        rest = len(blocks) - shown[k]
        if rest:
            table = heading[-1].startswith("|")
            out.append(f"| … and {rest} more | | |" if table else f"- … and {rest} more")
        out += closing
    return "\n".join(out).rstrip("\n") + "\n"


def _declined(out: list[str], r, indent: str = "") -> None:
    for ref in r.refusals:
        flag = " (needs `--unsafe`)" if ref.unsafe_only and "--unsafe" not in ref.reason else ""
        out.append(f"{indent}- declined **{_md(ref.transform)}**{flag}: {_md(ref.reason)}")


def _notes(out: list[str], r) -> None:
    for note in r.notes:
        out.append(f"- note: {_md(note)}")


# ---------------------------------------------------------------------------
# Terminal summary


def summary_renderables(run: BatchRun, top: int = 10) -> list:
    """Rich renderables of the end-of-run summary: counts by status, refusal
    reasons grouped with counts, errors, estimated bytes removed."""
    from rich.table import Table
    from rich.text import Text

    s = run.summary
    styles = {"migrated": "green", "unchanged": "dim", "skipped": "cyan", "refused": "yellow", "error": "red"}
    counts = Table(title="Files by status", title_justify="left")
    counts.add_column("Status")
    counts.add_column("Files", justify="right")
    for status in STATUS_ORDER:
        counts.add_row(Text(status.value, style=styles[status.value]), str(s.counts[status.value]))
    if s.reported:
        counts.add_row(Text("not scanned", style="magenta"), str(s.reported))
    counts.add_section()
    counts.add_row("total", str(s.files))
    items: list = [counts]

    groups = s.refused_files + s.declined
    if groups:
        table = Table(title="Refusal reasons", title_justify="left")
        table.add_column("Files", justify="right")
        table.add_column("Transform")
        table.add_column("Reason", overflow="fold")
        groups = sorted(groups, key=lambda g: -g.files)
        for g in groups[:top]:
            reason = g.reason + (" (needs --unsafe)" if g.unsafe_only and "--unsafe" not in g.reason else "")
            table.add_row(str(g.files), g.transform or "whole file", reason)
        if len(groups) > top:
            table.add_row("…", "", f"{len(groups) - top} more reasons (see --markdown/--json)")
        items.append(table)

    errors = [e for e in run.entries if e.status is Status.ERROR]
    if errors:
        table = Table(title="Errors", title_justify="left")
        table.add_column("File", overflow="fold")
        table.add_column("Message", overflow="fold")
        for e in errors[:top]:
            table.add_row(e.path, e.result.reason or "")
        if len(errors) > top:
            table.add_row("…", f"{len(errors) - top} more (see --markdown/--json)")
        items.append(table)
    for r in run.reported[:top]:
        items.append(Text(f"not scanned: {r.path}: {r.message}", style="magenta"))
    if len(run.reported) > top:
        items.append(Text(f"not scanned: {len(run.reported) - top} more", style="magenta"))

    tail = [f"{s.changes} changes in {s.counts['migrated']} files",
            f"estimated {human_bytes(s.bytes_saved)} removed from runtime images"]
    if run.wrote:
        tail.append(f"{s.written} files written")
    tail.append(f"{run.elapsed:.2f} s with {run.jobs} job{'s' if run.jobs != 1 else ''}")
    items.append(Text(" · ".join(tail), style="bold"))
    return items


def print_summary(run: BatchRun, stream=None) -> None:
    """Print the summary table to ``stream`` (standard output by default)."""
    from rich.console import Console

    console = Console(file=stream or sys.stdout, highlight=False)
    for item in summary_renderables(run):
        console.print(item)


# ---------------------------------------------------------------------------
# Writing


def check_writable(path: str) -> str | None:
    """Return why ``path`` cannot receive a report, or None when it can.

    ``-`` (standard output) is always fine.
    """
    if path == "-":
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return f"{path}: is a directory"
    if not os.path.isdir(folder):
        return f"{path}: folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{path}: folder {folder} is not writable"
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return f"{path}: file is not writable"
    return None


def write_report(path: str, content: str | Callable[[TextIO], None]) -> None:
    """Write a report to ``path`` atomically (``-``: standard output).

    Args:
        path: the file, or ``-``.
        content: the text, or a function that writes it to a stream (so a
            large report is never held whole in memory).
    Raises:
        OSError: the file cannot be written; the target is then untouched.
    """
    write = content if callable(content) else (lambda out: out.write(content))
    if path == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(prefix=".dfm-report-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

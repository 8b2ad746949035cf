"""The migration engine: runs the transforms on one Dockerfile's text.

The engine knows no particular transform. It parses the text, applies the
file-level policy (what the tool leaves alone), runs each selected transform
in registry order on the current text, keeps the fixes whose applicability
the options allow, applies their edits (rejecting overlaps), re-parses, and
finally checks the invariants of :mod:`migrator.invariants`. A broken
invariant refuses the whole file: nothing the tool believes won't build is
ever emitted.
"""

from __future__ import annotations

import re

from migrator.model.edits import Edit, OverlapError, apply_edits, check_disjoint, line_shifts, map_line, unmap_line
from migrator.model.dockerfile import Dockerfile, ParseError, parse, reparse
from migrator.options import Options
from migrator.model.results import Applicability, Change, ContextFile, FileResult, Refusal, Status


def transforms_for(options: Options) -> list:
    """Return the transforms a run uses, in the order they run: with no
    ``select``, those on by default (a transform's ``default`` attribute,
    true when absent) plus ``extend_select``; with ``select``, exactly those
    plus ``extend_select``; never those in ``ignore``.

    Raises:
        ValueError: ``select`` or ``ignore`` names an unknown transform id.
    """
    from transforms import registry

    known = registry()
    ids = {t.id for t in known}
    for name in (options.select or frozenset()) | options.ignore | options.extend_select:
        if name not in ids:
            raise ValueError(f"unknown transform id {name!r} (known: {', '.join(sorted(ids))})")

    def chosen(t) -> bool:
        if t.id in options.ignore:
            return False
        if t.id in options.extend_select:
            return True
        return t.id in options.select if options.select is not None else getattr(t, "default", True)

    return [t for t in known if chosen(t)]


def policy(df: Dockerfile) -> tuple[Status, str] | None:
    """The file-level decision to leave a file alone, or None to go on.

    Returns:
        ``(Status.SKIPPED | Status.REFUSED, reason)`` for files the tool does
        not migrate: already multi-stage, no FROM, ``FROM scratch``, Windows
        or conda base images (facts from ``migrator/data/base-images.json``).
    """
    from migrator.analysis.stage import global_arg_defaults, substitute
    from migrator.analysis.packages import describe_base_image

    if not df.stages:
        return Status.REFUSED, "no FROM instruction: not a complete Dockerfile"
    if df.preamble:
        ins = df.preamble[0]
        return Status.REFUSED, f"line {ins.start_line}: {ins.keyword} before the first FROM (only ARG may come first)"
    if len(df.stages) > 1:
        return Status.SKIPPED, f"already multi-stage ({len(df.stages)} stages)"
    stage = df.stages[0]
    ref = substitute(stage.base_image, global_arg_defaults(df))
    if ref is None:
        return Status.REFUSED, f"base image {stage.base_image!r} uses a build argument without a default"
    if ref == "scratch":
        return Status.SKIPPED, "FROM scratch: nothing is built in this stage"
    base = describe_base_image(ref)
    if base.family == "windows":
        return Status.REFUSED, f"Windows base image {ref}: the tool migrates Linux images only"
    if base.family == "conda":
        return Status.REFUSED, f"conda base image {ref}: conda environments are not migrated"
    return None


def migrate_text(text: str, options: Options | None = None, path: str = "-") -> FileResult:
    """Migrate one Dockerfile's text.

    Args:
        text: the Dockerfile.
        options: the run's :class:`Options` (defaults if None).
        path: the path to report (``"-"`` for standard input).
    Returns:
        a :class:`FileResult`; never raises for bad Dockerfile content (it
        becomes status ``error`` or ``refused`` with a reason).
    Raises:
        ValueError: the options name an unknown transform id.
    """
    options = options or Options()
    chosen = transforms_for(options)
    try:
        df = parse(text)
    except ParseError as exc:
        return FileResult(path, Status.ERROR, text, text, reason=str(exc))
    decided = policy(df)
    if decided is not None:
        status, reason = decided
        return FileResult(path, status, text, text, reason=reason)
    result = _run(df, chosen, options, path, parse_last=False)
    if result.status is not Status.MIGRATED or result.output == result.original:
        return result   # not migrated, or only build-context files changed: the Dockerfile is the original
    try:
        # the whole result, as BuildKit reads it; this parse also stands for
        # the re-parse after the last transform that changed the text
        final = parse(result.output)
    except ParseError:
        # re-parse after every transform, so the one whose result does not
        # parse is refused alone
        result = _run(df, chosen, options, path, parse_last=True)
        if result.status is not Status.MIGRATED:
            return result
        try:
            final = parse(result.output)
        except ParseError as exc:
            return _self_check_failed(result, f"the result does not parse: {exc}")
    from migrator.invariants import check

    problem = check(df, final, options)
    return result if problem is None else _self_check_failed(result, problem)


def _self_check_failed(result: FileResult, problem: str) -> FileResult:
    """The file refused whole: a migrated result broke an invariant."""
    return FileResult(result.path, Status.REFUSED, result.original, result.original, refusals=result.refusals,
                      reason=f"self-check failed, nothing emitted: {problem}")


_UNSAFE_LAST = [Applicability.SAFE, Applicability.UNSAFE]


def run_transforms(df: Dockerfile, chosen: list, options: Options, path: str) -> FileResult:
    """Run ``chosen`` transforms on ``df`` in order and collect the result.

    Each transform sees the text its predecessors produced. Its safe fixes
    (and unsafe ones when ``options.unsafe``) are applied together; a fix
    whose edits overlap an earlier fix of the same transform is refused.
    """
    return _run(df, chosen, options, path)


def _run(df: Dockerfile, chosen: list, options: Options, path: str, parse_last: bool = True) -> FileResult:
    """Run the transforms; see :func:`run_transforms`. With ``parse_last``
    false, the text after the last transform that changes it is not parsed
    again (the caller parses the whole result anyway), and a result that
    does not parse is then only found by the caller."""
    original = df.text
    current = df
    last = len(chosen) - 1
    changes: list[Change] = []
    refusals: list[Refusal] = []
    notes: list[str] = []
    history: list[list[tuple[int, int]]] = []   # line shifts of the changes made so far
    said: list[tuple[int, str, int]] = []       # (len(history) then, "refusal"/"change"/"note", index)
    files: dict[str, ContextFile] = {}          # build-context files, by path relative to the context
    file_changes: dict[str, list[Change]] = {}  # the changes made to each of them
    for k, transform in enumerate(chosen):
        try:
            outcome = transform.run(current, options)
        except Exception as exc:  # a bug must cost one change, never the file or a traceback
            refusals.append(Refusal(transform.id, f"internal error, change not made: "
                                                  f"{type(exc).__name__}: {exc}"))
            continue
        refused_before, noted_before = len(refusals), len(notes)
        refusals.extend(Refusal(transform.id, r) for r in outcome.refusals)
        notes.extend(outcome.notes)
        accepted: list = []
        edits: list[Edit] = []
        for fix in outcome.fixes:
            if fix.applicability is Applicability.UNSAFE and not options.unsafe:
                refusals.append(Refusal(transform.id, fix.reason + " (unsafe: use --unsafe)", True))
                continue
            try:
                check_disjoint(edits + list(fix.edits))
            except OverlapError as exc:
                refusals.append(Refusal(transform.id, f"{fix.reason}: not applied, {exc}"))
                continue
            accepted.append(fix)
            edits.extend(fix.edits)
        # what this transform says of "line N" is of the text it was given
        said.extend((len(history), "refusal", i) for i in range(refused_before, len(refusals)))
        said.extend((len(history), "note", i) for i in range(noted_before, len(notes)))
        for cf in outcome.files if options.context is not None else ():
            if cf.applicability is Applicability.UNSAFE and not options.unsafe:
                refusals.append(Refusal(transform.id, f"{cf.path}: {cf.reason} (unsafe: use --unsafe)", True))
                continue
            prior = files.get(cf.path)
            if prior is not None and not (prior.transform == (cf.transform or transform.id)
                                          and cf.original == prior.output):
                refusals.append(Refusal(transform.id, f"{cf.path}: {files[cf.path].transform} already changes it; "
                                                      "not changed again"))
                continue
            if prior is not None:   # the same transform's change on top of its own file
                files[cf.path] = ContextFile(cf.path, prior.original, cf.output, prior.transform,
                                             f"{prior.reason}; {cf.reason}",
                                             max(prior.applicability, cf.applicability, key=_UNSAFE_LAST.index))
            else:
                files[cf.path] = ContextFile(cf.path, cf.original, cf.output, cf.transform or transform.id, cf.reason,
                                             cf.applicability)
            file_changes.setdefault(cf.path, []).append(
                Change(cf.transform or transform.id, f"{cf.path}: {cf.reason}" if cf.reason else cf.path,
                       cf.applicability))
        if outcome.files and options.context is not None:
            # later transforms read the build context as these files leave it
            from dataclasses import replace

            options = replace(options, context=options.context.with_files(files.values()))
        if not accepted:
            continue
        new_text = apply_edits(current.text, edits)
        if k == last and not parse_last:
            new_df = Dockerfile(new_text, [], current.directives, current.escape, current.newline)
        else:
            try:
                new_df = reparse(current, edits, new_text)
            except ParseError as exc:
                refusals.append(Refusal(transform.id, f"its result does not parse ({exc}); not applied"))
                continue
        shifts = line_shifts(current.text, edits)
        history.append(shifts)
        changes = [Change(c.transform, c.reason, c.applicability,
                          (map_line(c.lines[0], shifts), map_line(c.lines[1], shifts)), c.bytes_saved)
                   for c in changes]
        for fix in accepted:
            said.append((len(history) - 1, "change", len(changes)))
            changes.append(Change(transform.id, fix.reason, fix.applicability,
                                  _output_lines(current.text, edits, fix.edits), fix.bytes_saved))
        current = new_df
    for seen, kind, i in said:
        if kind == "refusal":
            r = refusals[i]
            refusals[i] = Refusal(r.transform, _user_lines(r.reason, history, seen), r.unsafe_only)
        elif kind == "change":
            c = changes[i]
            changes[i] = Change(c.transform, _user_lines(c.reason, history, seen), c.applicability, c.lines,
                                c.bytes_saved)
        else:
            notes[i] = _user_lines(notes[i], history, seen)
    context_files = [files[p] for p in sorted(files)]
    root = str(options.context.root) if options.context is not None else None
    changes.extend(c for cf in context_files for c in file_changes[cf.path])
    if current.text == original and not context_files:
        status = Status.REFUSED if refusals and not all(r.unsafe_only for r in refusals) else Status.UNCHANGED
        reason = refusals[0].reason if status is Status.REFUSED else None
        return FileResult(path, status, original, original, [], refusals, reason, notes)
    return FileResult(path, Status.MIGRATED, original, current.text, changes, refusals, None, notes,
                      context_files, root)


_LINE_REF = re.compile(r"\b(lines? )(\d+)(?:(-|–)(\d+))?")


def _user_lines(text: str, history: list[list[tuple[int, int]]], seen: int) -> str:
    """``text``, which speaks of the lines of the text after ``seen`` of the
    changes of ``history``, with each ``line N`` / ``lines N-M`` made a line
    of the user's file, or, for a line a change inserted (a runtime stage's
    copy of an instruction), of the result: ``line 17 of the result``."""
    def where(n: int) -> tuple[int, bool]:
        back = n
        for shifts in reversed(history[:seen]):
            back = unmap_line(back, shifts)
            if back is None:
                break
        else:
            return back, False
        for shifts in history[seen:]:
            n = map_line(n, shifts)
        return n, True

    def sub(m: re.Match) -> str:
        first, in_result = where(int(m.group(2)))
        out = m.group(1) + str(first)
        if m.group(4):
            last, last_in_result = where(int(m.group(4)))
            out += m.group(3) + str(last)
            in_result = in_result or last_in_result
        return out + (" of the result" if in_result else "")

    return _LINE_REF.sub(sub, text) if seen and _LINE_REF.search(text) else text


def _output_lines(old: str, all_edits: list[Edit], mine: tuple[Edit, ...]) -> tuple[int, int]:
    """1-based line span, in the new text, covered by the edits ``mine``."""
    ordered = sorted(all_edits)
    first = last = None
    delta = 0
    new = apply_edits(old, all_edits)
    for e in ordered:
        start = e.start + delta
        end = start + len(e.content)
        delta += len(e.content) - (e.end - e.start)
        if e in mine:
            a = new.count("\n", 0, start) + 1
            b = new.count("\n", 0, max(start, end - 1)) + 1
            if not e.content:
                b = a - 1
            first = a if first is None else min(first, a)
            last = b if last is None else max(last, b)
    return (first or 0, last if last is not None else 0)

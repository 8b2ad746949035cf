"""split-stages: turn one stage into a ``builder`` and a ``runtime`` stage.

The original stage, up to and including its last build step (a Python
install, a virtualenv creation, a compiler or build tool run), stays as it
is and becomes the ``builder`` stage. A ``runtime`` stage on the same base
image starts right after it and replays, in order, what the image needs at
run time from that part: ARG/ENV/WORKDIR/LABEL/EXPOSE/... verbatim, the
system package installs (``build-deps`` then rewrites them), the setup
commands (mkdir, useradd, collectstatic...), and, in place of the build
steps, ``COPY --from=builder`` of the folders they wrote: the virtualenv,
a ``--prefix``/``--target`` folder, or the build directory. Everything after
the last build step already belongs to the runtime stage and is left as it
is. A build step whose output folder is unknown (``make install``, a pip
install into the system site-packages) makes the transform refuse.

What a reviewer would not merge stays out of the runtime stage:

- no split at all when nothing would leave the runtime image
  (:func:`migrator.analysis.gain.split_pays`): a note says why;
- no program only the builder has: a RUN of one (``pipenv run``, ``poetry
  run``, a global npm tool) is a build step when it writes what the runtime
  copies (``collectstatic`` into the working directory), else the split is
  refused naming the line and the program;
- nothing only the build needs: builder tools (``pip install poetry``,
  installer scripts, get-pip.py, uv's binary copied from its image), the
  requirement and project files only installs read, files a later step
  deletes, a RUN that only writes a file the build reads or a scratch file
  under /tmp nothing in the runtime names (``echo "cython<3" >
  /tmp/constraints.txt``), and a ``mv``/``cp`` of a build output (the
  runtime copies the result from the builder instead);
- no no-op layer: a bare ``apt-get update`` (the install that needed it
  updates its own lists), a stray ``apt-get clean``, a ``mkdir`` that a COPY,
  WORKDIR or copied folder makes anyway, an ``rm`` of what only the build
  made.

Comments are never copied into the runtime stage, so none ends up above a
line it does not describe. When the original names its stage, the runtime
stage keeps the name and the reason says how the new stages are named.

Reference: https://docs.docker.com/build/building/multi-stage/
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from migrator.analysis.stage import (START_KEYWORDS, Context, RunInfo, app_stages, copy_destination, start_words,
                               substitute, uv_managed_python)
from migrator.analysis.commands import FETCH_MANAGERS, Kind, Op
from migrator.model.edits import Edit, Fix
from migrator.analysis.gain import (BUILD_KINDS, StageReading, cmdless_installer, interactive_start, node_production_gain,
                           python_tool_run_at_start,
                           read_stage, split_pays)
from migrator.analysis.prefix_split import PREFIX, TARGET as PREFIX_TARGET, install_word, prefix_split, prefixed
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.options import Options
from migrator.model.render import instruction, keyword, line, run, source_with_newline
from migrator.model.results import Applicability
from migrator.transform import Outcome

__all__ = ["BUILD_KINDS", "SplitStages"]

_FROM_ALIAS = re.compile(r"(\s+)(as)(\s+)(\S+)", re.IGNORECASE)
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")


class SplitStages:
    """Split a single-stage Dockerfile into builder and runtime stages."""

    id = "split-stages"
    title = "Split into builder and runtime stages"
    rationale = "what is needed only to build (compilers, caches, sources of wheels) stays out of the image that ships"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the split; see the module docstring for the rules.

        Returns an empty :class:`Outcome` when nothing is built, a note
        ``split-stages: no split: <reason>`` when nothing would leave the
        runtime image (:func:`migrator.analysis.gain.split_pays`), or a refusal with
        the line that makes the split unsafe.
        """
        if len(app_stages(df)) != 1:
            return Outcome()
        stage = app_stages(df)[0]
        reading = read_stage(df, stage)
        steps, infos = reading.steps, reading.infos
        for info in infos.values():
            if info.problem:
                return Outcome.refuse(info.problem)
        problem = python_tool_run_at_start(steps, infos)
        if problem:
            return Outcome.refuse(problem)
        managed = uv_managed_python(df, stage)
        if managed:
            return Outcome.refuse(f"{managed}, outside what the runtime stage copies")
        boundary = reading.boundary
        if boundary is None:
            for info in infos.values():
                for op in info.all_ops:
                    if op.kind is Kind.UNKNOWN:
                        return Outcome.refuse(f"line {info.ins.start_line} runs `{op.detail}`, which the tool "
                                              "can't classify; can't tell what it builds")
            return Outcome()
        for ins, ctx in steps:
            if ins.keyword == "ONBUILD" and ins.sub_keyword == "RUN":
                return Outcome.refuse(f"line {ins.start_line}: ONBUILD RUN runs in child images, "
                                      "which may need what the builder stage leaves behind")
        no_gain = split_pays(df, options)
        plan = None
        if no_gain:
            # nothing leaves: split only where pip --prefix keeps the image as it is (no new virtualenv)
            plan, why_not = prefix_split(df, reading, options, no_gain)
            if plan is None:
                return Outcome(notes=[f"split-stages: no split: {no_gain}" + (f"; {why_not}" if why_not else "")])
            prefixed(reading, plan)
        if reading.stranded:
            return Outcome.refuse(reading.stranded[0].reason())
        problem = cmdless_installer(reading)
        if problem:
            return Outcome.refuse(problem)
        # Where each build step writes, in order of first write.
        outputs: dict[str, int] = {}
        static_roots: list[str] = []   # "STATIC_ROOT (/var/www/static) of mysite/settings.py" outside a build folder
        venvs: set[str] = set()
        install_dirs: set[str] = set()
        for ins, ctx in steps:
            info = infos.get(ins.index)
            if info is None or ins.index > boundary.index:
                continue
            if info.problem and info.kinds() & BUILD_KINDS or info.script is None and info.problem:
                return Outcome.refuse(info.problem)
            for op in info.all_ops:
                if op.kind not in BUILD_KINDS or op.kind in (Kind.PYTHON_TOOL, Kind.TOOL_INSTALL):
                    continue
                where, problem = _output_of(op, ctx, venvs)
                if problem:
                    return Outcome.refuse(f"line {ins.start_line}: {problem}")
                if op.kind is Kind.VENV:
                    venvs.add(where)
                if op.kind in (Kind.VENV, Kind.PYTHON_INSTALL):
                    install_dirs.add(where)
                outputs.setdefault(where, ins.index)
                static_root = _static_root_outside(df, options, op, where)
                if static_root:
                    outputs.setdefault(static_root[0], ins.index)
                    static_roots.append(static_root[1])
                for project in op.options.get("editable_paths", ()):
                    # an editable install leaves build results in the project folder
                    if project in ("/", None):
                        return Outcome.refuse(f"line {ins.start_line}: editable install of a project "
                                              "whose folder the tool can't resolve")
                    outputs.setdefault(project, ins.index)
        if not outputs:
            return Outcome()
        _copies_out_of_builds(reading, outputs, install_dirs)
        _fold_fetches(reading, outputs)
        installs_packages = any(op.kind is Kind.SYSTEM_INSTALL for info in infos.values() for op in info.all_ops)
        applicability = Applicability.SAFE
        smaller = None
        if not install_dirs and not installs_packages:
            # Only a smaller runtime base (node:20 -> node:20-slim, golang ->
            # its Debian or Alpine base) makes this split pay off, and
            # build-deps offers that move as an unsafe change: so is this.
            smaller = _smaller_runtime_base(df, stage)
            pruned = node_production_gain(df, reading, options)[0]   # devDependencies node-runtime removes
            if smaller is None and pruned is None:
                return Outcome(notes=[f"split-stages: nothing to leave behind: the runtime stage would keep "
                                      f"{stage.base_image} and everything the build wrote "
                                      f"({', '.join(sorted(outputs))})"])
            if pruned is not None or _node_slim_move_safe(df, stage, options):
                smaller = None    # worth it without an unsafe change
            elif _go_runtime_offers(df, options):
                return Outcome(notes=["split-stages: no split: go-runtime offers this Go build's runtime stage"])
            elif _archived_go_move(df, stage):
                return Outcome(notes=[f"split-stages: nothing to leave behind: the runtime stage would keep "
                                      f"{stage.base_image} and everything the build wrote; "
                                      f"{_archived_go_move(df, stage)}"])
            else:
                applicability = Applicability.UNSAFE
        gone = _removed_output(steps, infos, outputs, boundary)
        if gone:
            return Outcome.refuse(gone)
        targets, merged = _merged_copies(steps, infos, outputs, install_dirs - venvs, boundary)
        if plan is not None:
            targets[PREFIX] = PREFIX_TARGET
        builder_name, runtime_name = _stage_names(stage.name)
        # Build directories receive the build context too: copy them where
        # the context first lands in them, and skip the context copies.
        build_dirs = [p for p in outputs if p not in install_dirs]
        skipped_copies: set[int] = set()
        for ins, ctx in steps:
            if ins.index > boundary.index or ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            dest = copy_destination(ins, ctx)
            for d in build_dirs:
                if dest is not None and (dest == d or dest.startswith(d.rstrip("/") + "/")):
                    skipped_copies.add(ins.index)
                    outputs[d] = min(outputs[d], ins.index)
        left_out = _left_out(reading, outputs, skipped_copies, merged, options.context)
        placed: dict[int, list[str]] = {}
        for path, at in outputs.items():
            placed.setdefault(at, []).append(path)
        block: list[str] = [line(df, "")]
        from_flags = " ".join(stage.from_instruction.flags)
        block.append(instruction(df, "FROM", " ".join(
            x for x in (from_flags, stage.base_image, keyword(df, "AS"), runtime_name) if x)))
        after = {ins.index: nxt for (ins, _c), (_n, nxt) in zip(steps, steps[1:])}
        serves_users = _serves_users(steps)
        locks: list[str] = []   # lock files the build wrote, which the runtime stage copies
        landed: set[str] = set()   # files the runtime stage's COPY/ADD from the context brought
        folder_copies: list[tuple[str, str]] = []   # (context folder, destination) of its folder copies
        venv_at: int | None = None   # where the runtime stage first has the virtualenv (its COPY or ENV)
        jumped: list[tuple[Instruction, Context]] = []   # the instructions from there on
        for ins, ctx in steps[1:]:
            if ins.index > boundary.index:
                break
            for path in placed.get(ins.index, []):
                if path in venvs and venv_at is None:
                    venv_at = len(block)
                if plan is not None and path == PREFIX:
                    # the pip/setuptools/wheel the install resolved against (review 6 F2)
                    block.extend(run(df, [("&&", c) for c in cmds], flags) for flags, cmds in plan.replays)
                block.append(instruction(df, "COPY", f"--from={builder_name} {path} {targets.get(path, path)}"))
            if ins.index in left_out.dropped:
                continue
            nxt = after.get(ins.index)
            if venv_at is None and ins.keyword == "ENV" and nxt is not None and (nxt.venv or "") in venvs | install_dirs:
                # the virtualenv on PATH: `python -m venv` made it, or an installer as the project's own (uv sync)
                venv_at = len(block)
            hoist = _offered_pips(infos.get(ins.index)) if venv_at is not None else set()
            replay, problem = _replay(df, ins, infos.get(ins.index), skipped_copies,
                                      merged | left_out.commands | hoist, ins.index in left_out.updates)
            if problem:
                return Outcome.refuse(problem)
            if hoist:
                # the installer's pip install runs before the runtime stage has the virtualenv, as it ran
                # outside it in the builder: else it installs into /opt/venv, upgrading the app's packages
                hoisted = _hoisted(df, ins, infos[ins.index], hoist)
                problem = _hoist_blocker(ins, hoisted, jumped, after)
                if problem:
                    return Outcome.refuse(problem)
                block.insert(venv_at, hoisted)
                venv_at += 1
            block.append(replay)
            if venv_at is not None:
                jumped.append((ins, ctx))
            if ins.keyword in ("COPY", "ADD") and ins.flag("from") is None and replay:
                landed.update(_landing(ins, ctx))
                folder_copies.extend(_folder_copies(ins, ctx))
            reads_context: set[str] = set()
            for lock in _locks_written(infos.get(ins.index), ctx.env, reads_context) if serves_users else ():
                if lock not in landed and not any(lock == p or lock.startswith(p.rstrip("/") + "/")
                                                  for p in outputs) \
                        and not _from_context(lock, folder_copies, lock in reads_context, options):
                    # the lock the build wrote in the project folder: the base image's users find it there
                    block.append(instruction(df, "COPY", f"--from={builder_name} {lock} {lock}"))
                    locks.append(lock)
        edits = [_name_builder(df, stage.from_instruction, builder_name)]
        dangling = _dangling_escape(df, boundary)
        if dangling is not None:
            # the file ends in the escape character: BuildKit would join the runtime stage's FROM to this RUN
            edits.append(Edit(dangling, dangling + len(df.escape), ""))
        at = boundary.end
        prefix = "" if df.text[:at].endswith("\n") else df.newline
        blank = _BLANK_LINES.match(df.text, at)
        if not prefix and blank and blank.end() > at:
            # the blank lines after the last build step now separate the two
            # stages: the runtime stage starts after them, and no blank line
            # is left inside it (before the CMD or EXPOSE that follows)
            at, block = blank.end(), block[1:]
        edits.append(Edit.insert(at, prefix + "".join(block)))
        for ins, _ctx in steps:
            # the runtime stage's own installs that relied on the builder part's lists
            if ins.index > boundary.index and ins.index in left_out.updates:
                replay, problem = _replay(df, ins, infos.get(ins.index), set(), frozenset(), True)
                if problem:
                    return Outcome.refuse(problem)
                if replay != source_with_newline(df, ins):
                    edits.append(Edit(ins.start, ins.start + len(ins.source.rstrip("\r\n")),
                                      replay.rstrip("\r\n")))
        copied = ", ".join(sorted(outputs))
        reason = (f"split into a `{builder_name}` stage that builds and a `{runtime_name}` stage "
                  f"that copies only {copied} from it")
        if plan is not None:
            edits.extend(_prefix_edit(infos[plan.install[0]], plan))
            reason = _prefix_reason(plan, builder_name, runtime_name)
        if static_roots:
            reason += f" ({'; '.join(static_roots)}: where collectstatic writes, outside the build folder)"
        fetches = _fetches(steps, infos, boundary)
        if fetches:
            phrase, count, clones = fetches
            reason += (f"; {phrase} {'runs' if count == 1 else 'run'} only in the builder: the runtime stage copies "
                       f"what {'it' if count == 1 else 'they'} wrote"
                       f"{' (a clone with its .git, as in the original image)' if clones else ''} instead of fetching "
                       "again, which could get another commit or release than the one the build installed from")
        if locks:
            reason += (f", and the lock files the build leaves in the project folder ({', '.join(locks)}), which the "
                       "users of an image "
                       "without a command of its own find where the original had them")
        if stage.name:
            reason += (f"; the final stage keeps the name `{stage.name}` of the original stage, so "
                       f"`--target {stage.name}` and the scripts that use it still get the image that ships, "
                       f"and the new first stage is named `{builder_name}`")
        if smaller is not None:
            reason += f" (worth it only with the smaller runtime base {smaller}, an unsafe change of build-deps)"
        return Outcome(fixes=[Fix(reason, tuple(edits), applicability)])


def _prefix_edit(info: RunInfo, plan) -> tuple[Edit, ...]:
    """The edits that make the planned pip install of ``info`` write
    ``/install`` (:mod:`migrator.analysis.prefix_split`): ``--prefix=/install``
    after its ``install`` word, and ``mkdir -p /install && `` before it (pip
    creates the prefix only when it writes a file: an install with nothing
    to install, an empty requirements file or every requirement already
    satisfied, would leave no folder for the runtime's COPY, review 6 F1).
    The mkdir goes before the first command of the install's ``&&``/``||``
    list (``a || pip ...`` -> ``mkdir -p /install && a || pip ...``: the
    same commands run, since ``mkdir -p`` succeeds)."""
    from migrator.analysis.stage import file_span

    op = next(op for op in info.all_ops if op.command.start == plan.install[1] and op.kind is Kind.PYTHON_INSTALL)
    word = install_word(op)
    span = file_span(info, word.start, word.end)
    k = next(k for k, seg in enumerate(info.ops) if any(o is op for o in seg))
    while k > 0 and info.script.segments[k].operator == "||":
        k -= 1
    first = info.script.segments[k].start
    at = file_span(info, first, first + 1)
    if span is None or at is None:
        raise ValueError("install word not located")    # prefix_split checks the RUN's script first
    return Edit.insert(at[0], f"mkdir -p {PREFIX} && "), Edit.insert(span[1], f" --prefix={PREFIX}")


def _prefix_reason(plan, builder_name: str, runtime_name: str) -> str:
    """The reason of a split through pip --prefix: honest about its saving
    (none today, or an install cache whose size the file does not show)."""
    if plan.caches:
        caches = " and ".join(f"{c.manager}'s cache under {c.folder}" for c in plan.caches)
        reason = (f"split into a `{builder_name}` stage that builds and a `{runtime_name}` stage that copies only "
                  f"the installed packages: line {plan.line}'s pip install writes {PREFIX} (pip --prefix) and the "
                  f"runtime stage copies it to {PREFIX_TARGET}, where the original put the packages (the same "
                  f"site-packages and console scripts of the base image's Python), so {caches} stays in the "
                  "builder (its size depends on the requirements); no virtualenv is added, whose own pip could "
                  "weigh more than the cache, so the image does not grow")
        return reason + _prefix_upgrades(plan)
    reason = (f"split into a `{builder_name}` stage that builds and a `{runtime_name}` stage with no size change: "
              f"line {plan.line}'s pip install writes {PREFIX} (pip --prefix) and the runtime stage copies it to "
              f"{PREFIX_TARGET}, where the original put the packages (the same site-packages and console scripts of "
              f"the base image's Python), instead of running the install; the estimated saving is 0 (the original "
              "already keeps no install cache or build package in its layers), but a later dependency that needs "
              "a compiler or a cache stays in the builder")
    return reason + _prefix_upgrades(plan)


def _prefix_upgrades(plan) -> str:
    """The clause of the reason for the pip self-upgrades the runtime stage
    runs again before its copy of /install (review 6 F2), or ``""``."""
    if not plan.upgrades:
        return ""
    lines = ", ".join(str(n) for n in plan.upgrades)
    names = ", ".join(plan.upgraded)
    cached = plan.caches and any("--no-cache-dir" not in c for _f, cmds in plan.replays for c in cmds)
    return (f"; the upgrade of {names} (line{'s' if len(plan.upgrades) > 1 else ''} {lines}) runs in the runtime "
            f"stage too, as the original ran it, before the copy of {PREFIX}: the install resolved its "
            f"requirements against the upgraded {names}, which pip therefore did not put in {PREFIX}, so the "
            "runtime needs the same ones"
            + (" (what that upgrade downloads stays in pip's cache there, as in the original)" if cached else ""))


@dataclass
class LeftOut:
    """What of the builder part the runtime stage does not replay.

    Attributes:
        dropped: instruction index -> why (a few words, for tests and
            debugging): a builder tool's binary copied from its image, the
            requirement files only the build reads, a file a later step
            deletes, a bare ``apt-get update`` or a stray ``apt-get clean``,
            a ``mkdir`` that a COPY or WORKDIR makes anyway.
        updates: RUNs of the runtime stage that install with apt and relied
            on the lists an earlier RUN fetched (see :func:`_list_users`):
            they update the lists themselves and remove them at their end.
        commands: ``id()`` of the commands a replayed RUN leaves out: a
            forced ``rm`` of what only the build made (see :func:`_leftover`).
    """

    dropped: dict[int, str] = field(default_factory=dict)
    updates: set[int] = field(default_factory=set)
    commands: set[int] = field(default_factory=set)


_CLEANUP_DETAILS = ("apt-get clean", "apt-get autoclean", "package list cleanup")
_UPDATE_DETAILS = ("apt-get update",)


def _left_out(reading: StageReading, outputs: dict[str, int], skipped: set[int], merged: set[int],
              context=None) -> LeftOut:
    """Decide which instructions before the boundary the runtime stage
    leaves out (see :class:`LeftOut`). Each is left out only when nothing
    that runs in the runtime stage (a RUN it keeps, CMD, ENTRYPOINT,
    HEALTHCHECK) uses what it brings."""
    out = LeftOut()
    boundary = reading.boundary
    steps = reading.steps
    kept = _runtime_segments(reading, merged)
    at_start = [w for ins, _ctx in steps if ins.keyword in START_KEYWORDS for w in start_words(ins)]
    runtime_names = {op.command.name for ops in kept.values() for seg in ops for op in seg} | set(at_start) \
        | reading.offered
    runtime_words = set(at_start) | {posixpath.basename(w) for ops in kept.values() for seg in ops for op in seg
                                     if op.command.name != "rm" for w in _words(op)}
    read_by_build = _files_read_by_build(reading)
    # a folder the runtime stage gets: a COPY/ADD destination, a WORKDIR, a copied output
    made: list[tuple[int, str]] = []
    for ins, ctx in steps:
        if ins.keyword in ("COPY", "ADD") and ins.index not in skipped and ins.index not in reading.tool_copies:
            dest = copy_destination(ins, ctx)
            if dest:
                made.append((ins.index, dest))
    made.extend((ins.index, ctx.workdir) for ins, ctx in steps if ctx.workdir)
    for ins, ctx in steps[1:]:
        if ins.index > boundary.index:
            break
        if ins.keyword == "COPY" and ins.index in reading.tool_copies:
            if not set(reading.tool_copies[ins.index]) & runtime_names:
                out.dropped[ins.index] = "builder tool binary"
            continue
        if ins.keyword in ("COPY", "ADD") and ins.flag("from") is None and ins.index not in skipped:
            landing = _landing(ins, ctx)
            if not landing or any(posixpath.basename(p) in runtime_words for p in landing):
                continue
            if all(p in read_by_build or _pattern_of_read(p, read_by_build) for p in landing):
                if not _only_read_files(ins, ctx, read_by_build, context):
                    continue    # a folder that holds more than the requirement files (`COPY ./src /app/src`)
                if not _serves_users(steps):
                    # a base or development image keeps every file it copied: its users build on them
                    out.dropped[ins.index] = "requirement files"
            elif all(_removed_later(reading, ins, p, kept) for p in landing):
                out.dropped[ins.index] = "deleted later"
            continue
        if ins.keyword != "RUN" or ins.index not in kept:
            continue
        segs = kept[ins.index]
        ops = [op for seg in segs for op in seg]
        if not ops or not segs:
            continue
        built_here = len(segs) < len(reading.infos[ins.index].ops)
        leftovers = {id(op.command) for seg in segs if all(op.command.name == "rm" for op in seg)
                     for op in seg if built_here and _leftover(op, reading, out)}
        if leftovers and all(id(op.command) in leftovers for op in ops):
            out.dropped[ins.index] = "removes what only the build made"
            continue
        out.commands |= leftovers
        if _writes_only_build_files(reading, ins, ops, read_by_build, runtime_words):
            out.dropped[ins.index] = "writes a file only the build reads"
        elif all(op.kind is Kind.SYSTEM_META and op.detail in _CLEANUP_DETAILS for op in ops):
            out.dropped[ins.index] = "stray cleanup"
        elif all(op.kind is Kind.SYSTEM_META and op.detail in _UPDATE_DETAILS + _CLEANUP_DETAILS for op in ops):
            # every install that relied on it updates its lists itself (see _list_users)
            out.dropped[ins.index] = "bare update"
        elif all(op.command.name == "mkdir" and _made_anyway(op, ins, made, outputs, kept) for op in ops):
            out.dropped[ins.index] = "mkdir made by a COPY or WORKDIR"
    out.updates = _list_users(reading, kept)
    return out


def _only_read_files(ins: Instruction, ctx: Context, read_by_build: set[str], context) -> bool:
    """Whether a COPY/ADD whose landings the build reads brings nothing
    else: a file source, or a folder source (``COPY requirements/
    /tmp/requirements/``) whose files, as the build context lists them, the
    build reads (``read_by_build`` holds the folders of the files read, so
    ``COPY ./src /app/src`` with ``src/requirements.txt`` would pass for
    one) or holds only requirement files besides (``.txt``, ``.in``).
    Without a build context the folder counts as read (the tool can't list
    it); with one, a folder missing from it or holding other files or
    folders does not."""
    if context is None:
        return True
    dest = copy_destination(ins, ctx)
    if dest is None:
        return False
    for raw, landed in zip(ins.args[:-1], _landing(ins, ctx)):
        src = substitute(raw, ctx.env)
        if src is None:
            return False
        if not any(r.startswith(landed.rstrip("/") + "/") for r in read_by_build):
            continue          # a file the build reads
        rel = posixpath.normpath(src.lstrip("/") or ".")
        names = context.list_dir(rel) if context.is_dir(rel) else ()
        if not names:
            return False      # not in the context: the tool can't tell what the folder brings
        for name in names:     # a folder's contents land in the destination (docs.docker.com/reference/dockerfile/#copy)
            path = posixpath.normpath(posixpath.join(landed, name))
            if path not in read_by_build and not (name.endswith(_REQUIREMENT_SUFFIXES)
                                                  and context.is_file(posixpath.join(rel, name))):
                return False
    return True


_REQUIREMENT_SUFFIXES = (".txt", ".in")
"""Names of requirement files (requirements/dev.txt, base.in) a folder of them may hold besides those read."""


def _updates(op) -> bool:
    """Whether ``op`` fetches the apt package lists (``apt-get update``, ``apt update``)."""
    return op.kind is Kind.SYSTEM_META and (op.detail in _UPDATE_DETAILS or op.command.name == "apt"
                                            and "update" in (op.command.argv or []))


def _removes_lists(op) -> bool:
    """Whether ``op`` deletes the apt package lists (``rm -rf /var/lib/apt/lists/*``)."""
    return op.command.name == "rm" and any("/var/lib/apt/lists" in w for w in (op.command.argv or ()))


def _list_users(reading: StageReading, kept) -> set[int]:
    """RUNs of the runtime stage whose apt install relies on package lists
    an earlier RUN before the boundary fetched (``RUN apt-get update`` then
    ``RUN apt-get install -y tesseract-ocr`` and ``RUN apt-get install -y
    poppler-utils``): each updates the lists itself and removes them at its
    end. In the runtime stage the bare update is not replayed, and
    build-deps removes the lists at the end of the RUN it rewrites, so an
    install relying on an earlier RUN's lists would find none (``E: Unable
    to locate package``). Returns instruction indexes: RUNs the runtime
    stage replays (``kept``) and RUNs after the boundary.
    Source: apt-get(8), ``update`` fetches the lists ``install`` reads."""
    boundary = reading.boundary
    users: set[int] = set()
    fetched_before_boundary = False
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None:
            continue
        own = False
        for op in info.all_ops:
            if _updates(op):
                own = True
            elif _removes_lists(op):
                own = False
            elif op.kind is Kind.SYSTEM_INSTALL and op.manager == "apt" and not own and fetched_before_boundary:
                if ins.index > boundary.index or any(o is op for seg in kept.get(ins.index, ()) for o in seg):
                    users.add(ins.index)
                    break
        for op in info.all_ops:
            if _updates(op):
                fetched_before_boundary = ins.index <= boundary.index
            elif _removes_lists(op):
                fetched_before_boundary = False
    return users


_INSTALL_VALUE_FLAGS = ("-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S",
                       "--suffix")
"""Options of install(1) (GNU coreutils) that take a value."""


def _copies_out_of_builds(reading: StageReading, outputs: dict[str, int], install_dirs: set[str]) -> None:
    """A ``cp``, ``mv`` or ``install`` of a build output to another folder
    (``go build -o app . && mv app /usr/local/bin/``) stays in the builder,
    in place: the runtime stage copies the file it made from the builder
    (``COPY --from=builder /usr/local/bin/app /usr/local/bin/app``) instead
    of running the command again, which would fail after a ``mv`` (the
    builder's folder no longer holds the file) and would store a second copy
    after a ``cp``. Only before the boundary; the destination joins
    ``outputs``."""
    from migrator.analysis.stage import DEFAULT_PATH

    build_dirs = [p for p in outputs if p not in install_dirs]
    dirs = set(DEFAULT_PATH.split(":"))
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None or ins.index > reading.boundary.index:
            continue
        for seg in info.ops:
            for k, op in enumerate(seg):
                argv = op.command.argv
                if op.kind is not Kind.SETUP or op.command.name not in ("cp", "mv", "install") or not argv:
                    continue
                paths, skip = [], False
                for a in argv[1:]:
                    if skip:
                        skip = False
                    elif op.command.name == "install" and a in _INSTALL_VALUE_FLAGS:
                        skip = True
                    elif not a.startswith("-"):
                        paths.append(a)
                if len(paths) != 2 or any(c in "".join(paths) for c in "*?[$"):
                    continue
                cwd = op.command.cwd or "/"
                src = posixpath.normpath(posixpath.join(cwd, paths[0]))
                dst = posixpath.normpath(posixpath.join(cwd, paths[1]))
                if not any(src == d or src.startswith(d.rstrip("/") + "/") for d in build_dirs):
                    continue
                if any(dst == o or dst.startswith(o.rstrip("/") + "/") for o in outputs):
                    continue
                if paths[1].endswith("/") or dst in dirs:
                    dst = posixpath.join(dst, posixpath.basename(src))
                seg[k] = replace(op, kind=Kind.BUILD, output=dst, detail=f"{op.command.name} of a build output")
                at = outputs.get(src, ins.index)
                if op.command.name == "mv" and src in outputs:
                    del outputs[src]      # moved away: nothing left to copy at the old path
                outputs.setdefault(dst, min(at, ins.index))


def _leftover(op, reading: StageReading, out: LeftOut) -> bool:
    """Whether a forced ``rm`` left behind by the build steps of its RUN
    removes only what the runtime stage never has: the files of a COPY it
    leaves out, or scratch files under ``/tmp`` and in root's cache."""
    argv = op.command.argv
    if not argv or not any(a.startswith("-") and not a.startswith("--") and "f" in a or a == "--force"
                           for a in argv[1:]):
        return False
    gone_copies = [p for ins, ctx in reading.steps if ins.index in out.dropped and ins.keyword in ("COPY", "ADD")
                   for p in _landing(ins, ctx)]
    for arg in argv[1:]:
        if arg.startswith("-"):
            continue
        path = posixpath.normpath(posixpath.join(op.command.cwd or "/", arg.rstrip("*")))
        if not (path.startswith(("/tmp/", "/root/.cache")) or
                any(path == g or path.startswith(g.rstrip("/") + "/") for g in gone_copies)):
            return False
    return True


def _words(op) -> list[str]:
    return op.command.argv or [w.value or w.raw for w in op.command.words]


def _runtime_segments(reading: StageReading, merged: set[int]) -> dict[int, list[list]]:
    """RUN instruction index -> the ops of each segment the runtime stage
    keeps (the segments without a build step)."""
    out: dict[int, list[list]] = {}
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None:
            continue
        out[ins.index] = [list(ops) for ops in info.ops
                          if not any(op.kind in BUILD_KINDS or id(op.command) in merged for op in ops)]
    return out


def _project_files(manager: str) -> tuple[str, ...]:
    """The files installer ``manager`` reads in its project folder
    (``commands.json`` ``installer_project_files``: poetry's pyproject.toml
    and poetry.lock...); ``()`` for another."""
    from migrator.analysis.commands import command_table

    files = command_table()["installer_project_files"].get(manager, ())
    return tuple(files) if manager != "_doc" else ()


def _files_read_by_build(reading: StageReading) -> set[str]:
    """Absolute paths of the files the build steps read: requirement and
    constraint files (``-r``, ``-c``, and pip's ``PIP_CONSTRAINT``/
    ``PIP_REQUIREMENT`` variables, set by ENV or before the command), the
    project and lock files of poetry, pipenv, uv and pdm, unless the image
    offers that installer to its users (``reading.offered``), who run it
    on them."""
    read: set[str] = set()
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind not in BUILD_KINDS:
                continue
            cwd = op.command.cwd
            # the files of an installer the image offers its users stay: they run it on them
            offered = op.manager in reading.offered
            names = [f for f in op.files if f not in (".", "./") and not offered]
            argv = op.command.argv or []
            if op.manager == "pip":
                settings = dict(ctx.env)
                settings.update(a.split("=", 1) for a in op.command.assignments)
                for var in _PIP_FILE_VARIABLES:
                    names.extend(settings.get(var, "").strip("'\"").split())
            for i, a in enumerate(argv):
                if a in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(argv):
                    names.append(argv[i + 1])
                elif a.startswith(("--requirement=", "--constraint=")):
                    names.append(a.split("=", 1)[1])
            names.extend(_project_files(op.manager) if not offered and (op.manager != "uv" or
                         op.kind is not Kind.PYTHON_INSTALL or "pip" not in argv[1:2]) else ())
            # a lock file only its installer reads (uv.lock beside `uv pip install -r pyproject.toml`)
            names.extend(f for f in _project_files(op.manager) if f.endswith(".lock") and not offered)
            if op.manager == "installer":
                # the installer script itself (`python get-pip.py`)
                names.extend(a for a in argv[1:] if not a.startswith("-") and "://" not in a)
            for name in names:
                if name.startswith("/"):
                    read.add(posixpath.normpath(name))
                elif cwd:
                    read.add(posixpath.normpath(posixpath.join(cwd, name)))
    # a folder whose files the build reads (`COPY requirements/ /tmp/requirements/`)
    for path in list(read):
        read.add(posixpath.dirname(path))
    return read


_PIP_FILE_VARIABLES = ("PIP_CONSTRAINT", "PIP_REQUIREMENT")
"""pip's variables that name files it reads, space-separated: every option
has a ``PIP_<OPTION>`` variable (pip.pypa.io/en/stable/topics/configuration,
environment variables)."""

_WRITERS = frozenset({"echo", "printf", "cat"})
"""Commands whose only effect, redirected, is the file they write."""

_REDIRECT = re.compile(r"(\d*)(>>|>\||&>|>|<)\s*(\S+)")


def _written_files(script, op) -> list[str] | None:
    """The files a writer command (:data:`_WRITERS`) writes through its
    redirections (``echo "cython<3" > /tmp/constraints.txt``), absolute;
    ``[]`` when it writes none; None when the tool can't tell (a here-doc,
    a variable, a redirection it does not read)."""
    if op.command.name not in _WRITERS or op.command.argv is None or not op.command.words:
        return None
    tail = script.text[op.command.words[-1].end:op.command.end]
    if "<<" in tail or "$" in tail or "`" in tail:
        return None
    out: list[str] = []
    for fd, arrow, target in _REDIRECT.findall(tail):
        target = target.strip("'\"")
        if arrow == "<" or target.startswith("&") or target == "/dev/null":
            continue
        if fd not in ("", "1") or not target:
            return None
        out.append(posixpath.normpath(posixpath.join(op.command.cwd or "/", target)))
    if _REDIRECT.sub("", tail).strip():
        return None
    return out


def _writes_only_build_files(reading: StageReading, ins: Instruction, ops, read_by_build: set[str],
                             runtime_words: set[str]) -> bool:
    """Whether a RUN the runtime stage would replay only writes files no
    runtime step reads (``RUN echo "cython<3" > /tmp/constraints.txt`` for
    the builder's ``pip install``): every command is an ``echo``/
    ``printf``/``cat`` writing through ``>``/``>>`` (or a ``mkdir`` under
    /tmp), and every file written is one the build steps read
    (:func:`_files_read_by_build`), or lies under /tmp and nothing the
    runtime stage runs (its RUNs, CMD, ENTRYPOINT, HEALTHCHECK) or an ENV
    that is not an installer's setting names it."""
    info = reading.infos[ins.index]
    if info.script is None:
        return False
    written: list[str] = []
    for op in ops:
        argv = op.command.argv or []
        if op.command.name == "mkdir" and argv and not op.command.redirects and all(
                posixpath.normpath(posixpath.join(op.command.cwd or "/", a)).startswith("/tmp/")
                for a in argv[1:] if not a.startswith("-")):
            continue
        files = _written_files(info.script, op)
        if files is None:
            return False
        written.extend(files)
    if not written:
        return False
    named = {v for _i, ctx in reading.steps for k, v in ctx.env.items()
             if not k.startswith(("PIP_", "UV_", "POETRY_", "PIPENV_", "PDM_"))}
    for path in written:
        if path in read_by_build:
            continue
        if not path.startswith("/tmp/") or posixpath.basename(path) in runtime_words \
                or any(path in value for value in named):
            return False
    return True


def _pattern_of_read(path: str, read: set[str]) -> bool:
    """Whether ``path`` is a wildcard (``/app/poetry.lock*``) that matches a
    file the build reads in that folder: a COPY of lock files that may be
    missing from the context."""
    if not any(c in path for c in "*?["):
        return False
    import fnmatch

    folder = posixpath.dirname(path)
    return any(posixpath.dirname(r) == folder and fnmatch.fnmatchcase(r, path) for r in read)


def _landing(ins: Instruction, ctx: Context) -> list[str]:
    """Where the sources of a COPY/ADD land (absolute), or ``[]`` when the
    tool can't tell (a wildcard, a variable, an archive ADD unpacks, a URL)."""
    args = list(ins.args)
    if len(args) < 2 or ins.heredocs:
        return []
    dest = copy_destination(ins, ctx)
    if dest is None:
        return []
    raw_dest = args[-1]
    out = []
    for raw in args[:-1]:
        src = substitute(raw, ctx.env)
        if src is None:
            return []
        if "://" in src and ins.keyword == "ADD" and not any(c in src for c in "*?[$"):
            name = posixpath.basename(src.split("?", 1)[0])
            out.append(posixpath.join(dest, name) if raw_dest.endswith("/") or raw_dest in (".", "./") else dest)
            continue
        if any(c in src for c in "*?[") and "/" not in src.rstrip("/") and "$" not in src and (
                raw_dest.endswith("/") or raw_dest in (".", "./")):
            out.append(posixpath.join(dest, src))     # a pattern: the files it matches land in dest
            continue
        if any(c in src for c in "*?[$") or "://" in src or src in (".", "./"):
            return []
        if ins.keyword == "ADD" and src.endswith((".tar", ".gz", ".tgz", ".xz", ".bz2", ".zip")):
            return []
        if src.endswith("/"):
            out.append(dest)      # a folder's contents land in the destination
        elif raw_dest.endswith("/") or raw_dest in (".", "./") or len(args) > 2:
            out.append(posixpath.join(dest, posixpath.basename(src)))
        else:
            out.append(dest)
    return out


def _removed_later(reading: StageReading, copy: Instruction, path: str, kept) -> bool:
    """Whether an ``rm`` after ``copy`` deletes ``path`` in a step the
    runtime stage does not run, or with ``-f`` (so that it still runs
    when the file is not there)."""
    for ins, _ctx in reading.steps:
        info = reading.infos.get(ins.index)
        if info is None or ins.index <= copy.index:
            continue
        kept_ops = {id(op) for seg in kept.get(ins.index, ()) for op in seg}
        for op in info.all_ops:
            argv = op.command.argv
            if op.command.name != "rm" or not argv:
                continue
            force = any(a.startswith("-") and not a.startswith("--") and "f" in a or a == "--force" for a in argv[1:])
            if id(op) in kept_ops and not force:
                continue
            for arg in argv[1:]:
                if arg.startswith("-"):
                    continue
                gone = posixpath.normpath(posixpath.join(op.command.cwd or "/", arg))
                if path == gone or path.startswith(gone.rstrip("/") + "/"):
                    return True
    return False


def _made_anyway(op, mkdir: Instruction, made: list[tuple[int, str]], copied: Iterable[str], kept) -> bool:
    """Whether every folder a plain ``mkdir [-p]`` creates is created by the
    runtime stage anyway: a folder the runtime stage copies from the builder
    (``copied``) at or above it (the builder ran the mkdir before), or a
    COPY/ADD destination or WORKDIR (``made``: (instruction index, folder))
    at or below it, with no RUN the runtime stage keeps in between naming
    the folder (which would need it to exist before)."""
    argv = op.command.argv
    if not argv or op.command.redirects:
        return False
    paths = [a for a in argv[1:] if not a.startswith("-")]
    if not paths or any(a.startswith("-") and a not in ("-p", "--parents", "-v", "-pv", "-vp") for a in argv[1:]):
        return False
    for p in paths:
        path = posixpath.normpath(posixpath.join(op.command.cwd or "/", p))
        if any(path == c or path.startswith(c.rstrip("/") + "/") for c in copied):
            continue
        makers = [at for at, m in made if m == path or m.startswith(path.rstrip("/") + "/")]
        if not makers:
            return False
        first = min(makers)
        if first > mkdir.index and any(
                mkdir.index < index < first and any(path in w for seg in segs for o in seg for w in _words(o))
                for index, segs in kept.items()):
            return False
    return True


def _smaller_runtime_base(df: Dockerfile, stage) -> str | None:
    """The smaller base image a runtime stage could move to (see
    :class:`migrator.analysis.packages.BaseImage` ``slim_ref``), or None."""
    from migrator.analysis.stage import global_arg_defaults
    from migrator.analysis.packages import describe_base_image

    ref = substitute(stage.base_image, global_arg_defaults(df))
    if ref is None:
        return None
    return describe_base_image(ref).slim_ref


def _archived_go_move(df: Dockerfile, stage) -> str | None:
    """Why build-deps does not offer a golang runtime stage's move to its
    OS image: the Debian release is archived (``debian_archived``) and the
    move installs ``ca-certificates tzdata netbase`` with ``apt-get
    update``; None otherwise."""
    from migrator.analysis.stage import global_arg_defaults
    from migrator.analysis.packages import describe_base_image
    from migrator.libraries import archived_release

    ref = substitute(stage.base_image, global_arg_defaults(df))
    base = describe_base_image(ref) if ref else None
    if base is None or base.language != "go" or base.family != "debian" or not base.runtime_packages \
            or base.floating or not archived_release(base.release):
        return None
    return (f"its move to {base.slim_ref} is not offered: Debian {base.release} is archived, and installing "
            f"{', '.join(base.runtime_packages)} there needs apt-get update")


def _node_slim_move_safe(df: Dockerfile, stage, options: Options) -> bool:
    """Whether a full ``node`` image's move to its slim sibling is safe
    (build-deps makes it by default: :func:`migrator.analysis.full_image.slim_move_blocker`)."""
    from migrator.analysis.stage import global_arg_defaults
    from migrator.analysis.full_image import describe, slim_move_blocker

    base = describe(substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image, options)
    return base.language == "node" and base.full and bool(base.slim_ref) and slim_move_blocker(df, options) is None


def _builder_ops(steps, infos, boundary):
    """Yield ``(instruction, op)`` for every command of the builder's RUNs."""
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        if info is not None and ins.index <= boundary.index:
            for op in info.all_ops:
                yield ins, op


def _fold_fetches(reading: StageReading, outputs: dict[str, int]) -> None:
    """Drop from ``outputs`` a folder a source fetch wrote inside another
    output (``curl ... | tar -x -C plugins`` in the WORKDIR the runtime
    stage copies whole): the copy of the outer folder brings it; the outer
    one is copied where the first of them was written."""
    fetched = {op.output for ins, op in _builder_ops(reading.steps, reading.infos, reading.boundary)
               if op.kind is Kind.BUILD and op.manager in FETCH_MANAGERS and op.output}
    for path in sorted(p for p in outputs if p in fetched):
        outer = next((o for o in outputs if o != path and path.startswith(o.rstrip("/") + "/")), None)
        if outer is not None:
            outputs[outer] = min(outputs[outer], outputs.pop(path))


def _fetches(steps, infos, boundary) -> tuple[str, int, bool] | None:
    """The source fetches of the builder part as a phrase for the reason,
    their number and whether one is a clone (``("line 3's `git clone` into
    /app", 1, True)``, several joined by commas), or None: the ``git clone`` and the download of sources (manager
    ``download``) that :func:`migrator.analysis.stage.read_run` reads as build
    steps."""
    parts = []
    for ins, op in _builder_ops(steps, infos, boundary):
        if op.kind is Kind.BUILD and (op.detail == "git clone" or op.detail.endswith("download of sources")):
            what = "`git clone`" if op.manager == "git" else f"download (`{op.command.name}` and `tar`)"
            parts.append((f"line {ins.start_line}'s {what} into {op.output}", op.manager == "git"))
    parts = list(dict.fromkeys(parts))
    return (", ".join(p for p, _g in parts), len(parts), any(g for _p, g in parts)) if parts else None


def _removed_output(steps, infos, outputs: dict[str, int], boundary) -> str | None:
    """A problem when the builder deletes a folder a build step wrote
    (``pip install --prefix=/install ... && rm -rf /install``)."""
    for ins, op in _builder_ops(steps, infos, boundary):
        argv = op.command.argv
        if op.command.name != "rm" or not argv:
            continue
        for arg in argv[1:]:
            if arg.startswith("-"):
                continue
            path = posixpath.normpath(posixpath.join(op.command.cwd or "/", arg.rstrip("*")))
            for out, first in outputs.items():
                if ins.index >= first and (out == path or out.startswith(path.rstrip("/") + "/")):
                    return (f"line {ins.start_line} removes {out} after the build wrote it; "
                            "nothing is left to copy to the runtime stage")
    return None


def _dangling_escape(df: Dockerfile, ins: Instruction) -> int | None:
    """The offset of the escape character that ends the last line of
    ``ins`` when nothing but blank and comment lines follows it to the end
    of the file (``RUN make \\`` as the last line): BuildKit continues the
    instruction into whatever text comes next, so text appended after it
    would join it. Removing it changes nothing the instruction runs (the
    escape and the line break are dropped by the parser anyway). None when
    the last line does not end in the escape character.
    Source: docs.docker.com/reference/dockerfile/#escape (a line ending in the
    escape character continues on the next; comment and empty lines inside a
    continuation are skipped)."""
    span = df.text[ins.start:ins.end]
    if df.text[ins.end:].strip(" \t\r\n"):
        return None
    offset = ins.start
    last = None
    for raw in span.splitlines(keepends=True):
        body = raw.rstrip("\r\n").rstrip(" \t")
        if body.strip() and not body.lstrip().startswith("#"):
            last = (offset, body)
        offset += len(raw)
    if last is None or not last[1].endswith(df.escape):
        return None
    return last[0] + len(last[1]) - len(df.escape)


def _stage_names(original: str | None) -> tuple[str, str]:
    """(builder name, runtime name): the runtime stage keeps the original
    stage name, so ``--target`` and CI scripts still get the final image."""
    runtime = original or "runtime"
    builder = "builder" if runtime.lower() != "builder" else "build"
    return builder, runtime


def _name_builder(df: Dockerfile, ins: Instruction, name: str) -> Edit:
    """Edit the FROM line so the stage is named ``name``."""
    first_line_end = df.text.find("\n", ins.start, ins.end)
    first_line_end = ins.end if first_line_end == -1 else first_line_end
    text = df.text[ins.start:first_line_end]
    m = _FROM_ALIAS.search(text)
    if m:
        return Edit(ins.start + m.start(4), ins.start + m.end(4), name)
    content = text.rstrip("\r").rstrip(" \t")
    return Edit.insert(ins.start + len(content), f" {keyword(df, 'AS')} {name}")


def _output_of(op, ctx: Context, venvs: set[str]) -> tuple[str | None, str | None]:
    """Where a build operation writes: (absolute folder, None) or (None, problem)."""
    if op.kind is Kind.VENV:
        return (op.output, None) if op.output else (None, "virtualenv path unknown")
    if op.kind is Kind.SYSTEM_BUILD:
        return None, f"`{op.detail}` installs into system folders; the tool can't tell what to copy to the runtime stage"
    if op.kind is Kind.PYTHON_INSTALL:
        out = op.output
        if out == "env":
            own = [a.split("=", 1)[1] for a in op.command.assignments if a.startswith("VIRTUAL_ENV=")]
            venv = (own[-1].strip("'\"") if own else None) or ctx.venv or ctx.env.get("VIRTUAL_ENV")
            if venv:
                return venv, None
            if op.manager == "uv" and op.command.cwd:
                # uv pip uses the .venv of its folder or of a parent when none is active
                # (docs.astral.sh/uv/pip/environments)
                folder = op.command.cwd
                while True:
                    if posixpath.join(folder, ".venv") in venvs:
                        return posixpath.join(folder, ".venv"), None
                    if folder == "/":
                        break
                    folder = posixpath.dirname(folder)
            return None, (f"{op.detail} installs into the system site-packages; "
                          "the venv transform is needed to isolate it")
        if out == "user":
            return None, f"{op.detail} installs into the user's home; the venv transform converts it"
        if out == "project":
            env_dir = ctx.env.get("UV_PROJECT_ENVIRONMENT")
            base, moved = _project_folder(op, ctx)
            if moved:
                return None, moved
            if env_dir:
                return (posixpath.normpath(posixpath.join(base or "/", env_dir)), None) if base or env_dir.startswith("/") \
                    else (None, "uv project environment path unknown")
            return (posixpath.join(base, ".venv"), None) if base else (None, "working directory unknown")
        if out and out.startswith("system:"):
            path = out[len("system:"):]
            for v in venvs | {ctx.venv or ""}:
                if v and path.startswith(v.rstrip("/") + "/"):
                    return v, None
            return None, f"{path} installs into the system site-packages"
        if out is None:
            return None, f"{op.detail}: install location unknown"
        return out, None
    # BUILD
    out = op.output
    if out is None:
        return None, f"`{op.detail}` runs in a directory the tool can't resolve"
    workdir = ctx.workdir
    if out == op.command.cwd and workdir not in (None, "/") and out.startswith(workdir.rstrip("/") + "/") \
            and op.manager not in FETCH_MANAGERS:
        # `cd frontend && npm run build` may write anywhere in the project
        # (a bundler's outDir ../backend/static): copy the whole WORKDIR
        out = workdir
    if out in ("/", "/usr", "/usr/local", "/root", "/tmp", "/var"):
        return None, f"`{op.detail}` writes into {out}; the tool can't tell what to copy to the runtime stage"
    return out, None


def _merged_copies(steps, infos, outputs, install_dirs, boundary):
    """Find ``cp -r /install/. /usr/local/`` after a ``pip install --prefix=/install``:
    the runtime stage then copies the prefix straight to its destination
    (``COPY --from=builder /install /usr/local``, the multi-stage idiom) and
    drops the ``cp``. Returns ({output: destination}, {id of merged commands})."""
    targets: dict[str, str] = {}
    merged: set[int] = set()
    for _ins, op in _builder_ops(steps, infos, boundary):
        argv = op.command.argv
        if op.command.name != "cp" or not argv or len(argv) < 3:
            continue
        paths = [a for a in argv[1:] if not a.startswith("-")]
        flags = [a for a in argv[1:] if a.startswith("-")]
        if len(paths) != 2 or not any(f in ("-r", "-R", "-a", "-rf", "-fr", "-ra", "-ar", "--recursive",
                                            "--archive") for f in flags):
            continue
        src = posixpath.normpath(posixpath.join(op.command.cwd or "/", paths[0].rstrip("*")))
        dest = posixpath.normpath(posixpath.join(op.command.cwd or "/", paths[1]))
        if src in install_dirs and src in outputs and paths[0].rstrip("/").endswith(("/.", "/*")) \
                and dest.startswith("/") and src not in targets:
            targets[src] = dest
            merged.add(id(op.command))
    return targets, merged


def _replay(df: Dockerfile, ins: Instruction, info: RunInfo | None, skipped: set[int],
            merged: set[int] = frozenset(), own_update: bool = False) -> tuple[str, str | None]:
    """The text the runtime stage gets for one builder instruction.

    ``own_update``: the RUN installs with apt-get and relied on a bare
    ``RUN apt-get update`` the runtime stage leaves out: it updates the
    package lists itself and removes them at its end."""
    if ins.keyword in ("COPY", "ADD") and ins.index in skipped:
        return "", None
    if ins.keyword != "RUN":
        return source_with_newline(df, ins), None
    assert info is not None
    kinds = info.kinds()
    has_merged = any(id(op.command) in merged for op in info.all_ops)
    narrowed = any("replay_packages" in op.options for op in info.all_ops)
    if not kinds & BUILD_KINDS and not has_merged and not own_update and not narrowed:
        return source_with_newline(df, ins), None
    if info.script is None:
        if own_update:
            return source_with_newline(df, ins), None
        return "", f"line {ins.start_line}: can't separate the build steps of this RUN"
    keep: list[tuple[str, str]] = []
    gap_ops: list[str] = []
    dropped_any = False
    for seg, ops in zip(info.script.segments, info.ops):
        drop = any(op.kind in BUILD_KINDS or id(op.command) in merged for op in ops)
        if drop and any(op.kind not in BUILD_KINDS | {Kind.SETUP} and id(op.command) not in merged for op in ops):
            return "", (f"line {ins.start_line}: a build step shares a pipeline or block with other "
                        "commands; can't separate them")
        if drop:
            if seg.operator == "||":
                return "", f"line {ins.start_line}: a build step is joined with `||`; can't separate it"
            gap_ops.append(seg.operator)
            dropped_any = True
            continue
        op = seg.operator
        if gap_ops:
            if op == "||":
                return "", f"line {ins.start_line}: `||` follows a build step; can't separate it"
            ops_seen = [o for o in gap_ops + [op] if o]
            op = ";" if any(o in (";", "\n") for o in ops_seen) else "&&"
            gap_ops = []
        keep.append((op, _narrowed(info.script.segment_text(seg), ops)))
    if not keep:
        return "", None
    if dropped_any and all(_trivial(t) or _lone_cd(t) for _op, t in keep):
        return "", None
    if own_update:
        keep = [("", "apt-get update")] + [("&&" if i == 0 else o, t) for i, (o, t) in enumerate(keep)]
        if not any("/var/lib/apt/lists" in t for _o, t in keep):
            keep.append(("&&", "rm -rf /var/lib/apt/lists/*"))
    return run(df, keep, ins.flags), None


def _serves_users(steps) -> bool:
    """Whether the image is a base or development image its users build on
    or run their own commands in: no CMD and no ENTRYPOINT, or a CMD that
    starts an interactive shell or REPL (:func:`migrator.analysis.gain.interactive_start`).
    Such an image's runtime stage keeps every file the original copied and
    the lock files its installs wrote (:func:`_locks_written`)."""
    return interactive_start(steps) is not None or not any(ins.keyword in ("CMD", "ENTRYPOINT")
                                                            for ins, _ctx in steps)


def _project_folder(op: Op, ctx: Context) -> tuple[str | None, str | None]:
    """The project folder an installer's command works in, as ``(folder,
    problem)``: the working directory, or the folder a project option or
    variable names (``uv sync --project backend``, ``--directory``,
    ``poetry -C``, ``UV_PROJECT``; ``commands.json``
    ``installer_lock_writes``, with sources), joined to it. ``problem`` is
    a reason when the folder can't be known (a variable the tool can't
    resolve, an option with no value)."""
    from migrator.analysis.commands import command_table

    entry = command_table()["installer_lock_writes"].get(op.manager) if op.manager != "_doc" else None
    cwd = op.command.cwd
    if not entry:
        return cwd, None
    named = None
    argv = op.command.argv or []
    for k, a in enumerate(argv[1:], 1):
        for o in entry["project_options"]:
            if a == o:
                named = argv[k + 1] if k + 1 < len(argv) else ""
            elif a.startswith(o + "=") and o.startswith("--"):
                named = a[len(o) + 1:]
            elif not o.startswith("--") and a.startswith(o) and len(a) > len(o):
                named = a[len(o):]
    for var in entry["project_env"]:
        if named is None and var in ctx.env:
            named = ctx.env[var]
            if var.endswith("PIPFILE"):
                named = posixpath.dirname(named) or "."
    if named is None:
        return cwd, None
    if not named or "$" in named or (cwd is None and not named.startswith("/")):
        return None, f"`{op.detail}` works in a project folder the tool can't resolve"
    return posixpath.normpath(posixpath.join(cwd or "/", named)), None


def _folder_copies(ins: Instruction, ctx: Context) -> list[tuple[str, str]]:
    """The folders of the build context a COPY/ADD brings whole (``COPY .
    /app``, ``ADD src/ /code/``), as ``(source folder, absolute
    destination)``; ``[]`` for a copy of files, a variable or a pattern."""
    dest = copy_destination(ins, ctx)
    if dest is None or len(ins.args) < 2 or ins.heredocs:
        return []
    out = []
    for raw in ins.args[:-1]:
        src = substitute(raw, ctx.env)
        if src is None or any(c in src for c in "*?[$") or "://" in src:
            continue
        if src in (".", "./") or src.endswith("/"):
            out.append((posixpath.normpath(src), dest))
    return out


def _from_context(lock: str, folder_copies: list[tuple[str, str]], reads_context: bool, options: Options) -> bool:
    """Whether the runtime stage already has ``lock`` from the build
    context: a folder copy it replays brings the lock's folder, and the
    install read the lock from there without writing it (``reads_context``:
    ``pipenv install --deploy``, ``commands.json`` ``reads_context_lock``),
    or the build context holds the file at that place."""
    for src, dest in folder_copies:
        if not lock.startswith(dest.rstrip("/") + "/"):
            continue
        if reads_context:
            return True
        rel = posixpath.normpath(posixpath.join(src, lock[len(dest.rstrip("/")) + 1:]))
        if options.context is not None and options.context.is_file(rel):
            return True
    return False


def _locks_written(info: RunInfo | None, env: dict[str, str], reads_context: set[str] | None = None) -> list[str]:
    """Absolute paths of the lock files a RUN's build steps leave in their
    project folder (``poetry install`` in /app -> ``/app/poetry.lock``;
    ``commands.json`` ``installer_lock_writes``, with sources); ``[]`` when
    the folder is unknown, an option or a variable of ``env`` (the stage's
    ENV at the RUN) stops the write (``--skip-lock``, ``PIPENV_SKIP_LOCK``)
    or moves the project away from the working directory (``poetry -C``,
    ``uv --project``, ``PIPENV_PIPFILE``): only a write the tool can place is
    copied. ``reads_context``, when given, receives the locks of the
    installs that read them from the build context without rewriting them
    (``pipenv install --deploy``: ``reads_context_lock``)."""
    from migrator.analysis.commands import command_table

    if info is None:
        return []
    table = command_table()["installer_lock_writes"]
    out: list[str] = []
    for op in info.all_ops:
        entry = table.get(op.manager) if op.manager != "_doc" else None
        argv = op.command.argv or []
        if op.kind not in BUILD_KINDS or not entry or not op.command.cwd or op.command.name != op.manager:
            continue
        if any(k in env for k in (*entry["unless_env"], *entry["project_env"])):
            continue
        moved = entry["project_options"]
        if any(a in moved or a.split("=", 1)[0] in moved
               or any(a.startswith(o) and len(a) > 2 and not o.startswith("--") for o in moved) for a in argv[1:]):
            continue
        words = [a for a in argv[1:] if not a.startswith("-")]
        if words[:1] and words[0] in entry["subcommands"] and not set(argv) & set(entry["unless"]):
            path = posixpath.join(op.command.cwd, entry["lock"])
            if path not in out:
                out.append(path)
            if reads_context is not None and set(argv) & set(entry.get("reads_context_lock", ())):
                reads_context.add(path)
    return out


def _offered_pips(info: RunInfo | None) -> set[int]:
    """``id()`` of the commands of a RUN that pip install an installer the
    image offers its users (``pip install poetry``, marked
    ``offered_installer`` by :func:`migrator.analysis.gain.read_stage`)."""
    if info is None:
        return set()
    return {id(op.command) for op in info.all_ops if op.options.get("offered_installer")}


def _hoisted(df: Dockerfile, ins: Instruction, info: RunInfo, hoist: set[int]) -> str:
    """The RUN of the installer's pip install(s) of ``ins``
    (:func:`_offered_pips`), which the runtime stage runs before it has the
    virtualenv: in the builder that pip ran outside it (``pip install poetry
    && python -m venv /opt/venv && poetry install``)."""
    parts = [info.script.segment_text(seg) for seg, ops in zip(info.script.segments, info.ops)
             if any(id(op.command) in hoist for op in ops)]
    return run(df, [("&&", t) for t in parts], ins.flags)


def _hoist_blocker(ins: Instruction, hoisted: str, jumped, after) -> str | None:
    """Why the installer's pip install of ``ins`` can't move before the
    runtime stage's virtualenv: an instruction it would jump over sets the
    user or shell, or a variable it uses (``$NAME``) or pip reads
    (``PIP_*``: pip.pypa.io/en/stable/topics/configuration); None when
    nothing does."""
    for j, ctx in jumped:
        if j.keyword in ("USER", "SHELL"):
            return (f"line {ins.start_line}: the pip install of the image's installer must run outside the "
                    f"virtualenv, before line {j.start_line} ({j.keyword}); can't move it there")
        nxt = after.get(j.index)
        if j.keyword in ("ENV", "ARG") and nxt is not None:
            changed = {k for k, v in nxt.env.items() if ctx.env.get(k) != v} - {"VIRTUAL_ENV", "PATH"}
            used = [k for k in sorted(changed) if k.startswith("PIP_") or re.search(rf"\$\{{?{k}\b", hoisted)]
            if used:
                return (f"line {ins.start_line}: the pip install of the image's installer must run outside the "
                        f"virtualenv, before line {j.start_line}, which sets {used[0]} it uses; can't move it there")
    return None


def _narrowed(text: str, ops) -> str:
    """A segment's text, with a global tool install the image's command
    needs narrowed to the packages it runs (``npm install -g pm2
    @nestjs/cli`` -> ``npm install -g pm2``): the runtime stage installs no
    build tool a second time."""
    for op in ops:
        only = op.options.get("replay_packages")
        if only is None or len(ops) != 1 or op.command.argv is None:
            continue
        drop = [p for p in op.packages if p not in only]
        argv = list(op.command.argv)
        for p in drop:
            argv.remove(p)
        return " ".join([*op.command.assignments, *argv])
    return text


_TRIVIAL = re.compile(r"(set(\s+[-+][A-Za-z]+|\s+[-+]o\s+\w+)*|true|:)\s*")


def _lone_cd(command: str) -> bool:
    """``cd DIR``: without the build step it led to, it has no effect (each
    RUN starts a new shell in the WORKDIR)."""
    return command.strip().split(None, 1)[:1] == ["cd"]


def _trivial(command: str) -> bool:
    """Commands with no effect of their own (shell options, ``true``)."""
    return _TRIVIAL.fullmatch(command.strip()) is not None


def _static_root_outside(df: Dockerfile, options: Options, op, where: str) -> tuple[str, str] | None:
    """A ``collectstatic`` build step (``pipenv run python manage.py
    collectstatic``) writes the Django settings' STATIC_ROOT, read from the
    build context (:func:`migrator.context.django.read_settings`); when that
    folder is outside ``where`` (the folder the runtime stage copies for the
    step), it must be copied too. Returns ``(folder, "STATIC_ROOT (folder)
    of settings file")`` then, else None (also without settings)."""
    if "collectstatic" not in (op.command.argv or []):
        return None
    from migrator.context.django import read_settings

    settings = read_settings(df, options.context)
    roots = settings.get("STATIC_ROOT") if settings is not None else []
    if not roots:
        return None
    folder = roots[0].path
    if folder == where or folder.startswith(where.rstrip("/") + "/") or folder in ("/", "/var", "/usr", "/tmp"):
        return None
    return folder, f"STATIC_ROOT ({folder}) of {settings.path}"


def _go_runtime_offers(df: Dockerfile, options: Options) -> bool:
    """Whether ``go-runtime`` offers this Go build's runtime stage (an unsafe
    one, or split-stages would see two stages): a second unsafe offer, the
    golang image's OS base with the sources copied, would only compete."""
    from transforms.go_runtime import go_runtime_offers

    return go_runtime_offers(df, options)

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

Reference: https://docs.docker.com/build/building/multi-stage/
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from migrator.analysis import (START_KEYWORDS, Context, RunInfo, read_run, start_words, substitute,
                               uv_managed_python, walk)
from migrator.commands import Kind, Op, command_table
from migrator.edits import Edit, Fix
from migrator.model import Dockerfile, Instruction
from migrator.options import Options
from migrator.render import instruction, keyword, line, run, source_with_newline
from migrator.results import Applicability
from migrator.transform import Outcome

BUILD_KINDS = {Kind.PYTHON_INSTALL, Kind.PYTHON_TOOL, Kind.TOOL_INSTALL, Kind.VENV, Kind.BUILD,
               Kind.SYSTEM_BUILD}
"""Operations that belong to the builder stage only."""

_FROM_ALIAS = re.compile(r"(\s+)(as)(\s+)(\S+)", re.IGNORECASE)


class SplitStages:
    """Split a single-stage Dockerfile into builder and runtime stages."""

    id = "split-stages"
    title = "Split into builder and runtime stages"
    rationale = "what is needed only to build (compilers, caches, sources of wheels) stays out of the image that ships"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the split; see the module docstring for the rules.

        Returns an empty :class:`Outcome` when nothing is built, or a
        refusal with the line that makes the split unsafe.
        """
        if len(df.stages) != 1:
            return Outcome()
        stage = df.stages[0]
        steps = walk(df, stage)
        infos: dict[int, RunInfo] = {ins.index: read_run(df, ins, ctx) for ins, ctx in steps if ins.keyword == "RUN"}
        for info in infos.values():
            if info.problem:
                return Outcome.refuse(info.problem)
        problem = _python_tool_run_at_start(steps, infos)
        if problem:
            return Outcome.refuse(problem)
        managed = uv_managed_python(df, stage)
        if managed:
            return Outcome.refuse(f"{managed}, outside what the runtime stage copies")
        _classify_global_tools(steps, infos)
        boundary = None
        for ins, _ctx in steps:
            info = infos.get(ins.index)
            if info is not None and info.kinds() & BUILD_KINDS:
                boundary = ins
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
        # Where each build step writes, in order of first write.
        outputs: dict[str, int] = {}
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
                for project in op.options.get("editable_paths", ()):
                    # an editable install leaves build results in the project folder
                    if project in ("/", None):
                        return Outcome.refuse(f"line {ins.start_line}: editable install of a project "
                                              "whose folder the tool can't resolve")
                    outputs.setdefault(project, ins.index)
        if not outputs:
            return Outcome()
        installs_packages = any(op.kind is Kind.SYSTEM_INSTALL for info in infos.values() for op in info.all_ops)
        applicability = Applicability.SAFE
        smaller = None
        if not install_dirs and not installs_packages:
            # Only a smaller runtime base (node:20 -> node:20-slim, golang ->
            # its Debian or Alpine base) makes this split pay off, and
            # build-deps offers that move as an unsafe change: so is this.
            smaller = _smaller_runtime_base(df, stage)
            if smaller is None:
                return Outcome(notes=[f"split-stages: nothing to leave behind: the runtime stage would keep "
                                      f"{stage.base_image} and everything the build wrote "
                                      f"({', '.join(sorted(outputs))})"])
            applicability = Applicability.UNSAFE
        gone = _removed_output(steps, infos, outputs, boundary)
        if gone:
            return Outcome.refuse(gone)
        targets, merged = _merged_copies(steps, infos, outputs, install_dirs - venvs, boundary)
        builder_name, runtime_name = _stage_names(stage.name)
        # Build directories receive the build context too: copy them where
        # the context first lands in them, and skip the context copies.
        build_dirs = [p for p in outputs if p not in install_dirs]
        skipped_copies: set[int] = set()
        for ins, ctx in steps:
            if ins.index > boundary.index or ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            dest = _copy_dest(ins, ctx)
            for d in build_dirs:
                if dest is not None and (dest == d or dest.startswith(d.rstrip("/") + "/")):
                    skipped_copies.add(ins.index)
                    outputs[d] = min(outputs[d], ins.index)
        placed: dict[int, list[str]] = {}
        for path, at in outputs.items():
            placed.setdefault(at, []).append(path)
        block: list[str] = [line(df, "")]
        from_flags = " ".join(stage.from_instruction.flags)
        block.append(instruction(df, "FROM", " ".join(
            x for x in (from_flags, stage.base_image, keyword(df, "AS"), runtime_name) if x)))
        for ins, ctx in steps[1:]:
            if ins.index > boundary.index:
                break
            for path in placed.get(ins.index, []):
                block.append(instruction(df, "COPY", f"--from={builder_name} {path} {targets.get(path, path)}"))
            replay, problem = _replay(df, ins, infos.get(ins.index), skipped_copies, merged)
            if problem:
                return Outcome.refuse(problem)
            block.append(replay)
        edits = [_name_builder(df, stage.from_instruction, builder_name)]
        at = boundary.end
        prefix = "" if df.text[:at].endswith("\n") else df.newline
        edits.append(Edit.insert(at, prefix + "".join(block)))
        copied = ", ".join(sorted(outputs))
        reason = (f"split into a `{builder_name}` stage that builds and a `{runtime_name}` stage "
                  f"that copies only {copied} from it")
        if smaller is not None:
            reason += f" (worth it only with the smaller runtime base {smaller}, an unsafe change of build-deps)"
        return Outcome(fixes=[Fix(reason, tuple(edits), applicability)])


def _python_tool_run_at_start(steps, infos) -> str | None:
    """A problem when CMD, ENTRYPOINT or HEALTHCHECK runs a Python tool pip
    installs for the build (``pip install uv`` then ``CMD ["uv", "run",
    ...]``): it lands outside the virtualenv the runtime stage copies."""
    tools: dict[str, int] = {}
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        for op in info.all_ops if info else ():
            if op.kind is Kind.PYTHON_TOOL and op.manager == "pip":
                for spec in op.packages:
                    name = re.split(r"[=<>!~\[; ]", spec.strip("'\""), maxsplit=1)[0].lower()
                    tools.setdefault(name, ins.start_line)
    if not tools:
        return None
    for ins, _ctx in steps:
        if ins.keyword not in START_KEYWORDS:
            continue
        for name in (w.lower() for w in start_words(ins)):
            if name in tools:
                return (f"line {ins.start_line}: {ins.keyword} runs `{name}`, which line {tools[name]} installs "
                        "with pip outside the virtualenv the runtime stage gets")
    return None


def _classify_global_tools(steps, infos) -> None:
    """Read the commands of globally installed tools (``npm install -g
    @nestjs/cli`` provides ``nest``) in ``infos``, in place: a RUN that runs
    one is a build step (``RUN nest build``), whose output is its folder; and
    a tool that CMD, ENTRYPOINT or HEALTHCHECK runs (``pm2-runtime``) is
    installed again in the runtime stage (its install becomes a setup step).
    The commands a package provides come from ``commands.json``
    (``npm_tool_commands``, the ``bin`` field of each package.json), else its
    name."""
    table = command_table()["npm_tool_commands"]
    provides: dict[str, list[Op]] = {}
    for info in infos.values():
        for op in info.all_ops:
            if op.kind is Kind.TOOL_INSTALL:
                for spec in op.packages:   # pnpm@8, @nestjs/cli@10 -> pnpm, @nestjs/cli
                    package = spec[0] + spec[1:].split("@", 1)[0]
                    for cmd in table.get(package, [package.rsplit("/", 1)[-1]]):
                        provides.setdefault(cmd, []).append(op)
    if not provides:
        return
    at_start = {w for ins, _ctx in steps if ins.keyword in START_KEYWORDS for w in start_words(ins)}
    replay = {id(op) for cmd in at_start & provides.keys() for op in provides[cmd]}
    for info in infos.values():
        for seg in info.ops:
            for k, op in enumerate(seg):
                if op.kind is Kind.TOOL_INSTALL and id(op) in replay:
                    seg[k] = replace(op, kind=Kind.SETUP, detail=op.detail + " (the image's command runs it)")
                elif op.kind is Kind.UNKNOWN and op.command.name in provides:
                    seg[k] = replace(op, kind=Kind.BUILD, output=op.command.cwd,
                                     detail=" ".join((op.command.argv or [op.command.name])[:2]))


def _smaller_runtime_base(df: Dockerfile, stage) -> str | None:
    """The smaller base image a runtime stage could move to (see
    :class:`migrator.packages.BaseImage` ``slim_ref``), or None."""
    from migrator.analysis import global_arg_defaults
    from migrator.packages import describe_base_image

    ref = substitute(stage.base_image, global_arg_defaults(df))
    if ref is None:
        return None
    base = describe_base_image(ref)
    return base.slim_ref


def _builder_ops(steps, infos, boundary):
    """Yield ``(instruction, op)`` for every command of the builder's RUNs."""
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        if info is not None and ins.index <= boundary.index:
            for op in info.all_ops:
                yield ins, op


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
            venv = ctx.venv or ctx.env.get("VIRTUAL_ENV")
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
            base = op.command.cwd
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
    if out == op.command.cwd and workdir not in (None, "/") and out.startswith(workdir.rstrip("/") + "/"):
        # `cd frontend && npm run build` may write anywhere in the project
        # (a bundler's outDir ../backend/static): copy the whole WORKDIR
        out = workdir
    if out in ("/", "/usr", "/usr/local", "/root", "/tmp", "/var"):
        return None, f"`{op.detail}` writes into {out}; the tool can't tell what to copy to the runtime stage"
    return out, None


def _copy_dest(ins: Instruction, ctx: Context) -> str | None:
    """Absolute destination folder of a COPY/ADD, or None if unknown."""
    args = list(ins.args)
    if len(args) < 2:
        return None
    dest = substitute(args[-1], ctx.env)
    if dest is None or ctx.workdir is None and not dest.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))


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
            merged: set[int] = frozenset()) -> tuple[str, str | None]:
    """The text the runtime stage gets for one builder instruction."""
    if ins.keyword in ("COPY", "ADD") and ins.index in skipped:
        return "", None
    if ins.keyword != "RUN":
        return source_with_newline(df, ins), None
    assert info is not None
    kinds = info.kinds()
    has_merged = any(id(op.command) in merged for op in info.all_ops)
    if not kinds & BUILD_KINDS and not has_merged:
        return source_with_newline(df, ins), None
    if info.script is None:
        return "", f"line {ins.start_line}: can't separate the build steps of this RUN"
    keep: list[tuple[str, str]] = []
    gap_ops: list[str] = []
    dropped_any = False
    for seg, ops in zip(info.script.segments, info.ops):
        drop = any(op.kind in BUILD_KINDS or id(op.command) in merged for op in ops)
        if drop and any(op.kind not in BUILD_KINDS | {Kind.SETUP} for op in ops):
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
        keep.append((op, info.script.segment_text(seg)))
    if not keep:
        return "", None
    if dropped_any and all(_trivial(t) or _lone_cd(t) for _op, t in keep):
        return "", None
    return run(df, keep, ins.flags), None


_TRIVIAL = re.compile(r"(set(\s+[-+][A-Za-z]+|\s+[-+]o\s+\w+)*|true|:)\s*")


def _lone_cd(command: str) -> bool:
    """``cd DIR``: without the build step it led to, it has no effect (each
    RUN starts a new shell in the WORKDIR)."""
    return command.strip().split(None, 1)[:1] == ["cd"]


def _trivial(command: str) -> bool:
    """Commands with no effect of their own (shell options, ``true``)."""
    return _TRIVIAL.fullmatch(command.strip()) is not None

"""build-deps: compilers and ``-dev`` packages stay in the builder stage.

In the final stage of a multi-stage file, every system package install is
rewritten: build-only packages (compilers, ``build-essential``, ``-dev``
packages, ``pkg-config``...) are dropped, and each ``-dev`` package is
replaced by the runtime library it stands for (``libpq-dev`` -> ``libpq5``).
Debian installs get ``--no-install-recommends`` and the package lists are
removed in the same layer; Alpine installs use ``--no-cache``. Packages the
data does not know are kept, and named in a note. Installs that are undone
in the same stage (``apk add --virtual .build-deps ... && apk del
.build-deps``, ``apt-get purge``) are dropped together with their removal,
keeping only the runtime libraries of their ``-dev`` packages.

Package facts come from ``migrator/data`` (Debian Packages indexes of
bookworm and trixie, a curated Alpine table): see :mod:`migrator.packages`.
When the base image is a "full" image (``python:3.12``, based on
buildpack-deps) that already carries compilers, an unsafe fix moves the
runtime stage to the matching ``-slim`` tag.
"""

from __future__ import annotations

import posixpath
from collections.abc import Container

from migrator.analysis import DEFAULT_PATH, START_KEYWORDS, global_arg_defaults, read_run, start_words, substitute, walk
from migrator.commands import Kind, Op
from migrator.edits import Edit, Fix
from migrator.model import Dockerfile
from migrator.options import Options
from migrator.render import run
from migrator.results import Applicability
from migrator.transform import Outcome

_PACKAGE_MANAGERS = {"apt-get", "apt", "apk", "aptitude"}
_OPAQUE_SAFE = {"python", "python3"}


class BuildDeps:
    """Keep build dependencies out of the runtime stage."""

    id = "build-deps"
    title = "Install only runtime libraries in the runtime stage"
    rationale = "compilers and headers are hundreds of MB of attack surface an application never runs"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the rewrite of the final stage's package installs.

        Returns an empty :class:`Outcome` for a single-stage file (there is
        nowhere to build) or when the final stage installs no build-only
        package; a refusal when a package list can't be read or a later
        command may need the build dependencies.
        """
        if len(df.stages) < 2:
            return Outcome()
        outcome = self._rewrite(df)
        from migrator.packages import describe_base_image

        stage = df.stages[-1]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref)
        if base.slim_ref and not outcome.refusals:
            slim = _slim_fix(df, stage, base)
            if isinstance(slim, Fix):
                outcome.fixes.append(slim)
            else:
                outcome.refusals.append(slim)
        elif base.full and not outcome.refusals:
            outcome.notes.append(f"build-deps: {ref} already carries compilers; the runtime stage "
                                 "only shrinks on a slim base")
        return outcome

    def _rewrite(self, df: Dockerfile) -> Outcome:
        from migrator.packages import describe_base_image, package_index

        stage = df.stages[-1]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref)
        steps = walk(df, stage)
        runs = [(ins, read_run(df, ins, ctx)) for ins, ctx in steps if ins.keyword == "RUN"]
        for ins, info in runs:
            for op in info.all_ops:
                words = [w.value or w.raw for w in op.command.words]
                if op.kind is Kind.UNKNOWN and any(w in _PACKAGE_MANAGERS for w in words):
                    return Outcome.refuse(f"line {ins.start_line}: `{' '.join(words)[:60]}` installs packages "
                                          "the tool can't list; system installs kept as they are")
        managers = {op.manager for _i, info in runs for op in info.all_ops
                    if op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE)}
        if not managers:
            return Outcome()
        family = base.family
        if family == "unknown" and managers == {"apk"}:
            family = "alpine"
        if family not in ("debian", "alpine"):
            return Outcome.refuse(f"no package data for base image {ref} ({family}); system installs kept as they are")
        foreign = managers - {"debian": {"apt"}, "alpine": {"apk"}}[family]
        if foreign:
            return Outcome.refuse(f"the file runs {', '.join(sorted(foreign))} on {ref}, a {family} image; "
                                  "system installs kept as they are")
        release = base.release if family == "debian" else None
        try:
            index = package_index(family, release)
        except KeyError:
            return Outcome.refuse(f"no package data for {family} {release or ''} ({ref})")
        if family == "alpine" and base.release and index.min_release and \
                _version(base.release) < _version(index.min_release):
            return Outcome.refuse(f"package data covers Alpine {index.min_release} and later; {ref} is Alpine "
                                  f"{base.release}, whose package names differ (libssl1.1)")
        # Transient groups: apk --virtual names deleted later, apt purges.
        removed: set[str] = set()
        installed: set[str] = set()
        for _ins, info in runs:
            for op in info.all_ops:
                if op.kind is Kind.SYSTEM_REMOVE:
                    removed.update(op.packages)
                elif op.kind is Kind.SYSTEM_INSTALL:
                    installed.update(op.packages)
                    if op.virtual:
                        installed.add(op.virtual)
        needed = _build_packages_run_at_runtime(stage, runs, index)
        # the commands of the build packages kept: running them needs nothing else dropped
        kept_commands = set(index.commands_of(needed)) if needed else set()
        first_rewrite = None
        rewrites = []          # (ins, info, new_parts, dropped_build, runtime_libs)
        unknown: set[str] = set()
        all_build: set[str] = set()
        kept_so_far: set[str] = set()
        for ins, info in runs:
            installs = [op for op in info.all_ops if op.kind is Kind.SYSTEM_INSTALL]
            if not installs and not any(op.kind is Kind.SYSTEM_REMOVE for op in info.all_ops):
                continue
            if info.script is None or info.problem:
                return Outcome.refuse(info.problem or f"line {ins.start_line}: can't read this RUN")
            plan = _plan_run(info, index, removed, installed, unknown, kept_so_far, needed)
            if isinstance(plan, str):
                return Outcome.refuse(f"line {ins.start_line}: {plan}")
            parts, dropped, libs = plan
            if not dropped and parts is None:
                kept_so_far.update(p for op in installs for p in op.packages if op.virtual is None)
                continue
            all_build |= dropped
            rewrites.append((ins, info, parts, dropped, libs))
            if first_rewrite is None and dropped:
                first_rewrite = ins
        if not all_build:
            return Outcome()
        # A later opaque command may need what is dropped.
        for ins, info in runs:
            if ins.index <= first_rewrite.index:
                continue
            for op in info.all_ops:
                if op.kind in (Kind.BUILD, Kind.SYSTEM_BUILD, Kind.PYTHON_INSTALL) or (
                        op.kind is Kind.UNKNOWN and op.command.name not in _OPAQUE_SAFE
                        and op.command.name not in kept_commands):
                    return Outcome.refuse(
                        f"line {ins.start_line} runs `{op.detail}`, which may need the build "
                        f"dependencies ({', '.join(sorted(all_build))}); they stay in the runtime stage")
        edits = []
        libs_all: set[str] = set()
        for ins, info, parts, dropped, libs in rewrites:
            libs_all |= libs
            text = run(df, parts, ins.flags) if parts else ""
            edits.append(Edit(ins.start, ins.end, text))
        saved = 0 if base.full else index.removed_bytes(all_build)
        reason = f"{', '.join(sorted(all_build))} stay in the builder stage"
        if saved:
            reason += f" (about {saved / 1e6:.0f} MB less in the runtime image)"
        if libs_all:
            reason += f"; the runtime stage installs {', '.join(sorted(libs_all))} instead"
        applicability = Applicability.SAFE
        notes = []
        if family == "debian" and base.release_from_default and libs_all:
            other = "bookworm" if release == "trixie" else "trixie"
            try:
                alt = package_index("debian", other)
                differ = [lib for lib in libs_all if not alt.facts(lib).known]
            except KeyError:
                differ = []
            if differ:
                applicability = Applicability.UNSAFE
                reason += (f" (the tag of {ref} does not name its Debian release; {', '.join(sorted(differ))} "
                           f"assume {release})")
        if unknown:
            notes.append(f"build-deps: kept packages the data does not know: {', '.join(sorted(unknown))}")
        for pkg, why in sorted(needed.items()):
            notes.append(f"build-deps: kept {pkg} in the runtime stage: {why}")
        return Outcome(fixes=[Fix(reason, tuple(edits), applicability, saved)], notes=notes)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def _slim_fix(df: Dockerfile, stage, base) -> Fix | str:
    """The unsafe move of the runtime stage to ``base.slim_ref``, installing
    ``base.runtime_packages`` there; or why it is not offered."""
    ins = stage.from_instruction
    written = stage.base_image
    at = df.text.find(written, ins.start, ins.end)
    if base.language == "go":
        reason = (f"runtime stage moves from {base.ref} to {base.slim_ref}, the image it is built on: the Go "
                  "toolchain stays in the builder; tools of the full image the program runs (git, curl, go) "
                  "would be missing")
        problem = _go_runtime_problem(df, stage)
        if problem:
            return f"{reason}: not offered, {problem}"
    else:
        reason = (f"runtime stage moves from {base.ref} to {base.slim_ref}: the full image already carries "
                  "compilers and -dev packages; libraries the app used from it without installing them "
                  "would be missing")
    if "$" in written or at < 0:
        return f"{reason}: not offered, the tag uses a build argument"
    edits = [Edit(at, at + len(written), base.slim_ref)]
    if base.runtime_packages:
        names = list(base.runtime_packages)
        if base.family == "alpine":
            parts = [("", "apk add --no-cache " + " ".join(names))]
        else:
            parts = [("", "apt-get update"),
                     ("&&", "apt-get install -y --no-install-recommends " + " ".join(names)),
                     ("&&", "rm -rf /var/lib/apt/lists/*")]
        edits.append(Edit.insert(ins.end, ("" if df.text[:ins.end].endswith("\n") else df.newline)
                                 + run(df, parts)))
        reason += f"; installs {', '.join(names)} there"
    return Fix(reason, tuple(edits), Applicability.UNSAFE)


def _go_runtime_problem(df: Dockerfile, stage) -> str | None:
    """Why a Go runtime stage can't leave the golang image: its command runs
    ``go``, or runs a program by name from a folder the OS image's PATH
    lacks (``/go/bin``, which only the golang image puts on PATH)."""
    copied: dict[str, str] = {}
    for ins, ctx in walk(df, stage):
        if ins.keyword == "COPY" and ins.flag("from") is not None and len(ins.args) >= 2:
            dest = substitute(ins.args[-1], ctx.env) or ins.args[-1]
            for src in ins.args[:-1]:
                copied[src.rstrip("/").rsplit("/", 1)[-1]] = dest
    for ins in stage.body:
        if ins.keyword not in ("CMD", "ENTRYPOINT") or not ins.args:
            continue
        first = (ins.args[0] if ins.json else ins.args[0].split()[0]) if ins.args[0].strip() else ""
        if posixpath.basename(first) == "go":
            return f"line {ins.start_line}: {ins.keyword} runs go"
        if first and "/" not in first and first in copied:
            dest = copied[first]
            folder = posixpath.dirname(dest.rstrip("/")) if not dest.endswith("/") else dest.rstrip("/")
            if folder not in DEFAULT_PATH.split(":"):
                return f"line {ins.start_line}: {ins.keyword} finds {first} on the golang image's PATH ({folder})"
    return None


def _build_packages_run_at_runtime(stage, runs, index) -> dict[str, str]:
    """Build-only packages the runtime stage still runs a command of:
    ``{package: why}``. The commands each package ships come from the
    package data (Debian's Contents indexes, see ``PackageIndex.commands_of``);
    the commands a runtime step runs are its own names and the words of
    CMD, ENTRYPOINT and HEALTHCHECK. (GNU gettext, whose msgfmt Django's
    compilemessages runs, is kept by the data itself: package-overrides.json.)"""
    names = [index.normalize(p) for _ins, info in runs for op in info.all_ops
             if op.kind is Kind.SYSTEM_INSTALL for p in op.packages]
    provided = index.commands_of([n for n in dict.fromkeys(names) if index.facts(n).build_only])
    if not provided:
        return {}
    used: dict[str, str] = {}
    for ins, info in runs:
        for op in info.all_ops:
            if op.kind not in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE, Kind.SYSTEM_META):
                used.setdefault(op.command.name, f"line {ins.start_line} runs {op.command.name}")
    for ins in stage.body:
        if ins.keyword in START_KEYWORDS:
            for name in start_words(ins):
                used.setdefault(name, f"line {ins.start_line}: {ins.keyword} runs {name}")
    needed: dict[str, str] = {}
    for cmd, why in used.items():
        if cmd in provided:
            needed.setdefault(provided[cmd], why)
    return needed


def _plan_run(info, index, removed: set[str], installed: set[str], unknown: set[str],
              installed_before: set[str], needed: Container[str] = frozenset()):
    """Rewrite one RUN's segments; return (parts or None, dropped build-only
    names, runtime libs added) or a problem string."""
    parts: list[tuple[str, str]] = []
    meta: set[int] = set()
    dropped: set[str] = set()
    libs: set[str] = set()
    changed = False
    gap = False
    any_install_left = False
    for seg, ops in zip(info.script.segments, info.ops):
        text = info.script.segment_text(seg)
        op = seg.operator if not gap else (";" if seg.operator in (";", "\n") else seg.operator or "&&")
        installs = [o for o in ops if o.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE)]
        if ops and all(o.kind is Kind.SYSTEM_REMOVE for o in ops) and not all(
                p in installed for o in ops for p in o.packages):
            installs = []  # removes something the base image has: keep it
        if not installs:
            if ops and all(o.kind is Kind.SYSTEM_META for o in ops):
                meta.add(len(parts))
            parts.append((op, text))
            gap = False
            continue
        if seg.command is None or len(ops) != 1:
            return "a package install inside a pipeline or block; can't rewrite it"
        o = ops[0]
        if o.kind is Kind.SYSTEM_REMOVE:
            changed = True
            gap = seg.operator != "||"
            if seg.operator == "||":
                return "a package removal joined with `||`; can't rewrite it"
            continue
        keep, build, runtime = [], [], []
        transient = o.virtual is not None and o.virtual in removed
        for name in o.packages:
            facts = index.facts(name)
            if facts.build_only and facts.name not in needed:
                build.append(name)
                runtime.extend(facts.runtime)
            elif transient or name in removed:
                changed = True  # removed again in this stage: never in the image
            else:
                if not facts.known:
                    unknown.add(name)
                keep.append(name)
        if build or transient:
            changed = True
        dropped.update(build)
        new_libs = [r for r in dict.fromkeys(runtime) if r not in keep and r not in installed_before]
        libs.update(new_libs)
        names = keep + new_libs
        if not names:
            gap = True
            continue
        any_install_left = True
        installed_before.update(names)
        parts.append((op, _install_command(o, names)))
        gap = False
    if not changed:
        return None, set(), set()
    if not any_install_left:
        rest = [p for i, p in enumerate(parts) if i not in meta]
        if rest:
            rest[0] = ("", rest[0][1])
        return rest, dropped, libs
    parts = _ensure_cleanup(info, parts)
    return parts, dropped, libs


def _install_command(op: Op, names: list[str]) -> str:
    """The install of ``names`` in the runtime stage, keeping the command's
    ``VAR=value`` prefixes (``ACCEPT_EULA=Y``, ``DEBIAN_FRONTEND=...``)."""
    prefix = list(op.command.assignments)
    if op.manager == "apk":
        return " ".join([*prefix, "apk", "add", "--no-cache", *names])
    flags = [f for f in op.flags if f not in ("--no-install-recommends",) and not f.startswith("--virtual")]
    if not any(f in ("-y", "--yes", "--assume-yes", "-qy", "-yq") for f in flags):
        flags.insert(0, "-y")
    return " ".join([*prefix, "apt-get", "install", *flags, "--no-install-recommends", *names])


def _ensure_cleanup(info, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Debian: make sure the RUN updates the lists first and removes them last."""
    texts = [t for _o, t in parts]
    if not any("apt-get install " in t for t in texts):
        return parts
    if not any("apt-get update" in t or "apt update" in t for t in texts):
        parts = [("", "apt-get update")] + [("&&" if i == 0 else o, t) for i, (o, t) in enumerate(parts)]
    if not any("/var/lib/apt/lists" in t for t in texts):
        parts = parts + [("&&", "rm -rf /var/lib/apt/lists/*")]
    return parts

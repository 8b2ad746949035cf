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
keeping only the runtime libraries of their ``-dev`` packages. Packages the
runtime base image already carries (``libpq5`` on a full ``python`` image,
``libstdc++`` on ``node:*-alpine``, ``git`` on ``node:22``) are not
installed again, and apt's ``python3-pip`` stays out of a ``python`` image's
runtime stage (the virtualenv brings its own pip).

Package facts come from ``migrator/data`` (Debian Packages indexes of
bullseye, bookworm and trixie, a curated Alpine table): see
:mod:`migrator.analysis.packages`. Where they do not reach (Ubuntu, Debian buster,
Alpine before 3.18, an unknown or configured Debian/Ubuntu/Alpine-based
image), build-only packages are recognised by name
(:mod:`migrator.libraries.names`) and the runtime libraries are resolved
from what the build produced: a generated step in the builder records the
packages owning the shared libraries the copied folders load, and the
runtime stage installs that list (:mod:`migrator.libraries.record`).

Where the package data exists, its list is the one written in the runtime
stage and no step is generated; where both apply (a full image moving to
its slim sibling with package data for its release) the runtime installs
both lists, and they are not checked against each other: the static one is
what a reviewer reads, the recorded one adds what the data can't see (a
library the full image carried that no line of the file names).

A full base image (``python:3.12``, ``node:20``, built on buildpack-deps)
moves to its ``-slim`` sibling, with the libraries resolved from the build:
a safe change unless the runtime stage, CMD, ENTRYPOINT, HEALTHCHECK or a
script they run calls a program only the full image has (git, curl, make...).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Container

from migrator.analysis.stage import (DEFAULT_PATH, START_KEYWORDS, app_stages, end_context, global_arg_defaults, read_run,
                               start_words, substitute, walk)
from migrator.analysis.commands import Kind, Op
from migrator.model.edits import Edit, Fix
from migrator.analysis.full_image import archived_apt, describe, full_only_program
from migrator.libraries import archived_release
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options
from migrator.model.render import run
from migrator.model.results import Applicability
from migrator.transform import Outcome

_PACKAGE_MANAGERS = {"apt-get", "apt", "apk", "aptitude"}
_PYTHON_ONLY_IN_BUILDER = ("python3-pip",)
"""Debian's pip: in a ``python`` image's runtime stage it only pulls in a
second Python (python3, ~50 MB), and a virtualenv the runtime stage copies
has its own pip."""


class BuildDeps:
    """Keep build dependencies out of the runtime stage."""

    id = "build-deps"
    safety = "mixed"   # a slim move that loses a program the runtime runs is unsafe
    title = "Install only runtime libraries in the runtime stage"
    rationale = "compilers and headers are hundreds of MB of attack surface an application never runs"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the rewrite of the final stage's package installs, the
        move of a full base image to its slim sibling, and, where the package
        data does not reach, the resolution of the runtime libraries from the
        build.

        Returns an empty :class:`Outcome` for a single-stage file (there is
        nowhere to build) or when there is nothing to change; a refusal when
        a package list can't be read or a later command may need the build
        dependencies.
        """
        if len(app_stages(df)) < 2:
            return Outcome()
        stage = df.stages[-1]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe(ref, options)
        resolve = _Resolver(df, options)
        slim = None
        if base.slim_ref and base.language in ("python", "node"):
            slim = _slim_plan(df, stage, base, options, resolve)
        go_slim = _slim_fix(df, stage, base) if base.slim_ref and base.language == "go" else None
        target = base
        for move in (slim, go_slim):
            if isinstance(move, Fix) and (move.applicability is Applicability.SAFE or options.unsafe):
                # the packages the runtime keeps are judged against the base it ends on
                # (golang:1.22-bookworm carries curl, debian:bookworm-slim does not)
                target = describe(base.slim_ref, options)
        outcome, rewrite_resolves = self._rewrite(df, base, target, options, resolve)
        if go_slim is not None:
            if not outcome.refusals:
                (outcome.fixes if isinstance(go_slim, Fix) else outcome.refusals).append(go_slim)
        elif slim is not None and not outcome.refusals:
            if isinstance(slim, Fix):
                if not rewrite_resolves:
                    edits = resolve.edits()
                    slim = Fix(slim.reason, slim.edits + edits, slim.applicability, slim.bytes_saved)
                outcome.fixes.append(slim)
            else:
                outcome.refusals.append(slim)
        elif base.full and not outcome.refusals:
            outcome.notes.append(f"build-deps: {ref} already carries compilers; the runtime stage "
                                 "only shrinks on a slim base")
        return outcome

    def _rewrite(self, df: Dockerfile, base, target, options: Options, resolve: "_Resolver") -> tuple[Outcome, bool]:
        """The rewrite of the runtime stage's installs for the runtime base
        ``target`` (``base``, or its slim sibling when that move applies).
        Returns the outcome and whether its fix includes the resolution of
        the runtime libraries from the build."""
        from migrator.analysis.fetches import fetch_packages_left_behind
        from migrator.libraries import ReleaseIndexWithNames, carried_packages, name_index, with_name_rules
        from migrator.analysis.packages import package_index

        stage = df.stages[-1]
        ref = base.ref
        steps = walk(df, stage)
        runs = [(ins, read_run(df, ins, ctx)) for ins, ctx in steps if ins.keyword == "RUN"]
        for ins, info in runs:
            for op in info.all_ops:
                words = [w.value or w.raw for w in op.command.words]
                if op.kind is Kind.UNKNOWN and any(w in _PACKAGE_MANAGERS for w in words) \
                        and not _recorded_list_install(info, op):
                    return Outcome.refuse(f"line {ins.start_line}: `{' '.join(words)[:60]}` installs packages "
                                          "the tool can't list; system installs kept as they are"), False
        managers = {op.manager for _i, info in runs for op in info.all_ops
                    if op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE)}
        if not managers:
            return Outcome(), False
        family = base.family
        if family == "unknown" and managers == {"apk"}:
            family = "alpine"
        elif family == "unknown" and managers == {"apt"}:
            family = "debian-unknown"
        if family not in ("debian", "alpine", "ubuntu", "debian-unknown"):
            return Outcome.refuse(f"no package data for base image {ref} ({family}); system installs kept "
                                  "as they are"), False
        dpkg = family in ("debian", "ubuntu", "debian-unknown")
        foreign = managers - ({"apt"} if dpkg else {"apk"})
        if foreign:
            return Outcome.refuse(f"the file runs {', '.join(sorted(foreign))} on {ref}, a "
                                  f"{family.replace('-unknown', '')} image; system installs kept as they are"), False
        release = base.release if family == "debian" else None
        index = None
        missing = None   # which data is missing, for the reason
        try:
            if family == "debian":
                index = package_index("debian", release)
            elif family == "alpine":
                index = package_index("alpine")
                if base.release and index.min_release and \
                        _version(base.release) < _version(index.min_release):
                    missing = (f"package data covers Alpine {index.min_release} and later; {ref} is Alpine "
                               f"{base.release}, whose library names differ")
                    index = None
        except KeyError:
            index = None
        if index is None:
            if missing is None:
                what = {"ubuntu": f"Ubuntu {base.release or ''}".rstrip(),
                        "debian-unknown": "an image the tool has no facts for",
                        "alpine": "Alpine"}.get(family, f"Debian {release}" if release
                                                else "Debian, no release declared")
                missing = f"no package data for {ref} ({what})"
            index = name_index("alpine" if family == "alpine" else "debian")
        by_name = index.release is None and family != "alpine" or missing is not None
        if not by_name:
            # names the release's data lacks (python-dev, libmysqlclient-dev on bookworm): by name
            index = with_name_rules(index)
        carried = carried_packages(target)
        carried_base = carried_packages(base)
        # apt's pip in the runtime stage: the python image has its own, the copied virtualenv too
        drop_pip = dpkg and (target.language == "python" or resolve.copies(options.venv_path))
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
        # git (curl, wget) installed only for a clone or download of sources the builder now runs alone
        fetched_why = fetch_packages_left_behind(df, options)
        fetched = tuple(fetched_why)
        # the commands of the build packages kept: running them needs nothing else dropped
        kept_commands = set(index.commands_of(needed)) if needed else set()
        first_rewrite = None
        rewrites = []          # (ins, info, new_parts, dropped_build, runtime_libs)
        unknown: set[str] = set()
        all_build: set[str] = set()
        gone_anyway: set[str] = set()   # removed in the RUN that installs them, or carried by the base
        already: set[str] = set()       # kept packages the runtime base carries
        kept_so_far: set[str] = set()
        for ins, info in runs:
            installs = [op for op in info.all_ops if op.kind is Kind.SYSTEM_INSTALL]
            if not installs and not any(op.kind is Kind.SYSTEM_REMOVE for op in info.all_ops):
                continue
            if info.script is None or info.problem:
                return Outcome.refuse(info.problem or f"line {ins.start_line}: can't read this RUN"), False
            plan = _plan_run(info, index, removed, installed, unknown, kept_so_far, needed,
                             carried=carried, extra_build=(_PYTHON_ONLY_IN_BUILDER if drop_pip else ()) + fetched)
            if isinstance(plan, str):
                return Outcome.refuse(f"line {ins.start_line}: {plan}"), False
            parts, dropped, libs, transient, skipped = plan
            already |= skipped
            if not dropped and not skipped and parts is None:
                kept_so_far.update(p for op in installs for p in op.packages if op.virtual is None)
                continue
            all_build |= dropped
            gone_anyway |= transient
            rewrites.append((ins, info, parts, dropped, libs))
            if first_rewrite is None and (dropped or skipped):
                first_rewrite = ins
        if not all_build and not already:
            return Outcome(), False
        # A later opaque command may need what is dropped.
        if all_build:
            from migrator.analysis.gain import may_need_build_packages

            later = [(ins, info.all_ops) for ins, info in runs if ins.index > first_rewrite.index]
            hit = may_need_build_packages(later, kept_commands)
            if hit is not None:
                ins, op = hit
                return Outcome.refuse(
                    f"line {ins.start_line} runs `{op.detail}`, which may need the build "
                    f"dependencies ({', '.join(sorted(all_build))}); they stay in the runtime stage"), False
        old_names = index.by_name(all_build) if isinstance(index, ReleaseIndexWithNames) else []
        if old_names:
            missing = (f"{', '.join(old_names)} {'is' if len(old_names) == 1 else 'are'} not in the package data "
                       f"of {ref} ({' '.join(x for x in (index.family.capitalize(), index.release) if x)}): a name "
                       "of another release or of Ubuntu, build-only by its name")
        resolves = (by_name or bool(old_names)) and bool(all_build - set(_PYTHON_ONLY_IN_BUILDER))
        if resolves and not resolve.possible():
            return Outcome.refuse(f"{missing}, and the runtime stage copies no folder from the builder to "
                                  "resolve the runtime libraries from; system installs kept as they are"), False
        edits = []
        libs_all: set[str] = set()
        for ins, info, parts, dropped, libs in rewrites:
            libs_all |= libs
            text = run(df, parts, ins.flags) if parts else ""
            edits.append(Edit(ins.start, ins.end, text))
        saved = _saved_bytes(index, all_build, gone_anyway, carried_base)
        # build-only packages the original base itself carries leave the runtime image only with that base:
        # with no move to a slim base they stay (review 3, D12)
        in_base = [] if target.ref != base.ref else \
            sorted(p for p in all_build if p in carried_base or index.facts(p).name in carried_base)
        leaving = sorted(p for p in all_build if p not in in_base)
        if leaving:
            reason = f"{', '.join(leaving)} stay in the builder stage"
        elif in_base:
            reason = f"the runtime stage no longer installs {', '.join(in_base)}"
        if all_build:
            if by_name or old_names:
                reason += f" (recognised by name: {missing})"
        else:
            reason = (f"{target.ref} already has {', '.join(sorted(already))}: the runtime stage does not "
                      "install it again")
        if saved:
            reason += f" ({_size_phrase(saved)} less in the runtime image, estimated from Installed-Size)"
        if in_base:
            one = len(in_base) == 1
            reason += (f"; {', '.join(in_base) if leaving else ('it' if one else 'they')} {'is' if one else 'are'} "
                       f"part of {base.ref} itself: {'it stays' if one else 'they stay'} in the runtime image "
                       f"until it moves to a slim base, and {'counts' if one else 'count'} in no saving")
        if libs_all:
            reason += f"; the runtime stage installs {', '.join(sorted(libs_all))} instead"
        if already and all_build:
            reason += f"; {target.ref} already has {', '.join(sorted(already))}"
        if resolves:
            edits.extend(resolve.edits())
            reason += (f"; the runtime libraries are resolved from the build: {resolve.describe()}")
        applicability = Applicability.SAFE
        notes = []
        if family == "debian" and not by_name and base.release_from_default and libs_all:
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
        if unknown and not by_name:
            notes.append(f"build-deps: kept packages the data does not know: {', '.join(sorted(unknown))}")
        for pkg, why in sorted(needed.items()):
            notes.append(f"build-deps: kept {pkg} in the runtime stage: {why}")
        for pkg, why in sorted(fetched_why.items()):
            if pkg in all_build:
                notes.append(f"build-deps: {pkg} leaves the runtime stage: {why}")
        return Outcome(fixes=[Fix(reason, tuple(edits), applicability, saved)], notes=notes), resolves


def _saved_bytes(index, dropped: set[str], transient: set[str], carried_base: set[str] | frozenset[str]) -> int:
    """Bytes that really leave the runtime image when ``dropped`` are not
    installed there (estimates from the package data's Installed-Size; 0
    without sizes, e.g. on a base known only by name).

    Nothing is counted for a package the original removes in the RUN that
    installs it (``transient``: ``apk del .build-deps``, ``apt-get purge``),
    which never was in the original image, nor for one the original base
    image already carries (``carried_base``: gcc and libpq-dev on a full
    ``python`` image), whose bytes only leave with the base image; and what
    the carried packages pull in is not counted either (the difference of
    the two closures)."""
    leaving = set(dropped) - set(transient) - set(carried_base)
    if not leaving:
        return 0
    present = {p for p in carried_base if index.facts(p).build_only}
    if not present:
        return index.removed_bytes(leaving)
    return max(0, index.removed_bytes(leaving | present) - index.removed_bytes(present))


class _Resolver:
    """The resolution of the runtime libraries from the build: the step
    appended to the builder stage and the install added to the runtime
    stage, for the folders the runtime stage copies from the builder."""

    def __init__(self, df: Dockerfile, options: Options):
        self.df = df
        self.options = options
        self._plan = None

    def _compute(self):
        if self._plan is not None:
            return self._plan
        df = self.df
        runtime = df.stages[-1]
        builder = app_stages(df)[0]
        names = {str(builder.index)} | ({builder.name.lower()} if builder.name else set())
        folders: list[tuple[str, str]] = []   # (source in builder, destination in runtime)
        last_copy = None
        bctx = end_context(df, builder)
        for ins, ctx in walk(df, runtime):
            src = ins.flag("from") if ins.keyword == "COPY" else None
            if src is None or src.lower() not in names or len(ins.args) < 2:
                continue
            dest = substitute(ins.args[-1], ctx.env)
            if dest is None:
                continue
            dest = posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))
            for arg in ins.args[:-1]:
                got = substitute(arg, bctx.env)
                if got is None or any(c in got for c in "*?[") or (not got.startswith("/") and bctx.workdir is None):
                    continue
                path = posixpath.normpath(posixpath.join(bctx.workdir or "/", got))
                if path == "/":
                    continue
                target = dest if len(ins.args) == 2 else posixpath.join(dest, posixpath.basename(path))
                folders.append((path, target))
                last_copy = ins
        self._plan = (folders, last_copy)
        return self._plan

    def copies(self, folder: str) -> bool:
        """Whether the runtime stage copies ``folder`` of the builder."""
        return any(src == folder for src, _dest in self._compute()[0])

    def possible(self) -> bool:
        """Whether the runtime stage copies a folder from the builder."""
        return bool(self._compute()[0])

    def _list(self) -> tuple[str, str]:
        from migrator.libraries import list_path

        folders, _ = self._compute()
        venv = next(((s, d) for s, d in folders if s == self.options.venv_path), folders[0])
        return list_path(venv[0]), list_path(venv[1])

    def describe(self) -> str:
        """A few words for the reason: what is scanned and where the list goes."""
        from migrator.libraries.record import scanned_folders

        folders, _ = self._compute()
        _src, dest = self._list()
        return (f"a step at the end of the builder stage writes the packages owning the shared libraries the "
                f"files in {', '.join(scanned_folders(s for s, _d in folders))} load to {dest}, and the runtime "
                f"stage installs that list")

    def edits(self) -> tuple[Edit, ...]:
        """The two insertions: the record step after the builder's last
        instruction, the install after the runtime stage's last ``COPY
        --from`` of the builder."""
        from migrator.libraries import always_present, install_parts, record_lines
        from migrator.libraries.record import scanned_folders

        df = self.df
        folders, last_copy = self._compute()
        family = self._family()
        src_list, dest_list = self._list()
        lines = record_lines(family, scanned_folders(s for s, _d in folders), src_list, always_present(family))
        nl, esc = df.newline, df.escape
        builder_last = app_stages(df)[0].instructions[-1]
        comment = (f"# build-deps: list the system packages owning the shared libraries the build links "
                   f"(the runtime stage installs them){nl}")
        record = comment + run(df, [("", lines[0])]).rstrip("\r\n")
        for text in lines[1:]:
            record += f" {esc}{nl}    {text}"
        record += nl
        at = builder_last.end
        lead = "" if df.text[:at].endswith("\n") else nl
        set_env = next((ctx.env for ins, ctx in walk(df, df.stages[-1]) if ins.index == last_copy.index), {})
        install = (f"# build-deps: the runtime libraries recorded in the builder stage{nl}"
                   + run(df, install_parts(family, dest_list, set_env.get("DEBIAN_FRONTEND") != "noninteractive")))
        at2 = last_copy.end
        lead2 = "" if df.text[:at2].endswith("\n") else nl
        return (Edit.insert(at, lead + record), Edit.insert(at2, lead2 + install))

    def _family(self) -> str:
        base = describe(substitute(self.df.stages[-1].base_image, global_arg_defaults(self.df))
                         or self.df.stages[-1].base_image, self.options)
        if base.family in ("ubuntu", "alpine"):
            return base.family
        if base.family == "unknown":
            for ins, ctx in walk(self.df, self.df.stages[-1]):
                if ins.keyword == "RUN":
                    for op in read_run(self.df, ins, ctx).all_ops:
                        if op.kind is Kind.SYSTEM_INSTALL and op.manager == "apk":
                            return "alpine"
        return "debian"


def _slim_plan(df: Dockerfile, stage, base, options: Options, resolve: _Resolver) -> Fix | str:
    """The move of a full ``python``/``node`` runtime stage to its slim
    sibling, with the runtime libraries resolved from the build: a safe
    :class:`Fix` (without the resolution's edits, which the caller adds), an
    unsafe one with the reason, or why it is not offered.

    A move that surely fails is never offered: a build step (RUN) of the
    runtime stage that runs a tool only the full image has (curl, wget,
    git: :func:`migrator.analysis.full_image.run_programs`) gets that tool's package
    (and ``ca-certificates``) installed right after the new ``FROM``;
    where it can't be (a build-only program such as make, or a Debian release
    that is archived or has no package data), the move is not offered. Nor
    is one whose library install would run ``apt-get update`` on an archived
    release (buster) where the stage ran no apt of its own. A base pinned by
    digest (``node:20.10.0@sha256:...``) moves only as an unsafe change: the
    slim tag is not pinned."""
    from migrator.analysis.full_image import slim_installs
    from migrator.libraries import full_only_programs, programs_of

    ins = stage.from_instruction
    written = stage.base_image
    at = df.text.find(written, ins.start, ins.end)
    reason = f"runtime stage moves from {base.ref} to {base.slim_ref}"
    if "$" in written or at < 0:
        return f"{reason}: not offered, the tag uses a build argument"
    edits = [Edit(at, at + len(written), base.slim_ref)]
    added_note = ""
    programs = full_only_programs(base)
    added, needs, problem = slim_installs(df, stage, base, options, programs)
    if problem:
        return f"{reason}: not offered, {problem}"
    if needs:
        nl = df.newline
        parts = [("", "apt-get update"),
                 ("&&", "apt-get install -y --no-install-recommends " + " ".join(added)),
                 ("&&", "rm -rf /var/lib/apt/lists/*")]
        edits.append(Edit.insert(ins.end, ("" if df.text[:ins.end].endswith("\n") else nl) + run(df, parts)))
        calls = ", ".join(f"line {n} runs {p}" for n, p in needs)
        added_note = (f"; the runtime stage installs {', '.join(added)} right after its FROM: {calls} in a build "
                      f"step, which {base.slim_ref} lacks")
    archived = archived_apt(df, stage, base, options) if not needs and resolve.possible() else None
    edits = tuple(edits)
    saved = _full_image_bytes(base)
    size = f" ({_size_phrase(saved)} less)" if saved else ""
    pin = ""
    if "@" in written:
        pin = (f"; {written} is pinned by digest and {base.slim_ref} is a tag that moves: pin it again "
               f"({base.slim_ref}@sha256:..., from `docker buildx imagetools inspect {base.slim_ref}`)")
    if not resolve.possible():
        return Fix(f"{reason}{size}: the full image already carries compilers and -dev packages; libraries the "
                   "app used from it without installing them would be missing (the runtime stage copies no "
                   f"folder from the builder to resolve them from){added_note}{pin}", edits, Applicability.UNSAFE,
                   saved)
    rest = {p: pkg for p, pkg in programs.items() if p not in programs_of(added, base)}
    problem = full_only_program(df, stage, base, options, rest)
    explain = (f"{reason}{size}: the compilers and -dev packages of the full image stay in the builder stage; "
               f"the shared libraries the build links are resolved from it, since no package data lists what the "
               f"app used from the full image without installing it")
    explain += added_note
    risks = "; ".join(r for r in (problem, archived) if r)
    if risks:
        return Fix(f"{explain}; but {risks}{pin}", edits, Applicability.UNSAFE, saved)
    if pin:
        return Fix(f"{explain}{pin}", edits, Applicability.UNSAFE, saved)
    return Fix(explain, edits, Applicability.SAFE, saved)


def _full_image_bytes(base) -> int:
    """Estimated bytes of the buildpack-deps packages a full image carries
    beyond its slim sibling (their Installed-Size closure in the release's
    package data: a lower bound, build-only packages only); 0 without data
    or for a full image not built on buildpack-deps."""
    from migrator.libraries import on_buildpack_deps

    if base.family != "debian" or not base.release or not on_buildpack_deps(base):
        return 0
    return _buildpack_deps_bytes(base.release)


@functools.lru_cache(maxsize=16)
def _buildpack_deps_bytes(release: str) -> int:
    from migrator.libraries import buildpack_deps_packages
    from migrator.analysis.packages import package_index

    try:
        index = package_index("debian", release)
    except KeyError:
        return 0
    return index.removed_bytes(buildpack_deps_packages())


def _size_phrase(saved: int) -> str:
    """``saved`` bytes for a reason: ``"about 204 MB"``, ``"about 350 kB"``
    below a megabyte (never ``"about 0 MB"``)."""
    return f"about {saved / 1e6:.0f} MB" if saved >= 1_000_000 else f"about {max(1, round(saved / 1e3))} kB"


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
    if base.runtime_packages and base.family == "debian" and archived_release(base.release) and not base.floating:
        return (f"{reason}: not offered, Debian {base.release} is archived: installing "
                f"{', '.join(base.runtime_packages)} there would need apt-get update, which fails")
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
    if "@" in written:
        reason += (f"; {written} is pinned by digest and {base.slim_ref} is a tag that moves: pin it again "
                   f"({base.slim_ref}@sha256:..., from `docker buildx imagetools inspect {base.slim_ref}`)")
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
              installed_before: set[str], needed: Container[str] = frozenset(),
              carried: Container[str] = frozenset(), extra_build: Container[str] = ()):
    """Rewrite one RUN's segments.

    Args:
        info: the RUN's :class:`~migrator.analysis.stage.RunInfo`.
        index: package facts (:class:`~migrator.analysis.packages.PackageIndex` or
            :class:`~migrator.libraries.NameIndex`).
        removed, installed: packages (and apk ``--virtual`` groups) the
            stage removes and installs anywhere.
        unknown: filled with the kept names the data does not know.
        installed_before: kept names of earlier RUNs (extended).
        needed: build-only names a runtime command needs (kept).
        carried: packages the runtime base image already has (not
            installed again).
        extra_build: names that stay in the builder in this image although
            not build-only (``python3-pip`` in a ``python`` image).
    Returns:
        ``(parts or None, dropped build-only names, runtime libs added,
        dropped names this very RUN removes again, kept names skipped
        because the base carries them)``, or a problem string.
    """
    parts: list[tuple[str, str]] = []
    meta: set[int] = set()
    dropped: set[str] = set()
    libs: set[str] = set()
    transient_here: set[str] = set()
    skipped: set[str] = set()
    removed_here = {p for o in info.all_ops if o.kind is Kind.SYSTEM_REMOVE for p in o.packages}
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
            if (facts.build_only or facts.name in extra_build) and facts.name not in needed:
                build.append(name)
                runtime.extend(facts.runtime)
                if (o.virtual is not None and o.virtual in removed_here) or name in removed_here:
                    transient_here.add(name)   # the original never kept it either
            elif transient or name in removed:
                changed = True  # removed again in this stage: never in the image
            elif facts.name in carried and index.normalize(name) == name.strip():
                skipped.add(facts.name)   # a pinned version (curl=7.88.*) is the user's choice: kept
                changed = True
            else:
                if not facts.known:
                    unknown.add(name)
                keep.append(name)
        if build or transient:
            changed = True
        dropped.update(build)
        new_libs = [r for r in dict.fromkeys(runtime)
                    if r not in keep and r not in installed_before and r not in carried]
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
        return None, set(), set(), set(), set()
    if not any_install_left:
        rest = [p for i, p in enumerate(parts) if i not in meta]
        if rest:
            rest[0] = ("", rest[0][1])
        return rest, dropped, libs, transient_here, skipped
    parts = _ensure_cleanup(info, parts)
    return parts, dropped, libs, transient_here, skipped


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


def _recorded_list_install(info, op) -> bool:
    """Whether ``op`` is the install of a package list the migration
    recorded in the builder (``xargs -r apt-get install ... <
    /tmp/go-runtime/.runtime-packages``, :mod:`migrator.libraries.record`):
    the tool's own step, whose packages are the runtime libraries, never
    build-only ones."""
    from migrator.libraries import LIST_NAME

    if op.command.name != "xargs" or info.script is None:
        return False
    # the `< list` redirection: inside `if [ -s list ]; then ...; fi` the grammar may attach it to the chain
    rest = info.script.text[op.command.start:]
    return LIST_NAME in rest[:min((i for i in (rest.find("&&"), rest.find(";")) if i >= 0), default=len(rest))]

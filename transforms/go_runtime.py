"""go-runtime: a built Go program runs on a minimal image, without the toolchain.

A single-stage file on a ``golang`` image whose last build step is one
``go build -o BINARY`` becomes a ``builder`` stage (the original, with
``AS builder``) and a ``runtime`` stage that holds only what the program
needs at run time:

- the binary, ``COPY --from=builder`` to the same path;
- the files it reads from disk that the build context shows: paths and
  folders given to a disk read in the Go sources (``os.ReadFile``,
  ``template.ParseGlob``, ``http.Dir``, viper's ``AddConfigPath``...:
  :mod:`migrator.context.go`, which resolves constants, ``filepath.Join``,
  ``+`` and ``fmt.Sprintf``; a computed tail gives its constant folder), the conventional folders of
  ``go-runtime.json`` ``runtime_folders`` (``templates/``, ``static/``,
  ``migrations/``...) unless a ``//go:embed`` compiles them in, and files
  the start command names;
- CA certificates and zoneinfo: the distroless image carries them; on
  scratch they are copied from the builder (tzdata installed there first,
  since golang images lack it); on the OS image they are installed;
- a numeric ``USER 65532:65532`` (distroless's ``nonroot``) on distroless
  and scratch, which have no ``useradd``: the transform writes USER itself,
  so ``non-root-user`` finds the final stage non-root and leaves it; on the
  OS image ``non-root-user`` adds its user as on any Debian/Alpine image;
- the configuration instructions of the original (ARG, ENV, WORKDIR,
  EXPOSE, LABEL...), and everything after the build as it is.

The runtime image is chosen by ``--go-runtime`` (``Options.go_runtime``:
``distroless``, the default, ``gcr.io/distroless/static-debian12``;
``scratch``; ``debian-slim``, the OS image the golang image is built on:
``debian:<release>-slim``, or ``alpine:<version>`` for ``golang:*-alpine``),
for a static build. A build that may use cgo lands on the OS image with the
shared libraries it links resolved from the build
(:mod:`migrator.libraries.record`), and so does a file whose start command
or later RUN needs a shell (distroless and scratch have none).

The change is **safe** (applied by default) when the tool can show it is:

- the build is static: ``CGO_ENABLED=0``; ``-tags netgo,osusergo`` with a
  static ``-extldflags``; a golang Alpine image of Go 1.20 or later with no C
  compiler installed (Go 1.20 disables cgo without one: go.dev/doc/go1.20#cgo);
  or sources that show no ``import "C"`` in a file built on Linux
  (:func:`migrator.context.go.may_build`) and either a ``go.mod`` that
  requires no module or a ``vendor/`` the build uses that shows none either,
  where the transform adds ``CGO_ENABLED=0`` to the build (the standard
  library's net and os/user then use their pure-Go code, as documented at
  https://pkg.go.dev/net#hdr-Name_Resolution);
- CMD/ENTRYPOINT run only the built binary;
- the build context shows the Go sources (what the program reads), and
  every disk read's path resolves to a file or folder of the context that
  is copied (a read whose path has no constant folder, a computed folder the
  context lacks, the whole working directory or a ``.env`` file is an unsafe
  reason naming its file, line and call).

Otherwise the change is unsafe, and the reason names what failed. An unsafe
fix may change behaviour in the ways its reason names, never give a runtime
that surely fails: a RUN after the build, a HEALTHCHECK or the start command
that runs ``go`` or another program of the full golang image the runtime
lacks, a binary found only on the golang image's PATH, a named USER the
runtime image has no entry for are **refused** (:class:`_Refusal`), also with
``--unsafe``, and the split is left to ``split-stages``. Files it can't take
on (no ``-o``, several builds, a step after the build) are left to
``split-stages`` with a note.

Dependencies. A build with cgo on by default (a C compiler in the image) whose
``go.mod`` requires modules (:func:`_dependencies`):

- a module that ``go.mod``, ``go.sum`` or ``vendor/modules.txt`` names and
  ``go-cgo-modules.json`` lists (modules read from their sources by
  ``scripts/regen_go_cgo_modules.py``) keeps the cgo build (the OS image,
  the libraries resolved from the build);
- a ``vendor/`` the build uses (https://go.dev/ref/mod#vendoring) read in full
  with no ``import "C"``: static, safe;
- every required module replaced (``replace m => ./lib``) by a folder of the
  context whose sources are read: static, safe;
- otherwise ``CGO_ENABLED=0`` is added as a build-time guard: a package whose
  files all import "C" then has nothing to compile, so a dependency that needs
  cgo fails the build, not the container (https://pkg.go.dev/cmd/cgo: the
  special import "C" implies the "cgo" build constraint, so "if cgo is
  disabled, files that import "C" will not be built"). It stays unsafe: a module that compiles a stub
  without cgo (go-sqlite3's ``static_mock.go``) fails only at run time, and
  the data can't list every such module;
- a ``go.mod`` before Go 1.17 without ``go.sum`` does not list the indirect
  modules: cgo stays on.

References: https://docs.docker.com/build/building/multi-stage/,
https://github.com/GoogleContainerTools/distroless, https://pkg.go.dev/cmd/cgo.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field

from migrator.analysis.stage import (DEFAULT_PATH, Context, copy_destination, end_context, file_span, global_arg_defaults,
                               start_words, substitute)
from migrator.analysis.commands import Kind
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.options import GO_RUNTIMES, Options
from migrator.model.render import instruction, keyword, run, source_with_newline
from migrator.model.results import Applicability
from migrator.transform import Outcome

__all__ = ["GoRuntime", "GO_RUNTIMES", "go_runtime_offers"]


_FLAGS_WITH_VALUE = frozenset({"-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-p", "-C",
                               "-buildmode", "-compiler", "-gccgoflags", "-installsuffix", "-modfile",
                               "-overlay", "-pgo", "-pkgdir", "-toolexec"})
"""``go build`` flags that take a value (https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies)."""

_C_COMPILERS = frozenset({"gcc", "clang", "build-base", "g++", "build-essential"})
"""Packages whose install puts a C compiler on PATH, so Go enables cgo by default."""

_BUILDER_ONLY_COMMANDS = frozenset({"go", "gofmt", "git", "apk", "apt-get", "apt", "useradd", "adduser",
                                    "addgroup", "groupadd", "rm", "true", "set", "cd", "export", ":"})
"""Commands of a RUN before the build that the runtime stage needs no replay of:
package installs (the runtime gets its own), Go and git steps, the users a
file makes (the runtime runs as a numeric UID), cleanups."""

_RECORD_FOLDER = "/tmp/go-runtime"
"""Where the builder writes the list of packages a cgo binary's libraries
belong to (:func:`migrator.libraries.list_path`), copied to the same path in
the runtime stage."""

_SHELL_CHARS = re.compile(r"[$;&|<>`*?()'\"\\]")


def _facts() -> dict:
    from migrator.context.go import go_facts

    return go_facts()


class GoRuntime:
    """Move a built Go program onto distroless, scratch or its OS image."""

    id = "go-runtime"
    safety = "mixed"   # safe when the build is provably static and only the binary runs
    title = "Run the Go binary on a minimal runtime image"
    rationale = ("a static Go binary needs no toolchain, sources or shell at run time: the image shrinks from "
                 "hundreds of MB to the binary and its CA certificates")

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the builder/runtime split of a Go build (see the module docstring).

        Returns an empty :class:`Outcome` for a file that is not a single
        ``golang`` stage with a ``go build``; a note when the transform
        leaves the file to ``split-stages``; else one :class:`Fix`, safe or
        unsafe with the reasons.
        """
        plan = _plan(df, options)
        if plan is None:
            return Outcome()
        if isinstance(plan, _Refusal):
            return Outcome.refuse(str(plan))
        if isinstance(plan, str):
            return Outcome(notes=[f"go-runtime: {plan}"])
        return Outcome(fixes=[plan.fix()])


def go_runtime_offers(df: Dockerfile, options: Options) -> bool:
    """Whether ``go-runtime`` runs in this run (``options.select``/``ignore``)
    and offers a runtime stage for ``df``: ``split-stages`` then offers no
    second, unsafe split of the same file. Never raises for a parsed file."""
    from migrator.engine import transforms_for

    try:
        if not any(t.id == GoRuntime.id for t in transforms_for(options)):
            return False
    except ValueError:
        return False
    try:
        plan = _plan(df, options)
        # the fix must be writable too: a runtime stage go-runtime fails to write is not on offer
        return isinstance(plan, _Plan) and plan.fix() is not None
    except Exception:  # noqa: BLE001 - a crash here must not stop split-stages
        return False


# ---------------------------------------------------------------------------
# Reading the build


class _Refusal(str):
    """A reason the runtime stage would surely fail (a program it runs is
    missing, a user it names does not exist): the transform refuses, even
    with ``--unsafe``, since an unsafe fix may change behaviour in the ways
    its reason names but never emits an image that can't build or run."""


@dataclass
class _GoBuild:
    ins: Instruction
    ctx: Context
    op: object
    binary: str
    tags: list[str]
    ldflags: str


def _go_build(reading) -> _GoBuild | str | None:
    """The one ``go build -o`` of the stage, at the build boundary; None
    when the stage runs no ``go build``; a reason string when there is one
    the transform can't take on."""
    builds = []
    for ins, ctx in reading.steps:
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            argv = op.command.argv or []
            if op.command.name == "go" and len(argv) > 1 and argv[1] == "build":
                builds.append((ins, ctx, info, op))
    if not builds:
        return None
    if len(builds) > 1:
        return f"{len(builds)} `go build` steps (lines {', '.join(str(b[0].start_line) for b in builds)})"
    ins, ctx, info, op = builds[0]
    later = [(i, o) for i, _c in reading.steps if i.index > ins.index and i.index in reading.infos
             for o in reading.infos[i.index].all_ops if o.kind in (Kind.BUILD, Kind.SYSTEM_BUILD)]
    if reading.boundary is None or any(o.command.name != "go" or o.kind is Kind.SYSTEM_BUILD for _i, o in later):
        # (a later RUN of another `go` command stays after the build: the runtime stage lacks go, an unsafe reason)
        return (f"line {reading.boundary.start_line if reading.boundary else '?'} builds after the `go build` "
                f"of line {ins.start_line}")
    after = info.all_ops[info.all_ops.index(op) + 1:]
    if after:
        return f"line {ins.start_line} runs `{after[0].command.name}` after `go build`"
    argv = op.command.argv
    output = None
    tags: list[str] = []
    ldflags = ""
    i = 2
    while i < len(argv):
        word = argv[i]
        name, eq, value = word.partition("=")
        if name in _FLAGS_WITH_VALUE or name.lstrip("-") in {f.lstrip("-") for f in _FLAGS_WITH_VALUE} \
                and name.startswith("--"):
            name = "-" + name.lstrip("-")
            if not eq:
                i += 1
                value = argv[i] if i < len(argv) else ""
            if name == "-o":
                output = value
            elif name == "-tags":
                tags.extend(t for t in re.split(r"[ ,]", value) if t)
            elif name == "-ldflags":
                ldflags += " " + value
        i += 1
    if not output:
        return f"line {ins.start_line}: `go build` without -o names its binary after the module or folder"
    cwd = op.command.cwd
    if output.endswith("/") or "$" in output or (cwd is None and not output.startswith("/")):
        return f"line {ins.start_line}: the tool can't tell the path of the binary `go build -o {output}` writes"
    binary = posixpath.normpath(posixpath.join(cwd or "/", output))
    return _GoBuild(ins, ctx, op, binary, tags, ldflags)


@dataclass
class _Static:
    """How the build links: ``static`` True/False, ``why`` a phrase, and
    ``add_cgo_off``: the transform adds ``CGO_ENABLED=0`` to the build."""

    static: bool
    why: str
    add_cgo_off: bool = False
    risk: str | None = None       # an unsafe reason that remains with the static build


def _linking(build: _GoBuild, base, reading, sources, context=None) -> _Static:
    """Whether the build gives a static binary, and why (see the module docstring)."""
    line = build.ins.start_line
    own = [a.split("=", 1)[1].strip("'\"") for a in build.op.command.assignments if a.startswith("CGO_ENABLED=")]
    cgo = own[-1] if own else build.ctx.env.get("CGO_ENABLED")
    where = f"on line {line}" if own else "set by ENV"
    if cgo == "0":
        return _Static(True, f"CGO_ENABLED=0 {where}")
    if {"netgo", "osusergo"} <= set(build.tags) and "-static" in build.ldflags:
        return _Static(True, f"-tags netgo,osusergo and a static -extldflags on line {line}")
    if cgo is not None:
        return _Static(False, f"CGO_ENABLED={cgo} {where}: the binary links the C library")
    installed = {p.split("=")[0] for info in reading.infos.values() for op in info.all_ops
                 if op.kind is Kind.SYSTEM_INSTALL and op.command.start is not None for p in op.packages}
    compiler = installed & _C_COMPILERS
    if base.family == "alpine" and not compiler:
        version = _tag_go_version(base.tag)
        if version and version >= (1, 20):
            return _Static(True, f"{base.ref} has no C compiler, and Go 1.20 and later then disable cgo")
        return _Static(False, f"{base.ref}: the tool can't tell whether this Go version builds with cgo "
                              "without a C compiler")
    has = f"{base.ref} has a C compiler" if not compiler else f"the file installs {', '.join(sorted(compiler))}"
    if sources is None:
        return _Static(False, f"{has}, so cgo is on, and there are no Go sources in the build context to show "
                              "that nothing uses it")
    if not sources.complete:
        return _Static(False, f"{has}, so cgo is on, and the Go sources are beyond the read limits")
    if sources.cgo:
        return _Static(False, f"{sources.cgo[0]} imports \"C\"")
    if sources.go_mod_requires:
        return _dependencies(build, has, sources, context)
    if not sources.has_go_mod:
        return _Static(False, f"{has}, so cgo is on, and the context has no go.mod to show the dependencies")
    return _Static(True, f"no Go source imports \"C\" and go.mod requires no module: the build gets "
                         f"CGO_ENABLED=0 {_cgo_off_where(build)}, which changes nothing but the standard library's "
                         "net and os/user, which then use their pure-Go code", add_cgo_off=True)


def _tag_go_version(tag: str | None) -> tuple[int, int] | None:
    """The Go (major, minor) a ``golang`` image tag names, or None when it
    names none or only a major version. docker-library/golang tags are
    ``<go version>[-<variant>]``: ``1.21.3-alpine3.18``, ``1.21-bookworm``,
    ``1.22rc2-alpine``, ``1-alpine``; a tag made of the variant alone
    (``alpine``, ``alpine3.11``, ``bookworm``, ``latest``) follows the newest
    Go of its time, so its version is unknown (``alpine3.11`` was built with
    Go 1.13-1.15: its digits are Alpine's, never Go's). Sources:
    https://github.com/docker-library/docs/blob/master/golang/README.md
    (supported tags) and docker-library/golang's generate-stackbrew-library.sh
    (version aliases, then the variant)."""
    word = (tag or "").lower().split("-")[0]
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?", word)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _dependencies(build: _GoBuild, has: str, sources, context) -> _Static:
    """How a build with cgo on by default links when ``go.mod`` requires
    modules (the module docstring's "Dependencies")."""
    from migrator.context.go import known_cgo_modules, read_modules

    line = build.ins.start_line
    first = sources.go_mod_requires[0]
    modules = read_modules(context, tags=tuple(build.tags)) if context is not None else None
    if modules is None:
        return _Static(False, f"{has}, so cgo is on, and go.mod requires modules whose sources the context does "
                              f"not show ({first}...); one may use cgo")
    words = build.op.command.argv or []
    flags = " ".join(words) + " " + (build.ctx.env.get("GOFLAGS") or "")
    vendored = modules.vendored and not re.search(r"-mod[= ](mod|readonly)\b", flags)
    known = known_cgo_modules(modules.required + modules.summed + (modules.vendor_modules if vendored else ()))
    if known:
        module, entry = known[0]
        where = "go.mod" if module in modules.required else "go.sum" if module in modules.summed else \
            "vendor/modules.txt"
        return _Static(False, f"{has}, so cgo is on, and {where} names {module}, which needs cgo (without it: "
                              f"{entry['without_cgo']}; go-cgo-modules.json)")
    off = f"the build gets CGO_ENABLED=0 {_cgo_off_where(build)}"
    stdlib = "; the standard library's net and os/user then use their pure-Go code"
    if vendored:
        if not modules.vendor_complete:
            return _Static(False, f"{has}, so cgo is on, and the vendored sources are beyond the read limits")
        if modules.vendor_cgo:
            package, variant = modules.vendor_cgo[0]
            return _Static(False, f"vendor/{package} imports \"C\"" + (
                " (its no-cgo variant may be a stub that fails at run time)" if variant else ""))
        return _Static(True, f"no Go source imports \"C\", the vendored modules the build uses included "
                             f"(vendor/modules.txt): {off}, which changes nothing{stdlib}", add_cgo_off=True)
    unseen = [m for m in dict.fromkeys(modules.required + modules.summed) if m not in modules.local]
    if not unseen and modules.required:
        return _Static(True, f"no Go source imports \"C\", the modules go.mod replaces with folders of the context "
                             f"included: {off}, which changes nothing{stdlib}", add_cgo_off=True)
    first = unseen[0] if unseen else first
    if not modules.listed_all:
        return _Static(False, f"{has}, so cgo is on, and go.mod requires modules whose sources the context does "
                              f"not show ({first}...), and without go.sum a go.mod before Go 1.17 does not list "
                              "the modules they require; one may use cgo")
    count = len(unseen)
    return _Static(True, f"no Go source imports \"C\" and none of the {count} modules of go.mod/go.sum is one "
                         f"go-cgo-modules.json knows to need cgo: {off}, so a dependency that needs cgo fails the "
                         f"build instead of the runtime{stdlib}", add_cgo_off=True,
                   risk=f"go.mod requires modules whose sources the context does not show ({first}...): one that "
                        "compiles a stand-in without cgo and is not in go-cgo-modules.json would fail at run time, "
                        "not at build time")


# ---------------------------------------------------------------------------
# The plan


@dataclass
class _Plan:
    df: Dockerfile
    options: Options
    build: _GoBuild
    base: object
    image: str
    choice: str
    linking: _Static
    shell_runtime: bool
    unsafe: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replay: list[Instruction] = field(default_factory=list)
    runtime_paths: list[str] = field(default_factory=list)
    replayed_copies: list[Instruction] = field(default_factory=list)
    add_user: bool = True
    copy_files: list[str] = field(default_factory=list)
    builder_installs: list[str] = field(default_factory=list)
    install_runs: list[Instruction] = field(default_factory=list)
    archived: str | None = None     # the golang image's archived Debian release: no package installs
    writable: "_Writable" = field(default_factory=lambda: _Writable())

    def fix(self) -> Fix:
        df = self.df
        nl = df.newline
        stage = df.stages[0]
        runtime_name = stage.name or "runtime"     # --target and CI scripts still get the final image
        builder = "builder" if runtime_name.lower() != "builder" else "build"
        edits = [_name_builder(df, stage.from_instruction, builder)]
        at = self.build.ins.end
        lead = "" if df.text[:at].endswith("\n") else nl
        parts: list[str] = []
        if self.linking.add_cgo_off:
            edits.append(_cgo_off_edit(df, self.build))
        family = self.base.family
        record = None
        if not self.linking.static:
            from migrator.libraries import always_present, list_path, record_lines

            record = list_path(_RECORD_FOLDER)
            lines = record_lines("alpine" if family == "alpine" else "debian", [self.build.binary], record,
                                 always_present(family))
            esc = df.escape
            text = (f"# go-runtime: the packages owning the shared libraries {self.build.binary} links "
                    f"(the runtime stage installs them){nl}" + keyword(df, "RUN")
                    + f" mkdir -p {_RECORD_FOLDER} {esc}{nl}    && " + lines[0])
            for more in lines[1:]:
                text += f" {esc}{nl}    {more}"
            parts.append(text + nl)
        if self.builder_installs:
            template = _facts()["builder_installs"]["alpine" if family == "alpine" else "debian"]
            parts.append(f"# go-runtime: the runtime stage copies the files of {', '.join(self.builder_installs)}"
                         f" from here{nl}")
            parts.append(instruction(df, "RUN", template.format(packages=" ".join(self.builder_installs))))
        staging = None
        if self.archived:
            archived = _facts()["archived_debian"]
            staging = archived["staging"]
            parts.append(f"# go-runtime: Debian {self.archived} is archived (its apt-get update fails): the runtime "
                         f"stage copies these files of the golang image from here{nl}")
            # each file only where the image has it; the folders made 755 as Debian's are, since the COPY to /
            # gives /etc and /usr the mode of the copied folders
            parts.append(run(df, [("", f"mkdir -p {staging}"),
                                  ("&&", f"for path in {' '.join(archived['files'])}; do if [ -e \"$path\" ]; "
                                         f"then mkdir -p \"{staging}${{path%/*}}\" && cp -a \"$path\" "
                                         f"\"{staging}$path\"; fi; done"),
                                  ("&&", f"find {staging} -type d -exec chmod 755 {{}} +")]))
        user = _facts()["runtimes"][self.choice]["user"]
        rw = _facts()["writable"]["staging"]
        if self.writable.staged:
            parts.append(f"# go-runtime: the folders the program writes, made here for the runtime stage to copy "
                         f"owned by its user ({self.choice} has no shell to make them){nl}")
            parts.append(instruction(df, "RUN", "mkdir -p " + " ".join(rw + p for p in self.writable.staged)))
        parts.append(nl + instruction(df, "FROM", f"{self.image} {keyword(df, 'AS')} {runtime_name}"))
        for path in self.writable.staged:
            # before the WORKDIR: COPY then creates the folder, owned by the user
            parts.append(instruction(df, "COPY", f"--from={builder} --chown={user} {rw}{path} {path}"))
        for ins in self.replay:
            parts.append(source_with_newline(df, ins))
        if staging:
            parts.append(instruction(df, "COPY", f"--from={builder} {staging}/ /"))
            if record:
                from migrator.libraries import install_parts

                parts.append(instruction(df, "COPY", f"--from={builder} {record} {record}"))
                parts.append(run(df, install_parts("debian", record)))
            for ins in self.install_runs:
                parts.append(source_with_newline(df, ins))
        elif self.choice == "debian-slim":
            packages = list(self.base.runtime_packages)
            if family == "alpine":
                steps = [("", "apk add --no-cache " + " ".join(packages))]
                if record:
                    steps.append(("&&", f"xargs -r apk add --no-cache < {record}"))
                    steps.append(("&&", f"rm -f {record}"))
            else:
                steps = [("", "apt-get update"),
                         ("&&", "apt-get install -y --no-install-recommends " + " ".join(packages))]
                if record:
                    steps.append(("&&", "DEBIAN_FRONTEND=noninteractive xargs -r apt-get install -y "
                                        f"--no-install-recommends < {record}"))
                steps.append(("&&", "rm -rf /var/lib/apt/lists/*"))
                if record:
                    # the list stays reviewable in the builder (--target builder), not in the image
                    steps.append(("&&", f"rm -f {record}"))
            if record:
                parts.append(instruction(df, "COPY", f"--from={builder} {record} {record}"))
            parts.append(run(df, steps))
            # the package installs of the original whose programs the runtime runs (build-deps then
            # drops the build-only ones): after the recorded list, which nothing of them may need
            for ins in self.install_runs:
                parts.append(source_with_newline(df, ins))
        for path in self.copy_files:
            parts.append(instruction(df, "COPY", f"--from={builder} {path} {path}"))
        parts.append(instruction(df, "COPY", f"--from={builder} {self.build.binary} {self.build.binary}"))
        for ins in self.replayed_copies:
            parts.append(source_with_newline(df, ins))
        for path in self.runtime_paths:
            chown = f" --chown={user}" if path in self.writable.chowned else ""
            parts.append(instruction(df, "COPY", f"--from={builder}{chown} {path} {path}"))
        if self.add_user and user:
            parts.append(instruction(df, "USER", user))
        edits.append(Edit.insert(at, lead + "".join(parts)))
        return Fix(self.reason(), tuple(edits), Applicability.UNSAFE if self.unsafe else Applicability.SAFE)

    def reason(self) -> str:
        kind = "static" if self.linking.static else "dynamically linked"
        text = (f"runtime stage on {self.image} with only the {kind} binary {self.build.binary} "
                f"({self.linking.why})")
        extra = []
        read = [p for p in self.runtime_paths if p not in self.writable.chowned]
        if read or self.replayed_copies:
            named = read + [f"line {i.start_line}'s COPY" for i in self.replayed_copies]
            extra.append(f"the files it reads at run time ({', '.join(named)})")
        written = list(self.writable.staged) + sorted(self.writable.chowned)
        if written:
            extra.append(f"the folders it writes, owned by {_facts()['runtimes'][self.choice]['user']} "
                         f"({', '.join(written)}: {'; '.join(self.writable.sites[:3])}"
                         + (f" and {len(self.writable.sites) - 3} more" if len(self.writable.sites) > 3 else "")
                         + ")")
        if self.copy_files:
            extra.append("CA certificates and zoneinfo from the builder")
        if extra:
            text += " plus " + " and ".join(extra)
        text += ": the Go toolchain, the sources and the golang image's tools stay in the builder"
        if self.choice in ("distroless", "scratch") and self.add_user:
            text += f"; runs as {_facts()['runtimes'][self.choice]['user']} (no useradd on {self.choice})"
        if not self.linking.static:
            text += "; the libraries it links are resolved from the build"
        text += "".join(f"; {n}" for n in self.notes)
        if self.unsafe:
            text += "; unsafe: " + "; ".join(self.unsafe)
        return text


def _plan(df: Dockerfile, options: Options) -> _Plan | str | None:
    """The runtime stage for ``df``, a reason string when the transform
    leaves the file to split-stages, or None when it is no Go build."""
    from migrator.context.go import read_go_sources
    from migrator.analysis.gain import read_stage
    from migrator.analysis.packages import describe_base_image

    if len(df.stages) != 1:
        return None
    stage = df.stages[0]
    ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
    base = describe_base_image(ref, tuple(options.images))
    if base.language != "go" or base.name != "golang":
        return None
    reading = read_stage(df, stage)
    build = _go_build(reading)
    if build is None:
        return None
    if isinstance(build, str):
        return f"left to split-stages: {build}"
    if not base.slim_ref:
        return f"left to split-stages: no facts for the OS image {ref} is built on"
    for info in reading.infos.values():
        if info.problem:
            return f"left to split-stages: {info.problem}"
    facts = _facts()
    choice = getattr(options, "go_runtime", None) or facts["default"]
    sources = None
    unsafe: list[str] = []
    fatal: list[str] = []     # what surely fails in the runtime stage: a refusal, never a fix
    notes: list[str] = []
    context = options.context
    if context is not None:
        sources = read_go_sources(context, env=_run_env(df, stage))
    linking = _linking(build, base, reading, sources, context)
    if linking.risk:
        unsafe.append(linking.risk)
    if not linking.static:
        unsafe.append(f"the build may use cgo, so the binary needs the C library and the libraries it links, "
                      f"and the runtime lands on {base.slim_ref}; a library the resolution misses (one loaded with "
                      "dlopen) would be missing")
        mismatch, guess = _release_check(base)
        if mismatch:
            fatal.append(mismatch)
        if guess:
            unsafe.append(guess)
    # What the image starts
    steps = reading.steps
    boundary = build.ins
    end = end_context(df, stage)
    start = [(ins, ctx) for ins, ctx in steps if ins.keyword in ("CMD", "ENTRYPOINT")]
    if not start:
        return "left to split-stages: no CMD or ENTRYPOINT: the image is not run as it is"
    needs_shell = False
    entry = [(i, c) for i, c in start if i.keyword == "ENTRYPOINT"]
    first = entry[-1] if entry else start[-1]
    ins, ctx = first
    program = _start_program(ins, ctx)
    # Programs the runtime runs besides the binary: the start command's, a HEALTHCHECK's, a later RUN's
    runtime_words: dict[str, str] = {}
    if program is None:
        unsafe.append(f"line {ins.start_line}: {ins.keyword} is not only the built binary and its arguments")
        needs_shell = True     # a shell script (`/bin/sh -c`): only the OS image has a shell
        for word in start_words(ins):
            runtime_words.setdefault(word, f"line {ins.start_line}: {ins.keyword} runs {word}")
    else:
        word, shell = program
        needs_shell |= shell
        if not _is_binary(word, build.binary, end):
            unsafe.append(f"line {ins.start_line}: {ins.keyword} runs {word}, not the built binary "
                          f"{build.binary}")
            needs_shell = True     # a program or script of its own: only the OS image may have it
            for w in start_words(ins):
                runtime_words.setdefault(w, f"line {ins.start_line}: {ins.keyword} runs {w}")
            if word == posixpath.basename(build.binary) and "PATH" not in end.env:
                fatal.append(f"line {ins.start_line}: {ins.keyword} runs {word}, found on the golang image's PATH "
                             f"({posixpath.dirname(build.binary)}), which no runtime image has")
    for i, c in start:
        if i is not ins and i.keyword == "CMD" and not i.json and entry:
            needs_shell = True    # a shell-form CMD after an ENTRYPOINT is passed as `/bin/sh -c ...`
    health = [i for i, _c in steps if i.keyword == "HEALTHCHECK" and i.args and i.args[0].upper() != "NONE"]
    later_runs = [ins for ins, _c in steps if ins.index > boundary.index and ins.keyword == "RUN"]
    for h in health:
        words = list(h.args[1:]) if h.args[0].upper() == "CMD" else list(h.args)   # BuildKit: CMD, then the command
        if h.json and words and _is_binary(words[0], build.binary, end):
            continue
        needs_shell = True     # a probe with a program of its own: the OS image, which can install it
        for word in start_words(h):
            runtime_words.setdefault(word, f"line {h.start_line}: HEALTHCHECK runs {word}")
    for ins in later_runs:
        needs_shell = True
        info = reading.infos.get(ins.index)
        for op in info.all_ops if info else ():
            runtime_words.setdefault(op.command.name, f"line {ins.start_line} runs {op.command.name}")
    # Package installs before the build whose programs the runtime runs: replayed on the OS image
    # (build-deps then drops what is build-only), like split-stages does
    install_runs: list[Instruction] = []
    for ins, _ctx in steps:
        info = reading.infos.get(ins.index)
        if ins.index >= boundary.index or info is None or not info.all_ops:
            continue
        if all(op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_META, Kind.SYSTEM_REMOVE) for op in info.all_ops) and any(
                p in runtime_words for op in info.all_ops if op.kind is Kind.SYSTEM_INSTALL for p in op.packages):
            install_runs.append(ins)
    replayed_packages = {p for ins in install_runs for op in reading.infos[ins.index].all_ops for p in op.packages}
    from migrator.libraries import full_only_programs

    tools = set(facts["golang_tools"]) | set(full_only_programs(base))
    # packages installed before the build stay in the builder unless replayed; a RUN after the build stays
    # in the runtime stage, so what it installs is there
    installed = {p for index, info in reading.infos.items() if index < boundary.index for op in info.all_ops
                 if op.kind is Kind.SYSTEM_INSTALL for p in op.packages}
    later_installed = {p for index, info in reading.infos.items() if index > boundary.index
                       for op in info.all_ops if op.kind is Kind.SYSTEM_INSTALL for p in op.packages}
    tools = (tools | installed) - replayed_packages - later_installed
    for word, where in runtime_words.items():
        if word in tools:
            fatal.append(f"{where}, a tool of the golang image the runtime lacks")
    # What the builder did before that the runtime would not replay
    replay: list[Instruction] = []
    replayed_copies: list[Instruction] = []
    source_root = None
    for ins, ctx in steps:
        if ins.index >= boundary.index or ins.keyword == "FROM":
            continue
        if ins.keyword == "RUN":
            info = reading.infos.get(ins.index)
            for op in info.all_ops if info else ():
                if op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_META, Kind.SYSTEM_REMOVE, Kind.BUILD):
                    continue
                if op.command.name not in _BUILDER_ONLY_COMMANDS and not _leaves_nothing(op, end, build.binary):
                    unsafe.append(f"line {ins.start_line} runs `{op.command.name}` before the build, which the "
                                  "runtime stage does not replay")
                    break
        elif ins.keyword in ("COPY", "ADD"):
            dest = copy_destination(ins, ctx)
            srcs = [a for a in ins.args[:-1]]
            if ins.flag("from") is None and dest is not None and any(s in (".", "./") for s in srcs):
                source_root = dest
            if dest is not None and _under(dest, build.op.command.cwd or "/") or ins.flag("from") is not None \
                    and dest is not None and _under(dest, build.op.command.cwd or "/"):
                continue     # sources and manifests of the build
            replayed_copies.append(ins)
        elif ins.keyword == "USER":
            continue
        elif ins.keyword in ("ONBUILD",):
            return f"left to split-stages: line {ins.start_line}: ONBUILD"
        else:
            replay.append(ins)
    if source_root is not None and context is not None and _under(build.binary, source_root) \
            and build.binary != source_root and context.is_dir(posixpath.relpath(build.binary, source_root)):
        return (f"left to split-stages: `go build -o {build.binary}` names a folder of the build context, so the "
                "binary is written inside it under a name the tool can't tell")
    # The final USER
    users = [(ins, ctx) for ins, ctx in steps if ins.keyword == "USER" and ins.index > boundary.index]
    add_user = not users
    volumes = [ins for ins, _c in steps if ins.keyword == "VOLUME"]
    # Runtime image
    if needs_shell and choice != "debian-slim":
        notes.append(f"on {base.slim_ref}, not {choice}: "
                     + ("the start command or a RUN after the build needs a shell, which " if linking.static else
                        "a cgo build needs the C library, which ")
                     + f"{choice} lacks")
        choice = "debian-slim"
    if not linking.static:
        choice = "debian-slim"
    if users:
        ins, ctx = users[-1]
        who = substitute(ins.args[0], ctx.env) or ins.args[0]
        made = any(op.command.name in ("useradd", "adduser") for i in later_runs if i.index < ins.index
                   and i.index in reading.infos for op in reading.infos[i.index].all_ops)
        known = facts["runtimes"][choice].get("users", ())
        if not re.fullmatch(r"\d+(:\d+)?", who or "") and not made:
            name = (who or "").split(":")[0]
            if "$" in (who or ""):
                unsafe.append(f"line {ins.start_line}: USER {who} names a user the runtime image may not have")
            elif name not in known:
                fatal.append(f"line {ins.start_line}: USER {who} names a user {facts['runtimes'][choice]['image'] or base.slim_ref} has no entry "
                             "for (a user made before the build stays in the builder), so the container would not "
                             "start")
    if volumes and choice != "debian-slim":
        unsafe.append(f"line {volumes[0].start_line}: VOLUME {' '.join(volumes[0].args)} would belong to root, and "
                      f"{choice} has no shell to give it to the user")
    image = facts["runtimes"][choice]["image"] or base.slim_ref
    # What it reads at run time
    runtime_paths: list[str] = []
    if context is None:
        unsafe.append("no build context to show which files the program reads at run time")
    elif sources is None:
        unsafe.append("no Go sources in the build context to show which files the program reads at run time")
    else:
        if not sources.complete:
            unsafe.append("the Go sources are beyond the read limits: the tool can't show which files the program "
                          "reads at run time")
        wanted = _runtime_paths(sources, context, first, start, end.workdir or "/", source_root, facts, unsafe)
        if wanted and source_root is None:
            unsafe.append(f"the program reads {', '.join(wanted)}, and no `COPY . DIR` shows where the context "
                          "lands in the image")
        elif source_root is not None:
            runtime_paths = [posixpath.join(source_root, p) for p in wanted]
    # Certificates and zoneinfo on scratch
    copy_files: list[str] = []
    builder_installs: list[str] = []
    archived = _archived_release(base, choice)
    if archived:
        notes.append(f"Debian {archived} is archived, so its apt-get update fails: the runtime stage copies "
                     f"{', '.join(facts['archived_debian']['files'])} from the builder (those the golang image has) "
                     "instead of installing " + ("tzdata in the builder" if choice == "scratch" else
                                                 " ".join(base.runtime_packages)))
        if not linking.static:
            unsafe.append(f"the libraries the binary links beyond the C library are installed with apt-get update "
                          f"only when the builder's list is not empty: the build then fails, because {archived}'s "
                          "archive is not reachable")
    elif choice == "scratch":
        carried = set(facts["builder_carries"].get("alpine" if base.family == "alpine" else "debian", ()))
        for package in ("ca-certificates", "tzdata"):
            if package not in carried:
                builder_installs.append(package)
            copy_files.extend(facts["files"][package])
    replay = [i for i in replay if i.keyword != "HEALTHCHECK"]
    if fatal:
        return _Refusal("the runtime stage would fail (unsafe or not, the tool never writes it): " + "; ".join(fatal)
                        + " (the builder/runtime split is left to split-stages)")
    writable = _Writable()
    final_user = (substitute(users[-1][0].args[0], users[-1][1].env) or users[-1][0].args[0]) if users else None
    as_root = final_user is not None and final_user.split(":")[0] in ("root", "0")
    if sources is not None and context is not None and not as_root:
        if add_user and choice != "debian-slim":
            writable = _writable(sources, context, end.workdir or "/", source_root, runtime_paths, choice, facts,
                                 unsafe)
            runtime_paths = runtime_paths + [p for p in writable.added if p not in runtime_paths]
        else:
            # the OS image runs as the file's USER or non-root-user's, which owns the WORKDIR only
            workdir = end.workdir or "/"
            for where in sources.unresolved_writes:
                unsafe.append(f"{where} writes a path the tool can't resolve to a folder, so the runtime's non-root "
                              "user may not be allowed to write there")
            elsewhere: dict[str, list[str]] = {}
            for folder, where, _file in sources.write_sites:
                absolute = posixpath.normpath(posixpath.join(workdir, folder))
                if absolute != workdir and not _under(absolute, "/tmp"):
                    elsewhere.setdefault(absolute, []).append(where)
            for absolute, sites in elsewhere.items():
                more = f" and {len(sites) - 1} more" if len(sites) > 1 else ""
                unsafe.append(f"{sites[0]}{more} writes in {absolute}, which the runtime's non-root user may not own "
                              f"on {base.slim_ref}")
    return _Plan(df, options, build, base, image, choice, linking, needs_shell, unsafe, notes, replay,
                 runtime_paths, replayed_copies, add_user and choice != "debian-slim", copy_files, builder_installs,
                 install_runs if choice == "debian-slim" else [], archived, writable)


def _run_env(df: Dockerfile, stage) -> dict[str, str]:
    """The variables the program starts with as the stage's ``ENV`` sets
    them (ARG values are build-time only: not in the container's
    environment), their values as the end of the stage sees them."""
    from migrator.analysis.stage import _env_pairs

    end = end_context(df, stage).env
    names = {name for ins in stage.instructions if ins.keyword == "ENV" for name, _v in _env_pairs(ins)}
    return {name: end[name] for name in names if name in end}


@dataclass
class _Writable:
    """The runtime user's folders (distroless and scratch, USER 65532):
    ``staged``: absolute folders made in the builder and copied owned by the
    user before the WORKDIR; ``chowned``: runtime copies (absolute) given
    ``--chown``; ``added``: those among them copied only because the
    program writes there; ``sites``: the write calls, for the reason."""

    staged: list[str] = field(default_factory=list)
    chowned: set[str] = field(default_factory=set)
    added: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)


def _writable(sources, context, workdir: str, source_root: str | None, runtime_paths: list[str], choice: str,
              facts, unsafe: list[str]) -> _Writable:
    """Where the runtime user must be able to write, from the disk writes
    of the sources (:attr:`migrator.context.go.GoSources.write_sites`): a
    folder the runtime copies from the context gets ``--chown``; a folder of
    the context it does not copy is copied with it; any other folder (the
    WORKDIR for a relative name, an ``ENV`` folder, a constant path) is
    staged in the builder and copied owned by the user (``go-runtime.json``
    ``writable``). Appends to ``unsafe`` a reason for each write whose path
    has no constant folder, and for a write in ``/``."""
    out = _Writable()
    data = facts["writable"]
    skip = data["skip"] if choice == "distroless" else []
    user = facts["runtimes"][choice]["user"]
    for where in sources.unresolved_writes:
        unsafe.append(f"{where} writes a path the tool can't resolve to a folder, so the runtime user ({user}) may "
                      "not be allowed to write there (the original ran as root)")
    staged: set[str] = set()
    for folder, where, file in sources.write_sites:
        absolute = posixpath.normpath(posixpath.join(workdir, folder))
        if any(_under(absolute, s) for s in skip):
            continue
        if absolute == "/":
            unsafe.append(f"{where} writes in /, which only root may write")
            continue
        out.sites.append(where)
        paths = [absolute] + ([posixpath.normpath(posixpath.join(workdir, file))] if file else [])
        covering = [p for p in runtime_paths + out.added for q in paths if _under(q, p)]
        if covering:
            out.chowned.update(covering)
            continue
        rel = posixpath.relpath(absolute, source_root) if source_root and _under(absolute, source_root) \
            and absolute != source_root else None
        if rel and not rel.startswith("..") and context.is_dir(rel):
            out.added.append(absolute)
            out.chowned.add(absolute)
            continue
        staged.add(absolute)
    out.staged = [p for p in sorted(staged) if not any(p != q and _under(p, q) for q in staged)]
    out.sites = list(dict.fromkeys(out.sites))
    return out


def _archived_release(base, choice: str) -> str | None:
    """The Debian release of the golang image when it is archived
    (``debian_archived`` of ``base-images.json``: its ``apt-get update``
    fails) and the runtime would install packages there or in the builder
    (the OS image, or scratch's tzdata); None otherwise (distroless, Alpine,
    a floating tag on ``debian:stable-slim``, a release still served)."""
    from migrator.libraries import archived_release

    if base.family != "debian" or choice not in ("debian-slim", "scratch") or base.floating:
        return None
    return base.release if archived_release(base.release) else None


def _release_check(base) -> tuple[str | None, str | None]:
    """(a refusal, an unsafe reason) for a cgo binary's Debian runtime: the
    binary needs a C library at least as new as the one it was linked
    against (glibc symbol versions: a newer glibc keeps the old ones, an older
    one lacks the new: "GLIBC_2.34 not found"), so the runtime's Debian
    release must be the golang image's. A release the tag names
    (``golang:1.16-bullseye``) is the builder's; one taken from
    ``base-images.json`` ``default_release`` (``golang:1.16``: the release of
    the series' last images) may not be the image a builder pulled earlier.
    A floating tag's ``debian:stable-slim`` moves with it (the data's
    ``_floating_doc``). Alpine (musl) and static binaries are not checked."""
    if base.family != "debian":
        return None, None
    m = re.fullmatch(r"(?:(?:docker\.io/)?library/)?debian:([a-z]+)(?:-[0-9]+)?-slim", base.slim_ref or "")
    runtime = m.group(1) if m else None
    if runtime == "stable" and base.floating:
        return None, None
    if runtime is None or base.release is None:
        return (None, f"the tool can't tell the Debian release of {base.slim_ref} or of {base.ref}, so the runtime "
                      "may carry an older C library than the binary was linked against")
    if runtime != base.release:
        return (f"{base.ref} is Debian {base.release} and the runtime {base.slim_ref} is Debian {runtime}: a cgo "
                "binary on another release's C library fails to start (an older glibc lacks the symbol versions it "
                "was linked against) or links other library versions"), None
    if base.release_from_default:
        return None, (f"{base.ref} names no Debian release: {base.release} (the runtime's) is the release the "
                      f"tag's last images are built on (base-images.json default_release); an older pull of the "
                      f"tag may be another release, whose newer C library the runtime would lack; pin the builder to "
                      f"the release it is on (e.g. {base.ref.split('@')[0]}-{base.release})")
    return None, None


def _runtime_paths(sources, context, first, start, workdir: str, source_root: str | None, facts,
                   unsafe: list[str]) -> list[str]:
    """Context paths (relative, sorted) the program reads from disk at run
    time: disk reads of the sources, conventional folders not embedded, and
    files the start command names.

    Appends to ``unsafe`` a reason for each disk read the copy can't be
    shown to cover (naming its file, line and call): a path with no
    constant folder (:attr:`migrator.context.go.GoSources.unresolved`), a
    computed path whose constant folder the context does not have, the
    whole working directory, or a ``.env`` file (given at run time: the
    runtime stage does not copy secrets)."""
    wanted: set[str] = set()

    def add(path: str, cwd_relative: bool) -> str:
        """"copied", "cwd" (the whole working directory) or "absent"."""
        from migrator.context.go import _fixed_prefix

        fixed = _fixed_prefix(path.lstrip("/") if not cwd_relative else path)
        if fixed in (".", ""):
            return "cwd"
        if cwd_relative and not path.startswith("/"):
            absolute = posixpath.normpath(posixpath.join(workdir, fixed))
        else:
            absolute = posixpath.normpath("/" + fixed) if not path.startswith("/") else posixpath.normpath(path)
            absolute = posixpath.normpath(posixpath.join("/", _fixed_prefix(absolute.lstrip("/"))))
        if source_root is None:
            rel = fixed if not path.startswith("/") else None
        elif _under(absolute, source_root) and absolute != source_root:
            rel = posixpath.relpath(absolute, source_root)
        else:
            rel = None
        if rel and (context.is_dir(rel) or context.is_file(rel)):
            wanted.add(rel)
            return "copied"
        return "absent"

    for where in sources.unresolved:
        unsafe.append(f"{where} reads a path the tool can't resolve to a folder of the build context, so the "
                      "runtime stage may lack the file")
    if sources.unresolved:
        unsafe.append("in doubt, the runtime stage gets every top-level folder of the context holding files other "
                      "than Go sources")
        skipped = {"vendor", "testdata", "node_modules"}
        for name in context.list_dir("."):
            if context.is_dir(name) and not name.startswith((".", "_")) and name not in skipped \
                    and not sources.embedded(name) and _has_data_files(context, name):
                wanted.add(name)
    for path, where in sources.read_sites:
        base = posixpath.basename(path.rstrip("/"))
        if base == ".env" or base.startswith(".env."):
            if context.is_file(posixpath.normpath(path)):
                unsafe.append(f"{where} reads {path}, a secrets file the runtime stage does not copy (give it at "
                              "run time)")
            continue
        got = add(path, True)
        if got == "cwd":
            unsafe.append(f"{where} reads the whole working directory, which the runtime stage does not copy")
        elif got == "absent" and path.endswith("/"):
            unsafe.append(f"{where} reads a file under {path}, a folder the build context does not have (made at "
                          "run time or mounted?), so the tool can't show the runtime stage has it")
    for name in facts["runtime_folders"]:
        if context.is_dir(name) and not sources.embedded(name) and _has_data_files(context, name):
            wanted.add(name)
    # a string literal naming a file or folder of the context may reach code the tool does not read (a
    # dependency's struct field, TmplsDir: "./ui/html/pages/"): copied, unless embedded or left out of the context
    ignore = None
    for value, _where in sources.path_literals:
        rel = _context_path(value, workdir, source_root)
        if rel is None or rel in wanted or not _may_be_data(rel, context, sources):
            continue
        if ignore is None:
            from transforms.dockerignore import parse_ignore

            ignore = parse_ignore(context.read_text(".dockerignore") or "")
        from transforms.dockerignore import excluded

        if not excluded(ignore, rel):
            wanted.add(rel)
    for ins, ctx in start:
        words = list(ins.args) if ins.json else (ins.args[0].split() if ins.args else [])
        for word in words[1:] if ins is first else words:
            if word.startswith("-") and "=" in word:
                word = word.split("=", 1)[1]
            if word and not word.startswith("-") and "/" in word or "." in word and not word.startswith("-"):
                add(word, True)
    # a folder already wanted covers the paths inside it
    out = sorted(wanted)
    return [p for p in out if not any(p != q and p.startswith(q + "/") for q in out)]


def _context_path(path: str, workdir: str, source_root: str | None) -> str | None:
    """The context path (relative) a path the program names at run time
    stands for: relative to the WORKDIR, the context landing at
    ``source_root``; None outside it."""
    if source_root is None:
        return None
    absolute = posixpath.normpath(posixpath.join(workdir, path))
    if not _under(absolute, source_root) or absolute == source_root:
        return None
    rel = posixpath.relpath(absolute, source_root)
    return None if rel.startswith("..") else rel


def _may_be_data(rel: str, context, sources) -> bool:
    """Whether the context path ``rel`` is a file or folder the program
    may read at run time: it exists, holds files other than Go sources, is
    not hidden, a Go build file, a Dockerfile, ``vendor``/``node_modules``/
    ``testdata`` or compiled in by ``//go:embed``."""
    parts = rel.split("/")
    base = parts[-1]
    if any(p.startswith(".") for p in parts) or parts[0] in ("vendor", "node_modules", "testdata"):
        return False
    if base.endswith(".go") or base in ("go.mod", "go.sum", "go.work") or base.lower().startswith(
            ("dockerfile", "containerfile")):
        return False
    if sources.embedded(rel):
        return False
    if context.is_file(rel):
        return True
    return context.is_dir(rel) and _has_data_files(context, rel)


def _has_data_files(context, folder: str, budget: int = 200) -> bool:
    """Whether ``folder`` of the context holds a file that is not a Go source."""
    stack = [folder]
    while stack and budget > 0:
        current = stack.pop()
        for name in context.list_dir(current):
            budget -= 1
            rel = f"{current}/{name}"
            if context.is_dir(rel):
                stack.append(rel)
            elif not name.endswith(".go"):
                return True
    return False


def _leaves_nothing(op, end: Context, binary: str) -> bool:
    """Whether a command before the build leaves nothing the runtime stage
    lacks: ``echo``/``printf`` without a redirection (output to the build
    log), or ``mkdir`` of the final WORKDIR, the binary's folder or a folder
    above them (the runtime's WORKDIR and COPY make those, owned by root as
    mkdir makes them: https://docs.docker.com/reference/dockerfile/#workdir)."""
    command = op.command
    if command.name in ("echo", "printf"):
        return not command.redirects
    if command.name != "mkdir" or command.redirects:
        return False
    paths = [w for w in (command.argv or [])[1:] if not w.startswith("-")]
    if not paths or any(w.startswith("-") and w not in ("-p", "--parents") for w in (command.argv or [])[1:]):
        return False
    made = [end.workdir or "/", posixpath.dirname(binary)]
    cwd = command.cwd
    for path in paths:
        if "$" in path or cwd is None and not path.startswith("/"):
            return False
        full = posixpath.normpath(posixpath.join(cwd or "/", path))
        if not any(_under(m, full) for m in made):
            return False
    return True


def _start_program(ins: Instruction, ctx: Context) -> tuple[str, bool] | None:
    """(program word, needs a shell) of a CMD/ENTRYPOINT that runs one
    program with plain arguments; None for a shell script (``&&``, pipes,
    variables)."""
    if not ins.args:
        return None
    if ins.json:
        word = substitute(ins.args[0], ctx.env) if "$" in ins.args[0] else ins.args[0]
        return (word, False) if word else None
    text = ins.args[0].strip()
    if not text or _SHELL_CHARS.search(text):
        return None
    word = shlex.split(text)[0]
    if word == "exec":
        parts = shlex.split(text)
        if len(parts) < 2:
            return None
        word = parts[1]
    return word, True


def _is_binary(word: str, binary: str, end: Context) -> bool:
    """Whether a start command's program word runs ``binary``: its path
    (absolute, or relative to the final WORKDIR), or its name found on the
    default PATH, which distroless and the OS images set."""
    if "/" in word:
        return posixpath.normpath(posixpath.join(end.workdir or "/", word)) == binary
    return word == posixpath.basename(binary) and posixpath.dirname(binary) in DEFAULT_PATH.split(":")


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _name_builder(df: Dockerfile, ins: Instruction, name: str) -> Edit:
    """The FROM line named ``name`` (an existing ``AS x`` renamed)."""
    first_line_end = df.text.find("\n", ins.start, ins.end)
    first_line_end = ins.end if first_line_end == -1 else first_line_end
    text = df.text[ins.start:first_line_end]
    m = re.search(r"(\s+)(as)(\s+)(\S+)", text, re.IGNORECASE)
    if m:
        return Edit(ins.start + m.start(4), ins.start + m.end(4), name)
    content = text.rstrip("\r").rstrip(" \t")
    return Edit.insert(ins.start + len(content), f" {keyword(df, 'AS')} {name}")


def _cgo_off_where(build: _GoBuild) -> str:
    """Where :func:`_cgo_off_edit` puts ``CGO_ENABLED=0``, for reasons."""
    line = build.ins.start_line
    return f"from an ENV before line {line} (an exec-form RUN)" if build.ins.json else f"on line {line}"


def _cgo_off_edit(df: Dockerfile, build: _GoBuild) -> Edit:
    """``CGO_ENABLED=0 `` inserted before the ``go build`` command of a
    shell-form RUN; for an exec-form RUN (``RUN ["go", "build", ...]``, no
    shell to read an assignment: https://docs.docker.com/reference/dockerfile/#run)
    or a command whose words the file text does not show, an ``ENV
    CGO_ENABLED=0`` line before the RUN (the builder's last build step, so
    nothing else of it sees the variable; the runtime stage starts from a
    new FROM). Never raises."""
    from migrator.analysis.stage import read_run

    fallback = Edit.insert(build.ins.start, instruction(df, "ENV", "CGO_ENABLED=0"))
    if build.ins.json:
        return fallback
    info = read_run(df, build.ins, build.ctx)
    op = next((o for o in info.all_ops if o.command.start == build.op.command.start), None)
    words = op.command.words if op is not None else None
    span = file_span(info, words[0].start, words[0].end) if words else None
    if span is None:
        return fallback
    return Edit.insert(span[0], "CGO_ENABLED=0 ")

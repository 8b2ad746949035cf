"""cache-mounts (opt-in): keep package managers' caches in BuildKit cache mounts.

``RUN --mount=type=cache,target=DIR`` gives a RUN a folder that persists
between builds but is never part of the image: the downloads of pip, uv,
poetry, pipenv, npm, pnpm, yarn, go and apt are reused on the next build
instead of being fetched again, and they stay out of the layer, so
``pip --no-cache-dir`` (and ``uv``/``poetry --no-cache``) is dropped where a
mount replaces it. Reference: https://docs.docker.com/reference/dockerfile/#run---mounttypecache
and https://docs.docker.com/build/cache/optimize/#use-cache-mounts.

The cache folders (:func:`cache_targets`) follow each tool's documented
default and the environment variables that move it: pip ``~/.cache/pip``
(``PIP_CACHE_DIR``), uv ``~/.cache/uv`` (``UV_CACHE_DIR``; uv is told
``UV_LINK_MODE=copy`` because it can't hard-link from another file system),
poetry ``~/.cache/pypoetry/cache`` and ``.../artifacts`` (``POETRY_CACHE_DIR``;
not the whole folder, whose ``virtualenvs`` may hold the project's
environment), pipenv ``~/.cache/pipenv`` plus pip's, npm ``~/.npm``
(``npm_config_cache``), pnpm ``~/.local/share/pnpm/store`` (``PNPM_HOME``),
yarn 1 ``/usr/local/share/.cache/yarn`` for root (``YARN_CACHE_FOLDER``), go
``~/.cache/go-build`` (``GOCACHE``) and ``$GOPATH/pkg/mod`` (``GOMODCACHE``;
``/go`` in the golang images), apt ``/var/cache/apt`` and ``/var/lib/apt``
with ``sharing=locked`` (apt needs exclusive access).

Rules:

- Only build stages get mounts: in a multi-stage file every stage but the
  final one; in a single-stage file the language package managers only.
  apt is changed only in a build stage: there the ``docker-clean`` hook of
  the Debian/Ubuntu images (which deletes downloaded packages) is removed
  (``rm -f /etc/apt/apt.conf.d/docker-clean``) and the ``rm -rf
  /var/lib/apt/lists/*``/``apt-get clean`` that would empty the cache go;
  a final stage keeps its list cleanup and its hook, which are part of
  the image.
- Commands that only empty a mounted cache (``pip cache purge``, ``npm cache
  clean``, ``rm -rf`` of the cache folder) are removed from that RUN.
- A RUN under a non-root ``USER`` gets mounts in that user's home, owned by
  it (``uid=``/``gid=``), when the file sets ``HOME`` and the USER is
  numeric; otherwise it is refused: a target under ``/root`` would be
  wrong, and a root-owned mount unwritable.
- The go module cache is also where ``go build`` reads modules from, so it
  is mounted only when every later step of the stage that may build Go code
  is a ``go`` command that gets the same mount, and nothing after the stage
  needs ``/go/pkg/mod`` (a ``go run`` command, a ``COPY --from`` of it).
- No ``# syntax=`` line is added (it would pull a frontend image): BuildKit's
  built-in frontend (Docker 23+, where BuildKit is the default builder),
  ``docker buildx`` and buildah/podman (``podman build``) accept
  ``RUN --mount=type=cache``; the legacy builder (``DOCKER_BUILDKIT=0``) does not.
"""

from __future__ import annotations

import posixpath
import re

from migrator.analysis.stage import Context, RunInfo, delete_word, file_span, global_arg_defaults, is_root, read_run, \
    start_words, substitute, walk
from migrator.analysis.commands import Kind, Op
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction, Stage
from migrator.options import Options
from migrator.transform import Outcome

TOOL_ORDER = ("apt", "pip", "pipenv", "poetry", "uv", "npm", "pnpm", "yarn", "go-build", "go-mod")
"""The order mounts are written in."""

DOCKER_CLEAN = "/etc/apt/apt.conf.d/docker-clean"
"""The apt configuration of the Debian and Ubuntu images that deletes every
downloaded package after an install (debuerreotype's docker-clean); a
cache of /var/cache/apt needs it gone (Dockerfile reference, RUN
--mount=type=cache example)."""

KEEP_PACKAGES = "echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > /etc/apt/apt.conf.d/keep-cache"
"""The ``apt`` command (not apt-get) deletes downloaded packages unless told
to keep them (apt.conf(5), Binary::apt::APT::Keep-Downloaded-Packages)."""

CACHE_CLEANERS = {
    "pip": (("pip", "cache", "purge"), ("pip", "cache", "remove"), ("pip3", "cache", "purge")),
    "uv": (("uv", "cache", "clean"), ("uv", "cache", "prune")),
    "poetry": (("poetry", "cache", "clear"),),
    "npm": (("npm", "cache", "clean"),),
    "yarn": (("yarn", "cache", "clean"),),
    "pnpm": (("pnpm", "store", "prune"),),
    "apt": (("apt-get", "clean"), ("apt", "clean"), ("apt-get", "autoclean")),
}
"""Commands that only empty a tool's cache: with the cache mounted, they
would only throw the mount's content away."""

NO_CACHE_WORDS = {"pip": ("--no-cache-dir",), "uv": ("--no-cache", "-n"), "poetry": ("--no-cache",)}
"""Options that turn a tool's cache off, dropped where a mount replaces them
(pip.pypa.io/en/stable/cli/pip, docs.astral.sh/uv/reference/cli, python-poetry.org/docs/cli)."""

NO_CACHE_ENV = {"pip": "PIP_NO_CACHE_DIR", "uv": "UV_NO_CACHE"}
"""Environment variables that turn a tool's cache off: a mount would be unused."""


class CacheMounts:
    """Give package manager RUNs of build stages a BuildKit cache mount."""

    id = "cache-mounts"
    title = "Cache package downloads in BuildKit cache mounts"
    rationale = ("a rebuild reuses downloaded packages instead of fetching them again, and the caches "
                 "never enter a layer")
    default = False
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the mounts; see the module docstring.

        Args:
            df: the parsed Dockerfile (any number of stages).
            options: unused but for the contract.
        Returns:
            an :class:`Outcome` with one fix per RUN that gets mounts,
            refusals naming the line where a mount would be wrong, and a
            note when apt steps of a single-stage file are left as they are.
        """
        out = Outcome()
        multi = len(df.stages) > 1
        for stage in df.stages:
            if multi and stage is df.stages[-1]:
                continue
            _Stage(df, stage, multi, out).run()
        return out


class _Stage:
    def __init__(self, df: Dockerfile, stage: Stage, build_stage: bool, out: Outcome):
        self.df, self.stage, self.build_stage, self.out = df, stage, build_stage, out
        self.steps = [(ins, ctx, read_run(df, ins, ctx)) for ins, ctx in walk(df, stage) if ins.keyword == "RUN"]
        from migrator.analysis.packages import describe_base_image

        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        self.base = describe_base_image(ref)
        self.docker_clean_done = False

    def run(self) -> None:
        apt_noted = False
        for n, (ins, ctx, info) in enumerate(self.steps):
            if info.problem or info.script is None or ins.json:
                continue   # a JSON-form RUN: its words can't be edited (--no-cache-dir would stay)
            tools = self._tools(info)
            if not tools:
                continue
            if "apt" in tools and not self.build_stage:
                tools.discard("apt")
                if not apt_noted:
                    apt_noted = True
                    self.out.notes.append(f"cache-mounts: line {ins.start_line}: apt keeps cleaning its lists: "
                                          "this single-stage file's only stage is the image itself")
            if "apt" in tools and not self._apt_safe(n):
                tools.discard("apt")
                self.out.refusals.append(f"line {ins.start_line}: no apt cache mount: the package lists would "
                                         "live in the mount, and a later RUN of the stage the tool can't read "
                                         "may need them")
            if "go-mod" in tools:
                why = self._go_mod_problem(n)
                if why:
                    tools.discard("go-mod")
                    self.out.refusals.append(f"line {ins.start_line}: no cache mount of the go module cache: "
                                             f"{why}")
            if not tools:
                continue
            self._fix(ins, ctx, info, tools)

    # -- what a RUN runs ------------------------------------------------------

    def _tools(self, info: RunInfo) -> set[str]:
        out: set[str] = set()
        for op in info.all_ops:
            out |= _op_tools(op)
        return out

    def _apt_safe(self, n: int) -> bool:
        """apt lists in a mount: safe when this RUN removes them anyway, or
        when no later RUN of the stage runs what the tool can't read."""
        info = self.steps[n][2]
        if any(_is_list_cleanup(op) for op in info.all_ops):
            return True
        return not any(op.kind is Kind.UNKNOWN for _i, _c, later in self.steps[n + 1:] for op in later.all_ops)

    def _go_mod_problem(self, n: int) -> str | None:
        for _ins, _ctx, later in self.steps[n + 1:]:
            for op in later.all_ops:
                if op.command.name == "go":
                    continue
                if op.kind in (Kind.UNKNOWN, Kind.BUILD, Kind.SYSTEM_BUILD):
                    return (f"`{op.detail or op.command.name}` at line {later.ins.start_line} may build Go code "
                            "without the mount, and the modules would not be in the layer")
        final = self.stage is self.df.stages[-1]
        if final:
            for ins in self.stage.instructions:
                if ins.keyword in ("CMD", "ENTRYPOINT") and "go" in start_words(ins):
                    return f"the image runs `go` (line {ins.start_line}), which needs the modules at run time"
        for later in self.df.stages[self.stage.index + 1:]:
            for ins in later.instructions:
                src = ins.flag("from") if ins.keyword == "COPY" else None
                if src is not None and src.lower() in ((self.stage.name or "").lower(), str(self.stage.index)):
                    if any(a.rstrip("/") in ("/go", "/go/pkg", "/go/pkg/mod", "/root/go") for a in ins.args[:-1]):
                        return f"line {ins.start_line} copies the module cache from this stage"
        return None

    # -- the fix ----------------------------------------------------------------

    def _fix(self, ins: Instruction, ctx: Context, info: RunInfo, tools: set[str]) -> None:
        home, owner, why = self._home(ctx)
        if why:
            self.out.refusals.append(f"line {ins.start_line}: no cache mount: {why}")
            return
        env = ctx.env
        edits: list[Edit] = []
        targets: list[tuple[str, str]] = []   # (tool, mount options)
        have = _mounted(ins)
        skipped: list[str] = []
        for tool in sorted(tools, key=TOOL_ORDER.index):
            base_tool = "go" if tool.startswith("go-") else tool
            off = NO_CACHE_ENV.get(base_tool)
            if off and env.get(off) is not None:
                skipped.append(f"{base_tool}'s cache is off ({off})")
                continue
            for target, extra in cache_targets(tool, env, home, self.base.language, owner is not None):
                if target is None or target in have:
                    continue
                opts = f"type=cache,target={target}" + extra
                if owner is not None and tool != "apt":
                    opts += f",uid={owner[0]},gid={owner[1]}"
                targets.append((tool, opts))
        mounted = {t for t, _o in targets} | {t for t in tools if any(x in have for x, _e in
                                                                       cache_targets(t, env, home,
                                                                                     self.base.language,
                                                                                     owner is not None))}
        if not targets:
            if skipped:
                self.out.notes.append(f"cache-mounts: line {ins.start_line}: {skipped[0]}")
            return
        names = []
        for tool, _o in targets:
            name = "go" if tool.startswith("go-") else tool
            if name not in names:
                names.append(name)
        head = _flag_insert_point(ins)
        if head is None:
            return
        esc, nl = self.df.escape, self.df.newline
        simple = ins.json or bool(ins.heredocs) or "\n" not in ins.source.rstrip("\r\n") and len(targets) == 1
        mounts = [f"--mount={o}" for _t, o in targets]
        if simple:
            text = " ".join(mounts) + " "
        else:
            text = "".join(f"{m} {esc}{nl}    " for m in mounts)
        # the word deletions and segment removals are inside the script
        if info.positions is None:
            return
        script_edits = self._script_edits(ins, ctx, info, mounted, names)
        if script_edits is None:
            return
        if script_edits and any(e.start == head for e in script_edits):
            # the docker-clean removal starts where the flags are inserted
            merged = [e for e in script_edits if e.start == head]
            script_edits = [e for e in script_edits if e.start != head]
            text += "".join(e.content for e in merged)
        edits.append(Edit.insert(head, text))
        edits.extend(script_edits)
        where = ", ".join(o.split("target=")[1].split(",")[0] for _t, o in targets)
        reason = (f"line {ins.start_line}: {', '.join(names)} keep{'s' if len(names) == 1 else ''} "
                  f"{'its' if len(names) == 1 else 'their'} cache in a BuildKit cache mount ({where}): "
                  "reused by the next build, never part of a layer")
        self.out.fixes.append(Fix(reason, tuple(edits)))

    def _home(self, ctx: Context) -> tuple[str | None, tuple[str, str] | None, str | None]:
        """``(home, (uid, gid) or None for root, refusal reason)``."""
        home = ctx.env.get("HOME")
        if is_root(ctx.user):
            return home or "/root", None, None
        user = ctx.user or ""
        uid, _c, gid = user.partition(":")
        gid = gid or uid
        if not (uid.isdigit() and gid.isdigit()) or not home:
            return None, None, (f"the RUN runs as USER {user}, whose home and numeric UID/GID the file does "
                                "not set (ENV HOME, USER uid:gid): a cache under /root would be the wrong folder "
                                "and a root-owned mount unwritable")
        return home, (uid, gid), None

    def _script_edits(self, ins: Instruction, ctx: Context, info: RunInfo, mounted: set[str],
                      names: list[str]) -> list[Edit] | None:
        edits: list[Edit] = []
        segments = info.script.segments
        keep = []
        for k, (seg, ops) in enumerate(zip(segments, info.ops)):
            if len(ops) == 1 and _only_cleans(ops[0], mounted, self._targets(ctx, mounted)):
                continue
            keep.append(k)
        if not keep:
            return None
        for k in range(len(segments)):
            if k not in keep and _segment_span(info, k, keep) is None:
                keep.append(k)   # can't be cut out cleanly: it stays (and is checked below)
        keep.sort()
        targets = self._targets(ctx, mounted)
        for k in keep:
            for op in info.ops[k]:
                why = _blocks_mount(op, targets)
                if why:
                    self.out.refusals.append(f"line {ins.start_line}: no cache mount: {why}")
                    return None
        for k in range(len(segments)):
            if k in keep:
                continue
            edits.append(Edit.delete(*_segment_span(info, k, keep)))
        for op in info.all_ops:
            tools = _op_tools(op) & mounted
            for tool in tools:
                for word in op.command.words:
                    if word.value in NO_CACHE_WORDS.get(tool, ()):
                        e = delete_word(info, word)
                        if e is not None and not any(d.start <= e.start < d.end for d in edits):
                            edits.append(e)
            if "uv" in tools and "UV_LINK_MODE" not in ctx.env and \
                    not any(a.startswith("UV_LINK_MODE=") for a in op.command.assignments):
                span = file_span(info, op.command.start, op.command.start + 1)
                if span:
                    edits.append(Edit.insert(span[0], "UV_LINK_MODE=copy "))
        if "apt" in mounted and not self.docker_clean_done:
            self.docker_clean_done = True
            if not self._hook_removed(ins):
                first = info.script.segments[0]
                span = file_span(info, first.start, first.start + 1)
                if span is None:
                    return None
                prefix = f"rm -f {DOCKER_CLEAN}"
                if any(op.command.name == "apt" and op.kind is Kind.SYSTEM_INSTALL for op in info.all_ops):
                    prefix += " && " + KEEP_PACKAGES
                if ins.heredocs:   # a script body: a line of its own
                    edits.append(Edit.insert(span[0], prefix + self.df.newline))
                else:
                    edits.append(Edit.insert(span[0], prefix + f" {self.df.escape}{self.df.newline}    && "))
        # two insertions at one offset would be ordered by luck: merge them
        merged: dict[tuple[int, int], str] = {}
        for e in sorted(edits, key=lambda e: (e.start, e.end)):
            merged[(e.start, e.end)] = merged.get((e.start, e.end), "") + e.content
        return [Edit(a, b, c) for (a, b), c in merged.items()]

    def _targets(self, ctx: Context, mounted: set[str]) -> list[str]:
        home, owner, _why = self._home(ctx)
        out = []
        for tool in mounted:
            out += [t for t, _e in cache_targets(tool, ctx.env, home, self.base.language, owner is not None) if t]
        if "apt" in mounted:
            out.append("/var/lib/apt/lists")
        return out

    def _hook_removed(self, upto: Instruction) -> bool:
        for ins, _ctx, info in self.steps:
            if ins.index > upto.index:
                break
            for op in info.all_ops:
                if op.command.name == "rm" and DOCKER_CLEAN in (op.command.argv or []):
                    return True
        return False


def _op_tools(op: Op) -> set[str]:
    """The caches a command uses (keys of :data:`TOOL_ORDER`)."""
    cmd = op.command
    argv = cmd.argv or []
    name = cmd.name
    words = [a for a in argv[1:] if not a.startswith("-")]
    if op.manager == "pip" and (op.kind is Kind.PYTHON_INSTALL or op.kind is Kind.BUILD
                                or (op.kind is Kind.PYTHON_TOOL and op.options.get("names"))):
        return {"pip"}
    if op.manager == "pip-sync":
        return {"pip"}
    if name == "uv" and words[:1] and words[0] in ("sync", "pip", "add", "lock", "tool", "run", "export"):
        if words[0] != "pip" or words[1:2] and words[1] in ("install", "sync", "compile"):
            return {"uv"}
    if name == "poetry" and words[:1] and words[0] in ("install", "sync", "lock", "add", "update"):
        return {"poetry"}
    if name == "pipenv" and words[:1] and words[0] in ("install", "sync", "lock"):
        return {"pipenv", "pip"}
    if name == "npm" and words[:1] and words[0] in ("ci", "install", "i", "add", "clean-install", "update"):
        return {"npm"}
    if name == "yarn" and (not words or words[0] in ("install", "add", "global")):
        return {"yarn"}
    if name == "pnpm" and words[:1] and words[0] in ("install", "i", "add", "fetch"):
        return {"pnpm"}
    if name == "go" and words[:1] and words[0] in ("build", "install", "mod", "test", "run", "get", "generate",
                                                   "vet"):
        return {"go-build", "go-mod"}
    if op.manager == "apt" and op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_META) and words[:1] and \
            words[0] in ("install", "update", "upgrade", "dist-upgrade", "full-upgrade"):
        return {"apt"}
    return set()


def cache_targets(tool: str, env: dict[str, str], home: str | None, language: str | None,
                  non_root: bool = False) -> list[tuple[str | None, str]]:
    """The cache folders of one tool: ``[(absolute folder or None, extra
    mount options)]``.

    Args:
        tool: a key of :data:`TOOL_ORDER`.
        env: the ENV/ARG values in effect (the overrides each tool reads).
        home: the HOME of the user running the RUN (``/root`` for root).
        language: the base image's language (``"go"``: GOPATH is ``/go``).
        non_root: the RUN runs as another user than root.
    Sources: pip.pypa.io/en/stable/topics/caching, docs.astral.sh/uv/concepts/cache,
    python-poetry.org/docs/configuration/#cache-dir, pipenv.pypa.io (PIPENV_CACHE_DIR),
    docs.npmjs.com/cli/v10/using-npm/config#cache, pnpm.io/npmrc#store-dir,
    classic.yarnpkg.com/en/docs/cli/cache (root: /usr/local/share/.cache/yarn),
    go.dev/cmd/go (GOCACHE, GOMODCACHE), docs.docker.com (apt, sharing=locked).
    """
    def under(*parts: str) -> str | None:
        return posixpath.join(home, *parts) if home else None

    xdg = env.get("XDG_CACHE_HOME")

    def cache(name: str, override: str) -> str | None:
        if env.get(override):
            return env[override]
        if xdg:
            return posixpath.join(xdg, name)
        return under(".cache", name)

    if tool == "pip":
        return [(cache("pip", "PIP_CACHE_DIR"), "")]
    if tool == "uv":
        return [(cache("uv", "UV_CACHE_DIR"), "")]
    if tool == "pipenv":
        return [(cache("pipenv", "PIPENV_CACHE_DIR"), "")]
    if tool == "poetry":
        root = cache("pypoetry", "POETRY_CACHE_DIR")
        return [(posixpath.join(root, "cache"), ""), (posixpath.join(root, "artifacts"), "")] if root else [(None, "")]
    if tool == "npm":
        return [(env.get("npm_config_cache") or env.get("NPM_CONFIG_CACHE") or under(".npm"), "")]
    if tool == "pnpm":
        if env.get("PNPM_HOME"):
            return [(posixpath.join(env["PNPM_HOME"], "store"), "")]
        if env.get("XDG_DATA_HOME"):
            return [(posixpath.join(env["XDG_DATA_HOME"], "pnpm", "store"), "")]
        return [(under(".local", "share", "pnpm", "store"), "")]
    if tool == "yarn":
        if env.get("YARN_CACHE_FOLDER"):
            return [(env["YARN_CACHE_FOLDER"], "")]
        return [("/usr/local/share/.cache/yarn" if not non_root else cache("yarn", "YARN_CACHE_FOLDER"), "")]
    if tool == "go-build":
        return [(env.get("GOCACHE") or cache("go-build", "GOCACHE"), "")]
    if tool == "go-mod":
        if env.get("GOMODCACHE"):
            return [(env["GOMODCACHE"], "")]
        gopath = env.get("GOPATH") or ("/go" if language == "go" else under("go"))
        return [(posixpath.join(gopath, "pkg", "mod") if gopath else None, "")]
    if tool == "apt":
        return [("/var/cache/apt", ",sharing=locked"), ("/var/lib/apt", ",sharing=locked")]
    raise ValueError(f"unknown cache tool {tool!r}")


def _mounted(ins: Instruction) -> set[str]:
    """Targets of the cache mounts a RUN already has."""
    out = set()
    for f in ins.flags:
        if not f.lower().startswith("--mount="):
            continue
        fields = dict(p.partition("=")[::2] for p in f[len("--mount="):].split(","))
        if fields.get("type") == "cache":
            target = fields.get("target") or fields.get("dst") or fields.get("destination")
            if target:
                out.add(posixpath.normpath(target))
    return out


def _flag_insert_point(ins: Instruction) -> int | None:
    """The file offset just after ``RUN`` and its blanks, where a flag goes."""
    m = re.match(r"[ \t]*[A-Za-z]+[ \t]+", ins.source)
    return ins.start + m.end() if m else None


def _is_list_cleanup(op: Op) -> bool:
    argv = op.command.argv or []
    return op.command.name == "rm" and any(a.startswith("/var/lib/apt/lists") for a in argv[1:])


def _only_cleans(op: Op, mounted: set[str], targets: list[str]) -> bool:
    """Whether ``op`` only empties caches mounted in its RUN."""
    argv = tuple(op.command.argv or ())
    if not argv or op.command.redirects:
        return False
    for tool in mounted:
        for cleaner in CACHE_CLEANERS.get(tool, ()):
            if argv[:len(cleaner)] == cleaner:
                return True
    if op.command.name == "rm":
        paths = [a for a in argv[1:] if not a.startswith("-")]
        return bool(paths) and all(_touches(p, targets) for p in paths)
    return False


def _touches(path: str, targets: list[str]) -> bool:
    """Whether ``path`` (an rm argument) is a cache target, lies in one, or
    holds one (``rm -rf /root/.cache`` with ``/root/.cache/pip`` mounted)."""
    p = path.rstrip("/*") or "/"
    for t in targets:
        r = t.rstrip("/")
        if p == r or p.startswith(r + "/") or r.startswith(p.rstrip("/") + "/"):
            return True
    return False


def _blocks_mount(op: Op, targets: list[str]) -> str | None:
    """Why a command kept in a RUN would fail with the mounts: ``rm`` of a
    mount point or a folder holding one ends in "Device or resource busy",
    and an ``rm`` whose arguments are unknown may be one."""
    if op.command.name != "rm":
        return None
    argv = op.command.argv
    if argv is None:
        return "its `rm` has arguments the tool can't resolve, which may remove a mount point"
    for p in argv[1:]:
        if p.startswith("-"):
            continue
        q = p.rstrip("/*") or "/"
        if any(t.rstrip("/") == q or t.startswith(q.rstrip("/") + "/") for t in targets):
            return f"`rm {p}` would remove a cache mount's folder (rm fails: device or resource busy)"
    return None


def _segment_span(info: RunInfo, k: int, keep: list[int]) -> tuple[int, int] | None:
    """File span deleting segment ``k`` of a RUN with the operator that joins
    it: from the end of the kept segment before it, or, for a leading one, up
    to the start of the next kept segment."""
    segs = info.script.segments
    pos = info.positions
    start = info.ins.start
    seg = segs[k]
    joins = ("&&", ";", "\n")
    if seg.operator not in joins + ("",) or (k + 1 < len(segs) and segs[k + 1].operator not in joins):
        return None
    before = [j for j in keep if j < k]
    if before:
        j = max(before)
        if any(j < m < k for m in range(len(segs)) if m not in keep):
            # an earlier removed segment already extends the span: start after it
            j = max(m for m in range(len(segs)) if m < k)
        a = start + pos[segs[j].end - 1] + 1
        b = start + pos[seg.end - 1] + 1
        return a, b
    after = [j for j in keep if j > k]
    if not after:
        return None
    nxt = k + 1
    return start + pos[seg.start], start + pos[segs[nxt].start]

"""layer-order: copy the dependency manifests before the sources.

A build that copies the whole build context (``COPY . .``, ``COPY . /app``)
before its dependency install reinstalls every dependency whenever any file
of the project changes: the install's layer depends on the COPY's. When the
install reads only manifests, this transform copies those manifests first,
runs the install, and moves the whole-context COPY after it, so the install
layer is rebuilt only when a manifest changes (seed 003, "Order layers by
change frequency"; https://docs.docker.com/build/cache/optimize/#order-your-layers).

The manifests of each installer:

- pip, ``uv pip``, pip-tools' ``pip-sync``: the requirement files the command
  names (``-r``/``-c``) and, read through the build context, the files their
  own ``-r``/``-c`` lines name;
- poetry: ``pyproject.toml``, ``poetry.lock``, ``poetry.toml``; uv:
  ``pyproject.toml``, ``uv.lock``, ``uv.toml``, ``.python-version``; pdm:
  ``pyproject.toml``, ``pdm.lock``, ``pdm.toml``; pipenv: ``Pipfile``,
  ``Pipfile.lock``;
- npm, yarn, pnpm: ``package.json`` with its lockfile (``package-lock.json``,
  ``npm-shrinkwrap.json``, ``yarn.lock``, ``pnpm-lock.yaml``), ``.npmrc``,
  ``.yarnrc``, ``.yarnrc.yml`` and yarn's ``.yarn/releases``/``.yarn/plugins``;
- ``go mod download``: ``go.mod`` and ``go.sum``.

A COPY of a missing file fails the build, so with a build context
(``options.context``) only the manifests that exist there (and that
``.dockerignore`` does not exclude) are copied; without one, only the files
the install command names (``pip install -r requirements.txt``), and an
installer that names none (poetry, npm, go) is refused.

When the install needs the sources the transform refuses, naming the line:
``pip install .``/``-e .``/``setup.py install``/``flit install``, a local path
dependency (``-e ./lib`` in a requirement file, poetry/uv/pipenv ``path``
dependencies, npm ``file:``/``link:``/``workspace:``, go.mod ``replace =>
./dir``), a workspace, a ``package.json`` install script (``preinstall``,
``install``, ``postinstall``, ``prepare``: npm runs them in ``npm ci``), or a
build context holding the folder the install writes (``node_modules``,
``.venv``), which the moved COPY would write over. Where it is safe it
installs the dependencies first and the project after, as poetry's
``--no-root`` pattern does: ``poetry install`` becomes ``poetry install
--no-root`` before the COPY and ``poetry install`` after it (uv:
``--no-install-project``; pdm: ``--no-self``); a RUN ``pip install -r
requirements.txt && pip install -e .`` is split at the ``&&`` with the COPY
between. Sources: python-poetry.org/docs/cli/#install (``--no-root``),
docs.astral.sh/uv/guides/integration/docker/#intermediate-layers
(``--no-install-project``), pdm-project.org/en/latest/reference/cli/#install
(``--no-self``), docs.npmjs.com/cli/v10/using-npm/scripts#life-cycle-operation-order
(scripts ``npm ci`` runs).
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass, field

from migrator.analysis.stage import Context, RunInfo, app_stages, read_run, substitute, walk
from migrator.analysis.commands import Kind, Op
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.options import Options
from migrator.model.render import keyword, source_with_newline
from migrator.transform import Outcome

PYTHON_MANIFESTS = {
    "poetry": ("pyproject.toml", "poetry.lock", "poetry.toml"),
    "uv": ("pyproject.toml", "uv.lock", "uv.toml", ".python-version"),
    "pdm": ("pyproject.toml", "pdm.lock", "pdm.toml"),
    "pipenv": ("Pipfile", "Pipfile.lock"),
}
"""The files each project installer reads from its directory (the first is
required: the installer fails without it). Sources: python-poetry.org/docs
(pyproject.toml, poetry.lock, the project's poetry.toml configuration),
docs.astral.sh/uv/concepts/projects (uv.lock, uv.toml, .python-version),
pdm-project.org (pdm.lock, pdm.toml), pipenv.pypa.io (Pipfile, Pipfile.lock)."""

DEPS_ONLY_FLAG = {"poetry": "--no-root", "uv": "--no-install-project", "pdm": "--no-self"}
"""The option that makes a project installer install the dependencies but not
the project itself (see the module docstring for the sources)."""

NODE_MANIFESTS = ("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                  ".npmrc", ".yarnrc", ".yarnrc.yml")
"""The files npm, yarn and pnpm read to install a project's dependencies
(their manuals: package-lock.json/npm-shrinkwrap.json, yarn.lock,
pnpm-lock.yaml, and the project configuration files .npmrc/.yarnrc/.yarnrc.yml)."""

NODE_FOLDERS = (".yarn/releases", ".yarn/plugins", ".yarn/patches")
"""Folders of yarn 2+ that ``.yarnrc.yml`` points at (``yarnPath``, plugins,
``patch:`` dependencies), copied with the manifests when they exist."""

NODE_INSTALL_SCRIPTS = ("preinstall", "install", "postinstall", "prepare")
"""package.json scripts ``npm ci``/``npm install`` run for the project itself
(docs.npmjs.com/cli/v10/using-npm/scripts#npm-ci); they may read any source."""

NODE_LOCAL_PROTOCOLS = ("file:", "link:", "workspace:", "portal:", ".", "/")
"""Dependency specifiers that point into the project tree (npm ``file:``,
yarn ``link:``/``portal:``, pnpm/yarn ``workspace:``, bare paths)."""

GO_MANIFESTS = ("go.mod", "go.sum")
"""What ``go mod download`` reads (go.dev/ref/mod#go-mod-download)."""

INSTALL_OUTPUTS = {"npm": "node_modules", "yarn": "node_modules", "pnpm": "node_modules", "uv": ".venv"}
"""The folder each installer writes in the project directory (uv sync: the
project environment ``.venv`` unless ``UV_PROJECT_ENVIRONMENT`` says
otherwise). A build context holding that folder would overwrite the installed
one once the whole-context COPY comes after the install."""

_NEUTRAL_SETUP = frozenset({"useradd", "groupadd", "adduser", "addgroup", "usermod", "groupmod", "echo",
                            "true", "set", "export", "umask", "id", "getent", "update-ca-certificates",
                            "ldconfig", "locale-gen", "localedef", "dpkg-reconfigure", "update-alternatives"})
"""Setup commands that touch no file of the build context, whatever their
arguments (unless they redirect output)."""

_PATH_SETUP = frozenset({"mkdir", "rm", "rmdir", "touch", "ln", "chmod", "chown", "chgrp", "cp", "mv", "sed",
                         "tar", "unzip", "find", "cat", "tee", "install"})
"""Setup commands that read or write the paths they are given: neutral only
when no argument lies in the folder the whole-context COPY fills."""


@dataclass
class _Piece:
    """One top-level segment of a RUN read for layer order.

    Attributes:
        role: ``"neutral"`` (touches no copied file), ``"deps"`` (installs
            from manifests only), ``"project"`` (needs the sources) or
            ``"other"`` (reads the copied files, or unknown).
        manifests: context paths the deps install reads.
        optional: context paths it reads when they exist.
        folders: context folders it reads when they exist.
        why: for project/other, the reason (a clause without the line).
        variant: for a project install that has a deps-only form, the flag.
        manager: the installer (pip, poetry, npm...).
        op: the install's :class:`Op`, if any.
    """

    role: str
    manifests: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    why: str = ""
    variant: str | None = None
    manager: str = ""
    op: Op | None = None


class LayerOrder:
    """Copy the dependency manifests, install, then copy the whole context."""

    id = "layer-order"
    title = "Copy dependency manifests before the sources"
    rationale = ("a code change then rebuilds only the layers after the install, not every dependency "
                 "(the install layer depends only on its manifests)")
    default = True
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the reordering; see the module docstring.

        Args:
            df: the parsed Dockerfile (single-stage; other files are left alone).
            options: ``options.context`` is read for the manifests.
        Returns:
            an :class:`Outcome` with at most one fix, or a refusal naming the
            line whose install needs the sources, or nothing when no
            whole-context COPY precedes a dependency install.
        """
        if len(app_stages(df)) != 1:
            return Outcome()
        steps = walk(df, app_stages(df)[0])
        for i, (ins, ctx) in enumerate(steps):
            if _whole_context_copy(ins):
                return _Plan(df, options, steps, i).outcome()
        return Outcome()


def _whole_context_copy(ins: Instruction) -> bool:
    """A COPY/ADD of the whole build context: every source is ``.`` or ``./``."""
    if ins.keyword not in ("COPY", "ADD") or ins.json or ins.heredocs or len(ins.args) < 2:
        return False
    if ins.flag("from") is not None:
        return False
    return all(a in (".", "./") for a in ins.args[:-1])


class _Plan:
    """The reordering of one whole-context COPY (see :class:`LayerOrder`)."""

    def __init__(self, df: Dockerfile, options: Options, steps, index: int):
        self.df, self.options, self.steps, self.index = df, options, steps, index
        self.copy, self.ctx = steps[index]
        self.context = options.context
        self.ignore = _dockerignore(self.context)

    # -- reading ------------------------------------------------------------

    def outcome(self) -> Outcome:
        copy, ctx = self.copy, self.ctx
        where = f"line {copy.start_line}"
        dest_text = self.copy.args[-1]
        dest = substitute(dest_text, ctx.env)
        if dest is None or ctx.workdir is None:
            return Outcome()
        self.dest = posixpath.normpath(posixpath.join(ctx.workdir, dest))
        bad_flags = [f for f in copy.flags if not f.lower().startswith(("--chown", "--chmod", "--link"))]
        deps_runs: list[tuple[Instruction, Context, list[_Piece]]] = []
        boundary = None
        for ins, ictx in self.steps[self.index + 1:]:
            kw = ins.keyword
            if kw in ("ENV", "ARG", "LABEL", "EXPOSE", "USER", "WORKDIR", "STOPSIGNAL"):
                continue
            if kw != "RUN":
                boundary = (ins, ictx, None)
                break
            info = read_run(self.df, ins, ictx)
            if info.problem or info.script is None:
                boundary = (ins, ictx, None)
                break
            pieces = [self._piece(seg_ops, ictx, info) for seg_ops in info.ops]
            roles = {p.role for p in pieces}
            if roles <= {"neutral"}:
                continue
            if roles <= {"neutral", "deps"}:
                deps_runs.append((ins, ictx, pieces))
                continue
            boundary = (ins, ictx, (info, pieces))
            break
        split = None
        if boundary is not None and boundary[2] is not None:
            info, pieces = boundary[2]
            split = self._split(boundary[0], boundary[1], info, pieces, bool(deps_runs))
            if isinstance(split, str):
                return Outcome.refuse(split)
        if not deps_runs and split is None:
            return Outcome()
        if bad_flags:
            return Outcome.refuse(f"{where}: the whole-context COPY has {bad_flags[0].split('=')[0]}, which the "
                                  "tool does not carry over to a manifest COPY; it stays before the install")
        manifests: list[str] = []
        folders: list[str] = []
        used = [p for _i, _c, ps in deps_runs for p in ps] + (split[1] if split else [])
        for piece in used:
            if piece.role not in ("deps", "project"):
                continue
            problem = self._check(piece, manifests, folders)
            if problem:
                run_line = next((i.start_line for i, _c, ps in deps_runs if piece in ps),
                                boundary[0].start_line if boundary else copy.start_line)
                return Outcome.refuse(f"line {run_line}: {problem}; the whole-context COPY at {where} "
                                      "stays before the install")
        edits = self._edits(manifests, folders, deps_runs, boundary, split)
        if edits is None:
            return Outcome()
        last = split[2] if split else deps_runs[-1][0].start_line
        names = ", ".join(manifests + [f + "/" for f in folders])
        gets = f"which gets only its manifests ({names}) first" if names else "which reads none of the copied files"
        reason = (f"{where}: the whole-context COPY now comes after the dependency install (line {last}), "
                  f"{gets}: a source change no longer reinstalls every dependency")
        if split:
            reason += f"; {split[3]}"
        return Outcome(fixes=[Fix(reason, tuple(edits))])

    def _under_dest(self, path: str | None) -> str | None:
        """The context path of container path ``path`` when the whole-context
        COPY provides it, else None."""
        if path is None:
            return None
        if path == self.dest:
            return "."
        if path.startswith(self.dest.rstrip("/") + "/"):
            return posixpath.relpath(path, self.dest)
        return None

    def _piece(self, ops: list[Op], ctx: Context, info: RunInfo) -> _Piece:
        pieces = [self._op_piece(op, ctx) for op in ops]
        if len(pieces) == 1:
            return pieces[0]
        if all(p.role == "neutral" for p in pieces):
            return _Piece("neutral")
        bad = next((p for p in pieces if p.role != "neutral"), pieces[0])
        return _Piece("other", why=bad.why or "a compound command")

    def _op_piece(self, op: Op, ctx: Context) -> _Piece:
        cmd = op.command
        argv = cmd.argv or []
        name = cmd.name
        if op.kind in (Kind.SYSTEM_INSTALL, Kind.SYSTEM_REMOVE, Kind.SYSTEM_META, Kind.TOOL_INSTALL):
            return _Piece("neutral")
        if op.kind is Kind.VENV:
            rel = self._under_dest(op.output)
            if rel and self._exists(rel):
                return _Piece("other", why=f"the virtualenv {op.output} is also in the build context")
            return _Piece("neutral")
        if op.kind is Kind.PYTHON_TOOL:
            if op.manager == "pip" and op.options.get("names") is not None and not op.files:
                return _Piece("neutral")
            if op.manager in ("poetry", "pipenv", "uv", "pdm") and argv[1:2] and argv[1] in ("config", "--version"):
                return _Piece("neutral")
            return _Piece("other", why=f"`{op.detail}` reads the project's files")
        if op.kind is Kind.PYTHON_INSTALL:
            return self._python(op, ctx)
        if op.kind is Kind.SETUP:
            if cmd.redirects:
                return _Piece("other", why=f"`{name}` writes a file")
            if name in _NEUTRAL_SETUP:
                return _Piece("neutral")
            if name in _PATH_SETUP and cmd.cwd is not None:
                for word in argv[1:]:
                    if word.startswith("-"):
                        continue
                    if self._under_dest(posixpath.normpath(posixpath.join(cmd.cwd, word))) is not None:
                        return _Piece("other", why=f"`{name} {word}` touches the copied files")
                return _Piece("neutral")
            return _Piece("other", why=f"`{name}` may read the copied files")
        if op.kind is Kind.BUILD and name in ("npm", "yarn", "pnpm"):
            return self._node(op, argv)
        if op.kind is Kind.BUILD and name == "go" and argv[1:3] == ["mod", "download"]:
            return self._go(op)
        return _Piece("other", why=f"`{op.detail or name}` may read the copied sources")

    def _python(self, op: Op, ctx: Context) -> _Piece:
        cmd = op.command
        argv = cmd.argv or []
        manager = op.manager
        cwd = cmd.cwd
        if manager in ("pip", "pip-sync") or (manager == "uv" and argv[1:2] == ["pip"]):
            return self._requirements(op, argv, cwd)
        if manager in ("setup.py", "flit"):
            return _Piece("project", why=f"`{op.detail}` builds the project from its sources", manager=manager, op=op)
        if manager not in PYTHON_MANIFESTS:
            return _Piece("other", why=f"`{op.detail}` is not an install the tool reorders")
        rel = self._under_dest(cwd)
        if rel is None:
            return _Piece("other", why=f"`{op.detail}` runs outside the copied folder")
        if manager == "pipenv" and [a for a in argv[2:] if not a.startswith("-")]:
            return _Piece("other", why="`pipenv install PACKAGE` changes the Pipfile")
        first, *rest = PYTHON_MANIFESTS[manager]
        if self.context is None:
            return _Piece("project", why=f"`{op.detail}` reads {first} and, when they exist, {', '.join(rest)}; "
                                         "without a build context the tool can't tell which do",
                          manager=manager, op=op)
        piece = _Piece("deps", manifests=[_join(rel, first)], optional=[_join(rel, r) for r in rest],
                       manager=manager, op=op)
        local = self._python_local(manager, rel)
        if local:
            return _Piece("project", why=local, manager=manager, op=op)
        if manager == "uv":
            out = ctx.env.get("UV_PROJECT_ENVIRONMENT", INSTALL_OUTPUTS["uv"])
            out_rel = self._under_dest(posixpath.normpath(posixpath.join(cwd, out)))
            if out_rel and self._exists(out_rel):
                return _Piece("project", why=f"the build context has {out_rel}/, which the moved COPY would "
                                           "copy over the environment uv sync makes (list it in .dockerignore)")
        flag = DEPS_ONLY_FLAG.get(manager)
        if flag is None:
            return piece
        if flag in argv or (manager == "poetry" and "--only-root" not in argv and "--no-root" in argv):
            return piece
        if manager == "poetry" and "--only-root" in argv:
            return _Piece("project", why="`poetry install --only-root` installs the project from its sources",
                          manager=manager, op=op)
        piece.role, piece.variant = "project", flag
        piece.why = f"`{op.detail}` also installs the project from its sources"
        return piece

    def _python_local(self, manager: str, rel: str) -> str | None:
        """Why the project's manifest names a local path dependency, or None."""
        if self.context is None:
            return None
        name = "Pipfile" if manager == "pipenv" else "pyproject.toml"
        text = self.context.read_text(_join(rel, name))
        if text is None:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return f"{name} does not parse as TOML"
        if manager == "pipenv":
            tables = [data.get("packages", {}), data.get("dev-packages", {})]
        else:
            poetry = data.get("tool", {}).get("poetry", {})
            tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
            tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values() if isinstance(g, dict)]
            uv = data.get("tool", {}).get("uv", {})
            if "workspace" in uv:
                return f"{name} declares a uv workspace, whose members are sources"
            tables.append(uv.get("sources", {}))
            for dep in data.get("project", {}).get("dependencies", []) or []:
                if isinstance(dep, str) and "file:" in dep:
                    return f"{name} depends on a local path ({dep})"
        for table in tables:
            if not isinstance(table, dict):
                continue
            for dep, spec in table.items():
                if isinstance(spec, dict) and ("path" in spec or spec.get("workspace")):
                    return f"{name} has a local path dependency ({dep})"
        return None

    def _requirements(self, op: Op, argv: list[str], cwd: str | None) -> _Piece:
        """pip / uv pip / pip-sync: the requirement files and what they name."""
        if op.manager == "pip-sync":
            files, specs, local_opts = list(op.files), [], []
        else:
            files, specs, local_opts = _pip_arguments(argv)
        for spec in specs:
            if spec.startswith((".", "/")) or spec.endswith((".whl", ".tar.gz", ".zip")) or "file:" in spec:
                return _Piece("project", why=f"`{op.detail} {spec}` builds the project from its sources",
                              manager=op.manager, op=op)
        if local_opts:
            return _Piece("other", why=f"`{local_opts[0]}` reads a folder of the sources")
        manifests: list[str] = []
        pending = []
        for f in files:
            if cwd is None:
                return _Piece("other", why="its working directory is unknown")
            rel = self._under_dest(posixpath.normpath(posixpath.join(cwd, f)))
            if rel is None:
                return _Piece("other", why=f"{f} is not from the whole-context COPY")
            pending.append(rel)
        seen: set[str] = set()
        while pending:
            rel = pending.pop(0)
            if rel in seen:
                continue
            seen.add(rel)
            manifests.append(rel)
            if self.context is None:
                continue
            text = self.context.read_text(rel)
            if text is None:
                continue   # reported as missing by _check
            for kind, value in _requirement_lines(text):
                if kind == "file":
                    pending.append(posixpath.normpath(posixpath.join(posixpath.dirname(rel), value)))
                else:
                    return _Piece("project", why=f"{rel} installs a local path ({value})", manager=op.manager,
                                  op=op)
        return _Piece("deps", manifests=manifests, manager=op.manager, op=op)

    def _node(self, op: Op, argv: list[str]) -> _Piece:
        name = argv[0] if argv else ""
        name = posixpath.basename(name)
        args = argv[1:]
        words = [a for a in args if not a.startswith("-")]
        install = (name == "npm" and words[:1] in (["ci"], ["install"], ["i"], ["clean-install"]) and len(words) == 1) \
            or (name == "yarn" and (words in ([], ["install"]))) \
            or (name == "pnpm" and words in (["install"], ["i"], ["fetch"]))
        if not install:
            return _Piece("other", why=f"`{' '.join(argv[:2])}` may read the copied sources")
        detail = " ".join([name] + words[:1])
        rel = self._under_dest(op.command.cwd)
        if rel is None:
            return _Piece("other", why=f"`{detail}` runs outside the copied folder")
        if self.context is None:
            return _Piece("project", why=f"`{detail}` reads package.json and its lockfile, and without a build "
                                       "context the tool can't tell which exist or what package.json runs")
        text = self.context.read_text(_join(rel, "package.json"))
        try:
            pkg = json.loads(text) if text is not None else None
        except ValueError:
            pkg = None
        if not isinstance(pkg, dict):
            return _Piece("other", why=f"{_join(rel, 'package.json')} can't be read from the build context")
        if "workspaces" in pkg or self._exists(_join(rel, "pnpm-workspace.yaml")):
            return _Piece("project", why="package.json declares workspaces, whose members are sources",
                          manager=name, op=op)
        scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
        ignore_scripts = "--ignore-scripts" in args
        for script in NODE_INSTALL_SCRIPTS:
            if script in scripts and not ignore_scripts:
                return _Piece("project", why=f"package.json has a `{script}` script, which `{detail}` runs with "
                                             "the sources", manager=name, op=op)
        for table in ("dependencies", "devDependencies", "optionalDependencies"):
            deps = pkg.get(table) if isinstance(pkg.get(table), dict) else {}
            for dep, spec in deps.items():
                if isinstance(spec, str) and spec.startswith(NODE_LOCAL_PROTOCOLS):
                    return _Piece("project", why=f"package.json depends on a local path ({dep}: {spec})",
                                  manager=name, op=op)
        out = _join(rel, INSTALL_OUTPUTS[name])
        if self._exists(out):
            return _Piece("project", why=f"the build context has {out}/, which the moved COPY would copy over "
                                       f"what `{detail}` installs (list it in .dockerignore)")
        optional = [_join(rel, m) for m in NODE_MANIFESTS[1:]]
        folders = [_join(rel, f) for f in NODE_FOLDERS] if self._exists(_join(rel, ".yarnrc.yml")) else []
        return _Piece("deps", manifests=[_join(rel, "package.json")], optional=optional, folders=folders,
                      manager=name, op=op)

    def _go(self, op: Op) -> _Piece:
        rel = self._under_dest(op.command.cwd)
        if rel is None:
            return _Piece("other", why="`go mod download` runs outside the copied folder")
        if self.context is None:
            return _Piece("project", why="`go mod download` reads go.mod and go.sum, and without a build context "
                                       "the tool can't tell whether go.sum exists")
        if self._exists(_join(rel, "go.work")):
            return _Piece("project", why="go.work names other modules of the sources", manager="go", op=op)
        text = self.context.read_text(_join(rel, "go.mod")) or ""
        for m in re.finditer(r"=>\s*(\.{1,2}/\S*|/\S+)", text):
            return _Piece("project", why=f"go.mod replaces a module with a local folder ({m.group(1)})",
                          manager="go", op=op)
        return _Piece("deps", manifests=[_join(rel, "go.mod")], optional=[_join(rel, "go.sum")], manager="go",
                      op=op)

    def _exists(self, rel: str) -> bool:
        """Whether ``rel`` is in the build context and not excluded by .dockerignore."""
        if self.context is None:
            return False
        if not (self.context.is_file(rel) or self.context.is_dir(rel)):
            return False
        return not _ignored(self.ignore, rel)

    def _check(self, piece: _Piece, manifests: list[str], folders: list[str]) -> str | None:
        """Add the piece's manifests to ``manifests``/``folders``; a reason
        when a required one can't be copied."""
        for rel in piece.manifests:
            if self.context is not None and not self._exists(rel):
                return f"{rel} is not in the build context (made by the build?), so it can't be copied first"
            if rel not in manifests:
                manifests.append(rel)
        for rel in piece.optional:
            if self._exists(rel) and self.context.is_file(rel) and rel not in manifests:
                manifests.append(rel)
        for rel in piece.folders:
            if self._exists(rel) and self.context.is_dir(rel) and rel not in folders:
                folders.append(rel)
        return None

    # -- the split of the RUN that needs the sources --------------------------

    def _split(self, ins: Instruction, ctx: Context, info: RunInfo, pieces: list[_Piece], have_deps: bool):
        """How to split the boundary RUN: None (no split: the COPY goes
        before it), a refusal reason, or ``(kind, pieces used, line, note)``
        with ``kind`` ``"segments"`` (split before segment k) or ``"variant"``."""
        k = next(i for i, p in enumerate(pieces) if p.role not in ("neutral", "deps"))
        piece = pieces[k]
        where = f"line {ins.start_line}"
        earlier = self._installed_before(piece.manager)
        if piece.role == "project" and earlier:
            return None   # the deps-first pattern is already there: the project install follows the sources
        head_deps = any(p.role == "deps" for p in pieces[:k])
        seg = info.script.segments[k]
        if piece.role == "project" and piece.variant and info.positions is not None and seg.command is not None \
                and not seg.command.redirects and ins.shell_form:
            return ("variant", pieces[:k + 1], ins.start_line,
                    f"`{piece.op.detail}` runs first with {piece.variant} (dependencies only) and again "
                    "after the COPY for the project")
        if head_deps and info.positions is not None and seg.operator == "&&" and ins.shell_form:
            return ("segments", pieces[:k], ins.start_line,
                    f"the RUN at {where} is split before `{_text(info, seg)}`, which needs the sources")
        if have_deps:
            return None
        if piece.role == "project" or any(p.role == "deps" for p in pieces):
            return (f"{where}: {piece.why}, so the whole-context COPY at line {self.copy.start_line} "
                    "stays before it")
        return None

    def _installed_before(self, manager: str) -> bool:
        """Whether a RUN before the whole-context COPY installs with ``manager``."""
        for ins, ctx in self.steps[:self.index]:
            if ins.keyword != "RUN":
                continue
            for op in read_run(self.df, ins, ctx).all_ops:
                if op.manager == manager and op.kind is Kind.PYTHON_INSTALL:
                    return True
                if op.command.name == manager and op.kind is Kind.BUILD:
                    return True
        return False

    # -- edits -----------------------------------------------------------------

    def _edits(self, manifests, folders, deps_runs, boundary, split) -> list[Edit] | None:
        df, copy = self.df, self.copy
        nl = df.newline
        flags = [f for f in copy.flags]
        copied = self._copied_before()
        lines = []
        groups: dict[str, list[str]] = {}
        for rel in manifests:
            if rel in copied:
                continue
            groups.setdefault(posixpath.dirname(rel), []).append(rel)
        dest_text = copy.args[-1]
        base = "./" if dest_text in (".", "./") else dest_text.rstrip("/") + "/"
        if not dest_text.startswith(("/", "$")) and \
                not any(ins.keyword == "WORKDIR" for ins, _ctx in self.steps[:self.index]):
            # no WORKDIR in the stage: a relative COPY destination is what
            # hadolint's DL3045 flags (the whole-context ADD/COPY it comes from
            # may be an ADD, which DL3045 leaves alone), so the new COPYs name
            # the folder they copy to
            base = self.dest.rstrip("/") + "/"
        for folder in sorted(groups):
            target = base + (folder + "/" if folder else "")
            lines.append(" ".join([keyword(df, "COPY")] + flags + groups[folder] + [target]) + nl)
        for folder in folders:
            lines.append(" ".join([keyword(df, "COPY")] + flags + [folder, base + folder + "/"]) + nl)
        edits = [Edit(copy.start, copy.end, "".join(lines))]
        # the moved COPY, at the working directory of its new place
        at_ins = boundary[0] if split else deps_runs[-1][0]
        at_ctx = boundary[1] if split else deps_runs[-1][1]
        moved = source_with_newline(df, copy)
        new_dest = substitute(dest_text, at_ctx.env)
        if at_ctx.workdir != self.ctx.workdir or new_dest is None or \
                posixpath.normpath(posixpath.join(at_ctx.workdir or "/", new_dest)) != self.dest:
            moved = " ".join([keyword(df, copy.keyword)] + flags + [".", self.dest]) + nl
        if split is None:
            text = df.text
            if at_ins.end == len(text) and not text.endswith("\n"):
                edits.append(Edit.insert(at_ins.end, nl + moved.rstrip("\r\n")))
            else:
                edits.append(Edit.insert(at_ins.end, moved))
            return edits
        info, pieces = boundary[2]
        kind = split[0]
        k = len(split[1]) - 1 if kind == "variant" else len(split[1])
        seg = info.script.segments[k]
        run_head = " ".join([keyword(df, "RUN")] + list(at_ins.flags)) + " "
        moved_line = moved.rstrip("\r\n")
        pos = info.positions
        if kind == "segments":
            prev = info.script.segments[k - 1]
            a = at_ins.start + pos[prev.end - 1] + 1
            b = at_ins.start + pos[seg.start]
            edits.append(Edit(a, b, nl + moved_line + nl + run_head))
            return edits
        piece = pieces[k]
        cmd = seg.command
        again = info.script.text[cmd.start:cmd.end]
        if cmd.cwd is not None and cmd.cwd != at_ctx.workdir:
            again = f"cd {cmd.cwd} && {again}"
        a = at_ins.start + pos[cmd.end - 1] + 1
        post = info.script.segments[k + 1:]
        if post and all(_cleanup(info, s) for s in post):
            # cleanups (rm of caches, apt-get clean) stay in the first RUN and
            # run again after the project install
            again += "".join(f" {s.operator} {info.script.text[s.start:s.end]}" for s in post)
            edits.append(Edit.insert(a, f" {piece.variant}"))
            end = at_ins.end
            if end == len(df.text) and not df.text.endswith("\n"):
                edits.append(Edit.insert(end, nl + moved_line + nl + run_head + again))
            else:
                edits.append(Edit.insert(end, moved_line + nl + run_head + again + nl))
            return edits
        edits.append(Edit.insert(a, f" {piece.variant}" + nl + moved_line + nl + run_head + again))
        return edits

    def _copied_before(self) -> set[str]:
        """Context paths an earlier COPY already puts where the whole-context
        COPY would (``COPY requirements.txt .`` before ``COPY . .``)."""
        out: set[str] = set()
        for ins, ctx in self.steps[:self.index]:
            if ins.keyword != "COPY" or ins.flag("from") is not None or ins.json or len(ins.args) < 2:
                continue
            dest = substitute(ins.args[-1], ctx.env)
            if dest is None or ctx.workdir is None:
                continue
            dest_abs = posixpath.normpath(posixpath.join(ctx.workdir, dest))
            srcs = ins.args[:-1]
            as_dir = dest.endswith("/") or dest in (".", "..") or len(srcs) > 1
            for src in srcs:
                src = posixpath.normpath(src.lstrip("/"))
                target = posixpath.join(dest_abs, posixpath.basename(src)) if as_dir else dest_abs
                rel = self._under_dest(target)
                if rel is not None and rel == src:
                    out.add(rel)
        return out


def _cleanup(info: RunInfo, seg) -> bool:
    """Whether a segment only removes caches or package lists (``rm`` of
    paths outside the copied folder was read as neutral before this), so it
    may run after both installs of a split: an ``rm`` or ``apt-get clean``,
    joined with ``&&``."""
    cmd = seg.command
    if cmd is None or seg.operator != "&&" or cmd.redirects:
        return False
    argv = cmd.argv or []
    return cmd.name == "rm" and all(a.startswith(("-", "/")) for a in argv[1:]) or \
        argv[:2] in (["apt-get", "clean"], ["pip", "cache"], ["npm", "cache"])


def _join(folder: str, name: str) -> str:
    return name if folder in ("", ".") else posixpath.join(folder, name)


def _text(info: RunInfo, seg) -> str:
    text = info.script.text[seg.start:seg.end]
    return text if len(text) <= 40 else text[:37] + "..."


_PIP_VALUE_OPTIONS = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-f", "--find-links",
                      "-i", "--index-url", "--extra-index-url", "-t", "--target", "--prefix", "--root",
                      "--python", "-p", "--trusted-host", "--cache-dir", "--src", "--upgrade-strategy",
                      "--platform", "--python-version", "--implementation", "--abi", "--only-binary",
                      "--no-binary", "--progress-bar", "--log", "--timeout", "--retries", "--proxy", "--cert",
                      "--client-cert", "--exists-action", "--global-option", "--config-settings", "-C",
                      "--index-strategy", "--keyring-provider", "--resolution", "--prerelease",
                      "--link-mode", "--extra", "--group", "--override")
"""Options of ``pip install`` (pip.pypa.io/en/stable/cli/pip_install) and
``uv pip install`` (docs.astral.sh/uv/reference/cli/#uv-pip-install) that
take a value."""


def _pip_arguments(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    """``(requirement files, specs incl. editables, local folder options)``
    of a ``pip install``/``uv pip install|sync`` argv."""
    args = argv[1:]
    if "-m" in args:
        args = args[args.index("-m") + 2:]
    if args[:1] == ["pip"]:
        args = args[1:]
    sub = args[:1]
    args = args[1:]
    files, specs, local = [], [], []
    i = 0
    while i < len(args):
        a = args[i]
        name, eq, value = a.partition("=") if a.startswith("--") else (a, "", "")
        if name in _PIP_VALUE_OPTIONS:
            if not eq:
                value = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            if name in ("-r", "--requirement", "-c", "--constraint"):
                files.append(value)
            elif name in ("-e", "--editable"):
                specs.append(value)
            elif name in ("-f", "--find-links") and "://" not in value:
                local.append(f"{name} {value}")
        elif a.startswith("-r") and len(a) > 2:
            files.append(a[2:])
        elif not a.startswith("-"):
            (files if sub == ["sync"] else specs).append(a)
        i += 1
    return files, specs, local


def _requirement_lines(text: str) -> list[tuple[str, str]]:
    """What a requirement file names besides plain requirements:
    ``("file", path)`` for ``-r``/``-c`` lines, ``("local", spec)`` for
    local paths (``-e .``, ``./lib``, ``file:`` URLs, ``--find-links ./wheels``).
    Source: pip.pypa.io/en/stable/reference/requirements-file-format."""
    out = []
    joined = re.sub(r"\\\r?\n", "", text)
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        m = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)", line)
        if m:
            out.append(("file", m.group(2)))
            continue
        m = re.match(r"^(-e|--editable|-f|--find-links)(?:\s*=?\s*)(\S+)", line)
        if m:
            value = m.group(2)
            if "://" not in value or value.startswith("file:"):
                out.append(("local", f"{m.group(1)} {value}"))
            continue
        if line.startswith((".", "/")) or "file:" in line:
            out.append(("local", line))
    return out


def _dockerignore(context) -> list[tuple[bool, re.Pattern]]:
    """The patterns of the context's ``.dockerignore``, as ``(exception,
    regex)``, in order. Syntax: https://docs.docker.com/build/concepts/context/#dockerignore-files
    (Go filepath.Match patterns, ``**`` for any number of folders, ``!``
    for exceptions, the last matching line wins)."""
    if context is None:
        return []
    text = context.read_text(".dockerignore")
    if not text:
        return []
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        line = posixpath.normpath(line.lstrip("!").strip().lstrip("/"))
        regex = ""
        i = 0
        while i < len(line):
            c = line[i]
            if line.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
                continue
            if line.startswith("**", i):
                regex += ".*"
                i += 2
                continue
            regex += {"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c))
            i += 1
        out.append((exception, re.compile(regex + r"\Z")))
    return out


def _ignored(patterns, rel: str) -> bool:
    """Whether ``.dockerignore`` excludes ``rel`` (or a folder holding it)."""
    if not patterns:
        return False
    parts = rel.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for exception, regex in patterns:
        if any(regex.match(c) for c in candidates):
            result = not exception
    return result

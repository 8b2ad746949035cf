"""node-runtime: a Node.js runtime stage with production dependencies and the build output only.

It works on what ``split-stages`` made (a ``builder`` stage and a runtime
stage that copies the project folder from it) when the builder installs a
Node.js project with npm, pnpm or yarn, and reads the project from the
build context (:mod:`migrator.context.node`):

1. **Production dependencies only.** After the build, the builder removes
   the devDependencies (``npm prune --omit=dev``; ``--production`` where the
   node image bundles npm < 8, which has no ``--omit``; ``pnpm prune
   --prod``; yarn 1 ``yarn install --production``; yarn berry ``yarn
   workspaces focus --production``) and the runtime stage copies what is
   left. One line in the builder keeps the diff smallest and the cache best:
   no second download, no npm cache in the runtime image, native addons
   copied as built (see :mod:`migrator.node`). Not done when the install
   already omits them, or when the start command provably runs a
   devDependency (``nodemon``, ``npx ts-node``, ``next dev``, ``ng serve``,
   directly or through the package.json script it runs): the reason names
   the program.
2. **Only what the runtime needs**, when the build context shows it: the
   start file lies in the build's output folder (tsconfig.json
   ``compilerOptions.outDir`` with a build that runs tsc, ``dist``,
   ``build``), so the runtime stage copies package.json, the production
   ``node_modules``, that folder, the context's files the start command
   names and the conventional run-time folders it has (``public``,
   ``views``...: node.json ``runtime_folders``) instead of the whole working
   directory. Where the context can't show it (no context, no package.json,
   a start file outside a build output, a workspace, a RUN of the runtime
   stage that may read the sources) the working directory stays copied
   whole, and a note says why.
3. ``NODE_ENV=production`` in the runtime stage when the start command runs
   the app as in production (``node FILE``, ``next start``, a script that
   does) and the file sets no NODE_ENV: Express and Next.js read it
   (expressjs.com/en/advanced/best-practice-performance.html#set-node_env-to-production).
4. **Next.js standalone** (nextjs.org/docs/app/api-reference/config/next-config-js/output):
   where next.config.* sets ``output: 'standalone'`` and the image runs
   ``next start``, the runtime stage copies ``.next/standalone``,
   ``.next/static`` and ``public`` and runs ``node server.js`` with ``PORT``
   and ``HOSTNAME``. That changes CMD, so it is an **unsafe** change: listed
   by default, applied with ``--unsafe`` (in place of 1-2). ``non-root-user``
   gives the copied folders to the app user (``COPY --chown``), so Next.js
   can write ``.next/cache``.

Reference: https://docs.docker.com/build/building/multi-stage/
"""

from __future__ import annotations

import json
import posixpath

from migrator.analysis import read_run, walk
from migrator.context.node import read_project
from migrator.edits import Edit, Fix
from migrator.model import Dockerfile, Instruction
from migrator.node import (base_ref, dev_dependency_run, exposed_port, find_install, has_build_step, node_facts,
                           project_folder, prune_command, start_command, workspace_root)
from migrator.options import Options
from migrator.render import instruction
from migrator.results import Applicability
from migrator.transform import Outcome


class NodeRuntime:
    """Production dependencies and the build output only in a Node.js runtime stage."""

    id = "node-runtime"
    safety = "mixed"   # Next.js standalone changes CMD: unsafe
    title = "Node.js runtime: production dependencies and build output only"
    rationale = "devDependencies (typescript, bundlers, test tools) and the sources are not needed to run the app"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the production-only runtime of a split Node.js file.

        Returns an empty :class:`Outcome` when the file is not a split
        Node.js build (two stages, the last one copying the install's folder
        from the first); a refusal when the devDependencies must stay (with
        the program or the package manager that keeps them); notes when the
        working directory stays copied whole.
        """
        if len(df.stages) != 2 or not df.stages[0].name:
            return Outcome()
        builder, runtime = df.stages
        bsteps = walk(df, builder)
        infos = {ins.index: read_run(df, ins, ctx) for ins, ctx in bsteps if ins.keyword == "RUN"}
        install = find_install(df, bsteps, infos)
        if install is None:
            return Outcome()
        rsteps = walk(df, runtime)
        copy = _project_copy(rsteps, builder.name, install.folder)
        if copy is None:
            return Outcome()
        folder = project_folder(bsteps, install.folder, options.context)
        project = read_project(options.context, folder) if folder is not None and options.context else None
        if project is None:
            why = ("there is no build context" if options.context is None else
                   "the build context shows no package.json for it")
            what = "the build output" if install.production else "the devDependencies and the build output"
            return Outcome(notes=[f"node-runtime: the runtime stage still copies the whole {install.folder}, which line "
                                  f"{install.ins.start_line} installs: {why}, so the tool can't tell {what}"])
        start = start_command(rsteps, project)
        outcome = Outcome()
        prune, keep = None, None
        dev_target = _dev_target_runs(options)
        if not install.production and project.dev_dependencies:
            keep = dev_dependency_run(start, project)
            if keep is None and dev_target:
                keep = ("the opt-in dev-target builds its development stage FROM the builder, which must keep the "
                        "devDependencies: they reach the runtime stage too")
            if keep is None:
                prune, keep = prune_command(project, base_ref(df, builder))
        if keep:
            outcome.refusals.append(keep)
        plan = _Plan(df, options, builder, runtime, bsteps, rsteps, infos, install, copy, project, start)
        plan.node_env_allowed = not dev_target
        safe = plan.safe_fix(prune)
        if safe is not None:
            outcome.fixes.append(safe)
        outcome.notes.extend(plan.notes)
        standalone = plan.standalone_fix()
        if isinstance(standalone, Fix):
            if options.unsafe:
                outcome.fixes = [standalone]
            else:
                outcome.fixes.append(standalone)
        elif standalone:
            outcome.notes.append(standalone)
        return outcome


def _dev_target_runs(options: Options) -> bool:
    """Whether the opt-in ``dev-target`` runs after this transform: its
    development stage starts FROM the builder and takes the runtime stage's
    ENV, so the builder keeps the devDependencies and no NODE_ENV=production
    is added."""
    chosen = (options.select or frozenset()) | options.extend_select
    return "dev-target" in chosen and "dev-target" not in options.ignore


def _workspaces(options: Options, project) -> bool:
    """:func:`migrator.node.workspace_root` of the run's build context."""
    return workspace_root(project, options.context)


def _project_copy(rsteps, builder: str, folder: str) -> Instruction | None:
    """The runtime stage's ``COPY --from=<builder> <folder> <folder>``."""
    for ins, _ctx in rsteps:
        if ins.keyword == "COPY" and ins.flag("from") == builder and len(ins.args) == 2 \
                and posixpath.normpath(ins.args[0]) == folder and posixpath.normpath(ins.args[1]) == folder:
            return ins
    return None


class _Plan:
    """The edits of one file; ``notes`` collects why a narrowing is not made."""

    def __init__(self, df, options, builder, runtime, bsteps, rsteps, infos, install, copy, project, start):
        self.df, self.options = df, options
        self.builder, self.runtime = builder, runtime
        self.bsteps, self.rsteps, self.infos = bsteps, rsteps, infos
        self.install, self.copy, self.project, self.start = install, copy, project, start
        self.notes: list[str] = []
        self.dir = install.folder
        self.node_env_allowed = True

    # -- the safe fix: prune, narrow copies, NODE_ENV ------------------------

    def safe_fix(self, prune: str | None) -> Fix | None:
        edits: list[Edit] = []
        parts: list[str] = []
        if prune:
            edits.append(self._builder_append(prune))
            names = sorted(self.project.dev_dependencies)
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"the builder removes the devDependencies ({shown}) after the build with `{prune}`, "
                         "so the runtime stage copies production dependencies only")
        copies, why = self._narrow_copies()
        env = self._node_env()
        if copies is not None:
            edits.append(self._replace(self.copy, "".join(copies) + env))
            parts.append(f"the runtime stage copies {self._listed(copies)} instead of the whole {self.dir}")
        else:
            self.notes.append(f"node-runtime: the runtime stage still copies the whole {self.dir}: {why}")
            if env:
                edits.append(self._insert_after(self.copy, env))
        if env:
            parts.append(f"NODE_ENV=production, since line {self.start.line} starts the app as in production")
        if edits:
            dropped, why = self._corepack()
            edits.extend(dropped)
            if why:
                parts.append(why)
        if not edits:
            return None
        return Fix("; ".join(parts), tuple(edits), Applicability.SAFE)

    def _corepack(self) -> tuple[list[Edit], str | None]:
        """Drop the runtime stage's replayed ``RUN corepack enable`` when the
        start command runs neither yarn nor pnpm: corepack's shims only
        fetch the package manager the build used
        (nodejs.org/api/corepack.html)."""
        programs = {p for p, _how in self.start.programs} if self.start is not None else {"yarn"}
        if self.start is None or not self.start.known or programs & {"yarn", "yarnpkg", "pnpm", "pnpx", "corepack"}:
            return [], None
        edits, lines = [], []
        for ins, ctx in self.rsteps:
            if ins.keyword != "RUN" or ins.index > self.copy.index:
                continue
            ops = read_run(self.df, ins, ctx).all_ops
            if ops and all((op.command.argv or [])[:2] in (["corepack", "enable"], ["corepack", "prepare"])
                           for op in ops):
                edits.append(Edit(ins.start, ins.start + len(ins.source), ""))
                lines.append(str(ins.start_line))
        if not edits:
            return [], None
        return edits, (f"`corepack enable` leaves the runtime stage (line {', '.join(lines)}): the start command runs "
                       "neither yarn nor pnpm")

    def _replace(self, ins: Instruction, text: str) -> Edit:
        """Replace ``ins`` (its line break kept) with ``text`` (rendered lines)."""
        return Edit(ins.start, ins.start + len(ins.source.rstrip("\r\n")), text.removesuffix(self.df.newline))

    def _insert_after(self, ins: Instruction, text: str) -> Edit:
        """Insert rendered lines after ``ins``."""
        at = ins.start + len(ins.source)
        prefix = "" if ins.source.endswith("\n") else self.df.newline
        return Edit.insert(at, prefix + text)

    def _builder_append(self, command: str) -> Edit:
        last, ctx = self.bsteps[-1]
        workdir = ctx.workdir if last.keyword != "WORKDIR" else None
        if workdir != self.dir:
            command = f"cd {self.dir} && {command}"
        return self._insert_after(last, instruction(self.df, "RUN", command))

    def _node_env(self) -> str:
        """``ENV NODE_ENV=production`` when the app starts as in production and no NODE_ENV is set."""
        if self.start is None or not self.start.production or not self.node_env_allowed:
            return ""
        if any("NODE_ENV" in ctx.env for _ins, ctx in self.rsteps) or any(
                ins.keyword == "ENV" and "NODE_ENV" in ins.args[::2] for ins, _ctx in self.rsteps):
            return ""
        return instruction(self.df, "ENV", "NODE_ENV=production")

    def _listed(self, copies: list[str]) -> str:
        out = []
        for text in copies:
            words = text.split()
            out.extend(posixpath.relpath(w, self.dir) if w.startswith(self.dir) else w for w in words[2:-1])
        return ", ".join(out)

    def _narrow_copies(self) -> tuple[list[str] | None, str | None]:
        """The COPY lines that replace the whole-folder copy, or (None, why)."""
        project, start = self.project, self.start
        if _workspaces(self.options, project):
            return None, "package.json declares workspaces, whose packages node_modules links to"
        if project.manager == "yarn-berry" and project.yarn_pnp:
            return None, "yarn Plug'n'Play loads the packages through .pnp.cjs and .yarn/cache"
        if start is None:
            return None, "the image sets no CMD or ENTRYPOINT, so the tool can't tell what it runs"
        if start.known and start.next_start:
            return self._next_copies()
        if not start.known or start.file is None:
            return None, (f"line {start.line}: the tool can't tell which file {start.keyword} runs, so it can't tell "
                          "what the app reads")
        if not has_build_step(self.bsteps, self.infos, self.install):
            return None, "nothing is built: the app runs from its sources"
        workdir = self.rsteps[-1][1].workdir
        file = posixpath.normpath(posixpath.join(workdir or "/", start.file))
        if not file.startswith(self.dir.rstrip("/") + "/"):
            return None, f"the start file {start.file} lies outside {self.dir}"
        rel = posixpath.relpath(file, self.dir)
        top = rel.split("/", 1)[0]
        outputs = set(node_facts()["build_output_folders"]["names"])
        if project.ts_out_dir:
            outputs.add(project.ts_out_dir.split("/", 1)[0])
        if rel in outputs:
            top = rel       # `node dist`: the folder's index.js (nodejs.org/api/modules.html#folders-as-modules)
        elif "/" not in rel or top not in outputs:
            return None, (f"the start file {rel} is not in a build output folder ({', '.join(sorted(outputs))}), so "
                          "it may load the sources")
        for ins, _ctx in self.rsteps:
            if ins.index > self.copy.index and ins.keyword in ("RUN", "COPY", "ADD"):
                return None, f"line {ins.start_line} runs after the copy and may use the working directory's files"
        files = ["package.json"]
        nested: list[str] = []
        for word in self._start_words():
            name = posixpath.normpath(word)
            if name.startswith(("/", "..")) or name.split("/", 1)[0] == top or \
                    not self.options.context.is_file(project.path(name)):
                continue
            # a file CMD/ENTRYPOINT/HEALTHCHECK names (`node healthcheck.js`, `scripts/probe.js`)
            (files if "/" not in name else nested).append(name)
        files = list(dict.fromkeys(files))
        return self._copies(files, top, list(dict.fromkeys(nested))), None

    def _copies(self, files: list[str], output: str, nested: list[str] = ()) -> list[str]:
        """COPY lines for node_modules, ``files``, the run-time folders the
        context has (and its .dockerignore lets through), the ``nested``
        files (each to its own path), and ``output``."""
        ignored = self._ignored()
        assets = [n for n in node_facts()["runtime_folders"]["names"]
                  if n in self.project.folders and n != output and n not in ignored]
        d = self.dir.rstrip("/")
        b = self.builder.name

        def folder(name: str) -> str:
            return instruction(self.df, "COPY", f"--from={b} {d}/{name} {d}/{name}")

        # what changes least first, so a source change rebuilds the fewest layers; a
        # folder first, where build-deps may write its list of runtime packages
        out = [folder("node_modules"),
               instruction(self.df, "COPY", f"--from={b} {' '.join(f'{d}/{f}' for f in files)} {d}/")]
        out.extend(folder(name) for name in assets)
        out.extend(folder(name) for name in nested if name.split("/", 1)[0] not in assets)
        out.append(folder(output))
        return out

    def _ignored(self) -> set[str]:
        """Top-level names the context's .dockerignore excludes by a plain rule
        (``public``, ``/public``, ``**/public``): a COPY of them from the
        builder would fail, as the builder never got them."""
        text = self.options.context.read_text(".dockerignore") or ""
        out = set()
        for raw in text.splitlines():
            rule = raw.strip()
            if rule and not rule.startswith(("#", "!")):
                out.add(rule.removeprefix("**/").strip("/"))
        return out

    def _next_copies(self) -> tuple[list[str] | None, str | None]:
        """What ``next start`` reads (nextjs.org/docs/app/getting-started/deploying,
        Node.js server): package.json, next.config.*, node_modules, ``.next``
        and ``public``."""
        project = self.project
        if not has_build_step(self.bsteps, self.infos, self.install):
            return None, "nothing is built: `next start` needs the .next folder a `next build` writes"
        if project.next_dist_dir is not None:
            return None, f"{project.next_config} sets distDir, which the tool does not follow"
        env_files = [n for n in self.options.context.list_dir(project.folder) if n.startswith(".env")]
        if env_files:
            return None, (f"`next start` reads the build context's {', '.join(env_files)} at run time, which the "
                          "tool does not copy one by one")
        for ins, _ctx in self.rsteps:
            if ins.index > self.copy.index and ins.keyword in ("RUN", "COPY", "ADD"):
                return None, f"line {ins.start_line} runs after the copy and may use the working directory's files"
        files = ["package.json"] + ([project.next_config] if project.next_config else [])
        return self._copies(files, ".next"), None

    def _start_words(self) -> list[str]:
        words = []
        for ins, _ctx in self.rsteps:
            if ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
                words.extend(w.strip("'\"") for a in ins.args for w in a.split())
        return words

    # -- the unsafe fix: Next.js standalone ----------------------------------

    def standalone_fix(self) -> Fix | str | None:
        """The Next.js standalone runtime (an unsafe fix), a note on why not,
        or None when the project does not build a standalone server."""
        project, start = self.project, self.start
        if project.next_output != "standalone":
            return None
        if start is None or not start.next_start:
            return None
        if project.next_dist_dir is not None:
            return (f"node-runtime: no Next.js standalone runtime: {project.next_config} sets distDir, which the "
                    "tool does not follow")
        if _workspaces(self.options, project):
            return ("node-runtime: no Next.js standalone runtime: a workspace's standalone server lies under its "
                    "path from the tracing root, which the tool does not follow")
        if any(ins.keyword == "ENTRYPOINT" for ins, _ctx in self.rsteps):
            return f"node-runtime: no Next.js standalone runtime: line {start.line}: an ENTRYPOINT wraps the start"
        for ins, _ctx in self.rsteps:
            if ins.index > self.copy.index and ins.keyword in ("RUN", "COPY", "ADD"):
                return (f"node-runtime: no Next.js standalone runtime: line {ins.start_line} runs after the copy "
                        "and may use the working directory's files")
        cmd = next(ins for ins, _ctx in reversed(self.rsteps) if ins.keyword == "CMD")
        d = self.dir.rstrip("/")
        b = self.builder.name
        port = start.port or exposed_port(self.rsteps) or "3000"
        lines = []
        if "public" in project.folders:
            lines.append(instruction(self.df, "COPY", f"--from={b} {d}/public {d}/public"))
        lines.append(instruction(self.df, "COPY", f"--from={b} {d}/.next/standalone {d}/"))
        lines.append(instruction(self.df, "COPY", f"--from={b} {d}/.next/static {d}/.next/static"))
        env = self._node_env()
        lines.append(env)
        lines.append(instruction(self.df, "ENV", f'PORT={port} HOSTNAME="0.0.0.0"'))
        edits = [self._replace(self.copy, "".join(lines)),
                 self._replace(cmd, f'{cmd.source.split(None, 1)[0]} {json.dumps(["node", "server.js"])}')]
        edits.extend(self._corepack()[0])
        reason = (f"Next.js standalone output ({project.next_config} sets output: 'standalone'): the runtime stage "
                  f"copies .next/standalone, .next/static{' and public' if 'public' in project.folders else ''} "
                  f"and runs `node server.js` on PORT {port}, HOSTNAME 0.0.0.0 in place of line {cmd.start_line}'s "
                  "`next start` (the server Next.js traced, with only the node_modules it loads); it changes CMD")
        return Fix(reason, tuple(edits), Applicability.UNSAFE)

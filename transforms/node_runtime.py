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
   copied as built (see :mod:`migrator.analysis.node`). Not done when the install
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
import re

from migrator.analysis.commands import command_table
from migrator.analysis.stage import is_root, read_run, walk
from migrator.context.node import first_mention, home_cache_packages, only_files_ending, read_project
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.analysis.node import (base_ref, dev_dependency_run, exposed_port, find_install, has_build_step, node_facts,
                           install_download_dirs, project_folder, prune_command, start_command,
                           unmatched_manifest_glob, workspace_root)
from migrator.options import Options
from migrator.model.render import instruction
from migrator.model.results import Applicability
from migrator.transform import Outcome


_SCRIPT_WORDS = re.compile(r"[\s/'\"=:;&|()<>,]+")
"""Splits a package.json script into the path segments it may name."""


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
            hint = "; --context DIR names the folder the image is built from"
            if options.context is None:
                why = "no build context was given"
            elif folder is None and (glob := unmatched_manifest_glob(bsteps, install.folder, options.context)):
                why = (f"the build context (the Dockerfile's folder unless --context DIR names another) has no file "
                       f"matching {glob[1]}, which line {glob[0]} copies into {install.folder}")
            elif folder is None:
                why = (f"no COPY of the builder shows which build-context folder lands in {install.folder} (a COPY "
                       f"of the folder, or of its package.json, into {install.folder})")
                hint = ""
            else:
                why = ("the build context (the Dockerfile's folder unless --context DIR names another) has no "
                       + posixpath.join(folder, "package.json").removeprefix("./"))
            what = "the build output" if install.production else "the devDependencies and the build output"
            outcome = Outcome(notes=[f"node-runtime: the runtime stage still copies the whole {install.folder}, which "
                                     f"line {install.ins.start_line} installs: {why}, so the tool can't tell {what}{hint}"])
            plan = _Plan(df, options, builder, runtime, bsteps, rsteps, infos, install, copy, None, None)
            cache = plan.home_cache_fix()   # a builder command's download needs no package.json
            if cache is not None:
                outcome.fixes.append(cache)
            outcome.notes.extend(plan.notes)
            return outcome
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
        if plan.env_fix is not None:
            outcome.fixes.append(plan.env_fix)
        cache = plan.home_cache_fix()
        if cache is not None:
            outcome.fixes.append(cache)
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


def _has_words(argv: list[str], words: list[str]) -> bool:
    """Whether ``words`` appear in a row in ``argv``."""
    return any(argv[i:i + len(words)] == words for i in range(len(argv)))


def _dev_target_runs(options: Options) -> bool:
    """Whether the opt-in ``dev-target`` runs after this transform: its
    development stage starts FROM the builder and takes the runtime stage's
    ENV, so the builder keeps the devDependencies and no NODE_ENV=production
    is added."""
    chosen = (options.select or frozenset()) | options.extend_select
    return "dev-target" in chosen and "dev-target" not in options.ignore


def _workspaces(options: Options, project) -> bool:
    """:func:`migrator.analysis.node.workspace_root` of the run's build context."""
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
        self.env_fix: Fix | None = None   # NODE_ENV=production as an unsafe change (see _env_risk)

    # -- the safe fix: prune, narrow copies, NODE_ENV ------------------------

    def safe_fix(self, prune: str | None) -> Fix | None:
        edits: list[Edit] = []
        parts: list[str] = []
        commands: list[str] = []
        if prune:
            commands.append(prune)
            names = sorted(self.project.dev_dependencies)
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            parts.append(f"the builder removes the devDependencies ({shown}) after the build with `{prune}`, "
                         "so the runtime stage copies production dependencies only")
        removed, why = self._build_only(pruned=bool(prune))
        if removed:
            commands.append("rm -rf " + " ".join(name for name, _why in removed))
            parts.append(f"the builder deletes what only the build uses before the runtime stage copies "
                         f"{self.dir}: " + "; ".join(f"{name} ({reason})" for name, reason in removed)
                         + "; everything else of the working directory is copied as the original had it")
        else:
            self.notes.append(f"node-runtime: the runtime stage copies the whole {self.dir} (nothing is deleted as "
                              f"build-only): {why}")
        if commands:
            edits.append(self._builder_append(*commands))
        env, risk = self._node_env()
        if env and not risk:
            edits.append(self._insert_after(self.copy, env))
            parts.append(f"NODE_ENV=production, since line {self.start.line} starts the app as in production and "
                         f"{self._env_safe_why()}")
        elif env:
            self.env_fix = Fix(f"NODE_ENV=production, since line {self.start.line} starts the app as in production; "
                               f"unsafe: {risk}, so the setting may change what the app loads",
                               (self._insert_after(self.copy, env),), Applicability.UNSAFE)
        if edits:
            dropped, why = self._corepack()
            edits.extend(dropped)
            if why:
                parts.append(why)
        if not edits:
            return None
        return Fix("; ".join(parts), tuple(edits), Applicability.SAFE)

    def home_cache_fix(self) -> Fix | None:
        """Carry what the build downloads into the builder user's HOME to
        the runtime stage (``commands.json`` ``home_caches``): a dependency's
        install script (``packages``: puppeteer >= 19 puts Chrome in
        ``~/.cache/puppeteer``, pptr.dev/guides/configuration) or a command
        of the builder (``node_commands``: ``npx playwright install`` into
        ``~/.cache/ms-playwright``, playwright.dev/docs/browsers). The
        runtime stage copies the folder from the builder to
        ``/opt/<name>/cache`` and sets the variable that tells the package
        where it is: the runtime copies only the project folder, and its
        user, once ``non-root-user`` sets one, has another HOME. Nothing when
        the install skips scripts, an ENV moves the download into the
        project folder or skips it, or the runtime stage runs the command
        itself; a note when a config file of the project may move it or the
        builder's user has a HOME the tool can't tell.

        Returns:
            the safe :class:`Fix`, or None (notes go to ``self.notes``).
        """
        found: dict[str, tuple] = {}   # source -> (name, dir_env, why, sure)
        for got in self._package_downloads():
            found.setdefault(got[0], got[1:])
        for got in self._command_downloads():
            found.setdefault(got[0], got[1:])
        texts, parts, made = [], [], []
        for source, (name, dir_env, why, sure) in found.items():
            target = posixpath.join("/opt", name, "cache")
            if not sure:
                made.append(source)
            texts.append(instruction(self.df, "COPY", f"--from={self.builder.name} {source} {target}")
                         + instruction(self.df, "ENV", f"{dir_env}={target}"))
            parts.append(f"{why} {source}; the runtime stage copies only {self.dir} and may run as another user "
                         f"with another HOME, so it copies {source} to {target} (readable by every user) and sets "
                         f"{dir_env} there, where {name} looks at run time")
        if not texts:
            return None
        # the copy is rewritten with the new lines after it: NODE_ENV is an insertion after its line break
        edits = [self._replace(self.copy, self.copy.source.rstrip("\r\n") + self.df.newline + "".join(texts))]
        if made:
            edits.append(self._builder_append("mkdir -p " + " ".join(made)))
            parts.append("the builder makes sure " + ", ".join(made) + " exists (the tool can't tell from the "
                         "version range whether the install downloads), so the COPY can't fail")
        return Fix("; ".join(parts), tuple(edits), Applicability.SAFE)

    def _download_source(self, ctx, env: dict, cwd: str, folder: str, dir_env: str, what: str,
                         in_project: str | None = None) -> str | None:
        """Where a download lands in the builder: ``$dir_env`` (resolved
        against ``cwd``) or ``HOME/folder``; None when that is in the project
        folder (the project copy carries it) or the HOME can't be told (a
        note then)."""
        value = env.get(dir_env, "").strip("'\"")
        if value and value == in_project:
            return None
        if value:
            where = posixpath.normpath(posixpath.join(cwd, value))
            inside = where == self.dir or where.startswith(self.dir.rstrip("/") + "/")
            return None if inside or "$" in where else where
        home = env.get("HOME") or ("/root" if is_root(ctx.user) else None)
        if home is None:
            self.notes.append(f"node-runtime: {what} downloads into ~/{folder} of user {ctx.user}, whose HOME the "
                              f"tool can't tell; the runtime stage copies only {self.dir}")
            return None
        return posixpath.join(home, folder)

    def _package_downloads(self) -> list[tuple]:
        """``(source, name, dir_env, why, sure)`` for each dependency whose
        install script downloads into HOME (notes for a config file that
        may move it and for a HOME the tool can't tell)."""
        if self.project is None:
            return []
        packages = home_cache_packages(self.project, self.options.context)
        line = self.install.ins.start_line
        out = []
        for pkg in packages:
            if pkg.config:
                self.notes.append(f"node-runtime: package.json depends on {pkg.name} {pkg.spec}, whose install "
                                  f"(line {line}) downloads into the builder user's ~/{pkg.folder} unless "
                                  f"{pkg.config} moves or skips it; the runtime stage copies only {self.dir}: check "
                                  "that the runtime finds the download")
        for pkg, where in install_download_dirs(self.bsteps, self.infos, self.install, packages):
            what = f"package.json depends on {pkg.name} {pkg.spec}, whose install (line {line})"
            if where is None:
                self.notes.append(f"node-runtime: {what} downloads into ~/{pkg.folder} of the builder's user, whose "
                                  f"HOME the tool can't tell; the runtime stage copies only {self.dir}")
            elif not (where == self.dir or where.startswith(self.dir.rstrip("/") + "/") or "$" in where):
                out.append((where, pkg.name, pkg.dir_env, f"{what} downloads its browser into", pkg.sure))
        return out

    def _command_downloads(self) -> list[tuple]:
        """``(source, name, dir_env, why, True)`` for each builder command of
        ``home_caches.node_commands`` the runtime stage does not run too."""
        table = {k: v for k, v in command_table()["home_caches"].get("node_commands", {}).items()
                 if not k.startswith("_")}
        runtime_runs = set()
        for ins, ctx in self.rsteps:
            if ins.keyword == "RUN":
                for op in read_run(self.df, ins, ctx).all_ops:
                    runtime_runs.update(n for n, e in table.items() if _has_words(op.command.argv or [], e["argv"]))
        out = []
        for ins, ctx in self.bsteps:
            info = self.infos.get(ins.index)
            for op in info.all_ops if info else ():
                argv = op.command.argv or []
                for name, entry in table.items():
                    if name in runtime_runs or not _has_words(argv, entry["argv"]):
                        continue
                    env = dict(ctx.env)
                    env.update(a.split("=", 1) for a in op.command.assignments if "=" in a)
                    what = f"line {ins.start_line} runs `{' '.join(entry['argv'])}`, which"
                    source = self._download_source(ctx, env, op.command.cwd or ctx.workdir or "/", entry["folder"],
                                                   entry["dir_env"], what, entry.get("in_project"))
                    if source:
                        out.append((source, name, entry["dir_env"], f"{what} downloads its browsers into", True))
        return out

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

    def _builder_append(self, *commands: str) -> Edit:
        """One RUN line per command after the builder's last instruction, in
        the project folder."""
        last, ctx = self.bsteps[-1]
        workdir = ctx.workdir if last.keyword != "WORKDIR" else None
        prefix = f"cd {self.dir} && " if workdir != self.dir else ""
        return self._insert_after(last, "".join(instruction(self.df, "RUN", prefix + c) for c in commands))

    def _node_env(self) -> tuple[str, str | None]:
        """``(ENV line, None)`` when the app starts as in production, the file
        sets no NODE_ENV and the setting can't change what the app loads;
        ``(ENV line, why)`` when it may (:meth:`_env_risk`); ``("", None)``
        when none is added."""
        if self.start is None or not self.start.production or not self.node_env_allowed:
            return "", None
        if any("NODE_ENV" in ctx.env for _ins, ctx in self.rsteps) or any(
                ins.keyword == "ENV" and "NODE_ENV" in ins.args[::2] for ins, _ctx in self.rsteps):
            return "", None
        return instruction(self.df, "ENV", "NODE_ENV=production"), self._env_risk()

    def _env_safe_why(self) -> str:
        if self.start.next_start:
            return "`next start` sets it itself"
        return ("no dependency, config/production.* or .env.production file or source of the build context reads "
                "NODE_ENV (Express turns on view caching and hides error details, what the setting is for)")

    def _env_risk(self) -> str | None:
        """Why NODE_ENV=production may change what the app loads, or None.

        ``next start`` sets NODE_ENV=production itself (nextjs.org/docs/
        messages/non-standard-node-env), so adding it changes nothing there.
        Else: a dependency of node.json ``node_env_readers`` (node-config,
        dotenv-flow, knex...), a ``config/production.*`` or
        ``.env.production*`` file, or a JavaScript/TypeScript source of the
        project (outside node_modules, public, static and the build output)
        that mentions NODE_ENV.
        """
        if self.start.next_start:
            return None
        project, context = self.project, self.options.context
        facts = node_facts()
        readers = [n for n in facts["node_env_readers"]["names"]
                   if n in project.dependencies or n in project.dev_dependencies]
        if readers:
            return f"package.json depends on {', '.join(readers)}, which choose{'s' if len(readers) == 1 else ''} " \
                   "files or settings by NODE_ENV"
        files = [f"config/{n}" for n in context.list_dir(project.path("config")) if n.startswith("production.")]
        files += [n for n in context.list_dir(project.folder) if n.startswith(".env.production")]
        if files:
            return f"the build context has {', '.join(files)}, which an app loads when NODE_ENV is production"
        skip = {"node_modules", ".git", "public", "static", ".next"} | set(facts["build_output_folders"]["names"])
        if project.ts_out_dir:
            skip.add(project.ts_out_dir.split("/", 1)[0])
        found = first_mention(context, project.folder, "NODE_ENV", tuple(skip))
        if found:
            return f"{found} mentions NODE_ENV"
        return None

    def _build_only(self, pruned: bool) -> tuple[list[tuple[str, str]] | None, str | None]:
        """What the builder deletes before the runtime stage copies the
        working directory: ``([(name relative to it, why), ...], None)``, or
        ``(None, why nothing)``.

        The runtime stage keeps copying the whole working directory (what the
        app reads at run time that the tool can't see stays, by
        construction), minus what is provably build-only (node.json
        ``build_only``): top-level folders holding TypeScript sources only
        when the app starts from a separate build output and no dependency
        loads TypeScript, tsconfig*.json when none reads it, test folders,
        build tools' caches. Never a folder a dependency or a convention
        reads at run time (node.json ``runtime_folders_by_package``,
        ``runtime_folders``), the build output, or a name the start command
        or a package.json script it runs (with its pre/post scripts) names.
        """
        project, start = self.project, self.start
        if not self.node_env_allowed:   # the opt-in dev-target runs after this transform
            return None, ("the opt-in dev-target builds its development stage FROM the builder, which must keep the "
                          "sources")
        if _workspaces(self.options, project):
            return None, "package.json declares workspaces, whose packages node_modules links to"
        if start is None:
            return None, "the image sets no CMD or ENTRYPOINT, so the tool can't tell what it runs"
        if not has_build_step(self.bsteps, self.infos, self.install):
            return None, "nothing is built: the app runs from its sources"
        for ins, _ctx in self.rsteps:
            if ins.index > self.copy.index and ins.keyword in ("RUN", "COPY", "ADD"):
                return None, f"line {ins.start_line} runs after the copy and may use the working directory's files"
        facts = node_facts()
        if start.known and start.next_start:
            output = ".next"
        else:
            if not start.known or start.file is None:
                return None, (f"line {start.line}: the tool can't tell which file {start.keyword} runs, so it can't "
                              "tell which sources it loads")
            workdir = self.rsteps[-1][1].workdir
            file = posixpath.normpath(posixpath.join(workdir or "/", start.file))
            if not file.startswith(self.dir.rstrip("/") + "/"):
                return None, f"the start file {start.file} lies outside {self.dir}"
            rel = posixpath.relpath(file, self.dir)
            output = rel.split("/", 1)[0]
            outputs = set(facts["build_output_folders"]["names"])
            if project.ts_out_dir:
                outputs.add(project.ts_out_dir.split("/", 1)[0])
            if rel not in outputs and ("/" not in rel or output not in outputs):
                gap = f"; tsc's outDir is unknown: {project.ts_gap}" if project.ts_gap else ""
                return None, (f"the start file {rel} is not in a build output folder ({', '.join(sorted(outputs))}), "
                              f"so it may load the sources{gap}")
        build_only = facts["build_only"]
        deps = set(project.dependencies) | (set() if pruned else set(project.dev_dependencies))
        guarded = {output, "node_modules"} | set(facts["runtime_folders"]["names"])
        for name, folders in facts["runtime_folders_by_package"].items():
            if not name.startswith("_") and name in set(project.dependencies) | set(project.dev_dependencies):
                guarded.update(folders)
        for ins, ctx in self.rsteps:
            config_dir = ctx.env.get("NODE_CONFIG_DIR")
            if config_dir:
                guarded.add(posixpath.relpath(posixpath.join(self.dir, config_dir), self.dir).split("/", 1)[0])
        guarded |= {posixpath.normpath(w).split("/", 1)[0] for w in self._start_words()}
        if project.main:
            guarded.add(posixpath.normpath(project.main).split("/", 1)[0])
        ran = {how[4:-len(" script of package.json")] for _p, how in start.programs
               if how.startswith("the ") and how.endswith(" script of package.json")}
        for key in ran | {f"{p}{n}" for n in ran for p in ("pre", "post")}:
            guarded |= set(_SCRIPT_WORDS.split(project.scripts.get(key, "")))
        programs = {p for p, _how in start.programs}
        loaders = sorted((deps | programs) & set(build_only["typescript_loaders"]))
        ts_config_loads_ts = bool(project.next_config and project.next_config.endswith(("ts", "mts")))
        context = self.options.context
        out: list[tuple[str, str]] = []
        tests = set(build_only["test_folders"])
        for name in sorted(project.folders):
            if name in guarded:
                continue
            if name in tests:
                out.append((name, "tests"))
            elif not loaders and not ts_config_loads_ts and not name.startswith(".") and \
                    only_files_ending(context, project.path(name), build_only["typescript_extensions"]):
                out.append((name, f"TypeScript sources only, compiled into {output}; no dependency loads .ts files "
                                  "at run time"))
        if not loaders and not start.next_start:
            for name in context.list_dir(project.folder):
                if name.startswith("tsconfig") and name.endswith(".json") and name not in guarded \
                        and context.is_file(project.path(name)):
                    out.append((name, "read by tsc only: no dependency reads it at run time"))
        out.extend((name, "build tools' cache, where the build left one") for name in build_only["caches"])
        return out, None

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
        env, _risk = self._node_env()   # None: `next start` sets NODE_ENV=production itself
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

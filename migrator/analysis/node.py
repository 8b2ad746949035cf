"""What a Node.js image's runtime needs: production dependencies, the build output, its start command.

Shared by the ``node-runtime`` transform (which rewrites the runtime stage
``split-stages`` made) and :mod:`migrator.analysis.gain` (devDependencies that leave
the runtime image make a split pay), which must not import a transform.
Build-context files are read by :mod:`migrator.context.node`; Node.js facts
(the npm each ``node`` image bundles, conventional folders) are data:
``migrator/data/node.json``.

Production dependencies: the devDependencies are removed **in the builder,
after the build** (``npm prune --omit=dev``, ``pnpm prune --prod``, yarn 1
``yarn install --production``, yarn berry ``yarn workspaces focus
--production``), and the runtime stage copies the pruned ``node_modules``.
That form, rather than a second ``npm ci --omit=dev`` in the runtime stage,
keeps the diff to one line in the builder and keeps the cache best: nothing
is downloaded twice, no npm cache lands in the runtime image, native
addons built by the install (with the compilers ``build-deps`` leaves in
the builder) reach the runtime as they were built, and ``COPY --from`` is
keyed on the content it copies, so a source change that leaves the
production tree alone reuses that layer.
Sources: docs.npmjs.com/cli/commands/npm-prune, pnpm.io/cli/prune,
classic.yarnpkg.com/en/docs/cli/install#toc-yarn-install-production-true-false,
yarnpkg.com/cli/workspaces/focus.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import shlex
from dataclasses import dataclass

from migrator.analysis.stage import Context, global_arg_defaults, substitute
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.context.globs import could_match, has_wildcard, match_sources

MANAGERS = ("npm", "pnpm", "yarn")
"""Package managers whose install the runtime stage gets production-only."""

_INSTALL_SUBCOMMANDS = {"npm": ("ci", "install", "i", "clean-install", "isntall"), "pnpm": ("install", "i"),
                        "yarn": ("install",)}
"""The subcommands that install a project's dependencies (``yarn`` alone does too)."""

_WRAPPERS = frozenset({"tini", "dumb-init", "exec", "--", "env"})
"""Words before the real program of a start command (init processes, ``exec``, ``env``)."""

_NODE = frozenset({"node", "nodejs"})


@functools.lru_cache(maxsize=1)
def node_facts() -> dict:
    """The tables of ``migrator/data/node.json``."""
    from migrator.analysis.packages import read_data

    return json.loads(read_data("node.json"))


def npm_major(image_ref: str) -> int | None:
    """The npm major the official ``node`` image ``image_ref`` bundles.

    Args:
        image_ref: ``node:18``, ``node:14-alpine``, ``node:16.3.0-slim``,
            ``node:hydrogen``, ``node:lts``, ``node`` (any registry prefix).
    Returns:
        for a tag naming only the major (a moving tag), the npm of that
        major's latest release; for a tag with a minor, the npm of its first
        release (the oldest it can be); ``lts``/``current``/``latest``/no
        tag: the newest major the data knows; None for another image or an
        unknown major. Source: ``npm_by_node_major`` of node.json.
    """
    name, _, tag = image_ref.rpartition(":") if ":" in image_ref.rsplit("/", 1)[-1] else (image_ref, "", "latest")
    if posixpath.basename(name.split("@")[0]) != "node":
        return None
    table = {k: v for k, v in node_facts()["npm_by_node_major"].items() if not k.startswith("_")}
    codenames = node_facts()["codenames"]
    head = tag.split("-", 1)[0].lower()
    if head in ("lts", "current", "latest", ""):
        return table[max(table, key=int)][1]
    if head in codenames:
        return table.get(str(codenames[head]), [None, None])[1]
    parts = head.split(".")
    if not parts[0].isdigit() or parts[0] not in table:
        return None
    first, last = table[parts[0]]
    return last if len(parts) == 1 else first


@dataclass(frozen=True)
class Install:
    """The dependency install of a Node.js project in the build.

    Attributes:
        ins: its RUN instruction.
        manager: ``npm``, ``pnpm`` or ``yarn``.
        folder: the folder it runs in (absolute, in the image).
        production: it already leaves the devDependencies out (``npm ci
            --omit=dev``, ``yarn --production``, ``pnpm install --prod``,
            ``NODE_ENV=production`` in effect).
    """

    ins: Instruction
    manager: str
    folder: str
    production: bool


def find_install(df: Dockerfile, steps, infos) -> Install | None:
    """The last npm/pnpm/yarn project install of ``steps``, or None.

    Args:
        df: the file.
        steps: ``(instruction, context)`` pairs of the build part.
        infos: instruction index -> :class:`migrator.analysis.stage.RunInfo`.
    """
    found = None
    for ins, ctx in steps:
        info = infos.get(ins.index)
        for op in info.all_ops if info else ():
            argv = op.command.argv or []
            name = op.command.name
            if name not in MANAGERS or op.command.cwd is None:
                continue
            words = [a for a in argv[1:] if not a.startswith("-")]
            if any(a in ("-g", "--global") for a in argv) or words[:1] == ["global"]:
                continue
            if not (words[:1] and words[0] in _INSTALL_SUBCOMMANDS[name] or name == "yarn" and not words):
                continue
            found = Install(ins, name, op.command.cwd, _production_install(name, argv, ctx, op.command.assignments))
    return found


def _production_install(name: str, argv: list[str], ctx: Context, assignments) -> bool:
    """Whether an install leaves the devDependencies out (npm, pnpm and yarn
    manuals: ``--omit=dev``, ``--production``, ``--only=prod``, ``--prod``,
    ``-P``, and ``NODE_ENV=production``, which all three honour)."""
    env = dict(ctx.env)
    env.update(a.split("=", 1) for a in assignments if "=" in a)
    if env.get("NODE_ENV", "").strip("'\"") == "production" and "--include=dev" not in argv \
            and "--production=false" not in argv and "--prod=false" not in argv:
        return True
    args = argv[1:]
    for i, a in enumerate(args):
        if a in ("--omit=dev", "--production", "--production=true", "--only=prod", "--only=production",
                 "--prod", "-P"):
            return True
        if a in ("--omit", "--only") and i + 1 < len(args) and args[i + 1] in ("dev", "prod", "production"):
            return True
    return False


def prune_command(project, image_ref: str) -> tuple[str | None, str | None]:
    """The builder command that removes the devDependencies after the build.

    Args:
        project: the :class:`migrator.context.node.NodeProject`.
        image_ref: the node image the builder runs on (npm's version).
    Returns:
        ``(command, None)``, or ``(None, reason)`` when the package manager
        has no such command the tool can use: bun, yarn berry with Plug'n'Play
        (its packages stay zip archives in ``.yarn/cache``), yarn 2/3 without
        the workspace-tools plugin that provides ``workspaces focus``.
    """
    manager = project.manager
    if manager == "npm":
        major = npm_major(image_ref)
        floor = node_facts()["omit_dev_min_npm"]["npm"]
        if major is not None and major < floor:
            return "npm prune --production", None
        return "npm prune --omit=dev", None
    if manager == "pnpm":
        return "pnpm prune --prod", None
    if manager == "yarn":
        return "yarn install --production --ignore-scripts --prefer-offline", None
    if manager == "yarn-berry":
        if project.yarn_pnp:
            return None, ("yarn berry installs with Plug'n'Play (no `nodeLinker: node-modules` in .yarnrc.yml): its "
                          "packages stay zip archives in .yarn/cache, which a focused install does not shrink")
        if (project.yarn_major or 0) < 4 and not any("workspace-tools" in p for p in project.yarn_plugins):
            return None, ("`yarn workspaces focus` needs yarn 4, or the workspace-tools plugin on yarn 2/3, and "
                          "the build context shows neither (packageManager, .yarnrc.yml)")
        return "yarn workspaces focus --production", None
    return None, f"{manager} has no command that removes the devDependencies of an installed project"


# ---------------------------------------------------------------------------
# The start command


@dataclass(frozen=True)
class Start:
    """What the image's start command runs, read through package.json scripts.

    Attributes:
        line: the CMD/ENTRYPOINT line.
        keyword: ``CMD`` or ``ENTRYPOINT``.
        programs: each program run, with how it was reached
            (``("nodemon", "the start script")``).
        file: the script ``node`` runs (relative to the working directory
            when written so), or None.
        production: the command runs the app as in production: ``node
            FILE``, ``next start``, ``pm2-runtime FILE``.
        next_start: ``next start`` runs (directly or through a script).
        dev_server: the development server it starts (``"next dev"``,
            node.json ``dev_servers``), or None.
        port: the port ``next start -p`` names, or None.
        known: every word could be read (no unknown variable, script or
            shell script).
    """

    line: int
    keyword: str
    programs: tuple[tuple[str, str], ...]
    file: str | None
    production: bool
    next_start: bool
    port: str | None
    known: bool
    dev_server: str | None = None


def start_command(instructions, project) -> Start | None:
    """Read the start command of the final stage.

    Args:
        instructions: ``(instruction, context)`` pairs of the final stage
            (its last ENTRYPOINT and CMD are read).
        project: the :class:`migrator.context.node.NodeProject`, or None
            (no package.json scripts to follow).
    Returns:
        the :class:`Start`, or None when there is no CMD and no ENTRYPOINT.
    """
    entry = cmd = None
    for ins, ctx in instructions:
        if ins.keyword == "ENTRYPOINT":
            entry, cmd = (ins, ctx), None
        elif ins.keyword == "CMD":
            cmd = (ins, ctx)
    if entry is None and cmd is None:
        return None
    words: list[str] = []
    known = True
    for part in (entry, cmd):
        if part is None:
            continue
        ins, ctx = part
        if ins.json:
            got = [substitute(a, ctx.env) for a in ins.args]
        else:
            text = substitute(" ".join(ins.args), ctx.env)
            try:
                got = shlex.split(text) if text is not None else [None]
            except ValueError:
                got = [None]
            if part is entry and cmd is not None:
                cmd = None     # a shell-form ENTRYPOINT ignores CMD
        if any(w is None for w in got):
            known = False
            got = [w for w in got if w is not None]
        words.extend(got)
    shown = entry or cmd
    reading = _Reading(project)
    reading.command(words, "the command")
    return Start(shown[0].start_line, shown[0].keyword, tuple(reading.programs), reading.file,
                 reading.production, reading.next_start, reading.port, known and reading.known, reading.dev_server)


class _Reading:
    """Follows a command through wrappers, ``sh -c`` and package.json scripts."""

    def __init__(self, project):
        self.project = project
        self.programs: list[tuple[str, str]] = []
        self.file: str | None = None
        self.production = False
        self.next_start = False
        self.port: str | None = None
        self.known = True
        self.depth = 0
        self.dev_server: str | None = None

    def command(self, words: list[str], how: str) -> None:
        while words and (posixpath.basename(words[0]) in _WRAPPERS or "=" in words[0] and
                         not words[0].startswith("-") and words[0].split("=")[0].isidentifier()):
            words = words[1:]
        while words and words[0].startswith("-") and self.programs == [] and words[0] in ("-s", "-g"):
            words = words[1:]     # tini -s --
        if not words:
            return
        program = posixpath.basename(words[0])
        args = words[1:]
        if program in ("sh", "bash", "ash", "dash") and "-c" in args[:2]:
            rest = args[args.index("-c") + 1:]
            if rest:
                self.script(rest[0], how)
            return
        if program in _NODE:
            self.programs.append((program, how))
            target = next((a for a in args if not a.startswith("-")), None)
            if target is not None:
                self.file = self._main() if target in (".", "./") else target
                self.production = True
            return
        if program in ("npm", "pnpm", "yarn"):
            name = self._script_name(program, args)
            if name is not None and self.project is not None and name in self.project.scripts:
                self.programs.append((program, how))     # the package manager runs at start too
                self.script(self.project.scripts[name], f"the {name} script of package.json")
                return
            if name == "start" and program == "npm" and self.project is not None:
                # npm start without a start script runs `node server.js` (docs.npmjs.com/cli/commands/npm-start)
                self.command(["node", "server.js"], "npm start's default")
                return
            if program in ("pnpm", "yarn") and args and args[0] in ("exec", "dlx") or program == "yarn" and args \
                    and name is not None and self.project is not None and name not in self.project.scripts:
                rest = args[1:] if args[0] in ("exec", "dlx", "run") else args
                self.command(rest, how)
                return
            self.programs.append((program, how))
            if name is not None and self.project is not None:
                self.known = False     # a script package.json does not have
            return
        if program == "npx":
            rest = [a for a in args if a not in ("--yes", "-y", "--no-install", "--no")]
            self.command(rest, "npx" if how == "the command" else f"npx, {how}")
            return
        self.programs.append((program, how))
        servers = node_facts()["dev_servers"].get(program) if not program.startswith("_") else None
        first = next((a for a in args if not a.startswith("-")), "")
        if servers is not None and first in servers and self.dev_server is None:
            self.dev_server = " ".join([program, first]).strip() + ("" if how == "the command" else f" (through {how})")
        if program == "next" and args[:1] == ["start"]:
            self.next_start = self.production = True
            for i, a in enumerate(args):
                if a in ("-p", "--port") and i + 1 < len(args):
                    self.port = args[i + 1]
                elif a.startswith("--port="):
                    self.port = a.split("=", 1)[1]
        elif program in ("pm2-runtime", "pm2-docker"):
            target = next((a for a in args if not a.startswith("-")), None)
            if target and target.endswith((".js", ".cjs", ".mjs")):
                self.file = target
                self.production = True
        elif program.endswith(".sh") or "/" in words[0] and program not in ("node",):
            self.known = False

    def script(self, text: str, how: str) -> None:
        from migrator.model.shell import parse_script

        self.depth += 1
        if self.depth > 4:
            self.known = False
            return
        parsed = parse_script(text, {}, "/")
        if parsed.errors:
            self.known = False
        for seg in parsed.segments:
            for cmd in seg.commands:
                argv = cmd.argv
                if argv is None:
                    self.known = False
                    continue
                if cmd.name == "cd":
                    self.known = False     # the files it names are elsewhere
                    continue
                self.command(list(argv), how)

    @staticmethod
    def _script_name(program: str, args: list[str]) -> str | None:
        words = [a for a in args if not a.startswith("-")]
        if not words:
            return None if program != "npm" else None
        if words[0] in ("start", "test", "restart", "stop"):
            return words[0]
        if words[0] in ("run", "run-script") and len(words) > 1:
            return words[1]
        if program in ("yarn", "pnpm"):
            return words[0]
        return None

    def _main(self) -> str | None:
        main = self.project.main if self.project is not None else None
        return main or "index.js"


def workspace_root(project, context) -> bool:
    """Whether the project is a workspace root (package.json ``workspaces``,
    ``pnpm-workspace.yaml``): node_modules links to its packages' folders."""
    return isinstance(project.package.get("workspaces"), (list, dict)) or (
        context is not None and context.is_file(project.path("pnpm-workspace.yaml")))


def standalone_server(project, start: Start | None, context) -> bool:
    """Whether node-runtime can run the project's Next.js standalone server:
    next.config sets ``output: 'standalone'`` and no ``distDir``, the image
    runs ``next start``, and the project is no workspace root (its server
    would lie under the workspace path)."""
    return project.next_output == "standalone" and project.next_dist_dir is None and start is not None \
        and start.next_start and not workspace_root(project, context)


def bin_package(program: str) -> str:
    """The npm package that provides command ``program``: the
    ``npm_tool_commands`` table of commands.json (the ``bin`` field of each
    package.json), else the package named like the command."""
    from migrator.analysis.commands import command_table

    for package, commands in command_table()["npm_tool_commands"].items():
        if not package.startswith("_") and program in commands:
            return package
    return program


def dev_dependency_run(start: Start | None, project) -> str | None:
    """Why the runtime keeps the devDependencies: the start command runs a
    program a devDependency provides (``nodemon``, ``ts-node``, ``next dev``
    with next a devDependency), named with the way it was reached; None when
    it runs none (or nothing can be read)."""
    if start is None or project is None:
        return None
    if start.dev_server and project.dev_dependencies:
        return (f"line {start.line}: {start.keyword} starts a development server (`{start.dev_server}`), which "
                "loads the sources and the development tooling at run time: the runtime keeps the devDependencies")
    dev = project.dev_dependencies
    for program, how in start.programs:
        package = bin_package(program)
        if package in dev and package not in project.dependencies:
            through = "" if how == "the command" else f" (through {how})"
            return (f"line {start.line}: {start.keyword} runs `{program}`{through}, which the devDependency "
                    f"{package} of package.json provides: the runtime keeps the devDependencies")
    return None


def project_folder(steps, image_dir: str, context) -> str | None:
    """The build-context folder a stage copies into ``image_dir``: the
    source of a ``COPY <folder> <image_dir>`` (``COPY . .``), else the
    folder of a package.json copied there, also through a wildcard source
    (``COPY package*.json ./``, ``*.json``, ``package.json*``: matched in
    the build context as Docker matches it, Go's ``filepath.Match``, see
    :mod:`migrator.context.globs`; without a context, a pattern that matches
    the name ``package.json``); None when no COPY shows it."""
    best = None
    for ins, ctx in steps:
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or len(ins.args) < 2 or ins.heredocs:
            continue
        args = [substitute(a, ctx.env) for a in ins.args]
        if any(a is None for a in args) or ctx.workdir is None:
            continue
        *srcs, dest = args
        dest_abs = posixpath.normpath(posixpath.join(ctx.workdir, dest))
        for src in srcs:
            clean = posixpath.normpath(src.lstrip("/") or ".")
            if dest_abs == image_dir and (src.endswith("/") or clean == "." or context is not None
                                          and context.is_dir(clean)):
                return clean
            if dest_abs != image_dir and dest_abs != posixpath.join(image_dir, "package.json"):
                continue
            if posixpath.basename(clean) == "package.json":
                best = best or (posixpath.dirname(clean) or ".")
            elif has_wildcard(clean) and dest_abs == image_dir:
                # COPY package*.json ./ : the glob as Docker matches it in the context
                hits = (match_sources(context, clean) if context is not None else
                        [p for p in (posixpath.join(posixpath.dirname(clean), "package.json"),)
                         if could_match(clean, p)])
                manifest = next((h for h in hits if posixpath.basename(h) == "package.json"), None)
                if manifest is not None:
                    best = best or (posixpath.dirname(manifest) or ".")
    return best


def unmatched_manifest_glob(steps, image_dir: str, context) -> tuple[int, str] | None:
    """``(line, pattern)`` of a ``COPY package*.json ./``-like instruction
    into ``image_dir`` whose wildcard could name package.json but matches no
    file of the build context (so :func:`project_folder` found none), or
    None. Docker fails such a COPY only when nothing at all matches, so the
    context given is not the one the image is built from."""
    if context is None:
        return None
    for ins, ctx in steps:
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or len(ins.args) < 2 or ins.heredocs:
            continue
        args = [substitute(a, ctx.env) for a in ins.args]
        if any(a is None for a in args) or ctx.workdir is None:
            continue
        *srcs, dest = args
        if posixpath.normpath(posixpath.join(ctx.workdir, dest)) != image_dir:
            continue
        for src in srcs:
            clean = posixpath.normpath(src.lstrip("/") or ".")
            if has_wildcard(clean) and could_match(clean, posixpath.join(posixpath.dirname(clean), "package.json")) \
                    and not match_sources(context, clean):
                return ins.start_line, src
    return None


def base_ref(df: Dockerfile, stage) -> str:
    """The stage's base image with global ARG defaults substituted."""
    return substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image


def has_build_step(steps, infos, install: Install) -> bool:
    """Whether a command other than the install builds in the project folder
    (``npm run build``, ``tsc``, ``next build``, ``nest build``)."""
    for ins, _ctx in steps:
        info = infos.get(ins.index)
        for op in info.all_ops if info else ():
            argv = op.command.argv or []
            if op.command.cwd is None or not (op.command.cwd == install.folder or
                                              op.command.cwd.startswith(install.folder.rstrip("/") + "/")):
                continue
            words = [a for a in argv[1:] if not a.startswith("-")]
            if op.command.name in MANAGERS:
                if not words and op.command.name == "yarn" or words[:1] and words[0] in _INSTALL_SUBCOMMANDS.get(
                        op.command.name, ()) or words[:1] in (["prune"], ["cache"], ["config"], ["set"]):
                    continue
                if words:
                    return True
            elif op.command.name in ("npx", "tsc", "next", "nest", "vite", "webpack", "tsup", "esbuild"):
                return True
    return False


def production_gain(df: Dockerfile, steps, infos, options) -> tuple[str | None, str | None]:
    """The devDependencies a split leaves behind.

    Returns:
        ``(phrase, None)`` for :func:`migrator.analysis.gain.split_gains` (``"the
        devDependencies of package.json (typescript, @types/node; line 5)"``);
        ``(None, reason)`` when package.json lists some that must stay (a
        start command that runs one, a package manager without a prune
        command); ``(None, None)`` when there are none to drop (no install,
        an install that already omits them, no readable package.json).
    """
    from migrator.context.node import read_project

    install = find_install(df, steps, infos)
    if install is None or install.production or options.context is None:
        return None, None
    folder = project_folder(steps, install.folder, options.context)
    project = read_project(options.context, folder) if folder is not None else None
    if project is None:
        return None, None
    start = start_command(steps, project)
    if standalone_server(project, start, options.context):
        # node-runtime's standalone server carries only the node_modules Next.js traced
        if options.unsafe:
            return f"the node_modules a Next.js standalone server leaves out ({project.next_config})", None
        if not project.dev_dependencies:
            return None, (f"its Next.js standalone runtime ({project.next_config}) changes CMD, an unsafe change "
                          "(--unsafe makes it)")
    if not project.dev_dependencies:
        return None, None
    kept = dev_dependency_run(start, project)
    if kept:
        return None, kept
    command, why = prune_command(project, base_ref(df, df.stages[0]))
    if command is None:
        return None, f"the devDependencies of {project.path('package.json')} stay: {why}"
    names = sorted(project.dev_dependencies)
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"the devDependencies of {project.path('package.json')} ({shown}; line {install.ins.start_line})", None


_PORT = re.compile(r"^(\d+)(/tcp)?$")


def exposed_port(instructions) -> str | None:
    """The one TCP port the stage EXPOSEs, or None (none, several, a variable)."""
    ports = [a for ins, ctx in instructions if ins.keyword == "EXPOSE" for a in
             (substitute(x, ctx.env) for x in ins.args)]
    if len(ports) != 1 or ports[0] is None:
        return None
    m = _PORT.match(ports[0])
    return m.group(1) if m else None


def install_download_dirs(steps, infos, install: Install, packages, env_home_default: str = "/root"
                          ) -> list[tuple[object, str | None]]:
    """Where each dependency of ``packages`` (from
    :func:`migrator.context.node.home_cache_packages`) puts its download
    when ``install`` runs its install scripts (pptr.dev/guides/configuration:
    ``PUPPETEER_CACHE_DIR``, else ``$HOME/.cache/puppeteer``).

    Args:
        steps: ``(instruction, context)`` pairs of the stage that installs.
        infos: instruction index -> :class:`migrator.analysis.stage.RunInfo`.
        install: the :class:`Install`.
        packages: the :class:`migrator.context.node.HomeCachePackage` list.
    Returns:
        ``[(package, folder)]`` for the packages that download: ``folder``
        is absolute, or None when the HOME of a non-root user can't be
        told. Packages left out: the install skips scripts
        (``--ignore-scripts``, ``npm_config_ignore_scripts``), an ENV or
        the command's assignments skip the download, or a config file of
        the project may move it (``package.config``: the caller notes it).
    """
    from migrator.analysis.stage import is_root

    ctx = next((c for ins, c in steps if ins is install.ins), None)
    if ctx is None:
        return []
    info = infos.get(install.ins.index)
    op = next((o for o in (info.all_ops if info else ()) if o.command.name == install.manager), None)
    argv = op.command.argv if op is not None and op.command.argv else []
    env = dict(ctx.env)
    if op is not None:
        env.update(a.split("=", 1) for a in op.command.assignments if "=" in a)
    if "--ignore-scripts" in argv or env.get("npm_config_ignore_scripts", "").strip("'\"").lower() == "true":
        return []
    out = []
    for pkg in packages:
        if pkg.config or any(env.get(v, "").strip("'\"").lower() not in ("", "0", "false") for v in pkg.skip_env):
            continue
        value = env.get(pkg.dir_env, "").strip("'\"")
        if value:
            out.append((pkg, posixpath.normpath(posixpath.join(install.folder, value))))
            continue
        home = env.get("HOME") or (env_home_default if is_root(ctx.user) else None)
        out.append((pkg, posixpath.join(home, pkg.folder) if home else None))
    return out


def home_download_reason(df: Dockerfile, steps, context) -> str | None:
    """Why a stage that installs a Node.js project as root must keep
    running as root, or None: a dependency's install script (commands.json
    ``home_caches.packages``: puppeteer >= 19) downloads into root's HOME
    (``/root``, mode 0700), where the package, run by another user with
    another HOME, neither looks nor may read.

    Args:
        df: the file.
        steps: ``(instruction, context)`` pairs of the stage (the final one).
        context: the :class:`migrator.context.BuildContext`, or None (then
            None: package.json can't be read).
    """
    from migrator.analysis.stage import read_run
    from migrator.context.node import home_cache_packages, read_project

    if context is None:
        return None
    infos = {ins.index: read_run(df, ins, ctx) for ins, ctx in steps if ins.keyword == "RUN"}
    install = find_install(df, steps, infos)
    if install is None:
        return None
    folder = project_folder(steps, install.folder, context)
    project = read_project(context, folder) if folder is not None else None
    if project is None:
        return None
    for pkg, where in install_download_dirs(steps, infos, install, home_cache_packages(project, context)):
        if where is not None and (where == "/root" or where.startswith("/root/")):
            return (f"package.json depends on {pkg.name} {pkg.spec}, whose install (line {install.ins.start_line}) "
                    f"downloads into {where}, in root's home (mode 0700), where {pkg.name} run by a non-root user "
                    f"would not look ({pkg.dir_env} moves it); USER left as root")
    return None

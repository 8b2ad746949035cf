"""frontend-stage: build a Python image's Node frontend in its own stage.

Seed 000's pattern. A Python image that gets Node (apt ``nodejs``/``npm``,
the NodeSource setup script or repository, ``COPY --from=node:...``) only to
build its frontend (``npm|pnpm|yarn [run] build`` in a subfolder: ``cd
frontend && ...``, ``WORKDIR frontend``, ``npm --prefix frontend``) ships
Node (~300 MB) and ``node_modules`` (often more) for nothing. This transform
moves the build into a ``FROM node:<major>-bookworm-slim AS frontend`` stage:

- ``<major>``: the Node.js the file installs (NodeSource ``setup_18.x`` or
  ``node_18.x``, the tag of ``COPY --from=node:18``, the distro's nodejs:
  Debian bookworm's is 18), else ``engines.node`` of package.json, else
  ``.nvmrc``, else the current LTS (``migrator/data/frontend.json``, with
  its source). The stage is Debian whatever the Python image is: it only
  writes static files.
- It copies the package manifests and lockfile, installs with the same
  package manager (``corepack enable`` for pnpm and yarn, ``npm install -g
  corepack`` first on Node 25+, which no longer ships it; a pnpm the
  original pins with ``npm install -g pnpm@8`` is installed the same way when
  package.json names no ``packageManager``; ``npm ci`` when a lockfile
  exists), copies the sources the original had copied for the build (its
  own COPY lines; for ``COPY . .`` only the package folder when
  :func:`migrator.context.frontend.outside_reads` finds nothing in it that
  reaches outside, else the whole context, with the path that does in the
  reason), and runs the same build command in the same folder, so relative
  output paths resolve alike.
- The Python stage copies only the build's output folder from it
  (``COPY --from=frontend /app/static/vue /app/static/vue``) where the build
  ran; the nodejs/npm packages, the NodeSource lines, the global installs of
  package managers and tools, ``corepack enable``, the manifest COPY and the
  dependency install (``node_modules``) leave the Python stage.

The output folder is read from the build context by
:mod:`migrator.context.frontend` (vite's ``build.outDir``, vue.config.js
``outputDir``, webpack's ``output.path``, the script's ``--outDir``). Where it
can't be known (no build context, a config the reader can't evaluate) the
transform refuses with the reason and the file stays as it was. When the app
really runs Node (CMD, ENTRYPOINT, HEALTHCHECK or a later RUN runs node, npm,
npx..., directly, through a script or Makefile of the build context or a tool
known to call npm: :mod:`migrator.context.node_use`), Node stays: when what
runs needs the installed packages too (npm, a tool that runs npm, a ``node``
call loading anything but Node's built-in modules, or code the tool can't
read), ``node_modules`` stays as well, so no stage is made (it would only
download Node a second time) and a note names the line and why; when only
Node itself runs, the stage is made, the install, its manifests and the
package managers only it used (``npm install -g pnpm``, ``corepack enable``)
leave the Python stage and Node stays, as the reason says. A later script the context
doesn't have is refused naming the line.

Order: it runs after ``dockerignore`` (whose ``.dockerignore`` keeps a local
``node_modules`` out of both stages) and before ``layer-order``, ``venv`` and
``split-stages``: those then see the Python stage without its Node steps (no
Node install to reorder, no ``cd frontend && npm run build`` that would make
the runtime copy the whole working directory with ``node_modules``) and work
on it as on a single-stage file (:func:`migrator.analysis.stage.app_stages` skips
the ``frontend`` stage).

References: https://docs.docker.com/build/building/multi-stage/,
https://github.com/nodesource/distributions, https://nodejs.org/api/corepack.html.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field

from migrator.analysis.stage import (PRE_STAGE_NAMES, START_KEYWORDS, RunInfo, copy_destination, delete_word,
                               global_arg_defaults, read_run, start_words, substitute, walk)
from migrator.analysis.commands import Kind
from migrator.context.frontend import build_output, frontend_data, outside_reads, read_package_json
from migrator.context.node_use import NodeUseReader
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.options import Options
from migrator.analysis.packages import describe_base_image
from migrator.model.render import instruction, keyword
from migrator.transform import Outcome

STAGE_NAME = PRE_STAGE_NAMES[0]
"""The name of the stage this transform adds."""

MANAGERS = ("npm", "pnpm", "yarn")
"""The package manager commands whose ``build`` script this transform moves."""

_DIR_FLAGS = {"npm": ("--prefix", "-C"), "pnpm": ("-C", "--dir"), "yarn": ("--cwd",)}
"""Options that run a package manager in another folder (npm ``--prefix``,
pnpm ``-C``/``--dir``, yarn ``--cwd``: their manuals)."""

_NODE_MAJOR = re.compile(r"(?:setup|node)_(\d+|lts|current)\.x")


@dataclass
class _PmCall:
    """A package manager command read: ``pnpm run build -- --mode production``."""

    manager: str
    action: str            # "build", "install", "global", "other"
    script: str = ""
    extra: tuple[str, ...] = ()
    cwd: str | None = None
    text: str = ""         # the command as the frontend stage runs it (no folder option)
    packages: tuple[str, ...] = ()


@dataclass
class _Plan:
    """What the transform found in the stage."""

    build: tuple | None = None                 # (ins, info, seg index, _PmCall)
    installs: list = field(default_factory=list)   # (ins, info, seg index, _PmCall)
    tools: list = field(default_factory=list)      # (ins, info, seg index, _PmCall | None): global installs, corepack
    apt: list = field(default_factory=list)        # (ins, info, seg index, op, node package words)
    nodesource: list = field(default_factory=list)  # (ins, info, seg index, major or None)
    node_copies: list = field(default_factory=list)  # (ins, major or None)
    major_hints: list = field(default_factory=list)  # (major, where)


class FrontendStage:
    """Move a Python image's Node frontend build into a ``frontend`` stage."""

    id = "frontend-stage"
    title = "Build the Node frontend in its own stage"
    rationale = ("Node.js and node_modules are needed to build the frontend's assets, not to serve them: "
                 "a Node stage builds them and the Python image copies only the output folder")
    default = True
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the frontend stage; see the module docstring.

        Args:
            df: a single-stage file (anything else is left alone).
            options: ``options.context`` is read for the output folder, the
                manifests and the Node version.
        Returns:
            one fix (the stage, the Python stage's edits) and maybe a note on
            Node kept for run time; a refusal naming what can't be known; an
            empty outcome when the file builds no frontend with Node.
        """
        if len(df.stages) != 1:
            return Outcome()
        stage = df.stages[0]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref, options.images)
        if base.language != "python":
            return Outcome()
        steps = walk(df, stage)
        infos = {ins.index: read_run(df, ins, ctx) for ins, ctx in steps if ins.keyword == "RUN"}
        plan, problem = _read_plan(df, steps, infos)
        if problem:
            return Outcome.refuse(problem)
        if plan.build is None or not (plan.apt or plan.nodesource or plan.node_copies):
            return Outcome()
        return _Migration(df, options, steps, infos, plan, base).outcome()


# --- reading the stage ----------------------------------------------------------------------


def _pm_call(cmd, cwd: str | None) -> _PmCall | None:
    """Read a npm/pnpm/yarn command (see :class:`_PmCall`), or None."""
    argv = cmd.argv
    if not argv or cmd.name not in MANAGERS:
        return None
    manager = cmd.name
    words = list(argv[1:])
    raw = [w.raw for w in cmd.words[1:]]
    keep = list(range(len(words))) if len(raw) == len(words) else None
    dir_flags = _DIR_FLAGS[manager]
    i = 0
    rest: list[str] = []
    kept_raw: list[str] = []
    while i < len(words):
        w = words[i]
        if w in dir_flags and i + 1 < len(words):
            cwd = posixpath.normpath(posixpath.join(cwd, words[i + 1])) if cwd else None
            i += 2
            continue
        if any(w.startswith(f + "=") for f in dir_flags if f.startswith("--")):
            cwd = posixpath.normpath(posixpath.join(cwd, w.split("=", 1)[1])) if cwd else None
            i += 1
            continue
        rest.append(w)
        if keep is not None:
            kept_raw.append(raw[i])
        i += 1
    text = " ".join([*cmd.assignments, manager, *(kept_raw if keep is not None else rest)])
    positional = [w for w in rest if not w.startswith("-")]
    flags = {w for w in rest if w.startswith("-")}
    if flags & {"-g", "--global"} or positional[:1] == ["global"]:
        pkgs = tuple(w for w in positional if w not in ("install", "i", "add", "global"))
        return _PmCall(manager, "global", cwd=cwd, text=text, packages=pkgs)
    sub = positional[0] if positional else ""
    if sub in ("run", "run-script"):
        script = positional[1] if len(positional) > 1 else ""
    elif manager != "npm" and sub not in ("install", "i", "add", "exec", "dlx", "ci"):
        script = sub
    else:
        script = ""
    if script and (script == "build" or script.startswith("build:")):
        after = rest[rest.index(script) + 1:]
        if after[:1] == ["--"]:
            after = after[1:]
        return _PmCall(manager, "build", script, tuple(after), cwd, text)
    installs = frontend_data()["package_managers"][manager]["install_subcommands"]
    if sub in installs and len(positional) <= 1:
        return _PmCall(manager, "install", cwd=cwd, text=text)
    return _PmCall(manager, "other", script, cwd=cwd, text=text)


def _read_plan(df: Dockerfile, steps, infos) -> tuple[_Plan, str | None]:
    """Find the frontend build and the Node pieces of the stage."""
    data = frontend_data()
    node_apt = set(data["node_system_packages"]["apt"]) | set(data["node_system_packages"]["apk"])
    hosts = data["nodesource_hosts"]["hosts"]
    plan = _Plan()
    builds = []
    for ins, ctx in steps:
        if ins.keyword == "COPY" and ins.flag("from"):
            image = substitute(ins.flag("from"), ctx.env) or ""
            if image.split("/")[-1].split(":")[0] == "node" and df.stage_by_name(image) is None:
                plan.node_copies.append((ins, _tag_major(image)))
            continue
        info = infos.get(ins.index)
        if info is None or info.script is None:
            continue
        for k, (seg, ops) in enumerate(zip(info.script.segments, info.ops)):
            words = [w for c in seg.commands for w in (c.argv or [x.raw for x in c.words])]
            if any(h in w for w in words for h in hosts):
                m = next((_NODE_MAJOR.search(w) for w in words if _NODE_MAJOR.search(w)), None)
                plan.nodesource.append((ins, info, k, m.group(1) if m else None))
                continue
            for op in ops:
                if op.kind is Kind.SYSTEM_INSTALL:
                    node = [(i, p) for i, p in zip(op.package_words, op.packages) if p.split("=")[0] in node_apt]
                    if node:
                        if seg.command is None:
                            return plan, (f"line {ins.start_line} installs {node[0][1]} inside a pipeline or "
                                          "block; can't take it out")
                        plan.apt.append((ins, info, k, op, node))
                    continue
                cmd = op.command
                if cmd.name == "corepack" or _links_node(cmd):
                    plan.tools.append((ins, info, k, None))
                    continue
                call = _pm_call(cmd, cmd.cwd)
                if call is None:
                    continue
                if seg.command is None and call.action in ("build", "install", "global"):
                    return plan, (f"line {ins.start_line} runs `{call.text}` inside a pipeline or block; "
                                  "can't move it to a frontend stage")
                if call.action == "build":
                    builds.append((ins, info, k, call))
                elif call.action == "install":
                    plan.installs.append((ins, info, k, call))
                elif call.action == "global":
                    plan.tools.append((ins, info, k, call))
    if not builds:
        return plan, None
    folders = {b[3].cwd for b in builds}
    if len(builds) > 1:
        return plan, (f"lines {builds[0][0].start_line} and {builds[1][0].start_line} run two frontend builds; "
                      "the tool moves one")
    if None in folders:
        return plan, f"line {builds[0][0].start_line}: can't tell the folder `{builds[0][3].text}` runs in"
    plan.build = builds[0]
    plan.installs = [i for i in plan.installs if i[3].cwd == builds[0][3].cwd
                     and i[0].index <= builds[0][0].index]
    return plan, None


def _links_node(cmd) -> bool:
    """An ``ln`` of a Node program (``ln -s /usr/bin/yarnpkg /usr/local/bin/yarn``,
    ``ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm``)."""
    argv = cmd.argv
    if cmd.name != "ln" or not argv:
        return False
    names = set(frontend_data()["runtime_programs"]["names"])
    paths = [a for a in argv[1:] if not a.startswith("-")]
    return bool(paths) and any(posixpath.basename(a) in names or "/node_modules/" in a for a in paths)


def _tag_major(image: str) -> str | None:
    """The Node major a ``node`` image tag names (``node:18-slim`` -> ``18``,
    ``node:hydrogen`` -> ``18``), or None (``node``, ``node:lts``)."""
    tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else "latest"
    word = tag.split("-")[0]
    codenames = frontend_data()["node_codenames"]
    if word in codenames:
        return str(codenames[word])
    if word in ("lts", "latest", "current"):
        return word if word == "lts" else None
    m = re.match(r"v?(\d+)", word)
    return m.group(1) if m else None


# --- the migration ---------------------------------------------------------------------------


class _Migration:
    def __init__(self, df: Dockerfile, options: Options, steps, infos, plan: _Plan, base):
        self.df, self.options, self.steps, self.infos, self.plan, self.base = df, options, steps, infos, plan, base
        self.ctx_of = {ins.index: ctx for ins, ctx in steps}

    def outcome(self) -> Outcome:
        df, plan = self.df, self.plan
        b_ins, b_info, b_seg, call = plan.build
        context = self.options.context
        if context is None:
            return Outcome.refuse(f"line {b_ins.start_line} builds a frontend (`{call.text}`), but no build context "
                                  "was given (--context DIR), so the tool can't read where it writes")
        kept, needs, node_problem = self._runtime_node()
        if kept is not None and (needs is not None or not plan.installs):
            # Node and node_modules stay for run time: the stage would be churn and a second Node download
            why = f" ({needs})" if needs else " (no install of the build would leave it)"
            return Outcome(notes=[f"frontend-stage: no frontend stage: {kept}, so Node.js and node_modules stay in "
                                  f"the image{why} and a separate stage would save nothing"])
        package_image = call.cwd
        self._package_image = package_image
        package_dir, problem = self._context_folder(package_image, b_ins)
        if problem:
            return Outcome.refuse(problem)
        out = build_output(context, package_dir, call.script, call.extra)
        if out.problem:
            return Outcome.refuse(f"line {b_ins.start_line}: can't tell where `{call.text}` writes: {out.problem}")
        output = posixpath.normpath(posixpath.join(package_image, out.folder))
        self.output_rel = posixpath.normpath(posixpath.join(package_dir, out.folder))
        self.copy_note = ""
        if output in ("/", "/usr", "/usr/local", "/tmp", "/root") or package_image == output \
                or package_image.startswith(output.rstrip("/") + "/") or "/node_modules" in output:
            return Outcome.refuse(f"line {b_ins.start_line}: `{call.text}` writes {output} ({out.source}), which "
                                  "holds more than the build's output; copying it would bring the sources along")
        if node_problem:
            return Outcome.refuse(node_problem)
        pkg = read_package_json(context, package_dir) or {}
        major, major_from = self._major(pkg, package_dir)
        stage_name = STAGE_NAME if df.stage_by_name(STAGE_NAME) is None else f"{STAGE_NAME}-build"
        edits: list[Edit] = []
        # the Python stage's edits
        drop: dict[int, set[int]] = {}

        def mark(ins, seg):
            drop.setdefault(ins.index, set()).add(seg)

        mark(b_ins, b_seg)
        gone: list[str] = []
        word_edits: list[tuple[int, int, Edit]] = []
        whole: list[Instruction] = []      # instructions deleted whole
        for ins, _info, k, _call in plan.installs:
            mark(ins, k)   # node_modules leaves: nothing kept needs it (_runtime_node)
        managers_gone: list[str] = []   # package managers only the install used, when Node stays
        for ins, info, k, tool in plan.tools:
            if kept is None:
                mark(ins, k)
            elif _manager_only(info, k, tool):
                mark(ins, k)
                managers_gone.append(f"{' '.join(tool.packages) if tool else 'corepack enable'} "
                                     f"(line {ins.start_line})")
        if kept is None:
            for ins, _info, k, _m in plan.nodesource:
                mark(ins, k)
            for ins, info, k, op, node in plan.apt:
                gone.extend(p for _i, p in node)
                if len(node) == len(op.packages):
                    mark(ins, k)
                else:
                    for i, _p in node:
                        e = _delete_word(df, info, op.command.words[i])
                        if e is None:
                            return Outcome.refuse(f"line {ins.start_line}: can't take {_p} out of this install")
                        word_edits.append((ins.index, k, e))
            for ins, _major in plan.node_copies:
                whole.append(ins)
            if plan.nodesource:
                gone.append("the NodeSource repository")
            if plan.node_copies:
                gone.append("Node.js copied from the node image")
        manifests = self._manifests(package_dir)
        manifest_copies = self._manifest_copies(package_dir, manifests, b_ins)
        whole.extend(manifest_copies)
        copy_line = instruction(df, "COPY", f"--from={stage_name} {output} {output}")
        for index, segs in drop.items():
            info = self.infos[index]
            own_words = [e for i, k, e in word_edits if i == index and k not in segs]
            got, problem = _segment_edits(df, info, segs)
            if problem:
                return Outcome.refuse(problem)
            if index == b_ins.index:
                if got is None:   # the whole RUN goes: the COPY takes its place
                    edits.append(Edit(info.ins.start, info.ins.end, copy_line))
                else:
                    edits.append(Edit.insert(info.ins.start, copy_line))
                    edits.extend(got)
            else:
                if got is None:
                    whole.append(info.ins)
                else:
                    edits.extend(got)
            if got is not None:
                edits.extend(own_words)
        edits.extend(e for i, k, e in word_edits if i not in drop)
        edits.extend(_delete_instructions(df, whole))
        stage_text, stage_problem = self._stage_text(stage_name, major, package_image, package_dir, manifests, pkg,
                                                     call, b_ins)
        if stage_problem:
            return Outcome.refuse(stage_problem)
        edits.append(Edit.insert(self._stage_at(), stage_text))
        reason = (f"the frontend build (line {b_ins.start_line}: `{call.text}`) runs in a `{stage_name}` stage on "
                  f"node:{major}-bookworm-slim (Node {major}: {major_from}); the image copies only its output "
                  f"{output} ({out.source})")
        if self.copy_note:
            reason += f"; {self.copy_note}"
        if gone:
            reason += f"; {', '.join(_unique(gone))} and node_modules leave the image"
        elif kept is not None:
            installs = ", ".join(f"line {ins.start_line}: `{c.text}`" for ins, _i, _k, c in plan.installs)
            leaves = f"node_modules ({installs})" if installs else "node_modules"
            parts = [leaves, *managers_gone]
            if any(c.manager == "npm" and not _cleans_npm_cache(ins, info) for ins, info, _k, c in plan.installs):
                parts.append("npm's download cache")
            listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
            reason += (f"; {listed} leave{'s' if listed == 'node_modules' else ''} the image, Node.js stays: "
                       f"{kept}, which loads only Node's built-in modules")
        return Outcome(fixes=[Fix(reason, tuple(edits))])

    # -- where things are

    def _context_folder(self, image_path: str, before: Instruction) -> tuple[str, str | None]:
        """The build-context folder that fills ``image_path``: the last
        plain COPY/ADD before ``before`` whose folder source lands on it or
        above it."""
        context = self.options.context
        found = None
        for ins, ctx in self.steps:
            if ins.index >= before.index:
                break
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
                continue
            dest = copy_destination(ins, ctx)
            if dest is None:
                continue
            for src in ins.args[:-1]:
                s = substitute(src, ctx.env)
                if s is None or any(c in s for c in "*?["):
                    continue
                rel = posixpath.normpath(s.lstrip("/")) if s not in ("/",) else "."
                if rel != "." and not context.is_dir(rel):
                    continue
                if image_path == dest or image_path.startswith(dest.rstrip("/") + "/"):
                    found = posixpath.normpath(posixpath.join(rel, posixpath.relpath(image_path, dest)))
        if found is None or found.startswith(".."):
            return "", (f"line {before.start_line}: can't tell which folder of the build context {image_path} "
                        "comes from (no COPY of a folder lands there)")
        return found, None

    def _manifests(self, package_dir: str) -> list[str]:
        context = self.options.context
        names = frontend_data()["manifests"]["files"]
        return [n for n in names if context.is_file(posixpath.join(package_dir, n))]

    def _manifest_copies(self, package_dir: str, manifests: list[str], before: Instruction) -> list[Instruction]:
        """COPY lines before the build that copy only manifests of the package."""
        wanted = {posixpath.normpath(posixpath.join(package_dir, m)) for m in manifests}
        out = []
        for ins, ctx in self.steps:
            if ins.index >= before.index:
                break
            if ins.keyword != "COPY" or ins.flag("from") is not None or len(ins.args) < 2:
                continue
            srcs = [substitute(a, ctx.env) for a in ins.args[:-1]]
            if all(s is not None and posixpath.normpath(s.lstrip("/")) in wanted for s in srcs):
                out.append(ins)
        return out

    def _runtime_node(self) -> tuple[str | None, str | None, str | None]:
        """Why the image still needs Node once the build has moved.

        Returns:
            ``(kept, needs, problem)``: ``kept`` names the step that runs Node
            (CMD, ENTRYPOINT or HEALTHCHECK; a RUN after the Node install
            that runs node/npm/npx..., a script from the build context that
            does, a Makefile recipe that does, or a tool known to call npm:
            ``frontend.json`` ``node_calling_commands``); ``needs`` why some
            step that runs Node needs the installed packages too (npm, a
            tool that runs npm, a ``node`` call loading a module that is not
            built in: :class:`migrator.context.node_use.NodeUseReader`), None
            when every such step runs Node.js alone; ``problem`` a later step
            the tool can't read (a script or Makefile missing from the build
            context), before any step that runs Node. All None when nothing
            else runs Node.
        """
        names = set(frontend_data()["runtime_programs"]["names"])
        plan = self.plan
        moved = {(ins.index, k) for ins, _i, k, _c in [plan.build, *plan.installs, *plan.tools]}
        moved |= {(ins.index, k) for ins, _i, k, _m in plan.nodesource}
        from migrator.analysis.full_image import read_script
        from migrator.libraries import script_calls, script_words
        from migrator.model.shell import parse_script

        kept = None
        reader = NodeUseReader(self.df, self.options, read_script)

        def env_needs(ins, ctx) -> None:
            hit = [v for v in ("NODE_OPTIONS", "NODE_PATH") if v in ctx.env]
            if hit:
                reader.need(f"line {ins.start_line} runs with {hit[0]} set, which may load packages")

        for ins, ctx in self.steps:
            if ins.keyword not in START_KEYWORDS:
                continue
            hit = next((w for w in start_words(ins) if w in names), None)
            why = None
            if hit:
                why = f"line {ins.start_line}: {ins.keyword} runs {hit}"
            else:
                words = [w.strip("'\"") for arg in ins.args for w in arg.split()]
                for script in script_words(words):
                    text = read_script(self.df, self.df.stages[0], script, self.options)
                    calls = script_calls(text, names) if text else []
                    if calls:
                        number, program = calls[0]
                        why = (f"line {ins.start_line}: {ins.keyword} runs {script}, which calls {program} "
                               f"({script}:{number})")
                        break
            if why is None:
                continue
            kept = kept or why
            # what the start command needs: its commands read like a RUN's
            args = list(ins.args)
            if ins.keyword == "HEALTHCHECK" and args[:1] == ["CMD"]:
                args = args[1:]
            text = shlex.join(args) if ins.json else " ".join(args)
            found = None
            for cmd in parse_script(text, dict(ctx.env), ctx.workdir).commands:
                got, problem = reader.command(cmd)
                found = found or got
                reader.need(problem)
            if found is None:
                reader.need(f"line {ins.start_line}: the tool can't read how {ins.keyword} runs Node")
            env_needs(ins, ctx)
        node_from = min([i.index for i, *_r in plan.apt] + [i.index for i, *_r in plan.nodesource]
                        + [i.index for i, _m in plan.node_copies], default=0)
        for ins, ctx in self.steps:
            info = self.infos.get(ins.index)
            if info is None or info.script is None or ins.index < node_from:
                continue
            for k, seg in enumerate(info.script.segments):
                if (ins.index, k) in moved:
                    continue
                for cmd in seg.commands:
                    found, problem = reader.command(cmd)
                    if problem:
                        if kept is None:
                            return None, None, (f"line {ins.start_line} runs `{_command_text(cmd)}`: {problem}; "
                                                "can't tell whether it needs the Node.js this transform would "
                                                "remove")
                        reader.need(f"line {ins.start_line} runs `{_command_text(cmd)}`: {problem}")
                    if found:
                        kept = kept or f"line {ins.start_line} runs {found}"
                        env_needs(ins, ctx)
        return kept, reader.needs if kept else None, None

    def _major(self, pkg: dict, package_dir: str) -> tuple[int, str]:
        """The Node major of the stage and where it comes from."""
        data = frontend_data()
        lts = data["node_lts"]["major"]
        for ins, _info, _k, major in self.plan.nodesource:
            if major and major.isdigit():
                return int(major), f"the NodeSource repository of line {ins.start_line}"
            if major == "lts":
                return lts, f"the NodeSource LTS repository of line {ins.start_line} (LTS today)"
        for ins, major in self.plan.node_copies:
            if major and major.isdigit():
                return int(major), f"the node image line {ins.start_line} copies from"
        if self.plan.apt and not self.plan.nodesource:
            distro = data["distro_nodejs"].get(self.base.family, {})
            if self.base.release in distro:
                ins = self.plan.apt[0][0]
                return distro[self.base.release], (f"the {self.base.family.capitalize()} {self.base.release} "
                                                    f"nodejs that line {ins.start_line} installs")
        engines = pkg.get("engines") if isinstance(pkg.get("engines"), dict) else {}
        wanted = engines.get("node")
        if isinstance(wanted, str):
            m = re.search(r"\d+", wanted)
            if m:
                return int(m.group(0)), f"engines.node `{wanted}` of {_join(package_dir, 'package.json')}"
        context = self.options.context
        for folder in dict.fromkeys((package_dir, ".")):
            text = context.read_text(_join(folder, ".nvmrc"), 256)
            if text and text.strip():
                word = text.strip().split()[0].lower()
                m = re.match(r"v?(\d+)", word)
                where = f"{_join(folder, '.nvmrc')} ({word})"
                if m:
                    return int(m.group(1)), where
                name = word.removeprefix("lts/")
                if name in data["node_codenames"]:
                    return data["node_codenames"][name], where
                if word in ("lts/*", "node", "stable"):
                    return lts, where + ", the LTS today"
        return lts, "the current LTS"

    # -- the new stage

    def _stage_at(self) -> int:
        return self.df.stages[0].from_instruction.start

    def _stage_text(self, name, major, package_image, package_dir, manifests, pkg, call, b_ins):
        df = self.df
        data = frontend_data()
        nl = df.newline
        out = [instruction(df, "FROM", f"node:{major}-bookworm-slim {keyword(df, 'AS')} {name}")]
        out.extend(self._env_lines(b_ins))
        out.append(instruction(df, "WORKDIR", package_image))
        manager = call.manager
        spec = data["package_managers"][manager]
        pinned = next((t for t in self.plan.tools if t[3] is not None and any(
            p.split("@")[0] == manager for p in t[3].packages)), None)
        if spec["corepack"]:
            # corepack picks its own pnpm without a packageManager field; yarn: the
            # node images carry a yarn 1 that `npm install -g yarn` collides with,
            # and corepack's default yarn is 1.x too
            if pinned is not None and not pkg.get("packageManager") and manager == "pnpm":
                out.append(instruction(df, "RUN", pinned[3].text))
            elif major > data["corepack_bundled_until"]["major"]:
                out.append(instruction(df, "RUN", "npm install -g corepack && corepack enable"))
            else:
                out.append(instruction(df, "RUN", "corepack enable"))
        for ins, _info, _k, tool in self.plan.tools:
            if tool is not None and tool is not (pinned[3] if pinned else None) and not any(
                    p.split("@")[0] in (*MANAGERS, "corepack") for p in tool.packages):
                out.append(instruction(df, "RUN", tool.text))
        if manifests:
            srcs = " ".join(_join(package_dir, m) for m in manifests)
            out.append(instruction(df, "COPY", f"{srcs} ./"))
        locked = any(context_has for context_has in (
            self.options.context.is_file(_join(package_dir, f)) for f in spec["lockfiles"]))
        install = next((c for _i, _inf, _k, c in self.plan.installs if c.manager == manager), None)
        if install is not None and not (manager == "npm" and locked):
            out.append(instruction(df, "RUN", install.text))
        else:
            out.append(instruction(df, "RUN", spec["locked"] if locked else spec["unlocked"]))
        copies = self._source_copies(package_dir, b_ins)
        if not copies:
            out.append(instruction(df, "COPY", f"{_join(package_dir, '')}/ ./".replace("//", "/")))
        out.extend(copies)
        out.append(instruction(df, "RUN", call.text))
        return "".join(out) + nl, None

    def _env_lines(self, before: Instruction) -> list[str]:
        """ENV/ARG lines of the Python stage before the build that set a
        variable the build reads (by prefix, or named in its command)."""
        prefixes = tuple(frontend_data()["build_env_prefixes"]["prefixes"])
        _b_ins, _info, _k, call = self.plan.build
        used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", call.text))
        out = []
        for ins, _ctx in self.steps:
            if ins.index >= before.index:
                break
            if ins.keyword == "ENV":
                pairs = [(ins.args[i], f"{ins.args[i]}={ins.args[i + 1]}") for i in range(0, len(ins.args) - 1, 2)]
            elif ins.keyword == "ARG":
                pairs = [(a.split("=", 1)[0], a) for a in ins.args]
            else:
                continue
            wanted = [text for n, text in pairs if n.startswith(prefixes) or n in used]
            if wanted:
                out.append(instruction(self.df, ins.keyword, " ".join(wanted)))
        return out

    def _source_copies(self, package_dir: str, before: Instruction) -> list[str]:
        """The original's COPY/ADD lines before the build that bring files of
        the package folder (or the whole context), with absolute destinations."""
        out = []
        manifests = set(frontend_data()["manifests"]["files"])
        for ins, ctx in self.steps:
            if ins.index >= before.index:
                break
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or len(ins.args) < 2:
                continue
            srcs = [substitute(a, ctx.env) for a in ins.args[:-1]]
            if any(s is None for s in srcs):
                continue
            rels = [posixpath.normpath(s.lstrip("/")) if s != "/" else "." for s in srcs]
            related = [r for r in rels if r == "." or r == package_dir or package_dir.startswith(r + "/")
                       or (r.startswith(package_dir + "/") or package_dir == ".")]
            if not related:
                continue
            if all(posixpath.dirname(r) == package_dir and posixpath.basename(r) in manifests for r in rels):
                continue   # the manifests, copied before the install already
            dest = copy_destination(ins, ctx)
            if dest is None:
                continue
            wider = [r for r in rels if r != package_dir and (r == "." or package_dir.startswith(r + "/"))]
            if wider and package_dir != ".":
                # review 3 D9: the whole context in the frontend stage rebuilds the bundle on every
                # change of the Python code; its own folder is enough when nothing reaches out of it
                reads = outside_reads(self.options.context, package_dir, self.output_rel)
                if reads.inside:
                    target = posixpath.normpath(posixpath.join(dest, posixpath.relpath(package_dir, wider[0])))
                    flags = [f for f in ins.flags if not f.startswith(("--chown", "--chmod"))]
                    here = "./" if target == posixpath.normpath(self._package_image) else target.rstrip("/") + "/"
                    out.append(instruction(self.df, "COPY", " ".join([*flags, f"{package_dir}/", here])))
                    self.copy_note = (f"the stage copies only {package_dir}/, not all that line {ins.start_line} "
                                      f"copies ({reads.why}), so a change of the Python code doesn't rebuild the "
                                      "bundle")
                    continue
                self.copy_note = (f"the stage copies what line {ins.start_line} copies, not only {package_dir}/: "
                                  f"{reads.why}")
            raw_dest = substitute(ins.args[-1], ctx.env) or ""
            if raw_dest.endswith("/") or raw_dest in (".", "./") or len(srcs) > 1:
                dest = dest.rstrip("/") + "/"
            flags = [f for f in ins.flags if not f.startswith(("--chown", "--chmod"))]
            out.append(instruction(self.df, ins.keyword, " ".join([*flags, *ins.args[:-1], dest])))
        return out


def _manager_only(info: RunInfo, k: int, tool: _PmCall | None) -> bool:
    """Whether a tool step of the plan only serves the dependency install:
    ``corepack enable``, or a global install of package managers only
    (``npm install -g pnpm@8``); not a global tool, not an ``ln`` of a Node
    program (it may link ``node`` itself)."""
    if tool is None:
        seg = info.script.segments[k]
        return seg.command is not None and seg.command.name == "corepack"
    return bool(tool.packages) and all(p.split("@")[0] in (*MANAGERS, "corepack") for p in tool.packages)


def _cleans_npm_cache(ins: Instruction, info: RunInfo) -> bool:
    """Whether the RUN of an npm install leaves no download cache in the
    image: it cleans it (``npm cache clean``, ``rm ... .npm``), mounts it
    (``--mount=type=cache``); docs.npmjs.com/cli/commands/npm-cache."""
    if any("type=cache" in f for f in ins.flags):
        return True
    for op in info.all_ops:
        argv = op.command.argv or []
        if argv[1:3] in (["cache", "clean"], ["cache", "purge"]) or argv[:1] == ["rm"] and any(
                ".npm" in w for w in argv[1:]):
            return True
    return False


def _idle_cds(info: RunInfo, drop: set[int]) -> set[int]:
    """Kept ``cd`` segments that no longer change where anything runs once
    ``drop`` goes: a run of them followed by a command that runs where the
    first one started (``cd client && [npm run build &&] cd .. && python
    manage.py collectstatic``), or that ends the RUN."""
    segs = info.script.segments

    def is_cd(k):
        return segs[k].command is not None and segs[k].command.name == "cd"

    out: set[int] = set()
    left = [k for k in range(len(segs)) if k not in drop]
    i = 0
    while i < len(left):
        if not is_cd(left[i]):
            i += 1
            continue
        j = i
        while j < len(left) and is_cd(left[j]):
            j += 1
        run = left[i:j]
        touched = any(k in drop for k in range(run[0], (left[j] if j < len(left) else len(segs))))
        start_cwd = segs[run[0]].command.cwd
        if touched and (j == len(left) or (segs[left[j]].commands and
                                          segs[left[j]].commands[0].cwd == start_cwd and start_cwd is not None)):
            out.update(run)
        i = j
    return out


def _idle_updates(info: RunInfo, drop: set[int]) -> set[int]:
    """Kept ``apt-get update`` segments that no install follows any more
    once ``drop`` goes (the second update of the NodeSource recipe)."""
    segs = info.script.segments
    left = [k for k in range(len(segs)) if k not in drop]
    out: set[int] = set()
    for i, k in enumerate(left):
        ops = info.ops[k]
        if not ops or not all(op.kind is Kind.SYSTEM_META and op.detail == "apt-get update" for op in ops):
            continue
        if not any(k < d for d in drop):
            continue
        later = left[i + 1:]
        if not any(op.kind is Kind.SYSTEM_INSTALL for j in later for op in info.ops[j]):
            out.add(k)
    return out


def _delete_word(df: Dockerfile, info: RunInfo, word) -> Edit | None:
    """Delete one word of a RUN: its whole line when it stands alone on a
    continuation line (``    nodejs \\``), else the word and the blanks
    before it."""
    from migrator.analysis.stage import file_span

    span = file_span(info, word.start, word.end)
    if span is not None:
        text = df.text
        a, b = span
        start = text.rfind("\n", 0, a) + 1
        m = re.compile(r"[ \t]*" + re.escape(df.escape) + r"[ \t]*\r?\n").match(text, b)
        if not text[start:a].strip() and m:
            return Edit.delete(start, m.end())
    return delete_word(info, word)


def _delete_instructions(df: Dockerfile, gone: list[Instruction]) -> list[Edit]:
    """Edits deleting whole instructions with the comment lines right above
    them (which describe them); where a deleted run of them sat between two
    blank lines, one of those goes too."""
    spans: list[list[int]] = []
    for ins in sorted(gone, key=lambda i: i.start):
        start = ins.start
        while start > 0:
            prev = df.text.rfind("\n", 0, start - 1) + 1
            if not df.text[prev:start].lstrip(" \t").startswith("#") or prev == 0:
                break
            start = prev
        ins = _Span(start, ins.end)
        if spans and df.text[spans[-1][1]:ins.start].strip() == "":
            spans[-1][1] = max(spans[-1][1], ins.end)
        else:
            spans.append([ins.start, ins.end])
    text = df.text
    out = []
    for a, b in spans:
        before_blank = text[:a].endswith(("\n\n", "\n\r\n")) or a == 0
        m = re.compile(r"[ \t]*\r?\n").match(text, b)
        if before_blank and m:
            b = m.end()
        out.append(Edit.delete(a, b))
    return out


@dataclass
class _Span:
    start: int
    end: int


def _command_text(cmd) -> str:
    return " ".join(w.raw for w in cmd.words)


def _join(folder: str, name: str) -> str:
    return name if folder in (".", "") else posixpath.join(folder, name) if name else folder


def _unique(items):
    return list(dict.fromkeys(items))


_TRIVIAL = re.compile(r"(set(\s+[-+][A-Za-z]+|\s+[-+]o\s+\w+)*|true|:)\s*")


def _segment_edits(df: Dockerfile, info: RunInfo, drop: set[int]) -> tuple[list[Edit] | None, str | None]:
    """Edits deleting the segments ``drop`` of a RUN with the operators that
    join them; ``(None, None)`` when nothing of the RUN is left that does
    anything (only ``cd``, ``apt-get update``, list cleanup, ``set -e``):
    the caller deletes the whole instruction."""
    segs = info.script.segments
    drop = set(drop) | _idle_cds(info, drop)
    drop |= _idle_updates(info, drop)
    left = [k for k in range(len(segs)) if k not in drop]
    meta = (Kind.SYSTEM_META,)
    if all(all(op.kind in meta or op.command.name == "cd" for op in info.ops[k]) or
           _TRIVIAL.fullmatch(info.script.segment_text(segs[k]).strip()) for k in left):
        return None, None
    if info.positions is None:
        return None, f"line {info.ins.start_line}: can't edit this RUN in place (JSON form or heredoc)"
    pos = info.positions

    def at(offset: int) -> int:
        return info.ins.start + pos[offset]

    def end(seg) -> int:
        return info.ins.start + pos[seg.end - 1] + 1

    edits = []
    k = 0
    while k < len(segs):
        if k not in drop:
            k += 1
            continue
        first = k
        while k + 1 < len(segs) and k + 1 in drop:
            k += 1
        if first > 0:
            edits.append(Edit(end(segs[first - 1]), end(segs[k]), ""))
        else:
            edits.append(Edit(at(segs[0].start), at(segs[k + 1].start), ""))
        k += 1
    for k in drop:
        if segs[k].operator == "||" or (k + 1 < len(segs) and segs[k + 1].operator == "||"):
            return None, f"line {info.ins.start_line}: a frontend step is joined with `||`; can't take it out"
    return edits, None

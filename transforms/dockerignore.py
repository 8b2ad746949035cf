"""dockerignore: a ``.dockerignore`` for a build that copies the whole context.

``COPY . .`` (or ``COPY . /app``, ``ADD . /app``, in any stage) copies every
file of the build context into a layer: the ``.git`` history, ``.env``
secrets, the developer's virtualenv and ``node_modules``, caches. When the
build context (``options.context``) has no ``.dockerignore``, this transform
creates one (seed 003's "Use .dockerignore"), from the rules of
``migrator/data/dockerignore.json``: ``.git``; ``**/.env`` and ``**/.env.*``;
``.venv``, ``venv`` and ``env`` (``env`` only when the context shows a
virtualenv there, a ``pyvenv.cfg``; a ``.venv``/``venv`` folder without one
is not listed); ``**/node_modules``; Python, pytest, mypy and ruff caches;
the folders a build command of the Dockerfile writes again (``python -m
build``: ``dist``, ``next build``: ``.next``, ``npm run build`` read through
``package.json``); ``Dockerfile*`` and ``.dockerignore`` (still sent to the
builder, only not copied: https://docs.docker.com/build/concepts/context/#dockerignore-files).

It keeps what the build needs:

- ``.git`` when a RUN runs ``git`` on the repository (``git describe``, not
  ``git clone``), or when the project's version comes from git:
  ``pyproject.toml`` (``[build-system] requires`` setuptools-scm, hatch-vcs,
  versioneer... or a ``[tool.setuptools_scm]``-like table), ``setup.py`` /
  ``setup.cfg`` naming one of them, a ``versioneer.py``;
- a file or folder a COPY/ADD names (``COPY .env.production .``, ``COPY
  build/ /srv``): an exception line (``!.env.production``) after the rules,
  or no rule when the COPY names exactly the rule's path;
- the ``.env`` files a frontend build reads at build time (``next build``,
  ``vite build``, ``react-scripts build``: their public values are compiled
  into the bundle) when the context has them;
- ``node_modules`` when the Dockerfile runs node programs without installing
  packages itself; a virtualenv folder the image runs from (named by CMD,
  ENTRYPOINT or ENV) when no RUN installs Python packages;
- a ``.env``/``.env.<name>`` of the context that a source of the context
  loads at run time (``load_dotenv()``, ``require('dotenv').config()``,
  ``godotenv.Load()``, ``node --env-file``...: :mod:`migrator.context.dotenv`):
  an exception line naming the reader, since the original image carries the
  file and the app fails at start without it. Excluding it anyway is a
  second, unsafe change on the same file (``--unsafe``), whose reason names
  the file and the reader. A ``.env`` nothing reads is excluded and named in
  the reason.

A context that has a ``.dockerignore`` is never written over: when it lets
``.env`` (or an ``.env.*`` file the context holds) through, the outcome is a
note (asking to exclude it with the tool's own ``secrets`` patterns, ``!``
lines for the dotenv templates included, and never naming a template such as
``.env.example``, unless the app reads it: then the note names the reader and
says secrets belong at run time). BuildKit reads ``<Dockerfile name>.dockerignore`` beside a Dockerfile
of that name instead of ``.dockerignore``, and podman/buildah read
``.containerignore`` first; the transform doesn't know the Dockerfile's name,
so it checks the context root only: a ``*.dockerignore`` or
``.containerignore`` there means no file is created, with a note. Without a
build context the transform does nothing. Pattern syntax (Go's
``filepath.Match`` plus ``**``, the last matching line wins):
https://docs.docker.com/build/concepts/context/#dockerignore-files.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from migrator.analysis.stage import read_run, start_words, substitute, walk
from migrator.analysis.commands import Kind
from migrator.model.dockerfile import Dockerfile, Instruction
from migrator.options import Options
from migrator.analysis.packages import read_data
from migrator.context.dotenv import EnvFiles, EnvRead, read_env_files
from migrator.model.results import Applicability, ContextFile
from migrator.transform import Outcome

ID = "dockerignore"
NAME = ".dockerignore"
_GLOB = re.compile(r"[*?\[]")


@lru_cache(maxsize=1)
def rules_data() -> dict:
    """The parsed ``migrator/data/dockerignore.json`` (rules with their
    reasons, the tools that need ``.git``, build outputs, .env readers).

    Raises:
        OSError: the data file is missing (a broken install).
    """
    return json.loads(read_data("dockerignore.json"))


# ---------------------------------------------------------------------------
# .dockerignore patterns
# ---------------------------------------------------------------------------

def compile_pattern(pattern: str) -> re.Pattern | None:
    """A regular expression for one ``.dockerignore`` pattern (without its
    ``!``), as moby/patternmatcher builds it: the pattern cleaned like Go's
    ``filepath.Clean`` with a leading ``/`` dropped, ``*`` any run of
    non-``/`` characters, ``?`` one, ``[...]`` a class, ``**`` any number of
    folders (``**/x`` also matches ``x``). Returns None for an empty pattern.
    Reference: https://docs.docker.com/build/concepts/context/#dockerignore-files.
    """
    pattern = pattern.strip()
    if not pattern:
        return None
    pattern = posixpath.normpath(pattern)
    if len(pattern) > 1 and pattern.startswith("/"):
        pattern = pattern.lstrip("/") or "."
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            out += ".*" if i >= len(pattern) else "(?:.*/)?"
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out += re.escape(c)
            else:
                body = pattern[i + 1:end]
                out += "[" + ("^" + body[1:] if body.startswith(("!", "^")) else body).replace("\\", "\\\\") + "]"
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def parse_ignore(text: str) -> list[tuple[bool, re.Pattern]]:
    """The patterns of a ``.dockerignore`` text, in order, as ``(exception,
    regex)`` pairs: comment lines (``#`` in column 1) and blank lines are
    skipped, a leading ``!`` marks an exception."""
    out = []
    for raw in text.splitlines():
        if raw.startswith("#"):
            continue
        line = raw.strip()
        exception = line.startswith("!")
        regex = compile_pattern(line[1:] if exception else line)
        if regex is not None:
            out.append((exception, regex))
    return out


def excluded(patterns: list[tuple[bool, re.Pattern]], rel: str) -> bool:
    """Whether ``patterns`` (from :func:`parse_ignore`) keep the context path
    ``rel`` (POSIX, relative to the root) out of the build context: the last
    pattern matching it or one of its parent folders decides."""
    parts = posixpath.normpath(rel).split("/")
    candidates = ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]
    result = False
    for exception, regex in patterns:
        if any(regex.match(c) for c in candidates):
            result = not exception
    return result


# ---------------------------------------------------------------------------
# Reading the Dockerfile
# ---------------------------------------------------------------------------

def whole_context_copy(ins: Instruction) -> bool:
    """A COPY/ADD of the whole build context (every source ``.`` or ``./``,
    no ``--from``), in shell or JSON form."""
    if ins.keyword not in ("COPY", "ADD") or ins.heredocs or len(ins.args) < 2 or ins.flag("from") is not None:
        return False
    return all(a in (".", "./") for a in ins.args[:-1])


def _norm_source(src: str) -> str | None:
    """A COPY source as a context path (``./build/`` -> ``build``), or None
    for the root itself or a URL."""
    if "://" in src or src.startswith("git@"):
        return None
    rel = posixpath.normpath(src.lstrip("/"))
    return None if rel in (".", "") or rel.startswith("..") else rel


@dataclass
class _Dest:
    """Where a whole-context COPY puts the context: container folder ``path``."""

    path: str
    line: int


@dataclass
class _Reading:
    """What the transform learns from the Dockerfile (see :class:`DockerIgnore`)."""

    copies: list[Instruction] = field(default_factory=list)        # whole-context COPY/ADD
    named: list[tuple[str, int]] = field(default_factory=list)     # (context path, line) a COPY names
    git_runs: list[tuple[int, str]] = field(default_factory=list)  # (line, "git describe")
    python_installs: bool = False
    node_install: bool = False
    node_runs: list[tuple[int, str]] = field(default_factory=list)  # (line, program)
    env_words: list[str] = field(default_factory=list)               # CMD/ENTRYPOINT/ENV words
    outputs: list[tuple[str, int, str]] = field(default_factory=list)  # (context folder, line, command)
    env_readers: list[tuple[str, int, str]] = field(default_factory=list)  # (context folder, line, command)
    used: list[tuple[str, int]] = field(default_factory=list)  # (context path, line) a RUN/CMD names
    commands: list[tuple[str, str]] = field(default_factory=list)  # ("line 9", command text): RUN, CMD, ENTRYPOINT


def _program(argv: list[str]) -> list[str]:
    """argv with ``npx``/``bunx``/``pnpm exec``/``yarn exec`` dropped and the
    program as its base name (``python3.12`` read as ``python``)."""
    argv = list(argv)
    while argv:
        name = posixpath.basename(argv[0])
        if name in ("npx", "bunx"):
            argv = [a for a in argv[1:] if a not in ("--yes", "-y", "--no-install")]
            continue
        if name in ("pnpm", "yarn") and len(argv) > 1 and argv[1] == "exec":
            argv = argv[2:]
            continue
        break
    if not argv:
        return argv
    name = posixpath.basename(argv[0])
    if re.fullmatch(r"python[0-9.]*", name):
        name = "python"
    return [name] + argv[1:]


class DockerIgnore:
    """Create a ``.dockerignore`` when the whole build context is copied."""

    id = ID
    title = "Create a .dockerignore for a whole-context COPY"
    rationale = ("COPY . . puts everything in the build context into a layer: the .git history, .env "
                 "secrets, local virtualenvs and node_modules, which a .dockerignore keeps out")
    default = True
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the ``.dockerignore``; see the module docstring.

        Args:
            df: the Dockerfile as the earlier transforms left it.
            options: ``options.context`` is the build context (None: nothing
                is done).
        Returns:
            an :class:`Outcome` with one :class:`ContextFile` (path
            ``.dockerignore``, ``original=None``), or a note about an
            existing ignore file, or nothing (no whole-context COPY).
        """
        context = options.context
        if context is None:
            return Outcome()
        reading = _read(df, context)
        if not reading.copies:
            return Outcome()
        first = reading.copies[0].start_line
        root_names = context.list_dir(".")
        if NAME in root_names or context.is_file(NAME) or context.is_dir(NAME):
            note = _existing_note(context, reading, first)
            return Outcome(notes=[note] if note else [])
        others = [n for n in root_names if n == ".containerignore" or (n.endswith(NAME) and n != NAME)]
        if others:
            return Outcome(notes=[f"{ID}: line {first} copies the whole build context, but the context has "
                                  f"{others[0]}, which a build may read instead of .dockerignore: no .dockerignore "
                                  "created"])
        env = read_env_files(context, tuple(reading.commands))
        text, labels, kept, read_envs = _generate(context, reading, env)
        what = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else labels[0]
        reason = f"line {first} copies the whole build context; this new file keeps {what} out of the image"
        if kept:
            reason += " (kept: " + "; ".join(kept) + ")"
        files = [ContextFile(NAME, None, text, ID, reason)]
        if read_envs:
            reason += "; " + _read_env_clause(read_envs, first)
            files = [ContextFile(NAME, None, text, ID, reason), _exclude_read_envs(text, read_envs)]
        return Outcome(files=files)


def _read(df: Dockerfile, context) -> _Reading:
    """Walk every stage for what the rules depend on."""
    data = rules_data()
    node_programs = set(data["node_programs"])
    no_repo = set(data["git_commands_without_repo"])
    out = _Reading()
    for stage in df.stages:
        dests: list[_Dest] = []
        for ins, ctx in walk(df, stage):
            kw = ins.keyword
            if kw in ("COPY", "ADD") and not ins.heredocs and len(ins.args) >= 2 and ins.flag("from") is None:
                if whole_context_copy(ins):
                    out.copies.append(ins)
                    dest = substitute(ins.args[-1], ctx.env)
                    if dest is not None and ctx.workdir is not None:
                        dests.append(_Dest(posixpath.normpath(posixpath.join(ctx.workdir, dest)), ins.start_line))
                    continue
                for src in ins.args[:-1]:
                    value = substitute(src, ctx.env)
                    rel = _norm_source(value) if value is not None else None
                    if rel is not None:
                        out.named.append((rel, ins.start_line))
            elif kw in ("CMD", "ENTRYPOINT"):
                words = start_words(ins)
                folder = _context_folder(ctx.workdir, dests)
                for arg in ins.args:
                    _path_words(arg.split(), ctx.workdir, folder, dests, ins.start_line, out)
                out.env_words.extend(a for a in ins.args)
                out.commands.append((f"line {ins.start_line}", " ".join(ins.args)))
                for w in words:
                    if w in node_programs:
                        out.node_runs.append((ins.start_line, w))
            elif kw == "ENV":
                out.env_words.extend(ins.args)
            elif kw == "RUN":
                info = read_run(df, ins, ctx)
                for op in info.all_ops:
                    argv = op.command.argv
                    if op.kind in (Kind.PYTHON_INSTALL, Kind.VENV):
                        out.python_installs = True
                    if not argv:
                        continue
                    out.commands.append((f"line {ins.start_line}", shlex.join(argv)))
                    name = posixpath.basename(argv[0])
                    if name == "git":
                        sub = next((a for a in argv[1:] if not a.startswith("-")), "")
                        if sub not in no_repo and not (len(argv) > 1 and argv[1] in no_repo):
                            out.git_runs.append((ins.start_line, " ".join(["git", sub]).strip()))
                    if name in node_programs:
                        out.node_runs.append((ins.start_line, name))
                        if _node_install(argv):
                            out.node_install = True
                    folder = _context_folder(op.command.cwd, dests)
                    if name != "rm":   # removing a file doesn't need it
                        _path_words(argv[1:], op.command.cwd, folder, dests, ins.start_line, out)
                    if folder is None:
                        continue
                    for prog in _programs(argv, context, folder):
                        _match_build(prog, folder, ins.start_line, context, out)
    return out


def _path_words(words: list[str], cwd: str | None, folder: str | None, dests: list[_Dest], line: int,
                out: _Reading) -> None:
    """Record the words of a command that are paths into the copied context
    (``.env.example`` in ``cp .env.example .env``, ``/app/scripts/x.sh``):
    a rule must not exclude a file the build or the start command uses.
    Only words with a ``/`` or a ``.`` in them are read as paths (``npm run
    build`` names a script, not the folder)."""
    for word in words:
        word = word.strip("'\"")
        if not word or word.startswith("-") or "=" in word or "://" in word or _GLOB.search(word):
            continue
        if "/" not in word and "." not in word.strip("."):
            continue
        if word.startswith("/"):
            base = _context_folder(posixpath.dirname(posixpath.normpath(word)), dests)
            rel = posixpath.join(base, posixpath.basename(word)) if base is not None else None
        elif folder is not None and cwd is not None:
            rel = posixpath.normpath(posixpath.join(folder, word)) if folder else posixpath.normpath(word)
        else:
            rel = None
        if rel and not rel.startswith(".."):
            out.used.append((rel, line))


def _node_install(argv: list[str]) -> bool:
    """Whether argv installs node packages (``npm ci``, bare ``yarn``...)."""
    installs = rules_data()["node_install"].get(posixpath.basename(argv[0]))
    if installs is None:
        return False
    sub = next((a for a in argv[1:] if not a.startswith("-")), "")
    return sub in installs


def _context_folder(cwd: str | None, dests: list[_Dest]) -> str | None:
    """The context folder (``""``: the root) a command running in ``cwd``
    sees, through the last whole-context COPY into ``cwd`` or a folder above
    it; None when no whole-context COPY put ``cwd`` there."""
    if cwd is None:
        return None
    for dest in reversed(dests):
        if cwd == dest.path:
            return ""
        prefix = dest.path.rstrip("/") + "/"
        if cwd.startswith(prefix):
            return cwd[len(prefix):]
    return None


def _programs(argv: list[str], context, folder: str) -> list[list[str]]:
    """The commands ``argv`` runs: itself, or for ``npm run build`` (yarn,
    pnpm, bun) the commands of that ``package.json`` script, read through
    the build context."""
    argv = _program(argv)
    if not argv:
        return []
    runners = rules_data()["script_runners"].get(argv[0])
    if runners is None or len(argv) < 2:
        return [argv]
    if argv[1] in runners and argv[1]:
        script = argv[2] if len(argv) > 2 else None
    elif "" in runners and not argv[1].startswith("-"):
        script = argv[1]
    else:
        return [argv]
    text = context.read_text(posixpath.join(folder, "package.json") if folder else "package.json")
    try:
        scripts = json.loads(text).get("scripts", {}) if text else {}
    except (ValueError, AttributeError):
        scripts = {}
    body = scripts.get(script) if isinstance(scripts, dict) else None
    if not isinstance(body, str):
        return [argv]
    out = []
    for piece in re.split(r"&&|\|\||;", body):
        try:
            words = shlex.split(piece)
        except ValueError:
            continue
        words = [w for w in words if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w)]  # NODE_ENV=production
        prog = _program(words)
        if prog:
            out.append(prog)
    return out or [argv]


def _match_build(argv: list[str], folder: str, line: int, context, out: _Reading) -> None:
    """Record the build outputs and ``.env`` reading of one command."""
    data = rules_data()
    command = " ".join(argv[:3])
    for entry in data["build_outputs"]:
        want = entry["command"]
        if argv[:len(want)] != want:
            continue
        unless = entry.get("unless_config")
        if unless and any(unless["contains"] in (context.read_text(posixpath.join(folder, f)) or "")
                          for f in unless["files"]):
            continue
        for name in entry["folders"]:
            out.outputs.append((posixpath.join(folder, name) if folder else name, line, " ".join(want)))
    if argv[0] in data["env_file_readers"] and len(argv) > 1 and argv[1] == "build":
        out.env_readers.append((folder, line, command))


# ---------------------------------------------------------------------------
# What the build needs
# ---------------------------------------------------------------------------

def _canon(name: str) -> str:
    """A requirement name normalised as PEP 503 (lower case, -_. as -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _git_need(context, reading: _Reading) -> str | None:
    """Why the build needs ``.git`` (one clause: ``"line 5 runs git describe"``),
    or None."""
    data = rules_data()
    if reading.git_runs:
        line, cmd = reading.git_runs[0]
        return f"line {line} runs {cmd}"
    wanted = {_canon(n) for n in data["vcs_requirements"]}
    text = context.read_text("pyproject.toml")
    if text:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            doc = {}
        requires = doc.get("build-system", {}).get("requires", [])
        for req in requires if isinstance(requires, list) else []:
            name = _canon(re.split(r"[\s\[<>=!~;@(]", str(req).strip(), maxsplit=1)[0])
            if name in wanted:
                return f"pyproject.toml's build-system requires {name}, which reads the version from it"
        tool = doc.get("tool", {})
        for table in data["vcs_tool_tables"]:
            node = tool
            for part in table.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                continue
            if table in ("hatch.version", "pdm.version"):
                if not (isinstance(node, dict) and node.get("source") in ("vcs", "scm")):
                    continue
            return f"pyproject.toml's [tool.{table}] takes the version from it"
    for name in ("setup.py", "setup.cfg"):
        body = context.read_text(name)
        if not body:
            continue
        canon = _canon(body)
        for req in sorted(wanted):
            if re.search(r"(?<![a-z0-9-])" + re.escape(req) + r"(?![a-z0-9-])", canon):
                return f"{name} uses {req}, which reads the version from it"
        if "use-scm-version" in canon:
            return f"{name} sets use_scm_version: setuptools-scm reads the version from it"
    for name in data["vcs_files"]:
        if context.is_file(name):
            return f"the context has {name}, which reads the version from it"
    return None


def _is_virtualenv(context, name: str) -> bool:
    return context.is_file(posixpath.join(name, rules_data()["virtualenv_marker"]))


def _venv_used(name: str, reading: _Reading) -> bool:
    """Whether the image runs from the context's virtualenv ``name``: CMD,
    ENTRYPOINT or ENV names it as a path and no RUN installs Python packages."""
    if reading.python_installs:
        return False
    pat = re.compile(r"(?:^|[/\s:=\"'])" + re.escape(name) + r"(?:/|$|[\s:\"'])")
    return any(pat.search(w) for w in reading.env_words)


# ---------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------

def _generate(context, reading: _Reading, env: EnvFiles | None = None
              ) -> tuple[str, list[str], list[str], list[tuple[str, list[EnvRead]]]]:
    """The text of the new ``.dockerignore``, the labels of the rules it
    holds (``".env files"``), the clauses saying what was kept for the
    build (``".git (line 5 runs git describe)"``), for the reason, and the
    ``.env`` files of the context kept in the image because a source of the
    context reads them at run time, with their readers (``env``: from
    :func:`migrator.context.dotenv.read_env_files`)."""
    data = rules_data()
    kept: list[str] = []
    lines = [data["header"]]
    groups: list[tuple[str, list[str], str]] = []   # (comment, patterns, label)
    for rule in data["rules"]:
        patterns = list(rule["patterns"])
        comment = rule["comment"]
        keep = rule.get("keep")
        if rule["id"] == "build-outputs":
            seen: list[str] = []
            for folder, line, cmd in reading.outputs:
                if folder not in seen:
                    seen.append(folder)
            patterns = seen
            if seen:
                cmds = sorted({f"{cmd} (line {line})" for _, line, cmd in reading.outputs})
                comment = f"{comment}: {', '.join(cmds)}"
        if keep == "vcs":
            need = _git_need(context, reading)
            if need:
                kept.append(f".git ({need})")
                groups.append((f".git is kept: {need}", [], ""))
                continue
        elif keep == "virtualenv":
            chosen = []
            for name in patterns:
                if context.is_dir(name) and not _is_virtualenv(context, name):
                    continue   # a folder of the project that is no virtualenv
                if name in data["virtualenv_only_when_seen"] and not context.is_dir(name):
                    continue
                if _venv_used(name, reading):
                    kept.append(f"{name} (the image runs from it)")
                    continue
                chosen.append(name)
            patterns = chosen
        elif keep == "node-modules":
            if reading.node_runs and not reading.node_install:
                line, prog = reading.node_runs[0]
                kept.append(f"node_modules (line {line} runs {prog} and no RUN installs packages)")
                continue
        if patterns:
            groups.append((comment, patterns, rule["label"]))
    # What the build copies by name, or a frontend build reads, comes back
    # with exceptions after every rule (the last matching line wins).
    body_patterns = [p for _, pats, _ in groups for p in pats]
    compiled = parse_ignore("\n".join(body_patterns))
    exceptions: list[tuple[str, str]] = []
    for rel, line in reading.named:
        if rel in body_patterns:
            body_patterns.remove(rel)
            for _, pats, _ in groups:
                if rel in pats:
                    pats.remove(rel)
            kept.append(f"{rel} (line {line} copies it)")
            continue
        if _GLOB.search(rel):
            folder, pattern = posixpath.split(rel)
            hits = [posixpath.join(folder, n) for n in context.list_dir(folder or ".")
                    if not _GLOB.search(folder) and re.fullmatch(compile_pattern(pattern).pattern, n)]
            if not any(excluded(compiled, h) for h in hits):
                continue
        elif not excluded(compiled, rel):
            continue
        if rel not in [e for e, _ in exceptions]:
            exceptions.append((rel, f"line {line} copies it"))
            kept.append(f"{rel} (line {line} copies it)")
    for rel, line in reading.used:
        exists = context.is_file(rel) or context.is_dir(rel)
        if exists and excluded(compiled, rel) and rel not in [e for e, _ in exceptions]:
            exceptions.append((rel, f"line {line} uses it"))
            kept.append(f"{rel} (line {line} uses it)")
    env_names = data["env_files_read"]
    for folder, line, cmd in reading.env_readers:
        for name in env_names:
            rel = posixpath.join(folder, name) if folder else name
            if context.is_file(rel) and excluded(compiled, rel) and rel not in [e for e, _ in exceptions]:
                exceptions.append((rel, f"{cmd} (line {line}) reads it into the bundle"))
                kept.append(f"{rel} ({cmd} at line {line} reads it)")
    read_envs: list[tuple[str, list[EnvRead]]] = []
    unread: list[str] = []
    for rel in env.files if env is not None else ():
        if not excluded(compiled, rel) or rel in [e for e, _ in exceptions]:
            continue
        readers = env.readers_of(rel)
        if readers:
            read_envs.append((rel, readers))
        else:
            unread.append(rel)
    labels = [label for _, pats, label in groups if pats]
    if unread and ".env files" in labels:
        files = ", ".join(unread[:3]) + (" ..." if len(unread) > 3 else "")
        partly = "" if env.complete else ", as far as the tool read them"
        labels[labels.index(".env files")] = (f".env files (the context's {files}, which no source of the "
                                              f"context reads{partly})")
    for comment, pats, label in groups:
        if pats or not label:
            lines.append(f"# {comment}")
            lines.extend(pats)
    for rel, why in exceptions:
        lines.append(f"# needed by the build: {why}")
        lines.append(f"!{rel}")
    for rel, readers in read_envs:
        lines.extend(_read_env_lines(rel, readers))
    return "\n".join(lines) + "\n", labels, kept, read_envs


def _read_env_lines(rel: str, readers: list[EnvRead]) -> list[str]:
    """The exception that keeps a ``.env`` file the app reads, with its comment."""
    return [f"# read at run time: {readers[0]} loads it; secrets belong in the run-time environment "
            "(docker run --env-file), not in a layer", f"!{rel}"]


def _read_env_clause(read_envs: list[tuple[str, list[EnvRead]]], first: int) -> str:
    """The clause of the safe reason for the ``.env`` files kept in the image."""
    parts = [f"{rel} ({readers[0]} reads it at run time)" for rel, readers in read_envs]
    return (f"the context's {', '.join(parts)} stays in the image, as the original had it (line {first} copies "
            "it): the app fails at start without it; secrets belong in the run-time environment (docker run "
            "--env-file, compose env_file), and --unsafe excludes it")


def _exclude_read_envs(text: str, read_envs: list[tuple[str, list[EnvRead]]]) -> ContextFile:
    """The unsafe change on top of the safe file: the exceptions that keep
    the ``.env`` files the app reads removed, so the secrets rule excludes
    them too."""
    out = text
    for rel, readers in read_envs:
        out = out.replace("\n".join(_read_env_lines(rel, readers)) + "\n", "")
    parts = [f"{rel} (read at run time by {readers[0]})" for rel, readers in read_envs]
    reason = (f"also keeps {', '.join(parts)} out of the image: the app then needs those variables from the "
              "run-time environment (docker run --env-file, compose env_file, the platform's secrets), or it "
              "fails at start")
    return ContextFile(NAME, text, out, ID, reason, Applicability.UNSAFE)


def _existing_note(context, reading: _Reading, first: int) -> str | None:
    """The note for a context whose ``.dockerignore`` lets ``.env`` files
    through, or None (it excludes them, or the build copies them by name)."""
    text = context.read_text(NAME)
    if text is None:
        return None
    patterns = parse_ignore(text)
    named = {rel for rel, _ in reading.named}
    rule = _secrets_patterns()
    candidates = [".env"] + [n for n in context.list_dir(".") if n.startswith(".env.") and context.is_file(n)]
    # the committed templates (.env.example...) the tool's own rule keeps are not asked for
    missed = [n for n in candidates if n not in named and not excluded(patterns, n)
              and excluded(parse_ignore("\n".join(rule)), n)]
    if not missed:
        return None
    env = read_env_files(context, tuple(reading.commands))
    read = [(n, env.readers_of(n)) for n in missed if context.is_file(n) and env.readers_of(n)]
    if read:
        # the app loads it: excluding it would break the start; say where the secrets belong instead
        parts = ", ".join(f"{n} ({readers[0]} reads it at run time)" for n, readers in read)
        return (f"{ID}: the image carries the context's {parts}, which line {first} (a whole-context COPY) copies: "
                "the app needs it, so it is not to be excluded as it is; secrets belong in the run-time "
                "environment (docker run --env-file, compose env_file), not in a layer")
    present = [n for n in missed if context.is_file(n)]
    if present:
        what = f"{', '.join(present)}, which the context holds and line {first} (a whole-context COPY) copies"
    else:
        what = f".env files, which line {first} (a whole-context COPY) would copy"
    return (f"{ID}: the build context's .dockerignore does not exclude {what} into the image; add "
            + ", ".join(rule) + " (the ! lines keep the committed templates)")


def _secrets_patterns() -> list[str]:
    """The patterns of the ``secrets`` rule of ``dockerignore.json``: the
    ``.env`` files and the ``!`` exceptions keeping the dotenv templates."""
    return next(r["patterns"] for r in rules_data()["rules"] if r.get("id") == "secrets")

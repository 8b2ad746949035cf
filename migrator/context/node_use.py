"""Whether a step of a Python image runs Node.js, reading what it calls from the build context.

frontend-stage removes Node.js from a Python image whose frontend build
moves to a Node stage. A RUN that still runs Node after that fails the build
(``sh scripts/post_build.sh`` whose script runs ``node -e ...``). This module
reads a command the way a shell would run it:

- a Node program by name (``frontend.json`` ``runtime_programs``), also
  behind ``exec``, ``env VAR=x``, ``nohup``, ``tini --``, ``dumb-init``;
- ``sh -c 'TEXT'``: TEXT, parsed;
- a shell script (``sh x.sh``, ``bash x``, ``./x``, ``x.sh``): its text from
  the build context (where the stage's COPY lines put it, see
  :func:`migrator.analysis.full_image.read_script`), parsed with the shell grammar of
  :mod:`migrator.model.shell`, every command of it read the same way, at most
  :data:`MAX_DEPTH` scripts deep;
- ``make``: the recipe lines of the Makefile (``-f``, ``-C`` followed);
- a tool known to call npm (``frontend.json`` ``node_calling_commands``:
  ``python manage.py tailwind build``, with its source).

A script or Makefile the context doesn't have is a problem, never a guess:
the caller refuses naming the line.

Besides *whether* Node runs, the reader records whether what runs needs the
project's installed packages (:attr:`NodeUseReader.needs`): npm, npx, pnpm,
yarn and the tools that run npm do; ``node`` does unless every module the
code it runs loads is one of Node's built-in modules
(``migrator/data/node-builtins.json``: ``require('node:module').builtinModules``,
https://nodejs.org/api/module.html#modulebuiltinmodules), read with the
tree-sitter JavaScript grammar from the ``-e``/``-p`` text or from the script
file in the build context. So ``node -e "require('fs')..."`` needs Node.js,
not ``node_modules``.
"""

from __future__ import annotations

import functools
import json
import posixpath
from typing import Callable

from migrator.context.frontend import frontend_data

MAX_DEPTH = 4
"""How many scripts deep a script that runs scripts is followed."""

MAX_SCRIPTS = 32
"""How many scripts and Makefiles one reader reads at most."""

SHELLS = ("sh", "bash", "dash", "ash", "zsh")
"""Shells that run a script file given as their first operand."""

NODE = ("node", "nodejs")
"""The names of Node.js itself (Debian's ``nodejs`` package installs both)."""

_NODE_CODE_FLAGS = ("-e", "--eval", "-p", "--print")
"""node options whose value is the code to run (nodejs.org/api/cli.html)."""

_NODE_PRELOAD_FLAGS = ("-r", "--require", "--import", "--loader", "--experimental-loader")
"""node options that load a module before the code (nodejs.org/api/cli.html)."""

_NODE_INFO_FLAGS = ("-v", "--version", "-h", "--help", "--v8-options")
"""node options that print and exit, running no code."""

MAX_SOURCE = 256 * 1024
"""The largest script file read for the modules it loads."""


@functools.lru_cache(maxsize=1)
def node_builtins() -> frozenset[str]:
    """The names of Node.js's built-in modules (``migrator/data/node-builtins.json``,
    written by ``scripts/regen_node_builtins.py``)."""
    from migrator.analysis.packages import read_data

    return frozenset(json.loads(read_data("node-builtins.json"))["names"])


class NodeUseReader:
    """Read commands for Node.js use (see the module docstring).

    Args:
        df: the Dockerfile (its single stage's COPY lines locate scripts).
        options: ``options.context`` is the build context read.
        read_script: ``(df, stage, word, options) -> text | None``
            (:func:`migrator.analysis.full_image.read_script`).
    """

    def __init__(self, df, options, read_script: Callable):
        self.df, self.options, self._read = df, options, read_script
        data = frontend_data()
        self.names = set(data["runtime_programs"]["names"])
        self.tools = data["node_calling_commands"]["commands"]
        self.read_count = 0
        self.needs: str | None = None
        """Why a Node.js use read so far needs the project's installed
        packages (``node_modules``, the package manager), the first one
        found; None while every use needs Node.js only. A command that
        can't be read after the first use found counts as needing them."""

    def need(self, why: str | None) -> None:
        """Record ``why`` as :attr:`needs` unless a reason is recorded already
        (``why`` None: nothing)."""
        if why and self.needs is None:
            self.needs = why

    def command(self, cmd, depth: int = 0) -> tuple[str | None, str | None]:
        """Whether ``cmd`` (a :class:`migrator.model.shell.Command`) runs Node.

        Returns:
            ``(found, problem)``: ``found`` says what runs Node
            (``"node"``, ``"sh scripts/post.sh, which runs node
            (scripts/post.sh:4)"``); ``problem`` (one clause) says what
            can't be read; both None when the command doesn't run Node.
        """
        inner = _unwrap(cmd)
        if inner is not None:
            return self.command(inner, depth)
        name = cmd.name
        argv = cmd.argv
        if name in self.names:
            if name in NODE:
                self.need(self._node_needs(cmd))
            else:
                self.need(f"{name} works with the installed packages")
            return name, None
        if not argv:
            return None, None
        for tool in self.tools:
            words = tool["words"]
            if _contains(argv, words):
                self.need(f"{tool['runs']} works with the installed packages")
                return f"`{' '.join(argv)}`, which runs {tool['runs']} ({tool['source']})", None
        if name in SHELLS:
            rest = argv[1:]
            if "-c" in rest:
                i = rest.index("-c")
                if i + 1 < len(rest):
                    return self._text(rest[i + 1], "the `-c` script", cmd.cwd, depth)
                return None, None
            operand = next((w for w in rest if not w.startswith("-")), None)
            return self._script(operand, cmd.cwd, depth) if operand else (None, None)
        if name == "make":
            return self._make(argv, cmd.cwd, depth)
        first = argv[0]
        if first.endswith((".sh", ".bash")) or (first.startswith(("./", "/")) and "." not in posixpath.basename(first)
                                               and not first.startswith(("/usr/", "/bin/", "/sbin/"))):
            return self._script(first, cmd.cwd, depth)
        return None, None

    def _path(self, word: str, cwd: str | None) -> str:
        if word.startswith("/") or cwd is None:
            return word
        return posixpath.normpath(posixpath.join(cwd, word))

    def _load(self, word: str, cwd: str | None) -> str | None:
        self.read_count += 1
        stage = self.df.stages[0]
        text = self._read(self.df, stage, self._path(word, cwd), self.options)
        if text is None and not word.startswith("/"):
            text = self._read(self.df, stage, word, self.options)
        return text

    def _script(self, word: str, cwd: str | None, depth: int) -> tuple[str | None, str | None]:
        if depth >= MAX_DEPTH or self.read_count >= MAX_SCRIPTS:
            return None, f"it runs scripts more than {MAX_DEPTH} deep or more than {MAX_SCRIPTS} of them"
        text = self._load(word, cwd)
        if text is None:
            return None, f"{word} is not in the build context"
        return self._text(text, word, cwd, depth + 1)

    def _text(self, text: str, where: str, cwd: str | None, depth: int) -> tuple[str | None, str | None]:
        from migrator.model.shell import parse_script

        script = parse_script(text, {}, cwd)
        first = None
        for c in script.commands:
            found, problem = self.command(c, depth)
            if problem:
                if first is None:
                    return None, problem
                self.need(problem)
            elif found and first is None:
                number = text.count("\n", 0, c.start) + 1
                first = f"{where}, which runs {found} ({where}:{number})"
        if first is not None:
            # the later commands were read for what they need only
            if script.errors:
                self.need(f"{where} does not parse as a shell script")
            return first, None
        if script.errors:
            return None, f"{where} does not parse as a shell script"
        return None, None

    def _make(self, argv: list[str], cwd: str | None, depth: int) -> tuple[str | None, str | None]:
        from migrator.model.shell import parse_script

        folder, makefile = cwd, None
        i = 1
        while i < len(argv):
            a = argv[i]
            if a in ("-C", "--directory") and i + 1 < len(argv):
                folder = self._path(argv[i + 1], cwd)
                i += 2
                continue
            if a in ("-f", "--file", "--makefile") and i + 1 < len(argv):
                makefile = argv[i + 1]
                i += 2
                continue
            i += 1
        if depth >= MAX_DEPTH or self.read_count >= MAX_SCRIPTS:
            return None, f"it runs scripts more than {MAX_DEPTH} deep or more than {MAX_SCRIPTS} of them"
        candidates = [makefile] if makefile else ["GNUmakefile", "makefile", "Makefile"]
        for name in candidates:
            text = self._load(name, folder)
            if text is None:
                continue
            # recipe lines start with a tab (GNU make manual, "Recipe Syntax")
            first = None
            for number, line in enumerate(text.splitlines(), 1):
                if not line.startswith("\t"):
                    continue
                recipe = line.lstrip("\t").lstrip("@-+ ")
                for c in parse_script(recipe, {}, folder).commands:
                    found, problem = self.command(c, depth + 1)
                    if problem:
                        if first is None:
                            return None, problem
                        self.need(problem)
                    elif found and first is None:
                        first = f"make, whose {name} recipe runs {found} ({name}:{number})"
            return first, None
        return None, f"{makefile or 'its Makefile'} is not in the build context"


    def _node_needs(self, cmd) -> str | None:
        """Why ``node ...`` needs installed packages, or None when all it
        loads is built into Node.js (:func:`modules_needed`)."""
        argv = cmd.argv
        if argv is None:
            return "`node` runs with arguments the tool can't read"
        text = " ".join(argv)
        if any(a.split("=", 1)[0] in ("NODE_OPTIONS", "NODE_PATH") for a in cmd.assignments):
            return f"`{text}` sets NODE_OPTIONS or NODE_PATH, which may load packages"
        args = argv[1:]
        i = 0
        while i < len(args):
            a = args[i]
            flag = a.split("=", 1)[0]
            if flag in _NODE_PRELOAD_FLAGS:
                return f"`{text}` preloads a module ({flag})"
            if flag in _NODE_CODE_FLAGS:
                code = a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
                return modules_needed(code, f"the {flag} code of `{node_name(argv)}`")
            if a in _NODE_INFO_FLAGS:
                return None
            if a == "-":
                return f"`{text}` runs code from its standard input"
            if not a.startswith("-"):
                if a.endswith((".ts", ".mts", ".cts", ".tsx")):
                    return f"`{text}` runs TypeScript ({a}), which needs a loader"
                source = self._load(a, cmd.cwd)
                if source is None:
                    return f"`{text}` runs {a}, which is not in the build context"
                if len(source) > MAX_SOURCE:
                    return f"`{text}` runs {a}, larger than the tool reads"
                return modules_needed(source, a)
            i += 1
        return f"`{text}` runs code from its standard input"


def node_name(argv: list[str]) -> str:
    return posixpath.basename(argv[0]) if argv else "node"


def modules_needed(code: str, where: str) -> str | None:
    """Why JavaScript ``code`` needs installed packages, or None when every
    module it loads is built into Node.js.

    Args:
        code: the source (a script file's text, a ``node -e`` argument).
        where: names it in the reason (``scripts/post.js``).
    Returns:
        None when each ``require('x')``, ``import ... from 'x'``,
        ``import('x')`` and ``export ... from 'x'`` names a built-in module
        (:func:`node_builtins`, with or without ``node:``); else one clause:
        the first other module (a package, a relative file the tool does not
        follow), a computed specifier, ``createRequire``, or code that does
        not parse. Read with the tree-sitter JavaScript grammar.
    """
    from migrator.context.node import _parser

    source = code.encode("utf-8")
    tree = _parser(False).parse(source)
    if tree.root_node.has_error:
        return f"{where} does not parse as JavaScript"
    builtins = node_builtins()
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        spec = None
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            callee = source[fn.start_byte:fn.end_byte].decode("utf-8", "replace") if fn is not None else ""
            if callee in ("require", "import", "require.resolve"):
                args = node.child_by_field_name("arguments")
                first = [c for c in (args.named_children if args is not None else []) if c.type != "comment"]
                if not first or first[0].type != "string":
                    return f"{where} loads a module it computes ({callee}(...))"
                spec = source[first[0].start_byte + 1:first[0].end_byte - 1].decode("utf-8", "replace")
        elif node.type in ("import_statement", "export_statement"):
            src = node.child_by_field_name("source")
            if src is not None:
                spec = source[src.start_byte + 1:src.end_byte - 1].decode("utf-8", "replace")
        elif node.type == "identifier" and source[node.start_byte:node.end_byte] == b"createRequire":
            return f"{where} makes its own require (createRequire)"
        if spec is not None:
            name = spec.removeprefix("node:")
            if not (spec.startswith("node:") or name in builtins):
                return f"{where} loads {spec}"
        stack.extend(node.children)
    return None


WRAPPERS = ("exec", "env", "nohup", "tini", "dumb-init")
"""Programs that run the command after their own options (``exec node
x.js``, ``env NODE_ENV=production node x.js``, ``tini -- node x.js``)."""


def _unwrap(cmd):
    """The command a wrapper (:data:`WRAPPERS`) runs, or None."""
    import dataclasses

    if posixpath.basename(cmd.name or "") not in WRAPPERS:
        return None
    words = list(cmd.words[1:])
    assignments = list(cmd.assignments)
    while words and words[0].values is not None and len(words[0].values) == 1:
        word = words[0].values[0]
        if word == "--":
            words.pop(0)
            break
        if word.startswith("-"):
            words.pop(0)
        elif "=" in word and word.split("=", 1)[0].isidentifier() and cmd.name == "env":
            assignments.append(words.pop(0).raw)
        else:
            break
    if not words:
        return None
    return dataclasses.replace(cmd, words=tuple(words), assignments=tuple(assignments))


def _contains(argv: list[str], words: list[str]) -> bool:
    """Whether ``words`` appear in a row in ``argv`` (the first compared by
    base name: ``./manage.py`` is ``manage.py``)."""
    n = len(words)
    for i in range(len(argv) - n + 1):
        if posixpath.basename(argv[i]) == words[0] and argv[i + 1:i + n] == words[1:]:
            return True
    return False

"""Whether a step of a Python image runs Node.js, reading what it calls from the build context.

frontend-stage removes Node.js from a Python image whose frontend build
moves to a Node stage. A RUN that still runs Node after that fails the build
(``sh scripts/post_build.sh`` whose script runs ``node -e ...``). This module
reads a command the way a shell would run it:

- a Node program by name (``frontend.json`` ``runtime_programs``);
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
"""

from __future__ import annotations

import posixpath
from typing import Callable

from migrator.context.frontend import frontend_data

MAX_DEPTH = 4
"""How many scripts deep a script that runs scripts is followed."""

MAX_SCRIPTS = 32
"""How many scripts and Makefiles one reader reads at most."""

SHELLS = ("sh", "bash", "dash", "ash", "zsh")
"""Shells that run a script file given as their first operand."""


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

    def command(self, cmd, depth: int = 0) -> tuple[str | None, str | None]:
        """Whether ``cmd`` (a :class:`migrator.model.shell.Command`) runs Node.

        Returns:
            ``(found, problem)``: ``found`` says what runs Node
            (``"node"``, ``"sh scripts/post.sh, which runs node
            (scripts/post.sh:4)"``); ``problem`` (one clause) says what
            can't be read; both None when the command doesn't run Node.
        """
        name = cmd.name
        argv = cmd.argv
        if name in self.names:
            return name, None
        if not argv:
            return None, None
        for tool in self.tools:
            words = tool["words"]
            if _contains(argv, words):
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
        for c in script.commands:
            found, problem = self.command(c, depth)
            if problem:
                return None, problem
            if found:
                number = text.count("\n", 0, c.start) + 1
                return f"{where}, which runs {found} ({where}:{number})", None
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
            for number, line in enumerate(text.splitlines(), 1):
                if not line.startswith("\t"):
                    continue
                recipe = line.lstrip("\t").lstrip("@-+ ")
                for c in parse_script(recipe, {}, folder).commands:
                    found, problem = self.command(c, depth + 1)
                    if problem:
                        return None, problem
                    if found:
                        return f"make, whose {name} recipe runs {found} ({name}:{number})", None
            return None, None
        return None, f"{makefile or 'its Makefile'} is not in the build context"


def _contains(argv: list[str], words: list[str]) -> bool:
    """Whether ``words`` appear in a row in ``argv`` (the first compared by
    base name: ``./manage.py`` is ``manage.py``)."""
    n = len(words)
    for i in range(len(argv) - n + 1):
        if posixpath.basename(argv[i]) == words[0] and argv[i + 1:i + n] == words[1:]:
            return True
    return False

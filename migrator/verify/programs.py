"""Does the program an image starts exist in it? Pure logic, no subprocess.

Two steps, both testable without a builder:

1. :func:`plan_launch` / :func:`plan_healthcheck` read an image config and
   list the words the container runtime and the shell will have to find:
   the first word of ``Entrypoint`` (or, without one, of ``Cmd``); for a
   shell (``/bin/sh -c "..."``) the shell itself and the first command of the
   string (``exec`` and ``VAR=value`` prefixes skipped, ``cd``/``set``/
   ``export`` steps before it too); through an init wrapper (``tini --``,
   ``dumb-init``, ``gosu USER``, ``env``) the wrapper and the program after it.
2. :func:`check_plan` finds each word in the image's files
   (:mod:`migrator.verify.imagefs`): a bare name through the config's
   ``PATH`` the way ``execvp`` does, a relative path against ``WorkingDir``,
   every symlink followed inside the image; the file must be executable by
   the image's user, and what it needs to start (its ``#!`` interpreter,
   ``env``'s program, an ELF binary's dynamic loader) must exist too.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field

from migrator.analysis.stage import DEFAULT_PATH
from migrator.model.shell import expand_variables
from migrator.verify.imagefs import DIR, FILE, SYMLINK, Header, Lookup, Tree, join, lookup


SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
"""Programs whose ``-c STRING`` is a shell command to look into."""

WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    # name: (options taking a value, positional arguments before the program)
    "tini": (frozenset({"-p", "-e"}), 0),
    "tini-static": (frozenset({"-p", "-e"}), 0),
    "dumb-init": (frozenset({"-r", "--rewrite"}), 0),
    "catatonit": (frozenset(), 0),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
    "nohup": (frozenset(), 0),
    "env": (frozenset({"-u", "--unset", "-C", "--chdir"}), 0),
}
"""Programs that start the next word as a program (an init, a user switch)."""

SKIPPED_BUILTINS = frozenset({
    "cd", "set", "export", "umask", "ulimit", "trap", "unset", "true", ":", "echo", "printf", "shift",
    "readonly", "wait", "test", "[", "alias", ".", "source",
})
"""Shell builtins run before the real program (``cd /app && exec gunicorn``)."""

KEYWORDS = frozenset({
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{", "}",
    "function", "select", "!", "[[", "]]", "(", ")",
})
"""Words that make a shell command compound: not followed further."""

OPERATORS = frozenset({";", "&&", "||", "|", "&", ";;", "|&", "\n"})

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")

MAX_DEPTH = 8
"""Nested shells/wrappers followed at most."""

MAX_INTERPRETERS = 4
"""``#!`` interpreters followed (Linux allows 4 levels)."""

# roles of a word
SHELL, WRAPPER, PROGRAM, SCRIPT = "shell", "wrapper", "program", "script"
INTERPRETER, LOADER = "interpreter", "loader"

# status of a check
FOUND, MISSING, UNKNOWN, NONE = "found", "missing", "unknown", "none"


# --- 1. what the image starts --------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One name the image needs at start.

    Attributes:
        word: as written (``"gunicorn"``, ``"/bin/sh"``, ``"./run.sh"``).
        role: ``"shell"``, ``"wrapper"``, ``"program"`` (executed) or
            ``"script"`` (a file a shell reads: ``sh run.sh``).
        path: the PATH a bare name is searched in.
        cwd: the folder a relative name is relative to.
        uncertain: a sourced file (``. venv/bin/activate``) may have changed
            PATH before this word: not found then means unknown, not missing.
    """

    word: str
    role: str
    path: str = DEFAULT_PATH
    cwd: str = "/"
    uncertain: bool = False


@dataclass(frozen=True)
class Plan:
    """What an image starts, before looking at its files.

    Attributes:
        source: ``"Entrypoint"``, ``"Cmd"`` or ``"Healthcheck"``; ``None``
            when the image starts nothing.
        argv: the command line as stored in the config.
        words: the names to find, in the order they are started.
        unknown: why the words stop short of the program (a variable, a
            compound shell command); ``None`` when they reach it.
    """

    source: str | None
    argv: tuple[str, ...] = ()
    words: tuple[Word, ...] = ()
    unknown: str | None = None

    @property
    def program(self) -> str | None:
        """The program proper: the last word started (``gunicorn`` of
        ``/bin/sh -c "exec gunicorn app:app"``)."""
        for word in reversed(self.words):
            if word.role in (PROGRAM, SCRIPT):
                return word.word
        return self.words[-1].word if self.words else None


@dataclass
class _Context:
    path: str
    cwd: str
    env: dict[str, str]
    uncertain: bool = False


def env_dict(env: list[str] | None) -> dict[str, str]:
    """``["K=V", ...]`` -> ``{"K": "V"}``."""
    result: dict[str, str] = {}
    for item in env or []:
        key, _sep, value = str(item).partition("=")
        result[key] = value
    return result


def _context(config: dict) -> _Context:
    env = env_dict(config.get("Env"))
    return _Context(env.get("PATH", DEFAULT_PATH), config.get("WorkingDir") or "/", env)


def plan_launch(config: dict) -> Plan:
    """The words an image's ``Entrypoint`` + ``Cmd`` needs, as runc starts it.

    With an ``Entrypoint`` the command line is ``Entrypoint + Cmd``, else ``Cmd``.

    >>> [w.word for w in plan_launch({"Cmd": ["/bin/sh", "-c", "exec gunicorn app:app"]}).words]
    ['/bin/sh', 'gunicorn']
    """
    entrypoint = list(config.get("Entrypoint") or [])
    cmd = list(config.get("Cmd") or [])
    if entrypoint:
        argv, source = entrypoint + cmd, "Entrypoint"
    elif cmd:
        argv, source = cmd, "Cmd"
    else:
        return Plan(None)
    words: list[Word] = []
    unknown = _plan_argv(argv, _context(config), words, 0)
    return Plan(source, tuple(argv), tuple(words), unknown)


def plan_healthcheck(config: dict) -> Plan | None:
    """The words the HEALTHCHECK needs: ``CMD`` form as an exec'd command
    line, ``CMD-SHELL`` through the image's shell (``Shell``, default
    ``/bin/sh -c``); ``None`` without a HEALTHCHECK (or ``NONE``)."""
    test = list((config.get("Healthcheck") or {}).get("Test") or [])
    if not test or test[0] == "NONE":
        return None
    if test[0] == "CMD":
        argv = test[1:]
    elif test[0] == "CMD-SHELL":
        argv = list(config.get("Shell") or ["/bin/sh", "-c"]) + test[1:2]
    else:
        return None
    if not argv:
        return Plan("Healthcheck")
    words: list[Word] = []
    unknown = _plan_argv(argv, _context(config), words, 0)
    return Plan("Healthcheck", tuple(argv), tuple(words), unknown)


def _word(ctx: _Context, word: str, role: str) -> Word:
    return Word(word, role, ctx.path, ctx.cwd, ctx.uncertain)


def _plan_argv(
    argv: list[str], ctx: _Context, words: list[Word], depth: int, from_shell: bool = False
) -> str | None:
    """Append the words ``argv`` starts to ``words``; return why it stops
    short of the program, or ``None``. ``from_shell``: ``argv`` comes from a
    shell command string, where a ``$`` left is a variable the image's Env
    does not define (in the exec form it is a literal character)."""
    if depth > MAX_DEPTH:
        return "too many nested shells or wrappers"
    if not argv or not argv[0]:
        return "an empty command"
    first = argv[0]
    if from_shell and ("$" in first or "`" in first):
        return f"the program is given by a variable ({first})"
    name = os.path.basename(first)
    if name in SHELLS:
        words.append(_word(ctx, first, SHELL))
        i = 1
        while i < len(argv):
            arg = argv[i]
            if arg in ("-o", "+o"):
                i += 2
                continue
            if arg == "--":
                i += 1
                break
            if arg.startswith("--"):  # bash --login, --norc...
                i += 1
                continue
            if len(arg) > 1 and arg[0] in "-+" and arg[1:].isalpha():
                takes_name = "o" in arg[1:]  # `-euo pipefail`: the option name follows
                if "c" in arg[1:] and arg[0] == "-":
                    at = i + 2 if takes_name else i + 1
                    if at >= len(argv):
                        return f"{first} {arg} has no command string"
                    return _plan_script(argv[at], ctx, words, depth)
                i += 2 if takes_name else 1
                continue
            break
        if i < len(argv):
            # `sh run.sh`: the shell reads a file (no PATH search, no exec bit needed)
            words.append(_word(ctx, argv[i], SCRIPT))
            return None
        return None  # an interactive shell: the shell is the program
    if name in WRAPPERS:
        words.append(_word(ctx, first, WRAPPER))
        with_value, positional = WRAPPERS[name]
        rest = argv[1:]
        child = _Context(ctx.path, ctx.cwd, dict(ctx.env), ctx.uncertain)
        while rest:
            arg = rest[0]
            if arg == "--":
                rest = rest[1:]
                break
            if name == "env" and _ASSIGNMENT.match(arg):
                key, _sep, value = arg.partition("=")
                child.env[key] = value
                if key == "PATH":
                    child.path = value
                rest = rest[1:]
                continue
            if name == "env" and (arg in ("-S", "--split-string") or arg.startswith(("-S", "--split-string="))):
                return "env -S splits its own command string"
            if arg in with_value:
                if name == "env" and arg in ("-C", "--chdir") and len(rest) > 1:
                    child.cwd = join(child.cwd, rest[1])
                rest = rest[2:]
                continue
            if arg.startswith("-") and arg != "-":
                rest = rest[1:]
                continue
            break
        rest = rest[positional:]
        if not rest:
            return None if name == "env" else f"{first} is given no program"
        return _plan_argv(rest, child, words, depth + 1, from_shell)
    words.append(_word(ctx, first, PROGRAM))
    return None


def expand(text: str, env: dict[str, str]) -> str | None:
    """``$VAR`` and ``${VAR}`` replaced from ``env``; ``None`` when the text
    needs more than that (an unset variable, ``${X:-y}``, ``$(...)``).
    The same expansion the RUN analysis applies (:mod:`migrator.model.shell`)."""
    return expand_variables(text, env)


def _expanded(word: str, env: dict[str, str]) -> str:
    """``word`` with its simple variables expanded, or as is when it needs more."""
    if "$" not in word and "`" not in word:
        return word
    value = expand(word, env)
    return word if value is None else value


def _tokens(script: str) -> list[str] | None:
    lexer = shlex.shlex(script.replace("\r", "").replace("\n", " ; "), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        return None
    # shlex keeps a leading "#" comment as words; drop words after one
    for i, tok in enumerate(tokens):
        if tok.startswith("#"):
            return tokens[:i]
    return tokens


_REDIRECTION = re.compile(r"^[<>&|]+$")


def _strip_redirections(words: list[str]) -> list[str]:
    """``exec >>log 2>&1 app`` -> ``["exec", "app"]``: drop each redirection
    operator, its target and a file-descriptor number before it."""
    kept: list[str] = []
    skip = False
    for i, word in enumerate(words):
        if skip:
            skip = False
            continue
        if _REDIRECTION.match(word):
            if kept and kept[-1].isdigit() and i > 0 and words[i - 1] == kept[-1]:
                kept.pop()
            skip = True
            continue
        kept.append(word)
    return kept


def _commands(tokens: list[str]) -> list[list[str]]:
    commands, current = [], []
    for tok in tokens:
        if tok in OPERATORS:
            if current:
                commands.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        commands.append(current)
    return [c for c in (_strip_redirections(c) for c in commands) if c]


def _plan_script(script: str, ctx: _Context, words: list[Word], depth: int) -> str | None:
    """The first real program of a shell command string."""
    tokens = _tokens(script)
    if tokens is None:
        return "the shell command cannot be parsed (unbalanced quotes)"
    ctx = _Context(ctx.path, ctx.cwd, dict(ctx.env), ctx.uncertain)
    for command in _commands(tokens):
        if command[0] in KEYWORDS or (command[0][:1] and command[0][:1] in "()"):
            return f"the shell command is compound ({command[0]} ...)"
        i = 0
        assigned: dict[str, str] = {}
        while i < len(command) and _ASSIGNMENT.match(command[i]):
            key, _sep, value = command[i].partition("=")
            assigned[key] = value
            i += 1
        words_left = command[i:]
        path = ctx.path
        if "PATH" in assigned:
            value = expand(assigned["PATH"], dict(ctx.env, PATH=ctx.path))
            if value is None:
                return "the shell command sets PATH from variables that are not in the image's Env"
            path = value
        if not words_left:  # `PATH=/x:$PATH; exec app`: a shell variable from now on
            ctx.path = path
            for key, value in assigned.items():
                ctx.env[key] = value
            continue
        while words_left and words_left[0] in ("exec", "command"):
            words_left = words_left[1:]
            while words_left and words_left[0].startswith("-") and words_left[0] != "--":
                # `exec -a NAME prog`, `command -p prog`
                words_left = words_left[2:] if words_left[0] == "-a" else words_left[1:]
        if not words_left:
            continue  # `exec >log 2>&1`: redirections only
        head = words_left[0]
        if head in SKIPPED_BUILTINS:
            if head == "cd":
                target = next((w for w in words_left[1:] if not w.startswith("-")), None)
                if target is None:
                    ctx.uncertain = True  # cd to $HOME
                else:
                    value = expand(target, ctx.env)
                    if value is None:
                        ctx.uncertain = True
                    else:
                        ctx.cwd = os.path.normpath(join(ctx.cwd, value))
            elif head == "export":
                for arg in words_left[1:]:
                    key, sep, value = arg.partition("=")
                    if sep and key == "PATH":
                        value = expand(value, dict(ctx.env, PATH=ctx.path))
                        if value is None:
                            ctx.uncertain = True
                        else:
                            ctx.path = value
            elif head in (".", "source"):
                ctx.uncertain = True  # the sourced file may change PATH or cd
            continue
        argv = [_expanded(w, ctx.env) for w in words_left]
        child = _Context(path, ctx.cwd, ctx.env, ctx.uncertain)
        return _plan_argv(argv, child, words, depth + 1, from_shell=True)
    return None  # only shell builtins: the shell is the program


# --- 2. finding the words in the image --------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who the container runs as, for the execute-permission check."""

    uid: int
    gids: frozenset[int] = frozenset()


def identity(user: str, uid: int | None, passwd: str | None, group: str | None) -> Identity | None:
    """The UID and groups of ``user`` (a config ``User``) once its UID is
    known: the group named after ``:``, else the passwd entry's, plus the
    groups of ``/etc/group`` that list the user. ``None`` when the UID is unknown."""
    if uid is None:
        return None
    name, sep, group_part = (user or "").partition(":")
    users = [line.split(":") for line in (passwd or "").splitlines()]
    groups = [line.split(":") for line in (group or "").splitlines()]
    entry = next((p for p in users if len(p) >= 4 and (p[0] == name or (name.isdigit() and p[2] == name))), None)
    gids: set[int] = set()
    if sep and group_part:
        if group_part.isdigit():
            gids.add(int(group_part))
        else:
            gids.update(int(g[2]) for g in groups if len(g) >= 3 and g[0] == group_part and g[2].isdigit())
    elif entry is not None and entry[3].isdigit():
        gids.add(int(entry[3]))
    else:
        gids.add(0)
    login = entry[0] if entry is not None else name
    for g in groups:
        if len(g) >= 4 and g[2].isdigit() and login in g[3].split(","):
            gids.add(int(g[2]))
    return Identity(uid, frozenset(gids))


def can_execute(mode: int, owner: int, group: int, who: Identity | None) -> bool:
    """The kernel's execute check of a regular file's mode bits (root: any x bit)."""
    if not mode & 0o111:
        return False
    if who is None or who.uid == 0:
        return True
    if owner == who.uid:
        return bool(mode & 0o100)
    if group in who.gids:
        return bool(mode & 0o010)
    return bool(mode & 0o001)


@dataclass(frozen=True)
class Resolution:
    """One word, looked up in the image.

    Attributes:
        word: as written.
        role: its :class:`Word` role, or ``"interpreter"``/``"loader"``.
        path: where it was found (the PATH entry hit, before symlinks);
            ``None`` when not found.
        target: the file it leads to, every symlink followed.
        problem: why it cannot start (``None``: it can).
        uncertain: not found after a ``source``: unknown, not missing.
    """

    word: str
    role: str
    path: str | None = None
    target: str | None = None
    problem: str | None = None
    uncertain: bool = False

    def to_json(self) -> dict:
        """Return ``{"word", "role", "path", "target", "problem"}``."""
        return {"word": self.word, "role": self.role, "path": self.path, "target": self.target,
                "problem": self.problem}


@dataclass
class ProgramCheck:
    """What was found of the words of a :class:`Plan` in one image.

    Attributes:
        plan: what the image starts.
        steps: one :class:`Resolution` per word checked, interpreters included.
        unknown: why the check is incomplete (from the plan, or the image's
            files could not be read).
    """

    plan: Plan
    steps: list[Resolution] = field(default_factory=list)
    unknown: str | None = None

    @property
    def program(self) -> str | None:
        """The program proper (see :attr:`Plan.program`)."""
        return self.plan.program

    @property
    def status(self) -> str:
        """``"found"``, ``"missing"``, ``"unknown"`` or ``"none"`` (starts nothing)."""
        if any(s.problem and not s.uncertain for s in self.steps):
            return MISSING
        if self.plan.source is None:
            return NONE
        if self.unknown or any(s.uncertain for s in self.steps) or not self.steps:
            return UNKNOWN
        return FOUND

    @property
    def problem(self) -> str | None:
        """The first reason it cannot start, one line."""
        for step in self.steps:
            if step.problem and not step.uncertain:
                return step.problem
        return None

    @property
    def path(self) -> str | None:
        """Where the program proper was found."""
        program = self.program
        for step in reversed(self.steps):
            if step.word == program and step.role in (PROGRAM, SCRIPT, SHELL, WRAPPER):
                return step.path
        return None

    def summary(self) -> str:
        """``"/usr/local/bin/gunicorn"``, ``"missing"`` or ``"unknown"``
        (``None`` and nothing started: ``"-"``)."""
        status = self.status
        if status == FOUND:
            return self.path or "found"
        return "-" if status == NONE else status

    def describe(self) -> str:
        """One table cell: ``"gunicorn -> /opt/venv/bin/gunicorn"``,
        ``"uv: MISSING"``, ``"$APP: unknown"``."""
        status = self.status
        if status == NONE:
            return "-"
        program = self.program or "?"
        if status == FOUND:
            path = self.path
            return program if path in (None, program) else f"{program} -> {path}"
        if status == MISSING:
            failing = next(s for s in self.steps if s.problem and not s.uncertain)
            if failing.word != program:
                return f"{program}: MISSING ({failing.role} {failing.word})"
            return f"{program}: MISSING"
        return f"{program}: unknown"

    def to_json(self) -> dict:
        """The record of one image: source, argv, program, status, path,
        problem, unknown and every step."""
        return {
            "source": self.plan.source,
            "argv": list(self.plan.argv),
            "program": self.program,
            "status": self.status,
            "path": self.path if self.status == FOUND else None,
            "problem": self.problem,
            "unknown": self.unknown or self.plan.unknown,
            "steps": [s.to_json() for s in self.steps],
        }


def _why_not(tree: Tree, look: Lookup, path: str, cwd: str) -> str:
    """Why ``path`` (looked up as ``look``) leads nowhere, one line."""
    if look.error == "loop":
        return f"{path}: too many levels of symlinks"
    if look.error == "notdir":
        return f"{path}: {look.path} is not a folder"
    full = join(cwd, path)
    parent = lookup(tree, os.path.dirname(full) or "/")
    if parent.entry is not None and parent.entry.kind == DIR:
        name = tree.entry(join(parent.path, os.path.basename(full)))
        if name is not None and name.kind == SYMLINK:
            return f"{path} is a dangling symlink (-> {name.target})"
    return f"{path} does not exist"


def _executable(tree: Tree, path: str, cwd: str, who: Identity | None) -> tuple[Lookup, str | None]:
    """Look ``path`` up; the problem with executing it, or ``None``."""
    look = lookup(tree, path, cwd)
    if look.entry is None:
        return look, _why_not(tree, look, path, cwd)
    if look.entry.kind == DIR:
        return look, f"{path} is a folder"
    if look.entry.kind != FILE:
        return look, f"{path} is not a regular file"
    if not can_execute(look.entry.mode, look.entry.uid, look.entry.gid, who):
        whom = "anyone" if not look.entry.mode & 0o111 else f"UID {who.uid}" if who else "its user"
        return look, (f"{path} is not executable by {whom} (mode {look.entry.mode:04o}, "
                      f"owner {look.entry.uid}:{look.entry.gid})")
    return look, None


def find_program(tree: Tree, word: str, path: str, cwd: str, who: Identity | None) -> tuple[str | None, Lookup | None, str | None]:
    """Find ``word`` as ``execvp`` does.

    A name with a ``/`` is used as is (relative to ``cwd``); a bare name is
    tried in each folder of ``path`` in order (an empty entry is ``cwd``),
    skipping candidates that exist but are not executable.

    Returns:
        ``(found path, its lookup, None)`` or ``(None, None, problem)``.
    """
    if "/" in word:
        look, problem = _executable(tree, word, cwd, who)
        shown = word if word.startswith("/") else os.path.normpath(join(cwd, word))
        return (None, None, problem) if problem else (shown, look, None)
    denied = dangling = None
    for folder in path.split(":"):
        candidate = join(join(cwd, folder or "."), word)
        look, problem = _executable(tree, candidate, "/", who)
        if problem is None:
            return os.path.normpath(candidate), look, None
        if look.entry is not None and denied is None:
            denied = problem  # execvp goes on, and fails with EACCES if nothing else is found
        elif dangling is None and problem and "dangling symlink" in problem:
            dangling = problem
    if denied:
        return None, None, denied
    return None, None, f"{word} is not found in PATH ({path})" + (f"; {dangling}" if dangling else "")


def _interpreters(tree: Tree, word: Word, look: Lookup, who: Identity | None, out: list[Resolution]) -> None:
    """Check what the file at ``look`` needs to start (its ``#!``
    interpreter, ``env``'s program, the ELF loader), appending to ``out``."""
    current = look
    for _level in range(MAX_INTERPRETERS):
        header: Header | None = tree.header(current.path)
        if header is None or header.kind == "unknown":
            return
        if header.kind == "elf":
            if header.interpreter:
                loader = lookup(tree, header.interpreter)
                problem = None if loader.entry is not None and loader.entry.kind == FILE else (
                    f"the dynamic loader {header.interpreter} of {current.path} does not exist")
                out.append(Resolution(header.interpreter, LOADER, header.interpreter if not problem else None,
                                      loader.path if not problem else None, problem))
            return
        if not header.interpreter:
            out.append(Resolution("", INTERPRETER, problem=f"{current.path} has an empty #! line"))
            return
        interp_look, problem = _executable(tree, header.interpreter, word.cwd, who)
        if problem:
            out.append(Resolution(header.interpreter, INTERPRETER,
                                  problem=f"the #! interpreter of {current.path}: {problem}"))
            return
        out.append(Resolution(header.interpreter, INTERPRETER, header.interpreter, interp_look.path))
        if os.path.basename(header.interpreter) == "env" and header.argument:
            args = [a for a in header.argument.split() if not a.startswith("-") and not _ASSIGNMENT.match(a)]
            if args and not header.argument.startswith(("-S", "--split-string")):
                found, prog_look, problem = find_program(tree, args[0], word.path, word.cwd, who)
                out.append(Resolution(args[0], INTERPRETER, found, prog_look.path if prog_look else None,
                                      None if found else f"the #!/usr/bin/env program of {current.path}: {problem}"))
                if prog_look is None:
                    return
                current = prog_look
                continue
        current = interp_look


def check_plan(tree: Tree, plan: Plan, who: Identity | None) -> ProgramCheck:
    """Look every word of ``plan`` up in ``tree``.

    Args:
        tree: the image's files.
        plan: from :func:`plan_launch` or :func:`plan_healthcheck`.
        who: the image's user (``None``: unknown, any execute bit will do).
    """
    check = ProgramCheck(plan, unknown=plan.unknown)
    for word in plan.words:
        if word.role == SCRIPT:
            look = lookup(tree, word.word, word.cwd)
            if look.entry is None or look.entry.kind != FILE:
                problem = (_why_not(tree, look, word.word, word.cwd) if look.entry is None
                           else f"{word.word} is not a regular file")
                check.steps.append(Resolution(word.word, SCRIPT, problem=problem))
            else:
                check.steps.append(Resolution(word.word, SCRIPT, os.path.normpath(join(word.cwd, word.word)), look.path))
            continue
        found, look, problem = find_program(tree, word.word, word.path, word.cwd, who)
        if found is None:
            uncertain = word.uncertain and "/" not in word.word
            check.steps.append(Resolution(word.word, word.role, problem=problem, uncertain=uncertain))
            continue
        check.steps.append(Resolution(word.word, word.role, found, look.path if look else None))
        if look is not None:
            _interpreters(tree, word, look, who, check.steps)
    return check


def unreadable(plan: Plan, why: str) -> ProgramCheck:
    """The check of an image whose files could not be read."""
    return ProgramCheck(plan, unknown=why)


__all__ = [
    "DEFAULT_PATH", "FOUND", "MISSING", "NONE", "UNKNOWN", "Identity", "Plan", "ProgramCheck", "Resolution",
    "Word", "can_execute", "check_plan", "expand", "find_program", "identity", "plan_healthcheck",
    "plan_launch", "unreadable",
]

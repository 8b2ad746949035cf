"""Shell analysis of RUN instructions with a real grammar (tree-sitter-bash).

A RUN's shell text is parsed into a syntax tree; this module flattens its
top-level ``&&`` / ``;`` chain into :class:`Segment` objects and every simple
command anywhere in the tree into :class:`Command` objects whose words have
their quotes removed and their ``$VAR``/``${VAR}`` references resolved from
the ENV/ARG values the stage declares. Anything this module cannot read with
certainty (a parse error, an unresolvable variable in a word) is marked, so
the transforms that need it can refuse with a reason instead of guessing.

tree-sitter-bash is used rather than bashlex: it parses every construct of the
POSIX shell and bash (bashlex raises on ``case``, arithmetic and many
heredocs), marks unparsable regions with ERROR nodes instead of failing, and
parses a typical RUN in about 20 microseconds.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@dataclass(frozen=True)
class Word:
    """One shell word of a command.

    Attributes:
        raw: the word as written (quotes and ``$`` references included).
        values: the fields it expands to, or None when it depends on
            something unknown (command substitution, an undeclared variable).
            An unquoted ``$DEPS`` holding ``"gcc libpq-dev"`` gives two.
        start, end: offsets of the word in the script text.
    """

    raw: str
    values: tuple[str, ...] | None
    start: int
    end: int

    @property
    def value(self) -> str | None:
        """The word's single value, or None if unknown or not exactly one field."""
        if self.values is None or len(self.values) != 1:
            return None
        return self.values[0]


@dataclass(frozen=True)
class Command:
    """A simple command: optional ``VAR=value`` prefixes, then words.

    Attributes:
        words: the words, command name first.
        assignments: the ``VAR=value`` prefixes, as written.
        start, end: offsets of the whole command (redirections included) in
            the script text.
        cwd: the directory the command runs in, from the stage's WORKDIR and
            the ``cd`` commands before it in the same chain; None if unknown.
        redirects: True when the command has file redirections.
    """

    words: tuple[Word, ...]
    assignments: tuple[str, ...]
    start: int
    end: int
    cwd: str | None
    redirects: bool = False

    @property
    def argv(self) -> list[str] | None:
        """All fields of all words, or None if any word is unknown."""
        out: list[str] = []
        for w in self.words:
            if w.values is None:
                return None
            out.extend(w.values)
        return out

    @property
    def name(self) -> str:
        """Base name of the command word (``/usr/bin/pip3`` -> ``pip3``), or
        ``""`` when it is not a literal."""
        first = self.words[0].value if self.words else None
        return posixpath.basename(first) if first else ""


@dataclass(frozen=True)
class Segment:
    """One item of a RUN's top-level command chain.

    Attributes:
        start, end: offsets of the item in the script text.
        operator: the operator joining it to the item before (``"&&"``,
            ``"||"``, ``";"``, ``"\\n"``), ``""`` for the first item.
        command: the item as a simple :class:`Command`, or None for a
            pipeline, subshell, ``if``/``for``/``case`` or function.
        commands: every simple command inside the item (one for a simple
            command; several for a pipeline or compound statement).
    """

    start: int
    end: int
    operator: str
    command: Command | None
    commands: tuple[Command, ...]


@dataclass(frozen=True)
class Script:
    """The analysis of one shell script.

    Attributes:
        text: the script.
        segments: the top-level chain, in order.
        errors: descriptions of regions the grammar could not parse.
    """

    text: str
    segments: tuple[Segment, ...]
    errors: tuple[str, ...]

    @property
    def commands(self) -> list[Command]:
        """Every simple command of the script, in order."""
        return [c for s in self.segments for c in s.commands]

    def segment_text(self, seg: Segment) -> str:
        """The source text of one segment."""
        return self.text[seg.start:seg.end]


_DQ_ESCAPE = re.compile(r'\\([\\"\n])')
"""A backslash escape inside double quotes other than a backslash-dollar (kept for
``_expand_text``): the escaped character is the split's capture."""


def _expand(node, src: bytes, env: dict[str, str]) -> tuple[str, ...] | None:
    """Expand one word node to its fields, or None if it cannot be known."""
    t = node.type
    text = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    if t in ("word", "number"):
        # unquoted literal: backslash escapes drop their backslash
        return (re.sub(r"\\(.)", r"\1", text),) if "$" not in text else _expand_text(text, env, True)
    if t == "raw_string":
        return (text[1:-1],)
    if t == "string":
        inner = text[1:-1]
        if "$(" in inner or "`" in inner:
            return None
        # inside double quotes a backslash escapes only $ ` " \ and newline
        # (POSIX Shell Command Language, 2.2.3 Double-Quotes); a backslash-dollar is _expand_text's
        out = []
        for k, piece in enumerate(_DQ_ESCAPE.split(inner)):
            if k % 2:
                out.append("" if piece == "\n" else piece)
                continue
            got = _expand_text(piece, env, False)
            if got is None:
                return None
            out.append("".join(got))
        return ("".join(out),)
    if t == "ansi_c_string":
        return None
    if t in ("simple_expansion", "expansion"):
        return _expand_text(text, env, True)
    if t == "concatenation":
        acc = [""]
        for child in node.children:
            part = _expand(child, src, env)
            if part is None:
                return None
            if not part:
                continue
            acc[-1] += part[0]
            acc.extend(part[1:])
        return tuple(acc)
    return None


def expand_variables(text: str, env: dict[str, str]) -> str | None:
    """``$VAR`` and ``${VAR}`` of ``text`` replaced from ``env`` (``\\$``
    stays a literal ``$``), or None when the text needs more than that: an
    unset variable, a parameter operation (``${X:-y}``), a command
    substitution."""
    if "`" in text or "$(" in text:
        return None
    got = _expand_text(text, env, False)
    return None if got is None else got[0]


def _expand_text(text: str, env: dict[str, str], split: bool) -> tuple[str, ...] | None:
    unknown = False

    def sub(m: re.Match) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(2)
        if name not in env:
            unknown = True
            return ""
        return env[name]

    if re.search(r"\$\{[^}]*[:#%/^,]", text):
        return None  # ${VAR:-x}, ${VAR#x}... : parameter operations not modelled
    out = _VAR.sub(sub, text)
    if unknown or "$" in out.replace("\\$", ""):
        return None
    out = out.replace("\\$", "$")
    if split and _VAR.search(text):
        return tuple(out.split())
    return (out,)


_CHAIN_OPS = {"&&", "||", ";", "\n", "&"}


def parse_script(text: str, env: dict[str, str] | None = None, cwd: str | None = "/") -> Script:
    """Parse a shell script into its chain of segments and simple commands.

    Args:
        text: the script (what ``/bin/sh -c`` receives).
        env: variables known at this point (ENV and ARG defaults of the
            stage), used to resolve ``$VAR`` in words.
        cwd: the working directory the script starts in (the stage's WORKDIR).
    Returns:
        a :class:`Script`.
    """
    env = env or {}
    src = text.encode("utf-8")
    tree = _parser().parse(src)
    root = tree.root_node
    # byte offsets -> character offsets (scripts are mostly ASCII)
    if len(src) == len(text):
        def pos(b: int) -> int:
            return b
    else:
        def pos(b: int) -> int:
            return len(src[:b].decode("utf-8", "replace"))
    errors = []
    if root.has_error:
        errors.append(_first_error(root, src))
    items: list[tuple[str, object]] = []
    op = ""
    for child in root.children:
        t = child.type
        if t == "comment":
            continue
        if not child.is_named and t in _CHAIN_OPS:
            op = t
            continue
        for sub_op, node, end in _flatten(child):
            items.append((sub_op or op, node, end))
            op = ""
        op = "\n"
    segments = []
    state_cwd = cwd
    env = dict(env)
    for i, (op, node, end) in enumerate(items):
        op = "" if i == 0 else (op or "\n")
        cmds: list[Command] = []
        state_cwd = _collect(node, src, env, state_cwd, cmds, pos, top=True)
        simple = cmds[0] if len(cmds) == 1 and node.type in ("command", "redirected_statement") \
            and _is_simple(node) else None
        if end != node.end_byte and simple is not None:
            simple = Command(simple.words, simple.assignments, simple.start, pos(end), simple.cwd, True)
            cmds = [simple]
        segments.append(Segment(pos(node.start_byte), pos(end), op, simple, tuple(cmds)))
    return Script(text, tuple(segments), tuple(errors))


def _first_error(node, src: bytes) -> str:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            snippet = src[n.start_byte:n.end_byte].decode("utf-8", "replace").strip()[:40]
            return f"unparsable shell near {snippet!r}" if snippet else "unparsable shell"
        stack.extend(reversed(n.children))
    return "unparsable shell"


def _flatten(node, end=None):
    """Yield ``(operator, node, end_byte)`` for the items of an ``&&``/``||``
    list. tree-sitter-bash attaches a trailing redirection to a whole list
    (``a && b > f``); the redirection then extends the last item."""
    if node.type == "redirected_statement":
        body = node.child_by_field_name("body")
        if body is not None and body.type == "list":
            yield from _flatten(body, node.end_byte)
            return
    if node.type == "list":
        op = ""
        kids = [c for c in node.children]
        last_named = max(i for i, c in enumerate(kids) if c.is_named)
        for i, child in enumerate(kids):
            if not child.is_named and child.type in _CHAIN_OPS:
                op = child.type
                continue
            first = True
            for sub_op, sub, sub_end in _flatten(child, end if i == last_named else None):
                yield (sub_op if not first else op), sub, sub_end
                first = False
                op = ""
    else:
        yield "", node, end if end is not None else node.end_byte


def _is_simple(node) -> bool:
    if node.type == "command":
        return True
    body = node.child_by_field_name("body")
    return body is not None and body.type == "command"


def _collect(node, src, env, cwd, out, pos, top=False):
    """Append the simple commands under ``node`` to ``out``; return the cwd
    after it (``cd`` at the top level of the chain changes it)."""
    t = node.type
    if t == "redirected_statement":
        body = node.child_by_field_name("body")
        if body is not None and body.type == "command":
            cmd = _command(body, src, env, cwd, pos, node)
            out.append(cmd)
            return cwd
        if body is not None:
            _collect(body, src, env, cwd, out, pos)
        return cwd
    if t == "command":
        cmd = _command(node, src, env, cwd, pos, node)
        out.append(cmd)
        if cmd.name == "cd":
            argv = cmd.argv
            if argv is None or len(argv) != 2 or cwd is None:
                return None
            return posixpath.normpath(posixpath.join(cwd, argv[1]))
        return cwd
    if t in ("variable_assignment", "declaration_command") and top:
        # VAR=value / export VAR=value at the top level: record it
        for n in ([node] if t == "variable_assignment" else node.children):
            if n.type == "variable_assignment":
                name = n.child_by_field_name("name")
                value = n.child_by_field_name("value")
                if name is not None:
                    key = src[name.start_byte:name.end_byte].decode()
                    got = _expand(value, src, env) if value is not None else ("",)
                    if got is None or len(got) != 1:
                        env.pop(key, None)
                    else:
                        env[key] = got[0]
        return cwd
    return _collect_children(node, src, env, cwd, out, pos)


def _collect_children(node, src, env, cwd, out, pos):
    """Collect the commands of a compound node; a ``cd`` inside it applies to
    the commands after it in the same body, not to what follows the node."""
    local = cwd
    for child in node.children:
        if child.is_named:
            local = _collect(child, src, env, local, out, pos)
    if node.type in ("compound_statement", "list"):   # same shell: a cd persists
        return local
    if node.type in ("subshell", "pipeline", "command_substitution"):
        return cwd
    return cwd if local == cwd else None    # if/for/while/case: may or may not have run


def _command(node, src, env, cwd, pos, outer) -> Command:
    words = []
    assignments = []
    redirects = outer.type == "redirected_statement"
    for child in node.children:
        t = child.type
        if t == "variable_assignment":
            assignments.append(src[child.start_byte:child.end_byte].decode("utf-8", "replace"))
        elif t == "command_name":
            inner = child.children[0] if child.children else child
            words.append(_word(inner, src, env, pos))
        elif t in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
            redirects = True
        elif child.is_named and t != "comment":
            words.append(_word(child, src, env, pos))
    return Command(tuple(words), tuple(assignments), pos(outer.start_byte), pos(outer.end_byte),
                   cwd, redirects)


def _word(node, src, env, pos) -> Word:
    raw = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    return Word(raw, _expand(node, src, env), pos(node.start_byte), pos(node.end_byte))

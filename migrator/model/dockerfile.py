"""A lossless model of a Dockerfile.

Instruction boundaries, flags, arguments and heredocs come from BuildKit's
own parser (PyPI ``dockerfile``, the Go ``moby/buildkit/frontend/dockerfile/parser``
compiled as an extension), because it is the grammar Docker itself applies:
it reads heredocs correctly, which ``dockerfile-parse`` does not. BuildKit's
parser drops comments and joins continuation lines, so this module keeps the
original text and maps every instruction to its exact span in it. ``str()`` of
a :class:`Dockerfile` is its input, byte for byte, and edits are made by span
(:mod:`migrator.model.edits`), so whatever no transform touches stays identical.

Reference: https://docs.docker.com/reference/dockerfile/ (instructions,
parser directives, the escape character, heredocs).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, count
from operator import add
from typing import NamedTuple

import dockerfile as _buildkit

INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
        "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
        "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    }
)
"""Instruction keywords of the Dockerfile reference."""

def _leak_free(raw):
    """Wrap BuildKit's ``parse_string`` so it does not leak.

    The ``dockerfile`` extension (3.4.0) builds each Command/Heredoc with
    ``PyObject_CallFunction`` from new references it never releases, so every
    field of every parsed instruction leaks (a batch worker grew 13 MB per
    1,000 files). A probe counts the references of a parsed field: when it is
    over what the local name and the call hold, the wrapper drops the extra
    one; on a fixed release the probe sees no leak and the original function
    is used as is.
    """
    import ctypes
    import sys

    # A fresh string held by nothing but `field` has two references (the
    # name and getrefcount's argument); a third is the leaked one.
    field = raw("FROM leak-probe\n")[0].original
    if sys.getrefcount(field) <= 2:
        return raw
    dec = ctypes.pythonapi.Py_DecRef
    dec.argtypes = [ctypes.py_object]
    dec.restype = None

    def parse_string(text: str):
        cmds = raw(text)
        for c in cmds:
            for h in c.heredocs:
                for v in h:
                    dec(v)
            for v in c:
                dec(v)
        return cmds

    return parse_string


class _Parser:
    """BuildKit's ``parse_string``, made leak-free (:func:`_leak_free`) from
    its :data:`LEAK_FIX_AFTER`-th call on: the leak matters to long runs
    only, and the fix needs ctypes, ~10 ms of a one-file ``diff``'s start-up."""

    LEAK_FIX_AFTER = 64

    def __init__(self, raw):
        self.raw = self.call = raw
        self.calls = 0

    def __call__(self, text: str):
        if self.calls < self.LEAK_FIX_AFTER:
            self.calls += 1
            if self.calls == self.LEAK_FIX_AFTER:
                self.call = _leak_free(self.raw)
        return self.call(text)


_parse_string = _Parser(_buildkit.parse_string)

MIN_ARGS = {"ENV": 1, "LABEL": 1, "EXPOSE": 1, "VOLUME": 1, "HEALTHCHECK": 1, "SHELL": 1, "ARG": 1,
            "USER": 1, "WORKDIR": 1, "STOPSIGNAL": 1, "MAINTAINER": 1, "COPY": 2, "ADD": 2}
"""Fewest arguments each instruction takes: BuildKit's parser reads the
others, its instruction checks (frontend/dockerfile/instructions/parse.go:
"requires at least one argument", "requires at least two arguments") then
fail the build."""

_DIRECTIVE = re.compile(r"^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(\S.*?)[ \t]*$")


class ParseError(Exception):
    """The text is not a Dockerfile BuildKit would accept.

    Attributes:
        line: 1-based line of the problem, or 0 when it concerns the file.
    """

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


class Heredoc(NamedTuple):
    """One heredoc of an instruction (``RUN <<EOT`` ... ``EOT``).

    Attributes:
        name: the delimiter word (``EOT``).
        content: the body, each line ending in ``\\n``, as BuildKit gives it.
        body_start: offset of the body's first character in the file text.
        body_end: offset just past the body (the start of the delimiter line).
    """

    name: str
    content: str
    body_start: int
    body_end: int


class Instruction(NamedTuple):
    """One instruction, with its exact place in the source.

    Immutable (a named tuple: a file's model holds a few dozen of them and
    every re-parse makes them again, so they must be cheap to build).

    Attributes:
        index: position among the file's instructions, from 0.
        keyword: upper-case instruction name (``RUN``); for ONBUILD this is
            ``ONBUILD`` and :attr:`sub_keyword` holds the triggered one.
        sub_keyword: for ONBUILD, the upper-case inner keyword; else None.
        start, end: character offsets of the span in the file text: from the
            start of the first line to just past the last line's line break
            (heredoc bodies and their delimiter lines included).
        start_line, end_line: 1-based inclusive line numbers of the span.
        flags: the ``--name=value`` flags, as written (``("--from=builder",)``).
        args: the arguments after the flags, as BuildKit parses them (shell
            form: one joined string; JSON form: the list items).
        json: True for the JSON (exec) form.
        heredocs: the instruction's heredocs, in order.
        joined: BuildKit's one-line rendering (continuations joined, comment
            lines removed, heredoc bodies appended).
        source: the exact source text of the span.
    """

    index: int
    keyword: str
    sub_keyword: str | None
    start: int
    end: int
    start_line: int
    end_line: int
    flags: tuple[str, ...]
    args: tuple[str, ...]
    json: bool
    heredocs: tuple[Heredoc, ...]
    joined: str
    source: str

    def flag(self, name: str) -> str | None:
        """Return the value of flag ``--name`` (``""`` for a bare flag), or None.

        Args:
            name: flag name without dashes, case-insensitive (``"from"``).
        """
        prefix = "--" + name.lower()
        for f in self.flags:
            low = f.lower()
            if low == prefix:
                return ""
            if low.startswith(prefix + "="):
                return f[len(prefix) + 1:]
        return None

    @property
    def shell_form(self) -> bool:
        """True for RUN/CMD/ENTRYPOINT/HEALTHCHECK written in shell form."""
        return not self.json


@dataclass
class Stage:
    """A build stage: a FROM instruction and the instructions up to the next.

    Attributes:
        index: position among the stages, from 0.
        from_instruction: the FROM :class:`Instruction`.
        instructions: every instruction of the stage, FROM first.
        base_image: the image reference as written (``python:${PY}-slim``),
            or another stage's name.
        name: the ``AS`` name as written, or None.
        platform: the value of ``--platform``, or None.
    """

    index: int
    from_instruction: Instruction
    instructions: list[Instruction]
    base_image: str
    name: str | None
    platform: str | None

    @property
    def body(self) -> list[Instruction]:
        """The stage's instructions after FROM."""
        return self.instructions[1:]


@dataclass
class Dockerfile:
    """A parsed Dockerfile that renders back to its exact input.

    Attributes:
        text: the input, unchanged (``str(df) == text``).
        instructions: all instructions in order.
        directives: parser directives (lower-case name -> value), e.g.
            ``{"syntax": "docker/dockerfile:1", "escape": "`"}``.
        escape: the escape character (``\\`` or ``` ` ```).
        newline: the line break the file uses most (``"\\n"`` or ``"\\r\\n"``),
            for text a transform inserts.
        global_args: ARG instructions before the first FROM.
        stages: the build stages, in order.
        preamble: other instructions before the first FROM (BuildKit's
            parser accepts them, a build fails on them).
    """

    text: str
    instructions: list[Instruction]
    directives: dict[str, str]
    escape: str
    newline: str
    global_args: list[Instruction] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    preamble: list[Instruction] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text

    @cached_property
    def line_offsets(self) -> list[int]:
        """Offset of the start of each line; index 0 is line 1."""
        # line k starts after k line breaks and the lengths of lines 0..k-1
        lengths = map(len, self.text.split("\n")[:-1])
        return list(map(add, accumulate(lengths, initial=0), count()))

    @cached_property
    def lowercase_keywords(self) -> bool:
        """True when most instructions are written in lower case (``run``)."""
        lower = sum(1 for i in self.instructions if i.source.lstrip()[:1].islower())
        return lower * 2 > len(self.instructions)

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number holding character ``offset``."""
        return bisect.bisect_right(self.line_offsets, offset)

    def stage_by_name(self, name: str) -> Stage | None:
        """Return the stage named ``name`` (case-insensitive, as BuildKit
        matches stage names), or None."""
        low = name.lower()
        for st in self.stages:
            if st.name is not None and st.name.lower() == low:
                return st
        return None


def parse_directives(text: str) -> dict[str, str]:
    """Read the parser directives at the top of ``text``.

    Directives (``# syntax=``, ``# escape=``, ``# check=``) are only honoured
    before the first blank line, comment that is not a directive, or
    instruction; a name seen twice ends them, as in BuildKit.

    Returns:
        lower-case directive name -> value, in order of appearance.
    """
    found: dict[str, str] = {}
    for line in text.lstrip("\ufeff").split("\n"):
        m = _DIRECTIVE.match(line.rstrip("\r"))
        if not m:
            break
        name = m.group(1).lower()
        if name in found:
            break
        found[name] = m.group(2)
    return found


def _newline_of(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile text into a lossless :class:`Dockerfile`.

    Args:
        text: the whole file (a leading BOM and CRLF endings are fine).
    Returns:
        the model; ``str(result) == text``.
    Raises:
        ParseError: BuildKit rejects the text, it has no instructions, or it
            uses an instruction keyword Docker does not know (then it is most
            likely not a Dockerfile at all).
    """
    try:
        commands = _parse_string(text)
    except _buildkit.GoParseError as exc:
        raise ParseError(str(exc).splitlines()[0] if str(exc) else "unparsable Dockerfile") from None
    except Exception as exc:  # the extension raises plain errors on odd input
        raise ParseError(f"unparsable Dockerfile ({exc})") from None
    directives = parse_directives(text)
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        raise ParseError(f"invalid escape directive {escape!r}: must be ` or \\", 1)
    df = Dockerfile(text=text, instructions=[], directives=directives, escape=escape,
                    newline=_newline_of(text))
    offsets = df.line_offsets
    df.instructions.extend(_instructions(text, commands, offsets, 0, 0))
    if not df.instructions:
        raise ParseError("file with no instructions")
    _build_stages(df)
    return df


def _instructions(text: str, commands, offsets: list[int], line_base: int, index_base: int) -> list[Instruction]:
    """Build :class:`Instruction` objects from BuildKit commands whose line
    numbers are relative to line ``line_base + 1`` of ``text``."""
    nlines = len(offsets)
    out = []

    def line_start(n: int) -> int:
        return offsets[n - 1] if n - 1 < nlines else len(text)

    for i, cmd in enumerate(commands):
        keyword = cmd.cmd.upper()
        first, last = cmd.start_line + line_base, cmd.end_line + line_base
        if keyword not in INSTRUCTIONS:
            raise ParseError(f"line {first}: unknown instruction {cmd.cmd!r}, not a Dockerfile", first)
        sub = cmd.sub_cmd.upper() if cmd.sub_cmd else None
        if keyword == "ONBUILD" and (sub is None or sub not in INSTRUCTIONS):
            raise ParseError(f"line {first}: ONBUILD needs an instruction", first)
        need = MIN_ARGS.get(keyword, 0)
        if len(cmd.value) < need:
            raise ParseError(f"line {first}: {keyword} requires at least "
                             f"{'one argument' if need == 1 else 'two arguments'}", first)
        start = line_start(first)
        end = line_start(last + 1)
        out.append(Instruction(
            index=index_base + i, keyword=keyword, sub_keyword=sub, start=start, end=end,
            start_line=first, end_line=last, flags=tuple(cmd.flags), args=tuple(cmd.value),
            json=bool(cmd.json), heredocs=_heredoc_spans(text, cmd, offsets, start, end),
            joined=cmd.original, source=text[start:end]))
    return out


def reparse(df: Dockerfile, edits, new_text: str) -> Dockerfile:
    """Parse ``new_text``, the result of applying ``edits`` to ``df.text``,
    re-running BuildKit's parser only on the instructions the edits touch.

    Instructions outside the edits keep what BuildKit said of them, moved to
    their new offsets; the edited regions (whole lines, extended to whole
    instructions) are parsed again, all of them in one call of BuildKit's
    parser (its cost is a fixed part per call plus a part per instruction
    read). The result equals ``parse(new_text)``: where an edited region
    could read differently inside the whole text (it ends on a continuation
    line, a heredoc in it is not closed, an instruction runs past it), the
    whole text is parsed instead.

    Args:
        df: the model of the text the edits were made against.
        edits: the applied :class:`~migrator.model.edits.Edit` list.
        new_text: the text after the edits.
    Returns:
        the model of ``new_text``.
    Raises:
        ParseError: ``new_text`` does not parse.
    """
    ordered = sorted(edits)
    regions = _edited_regions(df, ordered)
    starts = [e.start for e in ordered]
    deltas = [0]
    for e in ordered:
        deltas.append(deltas[-1] + len(e.content) - (e.end - e.start))

    def moved(offset: int, inclusive: bool) -> int:
        # edits starting before offset (or at it, when inclusive) shift it
        k = bisect.bisect_right(starts, offset) if inclusive else bisect.bisect_left(starts, offset)
        return offset + deltas[k]

    new = Dockerfile(text=new_text, instructions=[], directives=parse_directives(new_text),
                     escape=df.escape, newline=df.newline)
    offsets = new.line_offsets
    fresh = _parse_regions(new, [(moved(a, False), moved(b, True)) for a, b in regions])
    if fresh is None:
        return parse(new_text)
    out: list[Instruction] = []
    r = 0
    for ins in df.instructions:
        while r < len(regions) and regions[r][1] <= ins.start:
            out.extend([i._replace(index=len(out) + k) for k, i in enumerate(fresh[r])])
            r += 1
        if r < len(regions) and regions[r][0] <= ins.start < regions[r][1]:
            continue
        start = moved(ins.start, True)
        shift = start - ins.start
        first = bisect.bisect_right(offsets, start)
        heredocs = ins.heredocs
        if heredocs and shift:
            heredocs = tuple(Heredoc(h.name, h.content, h.body_start + shift, h.body_end + shift)
                             for h in heredocs)
        out.append(Instruction(len(out), ins.keyword, ins.sub_keyword, start, ins.end + shift, first,
                               first + ins.end_line - ins.start_line, ins.flags, ins.args, ins.json,
                               heredocs, ins.joined, ins.source))
    while r < len(regions):
        out.extend([i._replace(index=len(out) + k) for k, i in enumerate(fresh[r])])
        r += 1
    if not out:
        raise ParseError("file with no instructions")
    new.instructions = out
    _build_stages(new)
    return new


def _edited_regions(df: Dockerfile, ordered) -> list[list[int]]:
    """Spans of ``df.text`` to parse again after ``ordered`` edits: each edit
    widened to whole lines (the line it ends at too, when its text does not
    end in a line break: ``#`` inserted before ``FROM``) and to every
    instruction it touches (an insertion of whole lines at an instruction
    boundary touches none, unless the instruction before it ends on a
    continuation: BuildKit joins the inserted text to it), overlapping spans
    merged."""
    old = df.text
    instructions = df.instructions
    ends = [ins.end for ins in instructions]
    regions: list[list[int]] = []
    for e in ordered:
        a = old.rfind("\n", 0, e.start) + 1
        # the character before the edit's end in the new text: not a line
        # break, the line the edit ends at joins the new text's last line
        joined = (e.content[-1:] or old[e.start - 1:e.start]) not in ("\n", "")
        if (e.end == a or old[e.end - 1:e.end] == "\n") and not (joined and e.end < len(old)):
            b = e.end
        else:
            nl = old.find("\n", e.end)
            b = len(old) if nl == -1 else nl + 1
        # instructions are sorted and disjoint: the first that ends after a
        i = bisect.bisect_right(ends, a)
        if i and _continues(instructions[i - 1].source, df.escape):
            i -= 1
            a = min(a, instructions[i].start)
        while i < len(instructions):
            ins = instructions[i]
            if ins.start < b and a < ins.end or (a == b and ins.start < a < ins.end):
                a, b = min(a, ins.start), max(b, ins.end)
            elif ins.start >= b:
                break
            i += 1
        if regions and a <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], b)
        else:
            regions.append([a, b])
    return regions


def _continues(source: str, escape: str) -> bool:
    """True when the last line of an instruction's ``source`` that is not
    blank or a comment ends in the escape character (spaces after it
    allowed). Only the file's last instruction can: BuildKit joins the next
    line that is not blank or a comment to it, so text added after it would
    become part of it (``RUN make \\`` + ``USER app`` is one RUN). Also true
    of a text that ends on such a line."""
    for line in reversed(source.split("\n")):
        text = line.strip(" \t\r")
        if text and not text.startswith("#"):
            return text.endswith(escape)
    return False


def _parse_regions(new: Dockerfile, spans: list[tuple[int, int]]) -> list[list[Instruction]] | None:
    """Parse the regions ``spans`` of ``new.text`` in one BuildKit call.

    The regions are whole lines; they are read one after the other (behind
    an ``# escape=`` line when the file sets one) and each command BuildKit
    returns is mapped back to the region it lies in.

    Returns:
        for each span, its instructions (indexes to be set by the caller), or
        None when a region may read differently inside the whole text: it
        ends on a continuation line (then blank or comment lines only), an
        instruction runs past its end, a
        heredoc in it is not closed in it, or BuildKit rejects the regions
        (the caller's parse of the whole text then says why, if it fails).
    """
    text, offsets, esc = new.text, new.line_offsets, new.escape
    prefix = "" if esc == "\\" else f"# escape={esc}\n"
    chunks: list[str] = [prefix]
    line = 2 if prefix else 1          # first line of the next chunk in the joined text
    heads: list[int] = []              # for each span: that line
    for a, b in spans:
        heads.append(line)
        chunk = text[a:b]
        if not chunk.strip():
            continue
        if len(chunks) == 1 and a > 0 and _DIRECTIVE.match(chunk.split("\n", 1)[0].rstrip("\r")):
            return None                # a comment there would read as a parser directive
        if not chunk.endswith("\n"):
            chunk += "\n"              # only the file's last line can lack one
        if _continues(chunk, esc):
            return None                # continues into the text after the region
        chunks.append(chunk)
        line += chunk.count("\n")
    out: list[list[Instruction]] = [[] for _ in spans]
    if len(chunks) == 1:
        return out
    try:
        commands = _parse_string("".join(chunks))
    except _buildkit.GoParseError as exc:
        # comment-only regions; else let the whole text tell (a heredoc
        # opened in a region may close after it)
        return out if "no instructions" in str(exc) else None
    for cmd in commands:
        r = bisect.bisect_right(heads, cmd.start_line) - 1
        a, b = spans[r]
        region_end = heads[r + 1] if r + 1 < len(heads) else line
        if cmd.end_line >= region_end:
            return None
        line_base = bisect.bisect_right(offsets, a) - heads[r]
        got = _instructions(text, (cmd,), offsets, line_base, 0)[0]
        if got.end > b or any(h.body_end >= got.end for h in got.heredocs):   # not closed in it
            return None
        out[r].append(got)
    return out


def _heredoc_spans(text, cmd, offsets, start, end) -> tuple[Heredoc, ...]:
    if not cmd.heredocs:
        return ()
    out = []
    # Bodies follow the instruction's first (possibly continued) line, each
    # closed by a line holding only its delimiter (tabs allowed with <<-).
    pos = text.find("\n", start)
    pos = end if pos == -1 or pos >= end else pos + 1
    # skip continuation lines of the instruction line itself
    for doc in cmd.heredocs:
        body_start = pos
        cursor = pos
        while cursor < end:
            nl = text.find("\n", cursor)
            line_end = end if nl == -1 or nl >= end else nl + 1
            line = text[cursor:line_end].rstrip("\r\n")
            if line.lstrip("\t") == doc.name:
                out.append(Heredoc(doc.name, doc.content, body_start, cursor))
                pos = line_end
                break
            cursor = line_end
        else:
            out.append(Heredoc(doc.name, doc.content, body_start, end))
            pos = end
    return tuple(out)


def _build_stages(df: Dockerfile) -> None:
    current: Stage | None = None
    for ins in df.instructions:
        if ins.keyword == "FROM":
            if not ins.args:
                raise ParseError(f"line {ins.start_line}: FROM needs a base image", ins.start_line)
            name = None
            if len(ins.args) >= 3 and ins.args[1].lower() == "as":
                name = ins.args[2]
            elif len(ins.args) != 1:
                raise ParseError(f"line {ins.start_line}: FROM takes `image [AS name]`", ins.start_line)
            current = Stage(index=len(df.stages), from_instruction=ins, instructions=[ins],
                            base_image=ins.args[0], name=name, platform=ins.flag("platform"))
            df.stages.append(current)
        elif current is None:
            if ins.keyword == "ARG":
                df.global_args.append(ins)
            else:
                df.preamble.append(ins)
        else:
            current.instructions.append(ins)


_SHELL_HEREDOC = r"\s*<<-?(['\"]?){name}\1(\s+(/usr)?(/bin/)?(ba|da)?sh(\s+-[A-Za-z]+)*)?\s*"


def heredoc_is_script(head: str, name: str) -> bool:
    """True when a RUN's heredoc body is its shell script: ``RUN <<EOT`` or
    ``RUN <<EOT bash`` (optionally ``sh``/``/bin/bash -e``...), as opposed to a
    heredoc fed to another program (``RUN python3 <<EOF``)."""
    return re.fullmatch(_SHELL_HEREDOC.format(name=re.escape(name)), head) is not None


def logical_script(df: Dockerfile, ins: Instruction) -> tuple[str, list[int]] | None:
    """Return the shell text of a shell-form RUN/CMD/ENTRYPOINT with a map
    from each of its characters to its offset in the file.

    The text is what BuildKit hands to ``/bin/sh -c``: continuation lines
    joined (the escape character and the line break removed), comment and
    empty lines inside the continuation dropped. For a RUN whose only
    argument is a heredoc (``RUN <<EOT``), the text is the heredoc body.

    Args:
        df: the file.
        ins: a shell-form instruction of ``df``.
    Returns:
        ``(script, positions)`` with ``len(positions) == len(script) + 1``
        (the last entry is the offset just past the script), or None when
        the rebuilt text does not match BuildKit's (then no span edit is
        attempted inside this instruction).
    """
    got = instruction_script(ins, df.escape)
    if got is None:
        return None
    script, positions = got
    return script, [ins.start + p for p in positions]


def instruction_script(ins: Instruction, escape: str) -> tuple[str, tuple[int, ...]] | None:
    """:func:`logical_script` with positions relative to ``ins.start``.

    It depends only on the instruction's own text, so it is cached: every
    transform reads the same RUNs again, each time at new offsets.

    Args:
        ins: a shell-form instruction.
        escape: the file's escape character.
    Returns:
        ``(script, positions)``, positions counted from the instruction's
        first character, or None (see :func:`logical_script`).
    """
    if ins.json or not ins.args:
        return None
    docs = tuple((h.name, h.content, h.body_start - ins.start, h.body_end - ins.start) for h in ins.heredocs)
    return _script_of(ins.source, ins.args[0], docs, escape)


@lru_cache(maxsize=256)
def _script_of(source: str, script: str, docs: tuple, esc: str) -> tuple[str, tuple[int, ...]] | None:
    if docs:
        name, content, body_start, body_end = docs[0]
        if len(docs) == 1 and heredoc_is_script(script, name):
            body = source[body_start:body_end]
            if body != content and body.replace("\r\n", "\n") != content:
                return None
            return body, tuple(range(body_start, body_end + 1))
        return None
    text = source
    end = len(source)
    chunks: list[str] = []
    pos: list[int] = []
    cursor = 0
    first_line = True
    continuing = True
    while cursor < end and continuing:
        nl = text.find("\n", cursor, end)
        line_end = end if nl == -1 else nl
        content_end = line_end
        if content_end > cursor and text[content_end - 1] == "\r":
            content_end -= 1
        line = text[cursor:content_end]
        stripped = line.strip(" \t")
        if not first_line and (stripped == "" or stripped.startswith("#")):
            cursor = line_end + 1
            continue
        # A continuation: the escape character, then only spaces/tabs.
        body = line.rstrip(" \t")
        if body.endswith(esc):
            seg_end = cursor + len(body) - 1
            continuing = True
        else:
            seg_end = content_end
            continuing = False
        chunks.append(text[cursor:seg_end])
        pos.extend(range(cursor, seg_end))
        first_line = False
        cursor = line_end + 1
    joined = "".join(chunks)
    # BuildKit trims the keyword, flags and surrounding whitespace.
    tail = joined.rstrip(" \t")
    at = len(tail) - len(script)
    if at < 0 or tail[at:] != script:
        return None
    return script, tuple(pos[at:at + len(script)]) + ((pos[at + len(script) - 1] + 1) if script else 0,)

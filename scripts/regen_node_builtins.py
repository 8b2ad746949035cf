#!/usr/bin/env python3
"""Regenerate ``migrator/data/node-builtins.json``: the names of Node.js's built-in modules.

Runs the local ``node`` (or the one named by ``--node PATH``) and writes
``require('node:module').builtinModules``
(https://nodejs.org/api/module.html#modulebuiltinmodules): the modules a
``require('fs')`` or ``import 'node:fs'`` loads without any installed
package. ``frontend-stage`` reads the list to tell whether a Node.js call
kept in a Python image (``node -e "require('fs')..."``) needs the project's
``node_modules`` (:mod:`migrator.context.node_use`). The list only grows
between releases, so the newest Node.js gives the widest list; a name a
Node.js older than the image's lacks is no package of node_modules either.

Usage: ``python scripts/regen_node_builtins.py [--node PATH]``. Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "migrator" / "data" / "node-builtins.json"


def main(argv: list[str]) -> int:
    node = argv[argv.index("--node") + 1] if "--node" in argv else "node"
    out = subprocess.run([node, "-p", "JSON.stringify({v: process.version, m: require('module').builtinModules})"],
                         capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    data = {
        "_source": ("require('node:module').builtinModules of Node.js " + got["v"] + " "
                    "(https://nodejs.org/api/module.html#modulebuiltinmodules), written by "
                    "scripts/regen_node_builtins.py. Any of them also loads with the node: prefix; node:test, "
                    "node:sqlite and node:sea only with it (https://nodejs.org/api/modules.html#built-in-modules)."),
        "names": sorted(got["m"]),
    }
    DATA.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

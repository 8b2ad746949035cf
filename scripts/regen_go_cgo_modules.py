#!/usr/bin/env python3
"""Classify Go modules' cgo use from their sources, for ``migrator/data/go-cgo-modules.json``.

Usage (from the project root)::

    .venv/bin/python scripts/regen_go_cgo_modules.py [--update] [--source TEXT] DIR [DIR...]

Each ``DIR`` is a module's source tree (a ``go mod download -json MOD@VERSION``
``Dir``, or a checkout at a fixed commit); ``DIR=MODULE`` names the module of
a tree without ``go.mod`` (a GOPATH-era repository). For each module (its ``go.mod``
``module`` line) the script lists the packages with a file that imports
``"C"`` and builds on Linux (amd64 or arm64; build constraints read by
:func:`migrator.context.go.may_build`), and for each whether another file of
the package builds with cgo off:

- ``no-cgo: none``: with ``CGO_ENABLED=0`` the package has no file, or only
  files that need the cgo ones: the build fails (loud, at build time);
- ``no-cgo: variant``: it has a ``!cgo`` file: a **stub** that compiles and
  fails at run time, or a real pure-Go fallback. This one needs a human
  reading of the file, and the data records the verdict (``without_cgo``).

It prints one JSON object ``{module: entry}``. With ``--update`` it merges
the entries into ``migrator/data/go-cgo-modules.json``: ``packages`` and
``no_cgo_variant`` are replaced, ``without_cgo``/``source`` kept when an entry
exists; a new entry gets ``without_cgo`` ``"build fails"`` (no variant) or
``"REVIEW"`` (a variant: read the file, write ``"stub"`` or ``"fallback"``) and
``source`` from ``--source`` (say which commit was read). The tool refuses a
data file with a ``"REVIEW"`` verdict left (tests/test_go_runtime.py checks).
Standard library only, besides the project's tree-sitter Go grammar.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from migrator.context.go import _imports_c, _parser, may_build  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrator", "data",
                    "go-cgo-modules.json")


def module_path(root: str) -> str | None:
    try:
        with open(os.path.join(root, "go.mod"), encoding="utf-8") as fh:
            for line in fh:
                words = line.split()
                if len(words) >= 2 and words[0] == "module":
                    return words[1].strip('"')
    except OSError:
        return None
    return None


def classify(root: str) -> dict:
    """``{"packages": [...], "no_cgo_variant": {package: [files]}}`` of one module tree."""
    parser = _parser()
    packages: list[str] = []
    variants: dict[str, list[str]] = {}
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and d not in ("testdata", "vendor")
                         and not (rel == "." and os.path.exists(os.path.join(folder, d, "go.mod"))))
        sources = {}
        for name in sorted(files):
            if name.endswith(".go") and not name.endswith("_test.go"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
                    sources[name] = fh.read()
        cgo = [n for n, t in sources.items() if '"C"' in t and may_build(t, n, cgo=True) and _imports_c(parser, t)]
        if not cgo:
            continue
        pkg = rel.replace(os.sep, "/")
        packages.append(pkg)
        other = [n for n, t in sources.items() if n not in cgo and may_build(t, n, cgo=False)
                 and not may_build(t, n, cgo=True)]
        if other:
            variants[pkg] = other
    return {"packages": sorted(packages), "no_cgo_variant": variants}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--source", default="")
    a = ap.parse_args()
    found = {}
    for arg in a.dirs:
        root, _eq, named = arg.partition("=")
        mod = named or module_path(root)
        if mod is None:
            print(f"{root}: no go.mod", file=sys.stderr)
            continue
        entry = classify(root)
        if entry["packages"]:
            found[mod] = entry
        else:
            print(f"{mod}: no package imports \"C\" on Linux", file=sys.stderr)
    print(json.dumps(found, indent=2, sort_keys=True))
    if a.update:
        with open(DATA, encoding="utf-8") as fh:
            data = json.load(fh)
        modules = data.setdefault("modules", {})
        for mod, entry in found.items():
            old = modules.get(mod, {})
            verdict = old.get("without_cgo") or ("REVIEW" if entry["no_cgo_variant"] else "build fails")
            modules[mod] = {"without_cgo": verdict, "packages": entry["packages"],
                            "no_cgo_variant": entry["no_cgo_variant"],
                            "source": old.get("source") or a.source}
        data["modules"] = dict(sorted(modules.items()))
        with open(DATA, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

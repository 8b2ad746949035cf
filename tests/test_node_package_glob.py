"""node-runtime and COPY sources with wildcards (review 5, E6).

``COPY package*.json ./`` is the most common Node.js Dockerfile shape; Docker
matches the glob in the build context (Go's filepath.Match), so it copies
package.json into the working directory and node-runtime must prune the
devDependencies as it does for ``COPY package.json ./``. When no COPY shows
which context folder lands in the working directory, the note says that,
not that the context has no package.json.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from migrator.context.globs import could_match, element_regex, match_sources
from migrator.engine import migrate_text
from migrator.options import Options
from contexts import context

PACKAGE = json.dumps({"name": "app", "version": "1.0.0", "main": "index.js", "dependencies": {},
                      "devDependencies": {"nodemon": "^3.0.1"}})

SHAPE = textwrap.dedent("""\
    FROM node:18
    WORKDIR /usr/src/app
    COPY {sources} ./
    RUN npm install
    COPY . .
    CMD ["node", "index.js"]
""")


def migrate(text, ctx):
    return migrate_text(text, Options(context=ctx))


def pruned(result) -> bool:
    return any(c.transform == "node-runtime" and "npm prune --omit=dev" in c.reason for c in result.changes)


@pytest.mark.parametrize("sources", ["package*.json", "*.json", "package.json*", "package.json package-lock.json",
                                     "./package*.json", "package?json", "[p]ackage.json"])
def test_a_copy_of_package_json_through_a_glob_prunes_like_a_plain_copy(tmp_path, sources):
    ctx = context(tmp_path, {"package.json": PACKAGE, "package-lock.json": "{}", "tsconfig.json": "{}",
                             "index.js": "console.log('hi')\n"})
    plain = migrate(SHAPE.format(sources="package.json"), ctx)
    globbed = migrate(SHAPE.format(sources=sources), ctx)
    assert pruned(plain) and pruned(globbed)
    assert globbed.output.replace(sources, "package.json") == plain.output
    assert not any("has no package.json" in n for n in globbed.notes)


def test_a_glob_that_matches_no_package_json_leaves_the_folder_unknown_and_says_so(tmp_path):
    ctx = context(tmp_path, {"package.json": PACKAGE, "index.js": "console.log('hi')\n"})
    result = migrate(SHAPE.format(sources="yarn*.lock"), ctx)
    notes = [n for n in result.notes if n.startswith("node-runtime:")]
    assert not pruned(result)
    assert notes and "no COPY of the builder shows which build-context folder lands in /usr/src/app" in notes[0]
    assert "has no package.json" not in notes[0] and "--context DIR" not in notes[0]


def test_a_glob_into_a_subfolder_names_that_folders_package_json(tmp_path):
    ctx = context(tmp_path, {"server/package.json": PACKAGE, "server/index.js": "x\n"})
    text = SHAPE.format(sources="server/package*.json").replace("COPY . .", "COPY server/ .")
    assert pruned(migrate(text, ctx))


@pytest.mark.parametrize("pattern, name, matches", [
    ("package*.json", "package.json", True),
    ("package*.json", "package-lock.json", True),
    ("package*.json", "pkg.json", False),
    ("*.json", "a/b.json", False),          # no element crosses a /
    ("[^a-o]ackage.json", "package.json", True),
    ("[a-o]ackage.json", "package.json", False),
    ("package\\*.json", "package*.json", True),
    ("package\\*.json", "package-lock.json", False),
    ("[unclosed.json", "[unclosed.json", False),   # Go's ErrBadPattern: matches nothing
])
def test_filepath_match_semantics(pattern, name, matches):
    assert could_match(pattern, name) is matches


def test_match_sources_reads_the_context(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}", "package-lock.json": "{}", "src/a.json": "{}", "README": ""})
    assert match_sources(ctx, "package*.json") == ["package-lock.json", "package.json"]
    assert match_sources(ctx, "/*/a.json") == ["src/a.json"]
    assert match_sources(ctx, "missing*.json") == []
    assert match_sources(ctx, "README") == ["README"]
    assert element_regex("[") is None

"""Whether a Node.js call needs the project's installed packages (migrator/context/node_use.py)."""

import pytest

from migrator.context.node_use import modules_needed, node_builtins


@pytest.mark.parametrize("code", [
    "require('fs').appendFileSync('a', 'b')",
    "const { join } = require('node:path'); import('node:fs/promises')",
    "import http from 'http'\nexport { x } from 'node:url'\n",
    "#!/usr/bin/env node\nconst cp = require('child_process')\ncp.execSync('ls')\n",
    "console.log(process.version)",
    "require.resolve('os')",
])
def test_code_loading_only_built_in_modules_needs_no_packages(code):
    assert modules_needed(code, "x.js") is None


@pytest.mark.parametrize("code, why", [
    ("require('express')", "x.js loads express"),
    ("import { render } from './render.js'", "x.js loads ./render.js"),          # not followed
    ("export * from 'lodash/fp'", "x.js loads lodash/fp"),
    ("await import('vue/server-renderer')", "x.js loads vue/server-renderer"),
    ("require(name)", "x.js loads a module it computes (require(...))"),
    ("require(`./${name}`)", "x.js loads a module it computes (require(...))"),
    ("import { createRequire } from 'node:module'\nconst r = createRequire(import.meta.url)\nr('x')\n",
     "x.js makes its own require (createRequire)"),
    ("require('fs'", "x.js does not parse as JavaScript"),
])
def test_code_loading_anything_else_names_it(code, why):
    assert modules_needed(code, "x.js") == why


def test_the_built_in_list_is_node_s():
    names = node_builtins()
    assert {"fs", "path", "http", "child_process", "fs/promises"} <= names
    assert "express" not in names and "test" not in names   # node:test loads only with its prefix

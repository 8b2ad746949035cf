"""tsconfig.json ``extends``: the outDir/rootDir a base config gives tsc (migrator/context/node.py, read_tsconfig).

TypeScript's rules (typescriptlang.org/tsconfig#extends): bases load first, the file's own compilerOptions
override them; an array applies left to right; a relative path resolves against the config it is written in.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from contexts import context
from migrator.context.node import TSCONFIG_MAX_DEPTH, read_project, read_tsconfig
from migrator.engine import migrate_text
from migrator.options import Options


def ts(out_dir=None, root_dir=None, extends=None) -> str:
    doc = {}
    if extends is not None:
        doc["extends"] = extends
    options = {k: v for k, v in (("outDir", out_dir), ("rootDir", root_dir)) if v is not None}
    if options:
        doc["compilerOptions"] = options
    return json.dumps(doc)


@pytest.mark.parametrize("files, out_dir", [
    ({"tsconfig.json": ts(extends="./tsconfig.base.json"), "tsconfig.base.json": ts("./build")}, "build"),
    # without .json, as tsc resolves it
    ({"tsconfig.json": ts(extends="./tsconfig.base"), "tsconfig.base.json": ts("lib")}, "lib"),
    # relative to the base's own folder
    ({"tsconfig.json": ts(extends="./configs/base.json"), "configs/base.json": ts("../out/server")}, "out/server"),
    # the file's own option wins over the base's
    ({"tsconfig.json": ts("dist", extends="./b.json"), "b.json": ts("build")}, "dist"),
    # an array: later entries override earlier ones
    ({"tsconfig.json": ts(extends=["./a.json", "./b.json"]), "a.json": ts("from-a"), "b.json": ts("from-b")},
     "from-b"),
    ({"tsconfig.json": ts(extends=["./a.json", "./b.json"]), "a.json": ts("from-a"), "b.json": ts()}, "from-a"),
    # two levels
    ({"tsconfig.json": ts(extends="./a.json"), "a.json": ts(extends="./shared/b.json"), "shared/b.json": ts("../x")},
     "x"),
    # JSON with comments and trailing commas in the base
    ({"tsconfig.json": ts(extends="./base.json"),
      "base.json": '{\n  // tsc output\n  "compilerOptions": { "outDir": "./dist", },\n}\n'}, "dist"),
    # ${configDir} (TypeScript 5.5): the folder of the project's own tsconfig
    ({"tsconfig.json": ts(extends="./configs/base.json"), "configs/base.json": ts("${configDir}/build")}, "build"),
    # a package base found in the context's node_modules
    ({"tsconfig.json": ts(extends="@company/tsconfig/node.json"),
      "node_modules/@company/tsconfig/node.json": ts("../../../built")}, "built"),
])
def test_out_dir_comes_through_extends(tmp_path, files, out_dir):
    got = read_tsconfig(context(tmp_path, files))
    assert got.out_dir == out_dir and got.gap is None


def test_a_project_in_a_subfolder_resolves_against_each_config(tmp_path):
    files = {"api/tsconfig.json": ts(extends="../tsconfig.base.json"), "tsconfig.base.json": ts("./dist", ".")}
    got = read_tsconfig(context(tmp_path, files), "api")
    # the base's ./dist is the context root's dist, outside api/: no output folder of the project
    assert got.out_dir is None and got.root_dir is None and got.gap is None
    files["tsconfig.base.json"] = ts("${configDir}/dist", "${configDir}/src")
    got = read_tsconfig(context(tmp_path, files), "api")
    assert (got.out_dir, got.root_dir) == ("dist", "src")


def test_root_dir_is_read_the_same_way(tmp_path):
    got = read_tsconfig(context(tmp_path, {"tsconfig.json": ts(extends="./b.json"), "b.json": ts("dist", "./src")}))
    assert (got.out_dir, got.root_dir) == ("dist", "src")


@pytest.mark.parametrize("files, says", [
    ({"tsconfig.json": ts(extends="@tsconfig/node18/tsconfig.json")},
     "tsconfig.json extends @tsconfig/node18/tsconfig.json, a package whose config is not in the build context"),
    ({"tsconfig.json": ts(extends="./missing.json")}, "tsconfig.json extends ./missing.json, which is not in"),
    ({"tsconfig.json": ts(extends="../outside.json")}, "outside the build context"),
    ({"tsconfig.json": ts(extends="./a.json"), "a.json": ts(extends="./tsconfig.json")}, "(a cycle)"),
    ({"tsconfig.json": ts(extends="./a.json"), "a.json": "{ not json"}, "a.json (extended by tsconfig.json) does not"),
])
def test_a_base_the_tool_cannot_read_leaves_out_dir_unknown(tmp_path, files, says):
    got = read_tsconfig(context(tmp_path, files))
    assert got.out_dir is None and says in (got.gap or ""), got.gap


def test_the_file_s_own_out_dir_needs_no_base(tmp_path):
    files = {"tsconfig.json": ts("dist", extends="@tsconfig/node18/tsconfig.json")}
    got = read_tsconfig(context(tmp_path, files))
    assert got.out_dir == "dist" and got.gap is None
    # a later readable base overrides an unreadable earlier one too
    files = {"tsconfig.json": ts(extends=["@tsconfig/node18/tsconfig.json", "./b.json"]), "b.json": ts("out")}
    assert read_tsconfig(context(tmp_path, files)).out_dir == "out"


def test_the_chain_is_bounded(tmp_path):
    files = {"tsconfig.json": ts(extends="./c1.json")}
    for i in range(1, TSCONFIG_MAX_DEPTH + 3):
        files[f"c{i}.json"] = ts(extends=f"./c{i + 1}.json")
    files[f"c{TSCONFIG_MAX_DEPTH + 3}.json"] = ts("deep")
    got = read_tsconfig(context(tmp_path, files))
    assert got.out_dir is None and f"deeper than {TSCONFIG_MAX_DEPTH}" in got.gap
    files = {"tsconfig.json": ts(extends="./c1.json"), "c1.json": ts(extends="./c2.json"), "c2.json": ts("two")}
    assert read_tsconfig(context(tmp_path, files)).out_dir == "two"


def test_read_project_takes_the_inherited_out_dir(tmp_path):
    files = {"package.json": "{}", "tsconfig.json": ts(extends="./tsconfig.build.json"),
             "tsconfig.build.json": ts("lib", "src")}
    project = read_project(context(tmp_path, files))
    assert (project.ts_out_dir, project.ts_root_dir, project.ts_gap) == ("lib", "src", None)


APP = textwrap.dedent("""\
    FROM node:20-alpine
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    CMD ["node", "lib/index.js"]
""")

PACKAGE = json.dumps({"name": "app", "scripts": {"build": "tsc", "start": "node lib/index.js"},
                      "dependencies": {"express": "4"}, "devDependencies": {"typescript": "5"}})


def test_node_runtime_knows_the_output_folder_a_base_config_names(tmp_path):
    files = {"package.json": PACKAGE, "package-lock.json": "{}", "src/index.ts": "",
             "tsconfig.json": ts(extends="./tsconfig.base.json"), "tsconfig.base.json": ts("./lib", "./src")}
    result = migrate_text(APP, Options(context=context(tmp_path, files)))
    [fix] = [c for c in result.changes if c.transform == "node-runtime"]
    assert "src (TypeScript sources only, compiled into lib" in fix.reason, fix.reason


def test_node_runtime_names_the_base_it_cannot_read(tmp_path):
    files = {"package.json": PACKAGE, "package-lock.json": "{}", "src/index.ts": "",
             "tsconfig.json": ts(extends="@tsconfig/node20/tsconfig.json")}
    result = migrate_text(APP, Options(context=context(tmp_path, files)))
    note = " ".join(n for n in result.notes if n.startswith("node-runtime"))
    assert "lib/index.js is not in a build output folder" in note
    assert "outDir is unknown: tsconfig.json extends @tsconfig/node20/tsconfig.json, a package" in note, note

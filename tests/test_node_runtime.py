"""node-runtime: a Node.js runtime stage with production dependencies and the build output only.

The build-context readers (migrator/context/node.py: package.json, lockfiles,
.yarnrc.yml, tsconfig.json with comments, next.config.*), the npm version of
each node image (node.json), the start command read through package.json
scripts, and the transform's output: the prune command per package manager,
the copies that replace the whole working directory, NODE_ENV, the
devDependencies a start command keeps, the Next.js standalone runtime as an
unsafe change, and the fallbacks when the context can't show what is needed.
"""

from __future__ import annotations

import json
import textwrap

import dockerfile
import pytest

from migrator.context import BuildContext
from migrator.context.node import UNKNOWN, next_config_output, parse_js_literal, read_project
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.analysis.node import npm_major, start_command
from migrator.analysis.stage import walk
from migrator.options import Options
from contexts import context


def package(scripts=None, deps=None, dev=None, **extra) -> str:
    return json.dumps({"name": "app", "version": "1.0.0", "scripts": scripts or {}, "dependencies": deps or {},
                       "devDependencies": dev or {}, **extra})


TS_PACKAGE = package({"build": "tsc", "start": "node dist/index.js"}, {"express": "^4.19.2"},
                     {"typescript": "^5.4.5", "@types/express": "^4.17.21"})

NPM_TS = textwrap.dedent("""\
    FROM node:20-alpine
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    EXPOSE 3000
    CMD ["node", "dist/index.js"]
""")


def migrate(text: str, ctx: BuildContext | None, **options):
    return migrate_text(text, Options(context=ctx, **options))


def stages(text: str) -> list[str]:
    """The text of each stage."""
    parts = []
    for line in text.splitlines(keepends=True):
        if line.upper().startswith("FROM "):
            parts.append("")
        if parts:
            parts[-1] += line
    return parts


def node_changes(result):
    return [c for c in result.changes if c.transform == "node-runtime"]


# --- build-context readers --------------------------------------------------------------------

def test_tsconfig_with_comments_and_trailing_commas_is_read_with_the_js_grammar():
    text = '{\n  // where tsc writes\n  "compilerOptions": { "outDir": "./build/server", /* here */ "strict": true, },\n}\n'
    assert parse_js_literal(text) == {"compilerOptions": {"outDir": "./build/server", "strict": True}}
    assert parse_js_literal("{ not json") is None


@pytest.mark.parametrize("name, text, expected", [
    ("next.config.js", "/** @type {import('next').NextConfig} */\nmodule.exports = { output: 'standalone' }\n",
     "standalone"),
    ("next.config.mjs", "const nextConfig = { reactStrictMode: true, output: \"standalone\" };\n"
                        "export default nextConfig;\n", "standalone"),
    ("next.config.ts", "import type { NextConfig } from 'next'\nconst c: NextConfig = { output: 'standalone' }\n"
                       "export default c\n", "standalone"),
    ("next.config.js", "module.exports = { images: { unoptimized: true } }\n", None),
    ("next.config.js", "module.exports = { output: process.env.NEXT_OUTPUT }\n", UNKNOWN),
])
def test_next_config_output(name, text, expected):
    assert next_config_output(text, name.endswith("ts")) is expected or \
        next_config_output(text, name.endswith("ts")) == expected


@pytest.mark.parametrize("files, manager", [
    ({"package-lock.json": "{}"}, "npm"),
    ({"pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}, "pnpm"),
    ({"yarn.lock": "# yarn lockfile v1\n"}, "yarn"),
    ({"yarn.lock": "__metadata:\n  version: 8\n"}, "yarn-berry"),
    ({}, "npm"),
])
def test_package_manager_from_the_lockfile(tmp_path, files, manager):
    ctx = context(tmp_path, {"package.json": package(), **files})
    assert read_project(ctx, ".").manager == manager


def test_yarn_berry_linker_version_and_tsconfig_out_dir(tmp_path):
    ctx = context(tmp_path, {
        "package.json": package(packageManager="yarn@3.6.4"), "yarn.lock": "__metadata:\n",
        ".yarnrc.yml": "nodeLinker: node-modules\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n",
        "tsconfig.json": '{"compilerOptions": {"outDir": "lib/"}}'})
    project = read_project(ctx, ".")
    assert (project.manager, project.yarn_major, project.yarn_pnp) == ("yarn-berry", 3, False)
    assert any("workspace-tools" in p for p in project.yarn_plugins)
    assert project.ts_out_dir == "lib"


def test_missing_or_broken_package_json_is_none(tmp_path):
    assert read_project(context(tmp_path, {"x.txt": ""}), ".") is None
    assert read_project(context(tmp_path, {"package.json": "[1, 2"}), ".") is None
    assert read_project(None, ".") is None


@pytest.mark.parametrize("ref, major", [
    ("node:14-alpine", 6), ("node:16", 8), ("node:16.3.0-slim", 7), ("node:18", 10), ("node:hydrogen", 10),
    ("node:lts-slim", 11), ("node", 11), ("python:3.12", None), ("node:99", None),
])
def test_npm_major_of_a_node_image(ref, major):
    assert npm_major(ref) == major


def test_start_command_follows_package_json_scripts(tmp_path):
    ctx = context(tmp_path, {"package.json": package({"start": "npm run migrate && node build/server.js",
                                                      "migrate": "knex migrate:latest"})})
    project = read_project(ctx, ".")
    df = parse('FROM node:20\nWORKDIR /app\nCMD ["npm", "start"]\n')
    start = start_command(walk(df, df.stages[0]), project)
    assert start.file == "build/server.js" and start.production and start.known
    assert ("knex", "the migrate script of package.json") in start.programs


# --- the transform ----------------------------------------------------------------------------

def test_npm_prunes_in_the_builder_and_deletes_only_what_the_build_uses(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}", "src/index.ts": "",
                             "tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}', "views/a.html": "",
                             "test/app.test.ts": "", "data/seed.json": "{}"})
    result = migrate(NPM_TS, ctx)
    builder, runtime = stages(result.output)
    assert builder.rstrip().endswith("RUN npm prune --omit=dev\nRUN rm -rf src test tsconfig.json node_modules/.cache")
    assert "--from=builder /app /app\n" in runtime      # the rest of the working directory, as the original had it
    assert "ENV NODE_ENV=production" in runtime
    reason = node_changes(result)[0].reason
    assert "typescript" in reason and "src (TypeScript sources only, compiled into dist" in reason
    assert "test (tests)" in reason and "tsconfig.json (read by tsc only" in reason
    dockerfile.parse_string(result.output)


@pytest.mark.parametrize("deps, files, kept", [
    ({"config": "3"}, {"config/default.ts": ""}, "config"),                     # node-config reads ./config
    ({"@prisma/client": "5"}, {"prisma/schema.ts": ""}, "prisma"),
    ({"i18n": "0.15"}, {"locales/en.ts": ""}, "locales"),
])
def test_a_folder_a_dependency_reads_at_run_time_is_never_deleted(tmp_path, deps, files, kept):
    ctx = context(tmp_path, {"package.json": package({"build": "tsc", "start": "node dist/index.js"}, deps,
                                                     {"typescript": "5"}),
                             "package-lock.json": "{}", "src/index.ts": "", **files})
    builder = stages(migrate(NPM_TS, ctx).output)[0]
    assert "rm -rf src " in builder and f" {kept} " not in builder


def test_sources_stay_where_something_may_load_them(tmp_path):
    # a folder with a non-TypeScript file, and all of them once a dependency loads .ts or reads tsconfig.json
    files = {"package-lock.json": "{}", "src/index.ts": "", "lib/a.ts": "", "lib/b.json": "{}",
             "tsconfig.json": "{}"}
    ctx = context(tmp_path / "a", {"package.json": TS_PACKAGE, **files})
    builder = stages(migrate(NPM_TS, ctx).output)[0]
    assert "rm -rf src tsconfig.json node_modules/.cache" in builder
    with_loader = package({"build": "tsc", "start": "node -r tsconfig-paths/register dist/index.js"},
                          {"express": "4", "tsconfig-paths": "4"}, {"typescript": "5"})
    ctx = context(tmp_path / "b", {"package.json": with_loader, **files})
    builder = stages(migrate(NPM_TS, ctx).output)[0]
    assert "rm -rf node_modules/.cache" in builder and "src" not in builder.split("rm -rf", 1)[1]
    # a folder the start script names stays
    named = package({"build": "tsc", "start": "node dist/index.js --schema src/schema.ts"}, {"express": "4"},
                    {"typescript": "5"})
    ctx = context(tmp_path / "c", {"package.json": named, **files})
    result = migrate(NPM_TS.replace('CMD ["node", "dist/index.js"]', 'CMD ["npm", "start"]'), ctx)
    assert "rm -rf tsconfig.json node_modules/.cache" in stages(result.output)[0]


@pytest.mark.parametrize("deps, files, why", [
    ({"config": "3"}, {}, "depends on config"),
    ({}, {"config/production.json": "{}"}, "config/production.json"),
    ({}, {".env.production": "X=1"}, ".env.production"),
    ({}, {"src/db.ts": "const url = process.env.NODE_ENV === 'test' ? a : b"}, "src/db.ts mentions NODE_ENV"),
])
def test_node_env_is_unsafe_where_it_may_change_what_the_app_loads(tmp_path, deps, files, why):
    ctx = context(tmp_path, {"package.json": package({"build": "tsc"}, {"express": "4", **deps},
                                                     {"typescript": "5"}),
                             "package-lock.json": "{}", "src/index.ts": "", **files})
    result = migrate(NPM_TS, ctx)
    assert "NODE_ENV" not in result.output
    offered = [r for r in result.refusals if r.transform == "node-runtime" and r.unsafe_only]
    assert offered and why in offered[0].reason and "NODE_ENV=production" in offered[0].reason
    assert "prune" in result.output            # the safe part is made all the same
    assert "ENV NODE_ENV=production" in stages(migrate(NPM_TS, ctx, unsafe=True).output)[-1]


def test_next_start_sets_node_env_itself_so_adding_it_is_safe(tmp_path):
    ctx = next_context(tmp_path, "module.exports = {}\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "env.js").write_text("export const dev = process.env.NODE_ENV !== 'production'\n")
    assert "ENV NODE_ENV=production" in stages(migrate(NEXT, ctx).output)[-1]


def test_devdependencies_alone_make_the_split_pay(tmp_path):
    # node:20-alpine, no build packages: without the devDependencies the split gains nothing
    ctx = context(tmp_path / "a", {"package.json": package({"build": "tsc"}, {"express": "4"}),
                                   "package-lock.json": "{}"})
    assert "AS builder" not in migrate(NPM_TS, ctx).output
    ctx = context(tmp_path / "b", {"package.json": TS_PACKAGE, "package-lock.json": "{}"})
    assert "AS builder" in migrate(NPM_TS, ctx).output


@pytest.mark.parametrize("lock, install, expected", [
    ("pnpm-lock.yaml", "pnpm install --frozen-lockfile", "RUN pnpm prune --prod"),
    ("yarn.lock", "yarn install --frozen-lockfile", "RUN yarn install --production --ignore-scripts --prefer-offline"),
])
def test_prune_command_of_each_package_manager(tmp_path, lock, install, expected):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, lock: "# lock\n"})
    text = NPM_TS.replace("package-lock.json", lock).replace("npm ci", install)
    builder = stages(migrate(text, ctx).output)[0]
    assert builder.rstrip().endswith(f"{expected}\nRUN rm -rf node_modules/.cache")


def test_yarn_berry_needs_focus_and_refuses_plug_n_play(tmp_path):
    files = {"package.json": json.loads(TS_PACKAGE) | {"packageManager": "yarn@4.2.2"}, "yarn.lock": "__metadata:\n"}
    files["package.json"] = json.dumps(files["package.json"])
    text = NPM_TS.replace("package-lock.json", "yarn.lock").replace("npm ci", "yarn install --immutable")
    ctx = context(tmp_path / "a", {**files, ".yarnrc.yml": "nodeLinker: node-modules\n"})
    assert stages(migrate(text, ctx).output)[0].rstrip().endswith(
        "RUN yarn workspaces focus --production\nRUN rm -rf node_modules/.cache")
    ctx = context(tmp_path / "b", {**files, ".yarnrc.yml": "nodeLinker: pnp\n"})
    result = migrate(text, ctx)
    assert "AS builder" not in result.output
    assert any("Plug'n'Play" in n for n in result.notes)


def test_npm_older_than_8_uses_production(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}"})
    builder = stages(migrate(NPM_TS.replace("node:20-alpine", "node:14-alpine"), ctx).output)[0]
    assert builder.rstrip().endswith("RUN npm prune --production\nRUN rm -rf node_modules/.cache")


def test_an_install_that_already_omits_devdependencies_is_not_pruned(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}"})
    text = ("FROM node:20-alpine\nRUN apk add --no-cache python3 make g++\nWORKDIR /app\nCOPY . .\n"
            "RUN npm ci --omit=dev\nCMD [\"node\", \"server.js\"]\n")
    result = migrate(text, ctx)
    assert "AS builder" in result.output and "prune" not in result.output
    assert any("whole /app" in n and "nothing is built" in n for n in result.notes)


@pytest.mark.parametrize("cmd, program", [
    ('CMD ["npx", "ts-node", "src/index.ts"]', "ts-node"),
    ('CMD ["npm", "run", "dev"]', "nodemon"),
    ("CMD npm start", "nodemon"),
])
def test_a_start_command_that_runs_a_devdependency_keeps_them(tmp_path, cmd, program):
    ctx = context(tmp_path, {"package.json": package({"build": "tsc", "dev": "nodemon src/index.ts",
                                                      "start": "NODE_ENV=production nodemon dist/index.js"},
                                                     {"express": "4"}, {"nodemon": "3", "ts-node": "10",
                                                                        "typescript": "5"}),
                             "package-lock.json": "{}"})
    text = NPM_TS.replace("node:20-alpine", "node:20").replace('CMD ["node", "dist/index.js"]', cmd)
    result = migrate(text, ctx)
    assert "prune" not in result.output
    reasons = [r.reason for r in result.refusals if r.transform == "node-runtime"]
    assert reasons and f"`{program}`" in reasons[0] and "devDependencies" in reasons[0]


def test_no_context_copies_the_whole_workdir_and_says_so():
    result = migrate(NPM_TS.replace("node:20-alpine", "node:20"), None)
    runtime = stages(result.output)[-1]
    assert "--from=builder /app /app" in runtime and "prune" not in result.output
    assert any(n.startswith("node-runtime:") and "no build context was given" in n and "--context DIR" in n
               for n in result.notes)


def test_a_context_without_package_json_asks_for_the_context(tmp_path):
    ctx = context(tmp_path, {"Dockerfile": NPM_TS})
    notes = [n for n in migrate(NPM_TS.replace("node:20-alpine", "node:20"), ctx).notes if n.startswith("node-runtime:")]
    assert notes and "has no package.json" in notes[0] and "--context DIR" in notes[0]


def test_a_start_file_outside_the_build_output_keeps_the_workdir(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}", "server.js": ""})
    result = migrate(NPM_TS.replace("dist/index.js", "server.js"), ctx)
    assert "--from=builder /app /app" in stages(result.output)[-1]
    assert any("server.js is not in a build output folder" in n for n in result.notes)


def test_a_run_after_the_copy_keeps_every_source(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}", "src/index.ts": ""})
    text = NPM_TS.replace("EXPOSE 3000", "EXPOSE 3000\nRUN node dist/migrate.js")
    result = migrate(text, ctx)
    assert "rm -rf" not in result.output
    assert any("runs after the copy" in n for n in result.notes)


NEXT = textwrap.dedent("""\
    FROM node:20-alpine
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    EXPOSE 8080
    CMD ["npm", "start"]
""")


def next_context(tmp_path, config: str) -> BuildContext:
    return context(tmp_path, {
        "package.json": package({"build": "next build", "start": "next start -p 8080"},
                                {"next": "14.2.3", "react": "18", "react-dom": "18"}, {"typescript": "5"}),
        "package-lock.json": "{}", "next.config.js": config, "public/favicon.ico": ""})


def test_next_standalone_is_an_unsafe_change_listed_by_default(tmp_path):
    ctx = next_context(tmp_path, "module.exports = { output: 'standalone' }\n")
    result = migrate(NEXT, ctx)
    runtime = stages(result.output)[-1]
    assert "--from=builder /app /app\n" in runtime and "ENV NODE_ENV=production" in runtime   # the safe part
    assert runtime.rstrip().endswith('CMD ["npm", "start"]')
    listed = [r for r in result.refusals if r.transform == "node-runtime" and r.unsafe_only]
    assert listed and "standalone" in listed[0].reason


def test_next_standalone_with_unsafe(tmp_path):
    ctx = next_context(tmp_path, "module.exports = { output: 'standalone' }\n")
    result = migrate(NEXT, ctx, unsafe=True)
    builder, runtime = stages(result.output)
    assert "prune" not in builder      # the standalone server carries the node_modules it traced
    assert "--from=builder /app/.next/standalone /app/" in runtime
    assert "--from=builder /app/.next/static /app/.next/static" in runtime
    assert "--from=builder /app/public /app/public" in runtime
    assert 'ENV PORT=8080 HOSTNAME="0.0.0.0"' in runtime     # the port `next start -p` named
    assert "--chown=10001:10001 --from=builder /app/.next/standalone" in runtime   # .next/cache writable
    assert runtime.rstrip().endswith('CMD ["node", "server.js"]')
    dockerfile.parse_string(result.output)


def test_next_without_standalone_deletes_only_typescript_pages(tmp_path):
    ctx = next_context(tmp_path, "module.exports = { reactStrictMode: true }\n")
    for rel in ("app/page.tsx", "components/nav.tsx", "content/post.md"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("")
    result = migrate(NEXT, ctx, unsafe=True)
    builder, runtime = stages(result.output)
    assert "server.js" not in result.output
    assert "RUN rm -rf app components node_modules/.cache" in builder     # content/ is read with fs, perhaps
    assert "--from=builder /app /app\n" in runtime
    assert runtime.rstrip().endswith('CMD ["npm", "start"]')


def test_ignoring_node_runtime_keeps_the_old_behaviour(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}"})
    result = migrate(NPM_TS, ctx, ignore=frozenset({"node-runtime"}))
    assert "AS builder" not in result.output and "prune" not in result.output


def test_readme_node_example_is_the_corpus_case():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8").split("### Node\n", 1)[1]
    blocks = readme.split("```dockerfile\n")
    case = root / "corpus" / "node-runtime-pnpm-alpine"
    assert blocks[1].split("```", 1)[0] == (case / "before.Dockerfile").read_text(encoding="utf-8")
    assert blocks[2].split("```", 1)[0] == (case / "after.Dockerfile").read_text(encoding="utf-8")


def test_next_standalone_alone_makes_the_split_pay_only_with_unsafe(tmp_path):
    # no devDependencies: the standalone server (an unsafe change) is all a split would gain
    ctx = context(tmp_path, {"package.json": package({"build": "next build", "start": "next start"},
                                                     {"next": "14.2.3", "react": "18", "react-dom": "18"}),
                             "package-lock.json": "{}", "next.config.js": "module.exports = {output: 'standalone'}\n"})
    text = NEXT.replace("EXPOSE 8080", "EXPOSE 3000")
    safe = migrate(text, ctx)
    assert "AS builder" not in safe.output
    assert any("standalone" in n and "--unsafe" in n for n in safe.notes)
    unsafe = migrate(text, ctx, unsafe=True)
    assert unsafe.output.rstrip().endswith('CMD ["node", "server.js"]')


def test_verify_takes_the_standalone_server_for_next_start():
    from migrator.verify.compare import EQUIVALENT, CHANGED, compare_config

    original = {"Cmd": ["npm", "start"], "Env": ["PATH=/usr/bin"]}
    standalone = {"Cmd": ["node", "server.js"], "Env": ["PATH=/usr/bin", "PORT=3000", "HOSTNAME=0.0.0.0"]}
    assert compare_config(original, standalone)[0].status == EQUIVALENT
    other = {"Cmd": ["node", "server.js"], "Env": ["PATH=/usr/bin"]}
    assert compare_config(original, other)[0].status == CHANGED


def test_corepack_stays_behind_unless_the_start_command_runs_pnpm(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
                             "ecosystem.json": "{}", "scripts/probe.js": "", "src/index.ts": ""})
    text = (NPM_TS.replace("package-lock.json", "pnpm-lock.yaml").replace("npm ci", "pnpm install")
            .replace("WORKDIR /app\n", "RUN corepack enable\nWORKDIR /app\n")
            .replace('CMD ["node", "dist/index.js"]',
                     'HEALTHCHECK CMD ["node", "scripts/probe.js"]\nCMD ["node", "dist/index.js", "ecosystem.json"]'))
    builder, runtime = stages(migrate(text, ctx).output)
    assert "--from=builder /app /app\n" in runtime and "RUN rm -rf src node_modules/.cache" in builder
    assert "corepack" not in runtime
    # a command that runs pnpm keeps corepack
    runtime = stages(migrate(text.replace('CMD ["node", "dist/index.js", "ecosystem.json"]',
                                          'CMD ["pnpm", "start"]'), ctx).output)[-1]
    assert "RUN corepack enable" in runtime


def test_next_dist_dir_and_workspaces_keep_next_start(tmp_path):
    ctx = next_context(tmp_path / "a", "module.exports = { output: 'standalone', distDir: 'build' }\n")
    result = migrate(NEXT, ctx, unsafe=True)
    assert "server.js" not in result.output
    assert any("distDir" in n for n in result.notes)
    ctx = next_context(tmp_path / "b", "module.exports = { output: 'standalone' }\n")
    (tmp_path / "b" / "pnpm-workspace.yaml").write_text("packages: ['packages/*']\n")
    result = migrate(NEXT, ctx, unsafe=True)
    assert "server.js" not in result.output
    assert any("workspace" in n for n in result.notes)


def test_node_runs_the_build_folder(tmp_path):
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}"})
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}", "src/index.ts": ""})
    builder = stages(migrate(NPM_TS.replace('"dist/index.js"', '"dist"'), ctx).output)[0]
    assert "rm -rf src node_modules/.cache" in builder


@pytest.mark.parametrize("cmd, server", [
    ('CMD ["npx", "next", "dev"]', "next dev (through npx)"),
    ('CMD ["npm", "run", "dev"]', "next dev (through the dev script of package.json)"),
])
def test_a_development_server_keeps_the_devdependencies_even_from_dependencies(tmp_path, cmd, server):
    # next is a dependency, but `next dev` compiles TypeScript with the devDependency at run time
    ctx = context(tmp_path, {"package.json": package({"build": "next build", "dev": "next dev"},
                                                     {"next": "14", "react": "18"}, {"typescript": "5"}),
                             "package-lock.json": "{}"})
    result = migrate(NEXT.replace("node:20-alpine", "node:20").replace('CMD ["npm", "start"]', cmd), ctx)
    assert "prune" not in result.output
    reasons = [r.reason for r in result.refusals if r.transform == "node-runtime"]
    assert reasons and f"`{server}`" in reasons[0]


def test_the_dev_target_keeps_the_sources_in_the_builder(tmp_path):
    # dev-target's development stage starts FROM the builder: a deleted src would break its dev server
    ctx = context(tmp_path, {"package.json": TS_PACKAGE, "package-lock.json": "{}", "src/index.ts": ""})
    result = migrate(NPM_TS.replace("node:20-alpine", "node:20"), ctx, extend_select=frozenset({"dev-target"}))
    assert "rm -rf src" not in result.output and "node_modules/.cache" not in result.output
    assert any("dev-target" in n and "must keep the sources" in n for n in result.notes)


# --- a dependency's download into root's HOME (review 6 F5: puppeteer >= 19) -----------------------

PUPPETEER = textwrap.dedent("""\
    FROM node:18
    WORKDIR /usr/src/app
    COPY package*.json ./
    RUN npm install
    COPY . .
    CMD ["node", "index.js"]
""")


@pytest.mark.parametrize("spec, major", [
    ("^19.2.2", 19), ("~18.1", 18), ("18.x", 18), ("v21", 21), ("19.0.0-rc.1", 19),
    (">=18", "newest"), ("latest", "newest"), ("*", "newest"), ("", "newest"),
    ("<20", None), (">=18 <20", None), ("^18 || ^21", None), ("github:puppeteer/puppeteer", None),
])
def test_installed_major_of_a_range(spec, major):
    from migrator.context.node import NEWEST, _installed_major
    assert _installed_major(spec) == (NEWEST if major == "newest" else major)


def test_puppeteer_download_is_copied_out_of_roots_home(tmp_path):
    ctx = context(tmp_path, {"package.json": package(deps={"puppeteer": "^19.2.2"}), "index.js": ""})
    result = migrate(PUPPETEER, ctx)
    builder, runtime = stages(result.output)
    assert "COPY --from=builder /root/.cache/puppeteer /opt/puppeteer/cache\n" in runtime
    assert "ENV PUPPETEER_CACHE_DIR=/opt/puppeteer/cache\n" in runtime
    assert "mkdir -p" not in builder   # ^19 provably downloads
    assert any("puppeteer ^19.2.2" in c.reason and "another HOME" in c.reason for c in node_changes(result))


@pytest.mark.parametrize("files, dockerfile", [
    ({"package.json": package(deps={"puppeteer": "^5.5.0"})}, PUPPETEER),          # node_modules/.local-chromium
    ({"package.json": package(deps={"puppeteer-core": "^21.0.0"})}, PUPPETEER),    # downloads nothing
    ({"package.json": package(deps={"puppeteer": "^21.0.0"})},
     PUPPETEER.replace("RUN npm install", "RUN npm install --ignore-scripts")),
    ({"package.json": package(deps={"puppeteer": "^21.0.0"})},
     PUPPETEER.replace("RUN npm install", "ENV PUPPETEER_SKIP_DOWNLOAD=true\nRUN npm install")),
    ({"package.json": package(deps={"puppeteer": "^21.0.0"})},
     PUPPETEER.replace("RUN npm install", "RUN PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm install")),
    ({"package.json": package(deps={"puppeteer": "^21.0.0"})},   # the cache is in the copied folder already
     PUPPETEER.replace("RUN npm install", "ENV PUPPETEER_CACHE_DIR=/usr/src/app/.cache/puppeteer\nRUN npm install")),
])
def test_no_puppeteer_copy_where_nothing_lands_in_roots_home(tmp_path, files, dockerfile):
    result = migrate(dockerfile, context(tmp_path, {**files, "index.js": ""}))
    assert "FROM node:18-slim" in result.output or "AS runtime" in result.output
    assert "/root/.cache/puppeteer" not in stages(result.output)[-1]
    assert "PUPPETEER_CACHE_DIR=/opt" not in result.output


def test_puppeteer_cache_dir_outside_the_app_is_copied_where_it_was(tmp_path):
    ctx = context(tmp_path, {"package.json": package(deps={"puppeteer": "^21.0.0"}), "index.js": ""})
    text = PUPPETEER.replace("RUN npm install", "ENV PUPPETEER_CACHE_DIR=/srv/chrome\nRUN npm install")
    runtime = stages(migrate(text, ctx).output)[-1]
    assert "COPY --from=builder /srv/chrome /opt/puppeteer/cache\n" in runtime


def test_puppeteer_config_file_or_npmrc_gives_a_note(tmp_path):
    for name, text in ((".puppeteerrc.cjs", "module.exports = {cacheDirectory: '/x'};\n"),
                       (".npmrc", "puppeteer_skip_download=true\n")):
        ctx = context(tmp_path / name, {"package.json": package(deps={"puppeteer": "^21.0.0"}), "index.js": "",
                                        name: text})
        result = migrate(PUPPETEER, ctx)
        assert "/root/.cache/puppeteer" not in result.output
        assert any(f"unless {name} moves or skips it" in n for n in result.notes)


def test_puppeteer_range_the_tool_cant_read_makes_the_folder_exist(tmp_path):
    ctx = context(tmp_path, {"package.json": package(deps={"puppeteer": ">=18 <22"}), "index.js": ""})
    builder, runtime = stages(migrate(PUPPETEER, ctx).output)
    assert "mkdir -p /root/.cache/puppeteer" in builder
    assert "COPY --from=builder /root/.cache/puppeteer /opt/puppeteer/cache\n" in runtime


PLAYWRIGHT = PUPPETEER.replace("RUN npm install", "RUN npm ci && npx playwright install --with-deps chromium")


def test_playwright_browsers_are_copied_even_without_a_context(tmp_path):
    ctx = context(tmp_path, {"package.json": package(deps={"playwright": "^1.44.0"}), "index.js": ""})
    for build_context in (ctx, None):
        result = migrate(PLAYWRIGHT, build_context)
        runtime = stages(result.output)[-1]
        assert "COPY --from=builder /root/.cache/ms-playwright /opt/playwright/cache\n" in runtime
        assert "ENV PLAYWRIGHT_BROWSERS_PATH=/opt/playwright/cache\n" in runtime
        assert any("runs `playwright install`" in c.reason for c in node_changes(result))


@pytest.mark.parametrize("before", [
    "ENV PLAYWRIGHT_BROWSERS_PATH=0\n",            # into node_modules: the project copy carries it
    "ENV PLAYWRIGHT_BROWSERS_PATH=/usr/src/app/ms-playwright\n",
])
def test_playwright_browsers_in_the_project_folder_stay_there(tmp_path, before):
    ctx = context(tmp_path, {"package.json": package(deps={"playwright": "^1.44.0"}), "index.js": ""})
    text = PLAYWRIGHT.replace("RUN npm ci", before + "RUN npm ci")
    result = migrate(text, ctx)
    assert "AS runtime" in result.output and "/opt/playwright" not in result.output


def test_a_package_glob_matching_nothing_in_the_context_says_so(tmp_path):
    """Review 6 nit (udop1/geckobot): `COPY package*.json ./` exists, the
    context lacks package.json: the note names the glob, not a missing COPY."""
    text = "FROM node:18\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"
    result = migrate(text, context(tmp_path, {"server.js": ""}))
    note = next(n for n in result.notes if n.startswith("node-runtime:"))
    assert "has no file matching package*.json, which line 3 copies into /app" in note
    assert "--context DIR names the folder" in note and "no COPY of the builder" not in note
    # only a lockfile glob, which can't name package.json: the old note stays
    result = migrate(text.replace("package*.json", "yarn*.lock"), context(tmp_path, {"server.js": ""}))
    assert any("no COPY of the builder shows" in n for n in result.notes)


def test_an_image_that_installs_puppeteer_itself_keeps_root(tmp_path):
    """No split (node:18-alpine, nothing to gain): the image's own npm
    install puts Chrome in /root/.cache/puppeteer, so non-root-user keeps
    root (a user with another HOME would not find it); not when an ENV moves
    the download out of root's home."""
    ctx = context(tmp_path, {"package.json": package(deps={"puppeteer": "^21.0.0"}), "index.js": ""})
    text = PUPPETEER.replace("node:18", "node:18-alpine")
    result = migrate(text, ctx)
    assert "USER" not in result.output
    assert any(r.transform == "non-root-user" and "/root/.cache/puppeteer" in r.reason for r in result.refusals)
    moved = migrate(text.replace("RUN npm install", "ENV PUPPETEER_CACHE_DIR=/app/.cache/puppeteer\nRUN npm install"),
                    ctx)
    assert "USER 10001" in moved.output


def test_the_npm_lockfile_decides_an_open_range(tmp_path):
    """`>=18` would take the newest puppeteer, but package-lock.json pins
    18.2.1 (< 19: node_modules/puppeteer/.local-chromium): nothing copied."""
    lock = json.dumps({"lockfileVersion": 3, "packages": {"node_modules/puppeteer": {"version": "18.2.1"}}})
    ctx = context(tmp_path, {"package.json": package(deps={"puppeteer": ">=18"}), "package-lock.json": lock,
                             "index.js": ""})
    assert "/root/.cache/puppeteer" not in migrate(PUPPETEER, ctx).output
    lock = json.dumps({"lockfileVersion": 1, "dependencies": {"puppeteer": {"version": "22.0.0"}}})
    ctx = context(tmp_path / "v1", {"package.json": package(deps={"puppeteer": "<23"}), "package-lock.json": lock,
                                    "index.js": ""})
    builder, runtime = stages(migrate(PUPPETEER, ctx).output)
    assert "COPY --from=builder /root/.cache/puppeteer /opt/puppeteer/cache\n" in runtime
    assert "mkdir -p" not in builder   # the lockfile made it sure

"""frontend-stage: a Python image's Node frontend build moves to a Node stage.

The output folder readers (migrator/context/frontend.py) for each config
style, the refusals where it can't be known, the Node version, and Node kept
where the app runs it.
"""

from __future__ import annotations

import json

import dockerfile
import pytest

from migrator.context import BuildContext
from migrator.context.frontend import build_output, frontend_data
from migrator.engine import migrate_text
from migrator.options import Options
from contexts import context


def package(build: str, **extra) -> str:
    return json.dumps({"name": "f", "private": True, "scripts": {"build": build}, **extra})


# --- the output folder, from the build context --------------------------------------------

@pytest.mark.parametrize("config, text, expected", [
    ("vite.config.js", "export default { build: { outDir: '../static/vue' } }\n", "../static/vue"),
    ("vite.config.mjs", "import { defineConfig } from 'vite'\nconst OUT = `../static/app`\n"
                        "export default defineConfig({ plugins: [], build: { outDir: OUT } })\n", "../static/app"),
    ("vite.config.ts", "import { fileURLToPath, URL } from 'node:url'\nimport { defineConfig } from 'vite'\n"
                       "export default defineConfig(({ mode }) => {\n  const unused = mode\n  return {\n"
                       "    build: { outDir: fileURLToPath(new URL('../backend/static/vue', import.meta.url)) },\n"
                       "  }\n})\n", "../backend/static/vue"),
    ("vite.config.ts", "import path from 'path'\nexport default { root: 'src', build: { outDir: '../../public' } }\n",
     "../public"),                      # build.outDir is relative to root
    ("vite.config.js", "import { resolve } from 'path'\n"
                       "export default { build: { outDir: resolve(__dirname, 'build', 'spa') } }\n", "build/spa"),
    ("vite.config.js", "export default { plugins: [] }\n", "dist"),      # vite's default
])
def test_vite_build_outdir(tmp_path, config, text, expected):
    ctx = context(tmp_path, {"frontend/package.json": package("vite build"), f"frontend/{config}": text})
    out = build_output(ctx, "frontend")
    assert out.problem is None, out.problem
    assert out.folder == expected
    assert config in out.source or "default" in out.source


def test_vue_cli_output_dir(tmp_path):
    ctx = context(tmp_path, {
        "client/package.json": package("vue-cli-service build"),
        "client/vue.config.js": "const path = require('path')\nconst { defineConfig } = require('@vue/cli-service')\n"
                                "module.exports = defineConfig({\n  outputDir: path.resolve(__dirname, '../site/static'),\n})\n",
    })
    out = build_output(ctx, "client")
    assert (out.folder, out.source) == ("../site/static", "outputDir in client/vue.config.js")


def test_webpack_output_path_through_a_const(tmp_path):
    ctx = context(tmp_path, {
        "assets/package.json": package("webpack --mode production"),
        "assets/webpack.config.js": "const path = require('path');\nconst out = path.join(__dirname, 'public', 'js');\n"
                                    "module.exports = { entry: './src/index.js', output: { path: out } };\n",
    })
    assert build_output(ctx, "assets").folder == "public/js"


@pytest.mark.parametrize("script, extra, expected", [
    ("vite build --outDir ../www", (), "../www"),
    ("tsc --noEmit && vite build --outDir=../www", (), "../www"),
    ("webpack -o ./bundle", (), "bundle"),
    ("vite build", ("--outDir", "out"), "out"),                   # npm run build -- --outDir out
])
def test_output_option_on_the_command_line(tmp_path, script, extra, expected):
    ctx = context(tmp_path, {"package.json": package(script),
                             "vite.config.js": "export default { build: { outDir: 'ignored' } }\n"})
    assert build_output(ctx, ".", "build", extra).folder == expected


def test_scripts_that_run_other_scripts_are_followed(tmp_path):
    pkg = json.dumps({"scripts": {"build": 'run-p type-check "build-only {@}" --', "build-only": "vite build",
                                  "type-check": "vue-tsc --build", "build:prod": "npm run build-only -- --mode production"}})
    ctx = context(tmp_path, {"package.json": pkg, "vite.config.js": "export default { build: { outDir: 'web' } }\n"})
    assert build_output(ctx, ".").folder == "web"
    assert build_output(ctx, ".", "build:prod").folder == "web"


@pytest.mark.parametrize("files, clause", [
    ({"vite.config.js": "export default { build: { outDir: process.env.OUT || 'dist' } }\n"},
     "`process.env.OUT || 'dist'`, which the tool can't evaluate"),
    ({"vite.config.js": "export default ({ mode }) => ({ build: { outDir: mode === 'prod' ? 'a' : 'b' } })\n"},
     "which the tool can't evaluate"),
    ({"vite.config.js": "import base from './base.js'\nexport default { ...base, plugins: [] }\n"},
     "spreads another one"),
    ({"vite.config.js": "import cfg from './cfg.js'\nexport default cfg\n"}, "not a top-level const"),
    ({"vite.config.js": "export default { build: { outDir: `${process.cwd()}/x` } }\n"}, "template string"),
])
def test_an_output_folder_the_reader_cannot_know_is_a_problem(tmp_path, files, clause):
    ctx = context(tmp_path, {"package.json": package("vite build"), **files})
    out = build_output(ctx, ".")
    assert out.folder is None and clause in out.problem


def test_unknown_bundler_and_missing_package_json(tmp_path):
    ctx = context(tmp_path, {"package.json": package("next build")})
    assert "runs no bundler the tool knows" in build_output(ctx, ".").problem
    assert "missing from the build context" in build_output(ctx, "nope").problem
    assert "has no `build:x` script" in build_output(ctx, ".", "build:x").problem


# --- the transform ---------------------------------------------------------------------------

SEED = """\
FROM python:3.12-slim-bookworm
ENV PYTHONUNBUFFERED=1 VITE_API=/api
# Node only builds the frontend
RUN apt-get update && apt-get install -y --no-install-recommends \\
        nodejs \\
        npm \\
        gcc \\
        libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@8 && pip install --no-cache-dir uv
WORKDIR /app
COPY frontend/package.json frontend/pnpm-lock.yaml ./frontend/
RUN cd frontend && pnpm install --frozen-lockfile
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN cd frontend && pnpm run build -- --mode production
CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]
"""

SEED_FILES = {
    "frontend/package.json": package("vite build", packageManager="pnpm@8.15.9"),
    "frontend/pnpm-lock.yaml": "lockfileVersion: '6.0'\n",
    "frontend/vite.config.js": "export default { build: { outDir: '../site/static/vue' } }\n",
    "requirements.txt": "django\npsycopg2\n",
}


def migrate(text: str, ctx: BuildContext | None, **options):
    return migrate_text(text, Options(context=ctx, **options))


def stages(text: str) -> list[list]:
    """Each stage's instructions, from BuildKit's parser."""
    out: list[list] = []
    for cmd in dockerfile.parse_string(text):
        if cmd.cmd.upper() == "FROM":
            out.append([])
        out[-1].append(cmd)
    return out


def frontend_refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "frontend-stage"]


def test_the_build_moves_to_a_node_stage_and_only_its_output_reaches_the_image(tmp_path):
    result = migrate(SEED, context(tmp_path, SEED_FILES))
    assert result.status.value == "migrated" and not frontend_refusals(result)
    first, *python = stages(result.output)
    assert first[0].value == ("node:18-bookworm-slim", "AS", "frontend")       # Debian bookworm's nodejs is 18
    frontend = [(c.cmd.upper(), " ".join(c.value)) for c in first[1:]]
    assert frontend == [
        ("ENV", "VITE_API /api"),                     # the variables the build reads, not PYTHONUNBUFFERED
        ("WORKDIR", "/app/frontend"),
        ("RUN", "corepack enable"),                   # packageManager pins pnpm
        ("COPY", "frontend/package.json frontend/pnpm-lock.yaml ./"),
        ("RUN", "pnpm install --frozen-lockfile"),
        ("COPY", "frontend/ ./"),                     # its own folder: nothing of it reaches outside
        ("RUN", "pnpm run build -- --mode production"),
    ]
    final = python[-1]
    text = " ".join(c.original for c in final)
    assert "--from=frontend" in text and "/app/site/static/vue /app/site/static/vue" in text
    for gone in ("nodejs", "npm", "pnpm", "frontend/package.json"):
        assert gone not in " ".join(c.original for stage in python for c in stage), gone
    assert "# Node only builds the frontend" not in result.output.split("AS frontend")[1] or "gcc" in result.output
    [change] = [c for c in result.changes if c.transform == "frontend-stage"]
    assert "/app/site/static/vue (build.outDir in frontend/vite.config.js)" in change.reason
    assert "Node 18: the Debian bookworm nodejs that line 4 installs" in change.reason


def test_the_python_stages_are_still_split_after_the_frontend_stage(tmp_path):
    result = migrate(SEED, context(tmp_path, SEED_FILES))
    names = [s[0].value[2] for s in stages(result.output) if len(s[0].value) == 3]
    assert names == ["frontend", "builder", "runtime"]
    assert {c.transform for c in result.changes} >= {"frontend-stage", "venv", "split-stages", "build-deps"}


def test_a_pinned_package_manager_without_packagemanager_is_installed_the_same_way(tmp_path):
    files = dict(SEED_FILES, **{"frontend/package.json": package("vite build")})
    result = migrate(SEED, context(tmp_path, files))
    first = stages(result.output)[0]
    runs = [" ".join(c.value) for c in first if c.cmd.upper() == "RUN"]
    assert runs[0] == "npm install -g pnpm@8"     # corepack would pick a pnpm of its own


def test_without_a_build_context_it_refuses_and_node_stays(tmp_path):
    result = migrate(SEED, None)
    [reason] = frontend_refusals(result)
    assert reason.startswith("line 17 builds a frontend") and "--context" in reason
    assert "AS frontend" not in result.output and "nodejs" in result.output


def test_an_output_folder_it_cannot_know_is_refused_with_the_expression(tmp_path):
    files = dict(SEED_FILES, **{"frontend/vite.config.js": "export default { build: { outDir: getOut() } }\n"})
    result = migrate(SEED, context(tmp_path, files))
    [reason] = frontend_refusals(result)
    assert "`getOut()`" in reason and "frontend/vite.config.js" in reason
    assert "AS frontend" not in result.output and "nodejs" in result.output


def test_an_output_folder_that_holds_the_sources_is_refused(tmp_path):
    files = dict(SEED_FILES, **{"frontend/vite.config.js": "export default { build: { outDir: '..' } }\n"})
    [reason] = frontend_refusals(migrate(SEED, context(tmp_path, files)))
    assert "writes /app (" in reason and "sources" in reason


@pytest.mark.parametrize("start", [
    'CMD ["node", "frontend/server.js"]',
    'CMD ["sh", "-c", "npx concurrently gunicorn node"]',
    "HEALTHCHECK CMD node healthcheck.js",
])
def test_node_the_app_runs_keeps_the_build_in_the_image_with_the_reason(tmp_path, start):
    # Node and node_modules stay for what the app runs: a frontend stage would save nothing
    text = SEED.replace('CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]', start)
    result = migrate(text, context(tmp_path, SEED_FILES))
    [note] = [n for n in result.notes if n.startswith("frontend-stage:")]
    assert note.startswith("frontend-stage: no frontend stage: line 18") and "save nothing" in note, note
    assert "AS frontend" not in result.output and not frontend_refusals(result)
    assert "nodejs" in result.output and "pnpm install --frozen-lockfile" in result.output
    assert "pnpm run build -- --mode production" in result.output


@pytest.mark.parametrize("start, files, why", [
    ('CMD ["node", "frontend/ssr.mjs"]', {"frontend/ssr.mjs": "import express from 'express'\n"},
     "frontend/ssr.mjs loads express"),
    ('CMD ["node", "frontend/ssr.mjs"]', {"frontend/ssr.mjs": "import { render } from './render.js'\n"},
     "frontend/ssr.mjs loads ./render.js"),
    ("HEALTHCHECK CMD node -e \"require(process.env.CHECK)\"", {}, "loads a module it computes"),
    ('CMD ["node", "--require", "dotenv/config", "-e", "1"]', {}, "preloads a module (--require)"),
    ('CMD ["npm", "run", "serve"]', {}, "npm works with the installed packages"),
    ('CMD ["sh", "-c", "exec node frontend/ssr.mjs"]', {"frontend/ssr.mjs": "require('vue')\n"},
     "frontend/ssr.mjs loads vue"),
    ("CMD env NODE_OPTIONS=--require=./trace.js node -e 1", {}, "sets NODE_OPTIONS or NODE_PATH"),
])
def test_a_node_call_that_loads_packages_keeps_node_modules_and_no_stage_is_made(tmp_path, start, files, why):
    text = SEED.replace('CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]', start)
    result = migrate(text, context(tmp_path, dict(SEED_FILES, **files)))
    [note] = [n for n in result.notes if n.startswith("frontend-stage:")]
    assert "no frontend stage" in note and why in note, note
    assert "AS frontend" not in result.output


@pytest.mark.parametrize("start, files", [
    ("HEALTHCHECK CMD node -e \"require('http').get('http://localhost:8000/', r => process.exit(r.statusCode "
     "== 200 ? 0 : 1))\"", {}),
    ('CMD ["node", "frontend/ssr.mjs"]', {"frontend/ssr.mjs": "import fs from 'node:fs'\nimport { join } from "
                                                              "'path'\nconst z = require('zlib')\n"}),
])
def test_node_alone_at_run_time_keeps_the_stage_and_node_modules_leaves(tmp_path, start, files):
    text = SEED.replace('CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]', start)
    result = migrate(text, context(tmp_path, dict(SEED_FILES, **files)))
    assert not [n for n in result.notes if n.startswith("frontend-stage:")]
    [fix] = [c for c in result.changes if c.transform == "frontend-stage"]
    assert "node_modules (line 13: `pnpm install --frozen-lockfile`) and pnpm@8 (line 10) leave the image, " \
        "Node.js stays: line 18" in fix.reason and "only Node's built-in modules" in fix.reason, fix.reason
    python = result.output.split("AS frontend", 1)[1].split("FROM python", 1)[1]
    assert "nodejs" in python and "pnpm install" not in python and "frontend/package.json" not in python
    assert "pnpm@8" not in python and "pip install --no-cache-dir uv" in python   # only what served the install
    assert "--from=frontend /app/site/static/vue" in python


def test_a_runtime_run_of_node_keeps_it(tmp_path):
    text = SEED.replace("CMD [", "RUN node frontend/prerender.js\nCMD [")
    result = migrate(text, context(tmp_path, SEED_FILES))
    assert any("line 18 runs node" in n for n in result.notes)


@pytest.mark.parametrize("node_line, files, major", [
    ("RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs", {}, 20),
    ("COPY --from=node:hydrogen-slim /usr/local/bin/node /usr/local/bin/node", {}, 18),
    ("COPY --from=node:lts-slim /usr/local/bin/node /usr/local/bin/node",
     {"package.json": package("vite build", engines={"node": "^22.11"})}, 22),
    ("COPY --from=node:lts-slim /usr/local/bin/node /usr/local/bin/node", {".nvmrc": "lts/iron\n"}, 20),
    ("COPY --from=node /usr/local/bin/node /usr/local/bin/node", {}, None),     # the current LTS
])
def test_node_major(tmp_path, node_line, files, major):
    text = f"FROM python:3.12-slim\n{node_line}\nWORKDIR /app\nCOPY . .\nRUN cd web && npm ci && npm run build\n" \
           "CMD [\"python\", \"app.py\"]\n"
    base = {"web/package.json": package("vite build"), "web/package-lock.json": "{}"}
    base.update({f"web/{k}": v for k, v in files.items()})
    result = migrate(text, context(tmp_path, base))
    expected = major or frontend_data()["node_lts"]["major"]
    assert stages(result.output)[0][0].value[0] == f"node:{expected}-bookworm-slim"
    first = [" ".join(c.value) for c in stages(result.output)[0]]
    assert "npm ci" in first and "npm run build" in first


def test_corepack_is_installed_first_where_node_no_longer_ships_it(tmp_path):
    text = ("FROM python:3.12-slim\nCOPY --from=node:26-slim /usr/local/bin/node /usr/local/bin/node\nWORKDIR /app\n"
            "COPY . .\nRUN cd web && yarn install && yarn build\nCMD [\"python\", \"app.py\"]\n")
    result = migrate(text, context(tmp_path, {"web/package.json": package("vite build"), "web/yarn.lock": ""}))
    runs = [" ".join(c.value) for c in stages(result.output)[0] if c.cmd.upper() == "RUN"]
    assert runs[0] == "npm install -g corepack && corepack enable"
    assert runs[1] == "yarn install"              # the original's own install command


def test_files_without_node_or_without_a_frontend_build_are_left_to_the_other_transforms(tmp_path):
    ctx = context(tmp_path, SEED_FILES)
    no_build = SEED.replace("RUN cd frontend && pnpm run build -- --mode production\n", "")
    assert "AS frontend" not in migrate(no_build, ctx).output
    node_image = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/main.js\"]\n"
    assert "AS frontend" not in migrate(node_image, ctx).output


def test_off_with_ignore_and_a_second_run_changes_nothing(tmp_path):
    ctx = context(tmp_path, SEED_FILES)
    assert "AS frontend" not in migrate(SEED, ctx, ignore=frozenset({"frontend-stage"})).output
    first = migrate(SEED, ctx)
    assert migrate(first.output, ctx).output == first.output


def test_nodesource_repository_lines_leave_with_the_update_they_needed(tmp_path):
    text = ("FROM python:3.12-slim\n"
            "RUN apt-get update && apt-get install -y ca-certificates curl gnupg \\\n"
            "    && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key | gpg --dearmor -o /k.gpg \\\n"
            "    && echo \"deb [signed-by=/k.gpg] https://deb.nodesource.com/node_22.x nodistro main\" > /etc/apt/n.list \\\n"
            "    && apt-get update && apt-get install nodejs -y \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n"
            "WORKDIR /app\nCOPY . .\nWORKDIR frontend\nRUN npm install && npm run build\nWORKDIR /app\n"
            "CMD [\"python\", \"app.py\"]\n")
    result = migrate(text, context(tmp_path, {"frontend/package.json": package("vite build")}))
    first, python = stages(result.output)
    assert first[0].value[0] == "node:22-bookworm-slim"
    assert [" ".join(c.value) for c in first if c.cmd.upper() == "RUN"] == ["npm install", "npm run build"]
    [apt] = [c for c in python if c.cmd.upper() == "RUN"][:1]
    assert apt.value[0].split() == ("apt-get update && apt-get install -y ca-certificates curl gnupg "
                                    "&& rm -rf /var/lib/apt/lists/*").split()


def test_a_start_script_that_calls_node_keeps_it(tmp_path):
    text = SEED.replace('CMD ["gunicorn", "site.wsgi", "--bind", "0.0.0.0:8000"]', 'CMD ["./start.sh"]')
    files = dict(SEED_FILES, **{"start.sh": "#!/bin/sh\nset -e\nnode frontend/ssr.mjs &\nexec gunicorn site.wsgi\n"})
    result = migrate(text, context(tmp_path, files))
    assert any("line 18: CMD runs ./start.sh, which calls node (./start.sh:3)" in n for n in result.notes)
    files["start.sh"] = "#!/bin/sh\nexec gunicorn site.wsgi\n"
    result = migrate(text, context(tmp_path, files))
    assert not [n for n in result.notes if n.startswith("frontend-stage")]
    assert "nodejs" not in result.output.split("AS frontend", 1)[1]


def test_yarn_installed_with_npm_comes_from_corepack(tmp_path):
    text = ("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y nodejs npm && npm install -g yarn\n"
            "WORKDIR /app\nCOPY . .\nRUN cd web && yarn && yarn build\nCMD [\"python\", \"app.py\"]\n")
    result = migrate(text, context(tmp_path, {"web/package.json": package("vite build"), "web/yarn.lock": ""}))
    runs = [" ".join(c.value) for c in stages(result.output)[0] if c.cmd.upper() == "RUN"]
    assert runs == ["corepack enable", "yarn", "yarn build"]
    assert "npm" not in result.output.split("AS frontend", 1)[1].split("FROM", 1)[1]


# --- a later RUN that runs Node through a script, a Makefile or a tool (review 3, D1) -----------

LATER = SEED.replace("CMD [", "RUN {later}\nCMD [")


def test_a_later_run_of_node_behind_a_wrapper_keeps_it(tmp_path):
    result = migrate(LATER.format(later="env LANG=C.UTF-8 nohup node -e \"require('fs')\""),
                     context(tmp_path, SEED_FILES))
    [fix] = [c for c in result.changes if c.transform == "frontend-stage"]
    assert "Node.js stays: line 18 runs node, which loads only Node's built-in modules" in fix.reason, fix.reason
    assert "nodejs" in result.output.split("AS frontend", 1)[1].split("FROM python", 1)[1]


def test_a_later_script_running_node_alone_keeps_the_stage(tmp_path):
    files = {"scripts/post_build.sh": "#!/bin/sh\nset -e\n# with node\nnode -e 'x'\n"}
    result = migrate(LATER.format(later="sh scripts/post_build.sh"), context(tmp_path, dict(SEED_FILES, **files)))
    [fix] = [c for c in result.changes if c.transform == "frontend-stage"]
    assert "Node.js stays: line 18 runs scripts/post_build.sh, which runs node (scripts/post_build.sh:4)" in fix.reason
    python = result.output.split("AS frontend", 1)[1].split("FROM python", 1)[1]
    assert "nodejs" in python and "pnpm install" not in python
    # the same script running the package's code keeps everything, with no stage
    files["scripts/post_build.sh"] += "node frontend/node_modules/.bin/vite --version\n"
    result = migrate(LATER.format(later="sh scripts/post_build.sh"), context(tmp_path, dict(SEED_FILES, **files)))
    assert "AS frontend" not in result.output
    assert any("no frontend stage: line 18 runs scripts/post_build.sh" in n for n in result.notes)


@pytest.mark.parametrize("later, files, says", [
    ("./scripts/post.sh", {"scripts/post.sh": "#!/bin/sh\nif true; then out=$(npx terser --version); fi\n"},
     "which runs npx (./scripts/post.sh:2)"),
    ("bash -c 'cd frontend && yarn lint'", {}, "line 18 runs the `-c` script, which runs yarn"),
    ("sh scripts/a.sh", {"scripts/a.sh": "sh scripts/b.sh\n", "scripts/b.sh": "echo\npnpm run x\n"},
     "scripts/a.sh, which runs scripts/b.sh, which runs pnpm (scripts/b.sh:2)"),
    ("make assets", {"Makefile": "assets:\n\t@echo go\n\tcd frontend && npm run postbuild\n"},
     "line 18 runs make, whose Makefile recipe runs npm (Makefile:3)"),
    ("python manage.py tailwind build", {}, "`python manage.py tailwind build`, which runs npm (django-tailwind"),
])
def test_a_later_run_that_runs_node_keeps_it(tmp_path, later, files, says):
    result = migrate(LATER.format(later=later), context(tmp_path, dict(SEED_FILES, **files)))
    assert not frontend_refusals(result)
    [note] = [n for n in result.notes if n.startswith("frontend-stage:")]
    assert note.startswith("frontend-stage: no frontend stage: ") and says in note, note
    assert "AS frontend" not in result.output and "nodejs" in result.output


@pytest.mark.parametrize("later, files, says", [
    ("sh scripts/post_build.sh", {}, "line 18 runs `sh scripts/post_build.sh`: scripts/post_build.sh is not in "
                                     "the build context"),
    ("make assets", {}, "line 18 runs `make assets`: its Makefile is not in the build context"),
    ("sh scripts/a.sh", {"scripts/a.sh": "./missing.sh\n"}, "./missing.sh is not in the build context"),
])
def test_a_later_run_it_cannot_read_is_refused_with_the_line(tmp_path, later, files, says):
    result = migrate(LATER.format(later=later), context(tmp_path, dict(SEED_FILES, **files)))
    [reason] = frontend_refusals(result)
    assert says in reason and "Node.js" in reason, reason
    assert "AS frontend" not in result.output and "nodejs" in result.output


@pytest.mark.parametrize("later, files", [
    ("sh scripts/post_build.sh", {"scripts/post_build.sh": "#!/bin/sh\necho node npm\npython manage.py check\n"}),
    ("make assets", {"Makefile": "# npm\nassets:\n\tpython manage.py collectstatic --noinput\n"}),
    ("python manage.py collectstatic --noinput", {}),
])
def test_a_later_run_that_does_not_run_node_lets_it_go(tmp_path, later, files):
    result = migrate(LATER.format(later=later), context(tmp_path, dict(SEED_FILES, **files)))
    assert not frontend_refusals(result) and not [n for n in result.notes if n.startswith("frontend-stage:")]
    assert "nodejs" not in result.output.split("AS frontend", 1)[1]


def test_a_script_run_before_node_is_installed_is_not_read(tmp_path):
    text = SEED.replace("ENV PYTHONUNBUFFERED=1", "RUN sh /opt/unknown.sh\nENV PYTHONUNBUFFERED=1")
    result = migrate(text, context(tmp_path, SEED_FILES))
    assert not frontend_refusals(result) and "AS frontend" in result.output


# --- the frontend stage copies its own folder when nothing reaches out of it (review 3, D9) ----------

def test_the_stage_copies_only_the_frontend_folder_and_says_so(tmp_path):
    result = migrate(SEED, context(tmp_path, dict(SEED_FILES, **{
        "frontend/src/main.js": "import App from './App.vue'\nimport '../index.css'\n",
        "frontend/index.css": "body { background: url(./img/bg.png) }\n",
        "site/views.py": "x = 1\n"})))
    first = stages(result.output)[0]
    copies = [" ".join(c.value) for c in first if c.cmd.upper() == "COPY"]
    assert copies[-1] == "frontend/ ./"
    [change] = [c for c in result.changes if c.transform == "frontend-stage"]
    assert "copies only frontend/, not all that line 16 copies" in change.reason


@pytest.mark.parametrize("files, why", [
    ({"frontend/vite.config.js": "import { defineConfig } from 'vite'\nimport { x } from '../shared/theme.js'\n"
                                 "export default defineConfig({ build: { outDir: '../site/static/vue' } })\n"},
     "frontend/vite.config.js names ../shared/theme.js (line 2)"),
    ({"frontend/src/App.vue": "<script>\nimport api from '../../shared/api'\n</script>\n"},
     "frontend/src/App.vue names ../../shared/api (line 2)"),
    ({"frontend/tailwind.config.js": "module.exports = { content: ['../templates/**/*.html', './src/**/*.vue'] }\n"},
     "frontend/tailwind.config.js names ../templates/**/*.html (line 1)"),
    ({"frontend/webpack.alias.js": "const path = require('path')\n"
                                   "module.exports = { shared: path.resolve(__dirname, '..', 'shared') }\n"},
     "frontend/webpack.alias.js names shared (line 2)"),
    ({"tsconfig.json": "{}"}, "tsconfig.json, which Node tools look up from frontend, sits outside it"),
    ({"frontend/tsconfig.json": '{"extends": "../tsconfig.base.json"}'}, "names ../tsconfig.base.json"),
    ({"frontend/package.json": package("vite build", dependencies={"ui": "file:../ui"})},
     "depends on ui from file:../ui"),
    ({"frontend/package.json": package("vite build && cp robots.txt ../site/static/vue/")}, None),   # into the output
    ({"frontend/package.json": package("vite build && cp ../robots.txt dist/")},
     "the `build` script of frontend/package.json names ../robots.txt"),
])
def test_a_build_that_reads_outside_its_folder_keeps_the_whole_copy(tmp_path, files, why):
    result = migrate(SEED, context(tmp_path, dict(SEED_FILES, **files)))
    first = stages(result.output)[0]
    copies = [" ".join(c.value) for c in first if c.cmd.upper() == "COPY"]
    [change] = [c for c in result.changes if c.transform == "frontend-stage"]
    if why is None:
        assert copies[-1] == "frontend/ ./" and "copies only frontend/" in change.reason
        return
    assert copies[-1] == ". /app/"
    assert "the stage copies what line 16 copies, not only frontend/: " in change.reason
    assert why in change.reason, change.reason


def test_outputs_named_through_path_calls_are_not_inputs(tmp_path):
    from migrator.context.frontend import outside_reads

    ctx = context(tmp_path, {
        "assets/package.json": package("webpack"),
        "assets/webpack.config.js": "const path = require('path')\nconst OUT = path.resolve(__dirname, '..', 'web', "
                                    "'static')\nmodule.exports = { output: { path: OUT }, resolve: "
                                    "{ alias: { a: path.resolve(__dirname, 'src') } } }\n"})
    assert outside_reads(ctx, "assets", "web/static").inside
    assert not outside_reads(ctx, "assets", "web/other").inside
    assert not outside_reads(ctx, ".", "dist").inside          # the frontend folder is the whole context

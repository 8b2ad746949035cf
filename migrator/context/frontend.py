"""Where a frontend build writes: its output folder, read from the build context.

A Python image that builds its frontend with Node (``cd frontend && npm run
build``) only needs the build's output at run time. Which folder that is,
the Dockerfile does not say: the project's files do. This module reads them
through a :class:`~migrator.context.BuildContext` (bounded reads, a missing
or unreadable file is an answer, never an exception):

1. ``package.json``'s script (``scripts.build``), parsed with the shell
   grammar of :mod:`migrator.model.shell`; a script that runs other scripts
   (``npm run build-only``, ``run-p type-check "build-only {@}"``) is
   followed. The last command that is a known bundler decides.
2. That bundler's output option on its command line, or in the arguments
   the Dockerfile passes after ``--`` (``vite build --outDir ../static``,
   ``vue-cli-service build --dest``, ``webpack --output-path``).
3. Else its configuration file, read with the tree-sitter JavaScript and
   TypeScript grammars: vite's ``build.outDir`` (and ``root``) in
   ``vite.config.{js,mjs,cjs,ts,mts,cts}``, ``outputDir`` in
   ``vue.config.js``, webpack's ``output.path``. The exported object is
   found behind ``export default``, ``module.exports =``, ``defineConfig(...)``,
   an arrow function or function returning it, and top-level ``const``
   names; a value is a string, a template without substitutions, a
   ``const``, ``path.resolve(__dirname, ...)``/``path.join(...)`` or
   ``fileURLToPath(new URL('...', import.meta.url))``.
4. Else the bundler's default (``dist``; react-scripts: ``build``).

The bundlers, their configuration files, options and defaults are data
(``migrator/data/frontend.json``, ``bundlers``, with their documentation
pages). Anything else (an expression the reader can't evaluate, a ternary
on the mode, a spread object that may hold the key, an unknown bundler)
gives a problem naming it: the caller refuses rather than guess.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from migrator.context import BuildContext

MAX_SCRIPT_DEPTH = 4
"""How many scripts deep ``npm run X`` inside a script is followed."""


@dataclass(frozen=True)
class BuildOutput:
    """The output folder of a frontend build.

    Attributes:
        folder: the folder, relative to the package folder (the one holding
            ``package.json``, where the script runs; may start with ``../``)
            or absolute (an absolute path in the config), POSIX, normalised;
            None when it can't be known.
        source: where it was read, for reasons (``build.outDir in
            frontend/vite.config.ts``, ``vite's default``).
        problem: why it can't be known (one clause), or None.
    """

    folder: str | None
    source: str
    problem: str | None = None


@lru_cache(maxsize=1)
def frontend_data() -> dict:
    """The curated facts of ``migrator/data/frontend.json``."""
    from migrator.analysis.packages import read_data

    return json.loads(read_data("frontend.json"))


def read_package_json(ctx: BuildContext, package_dir: str) -> dict | None:
    """``package.json`` of ``package_dir`` (context-relative) as a dict, or
    None when missing, unreadable or not a JSON object."""
    text = ctx.read_text(posixpath.join(package_dir, "package.json"))
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def build_output(ctx: BuildContext, package_dir: str, script: str = "build",
                 extra_args: tuple[str, ...] = ()) -> BuildOutput:
    """Where ``npm run <script>`` in ``package_dir`` writes.

    Args:
        ctx: the build context.
        package_dir: the folder of ``package.json``, relative to the context
            (``"frontend"``, ``"."``).
        script: the package.json script the Dockerfile runs.
        extra_args: arguments the Dockerfile passes to the script (those
            after ``--`` in ``npm run build -- --mode production``).
    Returns:
        a :class:`BuildOutput`; never raises for the content of the context.
    """
    where = _rel(package_dir, "package.json")
    pkg = read_package_json(ctx, package_dir)
    if pkg is None:
        return BuildOutput(None, where, f"{where} is missing from the build context or is not a JSON object")
    return _script_output(ctx, package_dir, pkg, script, tuple(extra_args), 0)


def _rel(package_dir: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(package_dir, name))


def _script_output(ctx, package_dir, pkg, script, extra, depth) -> BuildOutput:
    where = _rel(package_dir, "package.json")
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    text = scripts.get(script)
    if not isinstance(text, str):
        return BuildOutput(None, where, f"{where} has no `{script}` script")
    if depth > MAX_SCRIPT_DEPTH:
        return BuildOutput(None, where, f"the `{script}` script of {where} runs scripts more than "
                                        f"{MAX_SCRIPT_DEPTH} deep")
    from migrator.model.shell import parse_script

    parsed = parse_script(text, {}, None)
    if parsed.errors:
        return BuildOutput(None, where, f"the `{script}` script of {where} does not parse as a shell command")
    bundlers = frontend_data()["bundlers"]
    found: list[BuildOutput] = []
    for seg in parsed.segments:
        for cmd in seg.commands:
            argv = cmd.argv
            if not argv:
                continue
            words = _strip_runner(argv)
            name = posixpath.basename(words[0]) if words else ""
            sub = _script_call(words, scripts)
            if sub is not None:
                for called, args in sub:
                    got = _script_output(ctx, package_dir, pkg, called, tuple(args) + extra, depth + 1)
                    if got.problem is None or "runs no bundler" not in got.problem:
                        found.append(got)
                continue
            if name in bundlers:
                found.append(_bundler_output(ctx, package_dir, name, words[1:] + list(extra)))
    if not found:
        return BuildOutput(None, where, f"the `{script}` script of {where} (`{text}`) runs no bundler the tool "
                                        f"knows ({', '.join(sorted(bundlers))})")
    last = found[-1]
    return last


def _strip_runner(argv: list[str]) -> list[str]:
    """``npx vite build`` / ``pnpm exec vite build`` / ``yarn vite build``
    without the runner (``yarn vite`` is left to :func:`_script_call`)."""
    words = list(argv)
    name = posixpath.basename(words[0])
    if name in ("npx", "pnpx") and len(words) > 1:
        rest = [w for w in words[1:]]
        while rest and rest[0].startswith("-"):
            rest = rest[1:]
        return rest
    if name in ("pnpm", "npm", "yarn") and len(words) > 2 and words[1] in ("exec", "dlx"):
        return words[2:]
    return words


def _script_call(words: list[str], scripts: dict) -> list[tuple[str, list[str]]] | None:
    """The scripts a command runs, with the arguments passed to each:
    ``npm run X -- a``, ``pnpm [run] X a``, ``yarn [run] X a``,
    ``run-p``/``run-s``/``npm-run-all`` with script names (``"build-only {@}"``:
    the ``{@}`` placeholder takes the arguments after ``--``). None when the
    command runs no script."""
    if not words:
        return None
    name = posixpath.basename(words[0])
    rest = words[1:]
    if name in ("npm", "pnpm", "yarn"):
        if rest[:1] in (["run"], ["run-script"]):
            rest = rest[1:]
        elif name == "npm":
            return None
        while rest and rest[0].startswith("-") and rest[0] != "--":
            rest = rest[1:]
        if not rest or rest[0] not in scripts:
            return None
        args = rest[1:]
        if args[:1] == ["--"]:
            args = args[1:]
        return [(rest[0], args)]
    if name in ("run-p", "run-s", "npm-run-all"):
        out = []
        for w in rest:
            if w == "--":
                break
            if w.startswith("-"):
                continue
            parts = w.split()
            if parts and parts[0] in scripts:
                out.append((parts[0], [p for p in parts[1:] if p not in ("{@}", "{*}")]))
        return out or None
    return None


def _flag_value(args: list[str], flags: list[str]) -> str | None:
    """The value of the last of ``flags`` in ``args`` (``--outDir x``,
    ``--outDir=x``, ``-o x``), or None."""
    value = None
    for i, a in enumerate(args):
        for f in flags:
            if a == f and i + 1 < len(args):
                value = args[i + 1]
            elif a.startswith(f + "="):
                value = a.split("=", 1)[1]
    return value


def _bundler_output(ctx: BuildContext, package_dir: str, name: str, args: list[str]) -> BuildOutput:
    spec = frontend_data()["bundlers"][name]
    for option in spec["flags"]:
        flag = _flag_value(args, [option])
        if flag is not None:
            return BuildOutput(posixpath.normpath(flag), f"the {option} option of {name}")
    config_flag = _flag_value(args, ["--config", "-c"]) if name in ("vite", "webpack", "vue-cli-service") else None
    configs = [config_flag] if config_flag else spec["configs"]
    for config in configs:
        path = _rel(package_dir, config)
        text = ctx.read_text(path)
        if text is None:
            if config_flag:
                return BuildOutput(None, path, f"{path}, the config file the build names, is missing from the "
                                               "build context")
            continue
        return _config_output(text, path, config, package_dir, spec, name)
    return BuildOutput(spec["default"], f"{name}'s default output folder")


# --- JavaScript / TypeScript configuration files ------------------------------------------


@lru_cache(maxsize=2)
def _parser(typescript: bool):
    import tree_sitter

    if typescript:
        import tree_sitter_typescript as grammar

        language = grammar.language_typescript()
    else:
        import tree_sitter_javascript as grammar

        language = grammar.language()
    return tree_sitter.Parser(tree_sitter.Language(language))


class _Unknown(Exception):
    """A value the reader can't evaluate; the message is the clause."""


_CONFIG_DIR = "\0config"
"""Marker of ``__dirname``/``import.meta.url``: the config file's folder."""


def _config_output(text: str, path: str, config: str, package_dir: str, spec: dict, name: str) -> BuildOutput:
    tree = _parser(config.endswith("ts")).parse(text.encode("utf-8"))
    root = tree.root_node
    key = spec["key"]
    where = f"{'.'.join(key)} in {path}"
    consts = _top_level_consts(root)
    try:
        objects = _exported_objects(root, consts)
        if not objects:
            raise _Unknown(f"{path} exports no configuration object the tool can read")
        values = {_lookup_path(o, key, consts, path) for o in objects}
        if len(values) > 1:
            raise _Unknown(f"{path} sets {'.'.join(key)} differently depending on how it is called")
        value = values.pop()
        if value is None:
            if root.has_error:
                raise _Unknown(f"{path} does not parse")
            value = spec["default"]
            where = f"{name}'s default output folder ({path} sets no {'.'.join(key)})"
        if name == "vite" and not value.startswith(("/", _CONFIG_DIR)):
            project_roots = {_lookup_path(o, ["root"], consts, path) for o in objects}
            if len(project_roots) > 1:
                raise _Unknown(f"{path} sets root differently depending on how it is called")
            project_root = project_roots.pop()
            if project_root is not None and not project_root.startswith("/"):
                # build.outDir is relative to the project root (vite.dev/config/shared-options#root)
                value = posixpath.join(project_root, value)
    except _Unknown as exc:
        return BuildOutput(None, where, str(exc))
    config_dir = posixpath.dirname(posixpath.relpath(path, posixpath.normpath(package_dir)))
    value = value.replace(_CONFIG_DIR, config_dir or ".")
    return BuildOutput(posixpath.normpath(value), where)


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _top_level_consts(root) -> dict[str, object]:
    """Top-level ``const NAME = value`` declarations (name -> value node)."""
    out: dict[str, object] = {}
    for child in root.named_children:
        decl = child
        if child.type == "export_statement":
            decl = child.child_by_field_name("declaration") or child
        if decl.type not in ("lexical_declaration", "variable_declaration"):
            continue
        if decl.type == "lexical_declaration" and not _text(decl).startswith("const"):
            continue
        for d in decl.named_children:
            if d.type == "variable_declarator":
                name, value = d.child_by_field_name("name"), d.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    out[_text(name)] = value
    return out


def _exported_objects(root, consts) -> list:
    """The object literals the file exports as its configuration."""
    exprs = []
    for child in root.named_children:
        if child.type == "export_statement" and _text(child).startswith("export default"):
            value = child.child_by_field_name("value")
            if value is None:
                value = next((c for c in child.named_children if c.type not in ("comment", "decorator")), None)
            if value is not None:
                exprs.append(value)
        elif child.type == "expression_statement":
            expr = child.named_children[0] if child.named_children else None
            if expr is not None and expr.type == "assignment_expression":
                left = expr.child_by_field_name("left")
                if left is not None and _text(left).replace(" ", "") in ("module.exports", "exports.default"):
                    exprs.append(expr.child_by_field_name("right"))
    out = []
    for e in exprs:
        out.extend(_objects_of(e, consts, 0))
    return out


def _objects_of(node, consts, depth: int) -> list:
    if node is None or depth > 8:
        raise _Unknown("the configuration is built in a way the tool can't follow")
    t = node.type
    if t == "object":
        return [node]
    if t in ("parenthesized_expression", "satisfies_expression", "as_expression", "non_null_expression"):
        return _objects_of(node.named_children[0], consts, depth + 1)
    if t == "identifier":
        name = _text(node)
        if name in consts:
            return _objects_of(consts[name], consts, depth + 1)
        raise _Unknown(f"the exported configuration `{name}` is not a top-level const the tool can read")
    if t == "call_expression":
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if first is None:
            raise _Unknown(f"the exported configuration `{_text(node)[:60]}` is not an object the tool can read")
        return _objects_of(first, consts, depth + 1)
    if t in ("arrow_function", "function_expression", "function"):
        body = node.child_by_field_name("body")
        if body is None:
            raise _Unknown("the configuration function has no body")
        if body.type != "statement_block":
            return _objects_of(body, consts, depth + 1)
        returns = _returns(body)
        if not returns:
            raise _Unknown("the configuration function returns no object the tool can read")
        local = dict(consts)
        local.update(_top_level_consts(body))
        out = []
        for r in returns:
            out.extend(_objects_of(r, local, depth + 1))
        return out
    raise _Unknown(f"the exported configuration `{_text(node)[:60]}` is not an object the tool can read")


def _returns(block) -> list:
    """The values of the ``return`` statements of a function body (not of
    the functions nested in it)."""
    out = []
    stack = list(block.named_children)
    while stack:
        n = stack.pop()
        if n.type in ("arrow_function", "function_expression", "function_declaration", "method_definition"):
            continue
        if n.type == "return_statement":
            if n.named_children:
                out.append(n.named_children[0])
            continue
        stack.extend(n.named_children)
    return out


def _key_name(node) -> str | None:
    if node.type in ("property_identifier", "identifier"):
        return _text(node)
    if node.type == "string":
        return "".join(_text(c) for c in node.named_children if c.type == "string_fragment")
    return None


def _lookup_path(obj, keys: list[str], consts, path: str) -> str | None:
    """The string value at ``keys`` in object node ``obj``; None when a key
    is absent (the bundler's default then holds)."""
    node = obj
    for i, key in enumerate(keys):
        if node.type == "identifier" and _text(node) in consts:
            node = consts[_text(node)]
        if node.type != "object":
            raise _Unknown(f"{'.'.join(keys[:i]) or 'the configuration'} in {path} is `{_text(node)[:60]}`, "
                           "not an object the tool can read")
        found = None
        spread = False
        for child in node.named_children:
            if child.type == "pair":
                k = _key_name(child.child_by_field_name("key"))
                if k == key:
                    found = child.child_by_field_name("value")
            elif child.type == "shorthand_property_identifier" and _text(child) == key:
                found = consts.get(key)
                if found is None:
                    raise _Unknown(f"{key} in {path} names a value the tool can't read")
            elif child.type == "spread_element":
                spread = True
        if found is None:
            if spread:
                raise _Unknown(f"an object in {path} spreads another one (`...`), which may set {key}")
            return None
        node = found
    return _eval_path(node, consts, path, ".".join(keys))


_PATH_FUNCTIONS = ("path.resolve", "path.join", "resolve", "join", "path.posix.resolve", "path.posix.join",
                   "posix.join", "posix.resolve")


def _eval_path(node, consts, path: str, key: str, depth: int = 0) -> str:
    """A path expression as a string; ``__dirname`` is :data:`_CONFIG_DIR`."""
    t = node.type
    if depth > 8:
        raise _Unknown(f"{key} in {path} is too deeply indirect")
    if t == "string":
        return "".join(_text(c) for c in node.named_children if c.type in ("string_fragment", "escape_sequence"))
    if t == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            raise _Unknown(f"{key} in {path} is a template string with substitutions (`{_text(node)[:60]}`)")
        return _text(node)[1:-1]
    if t == "identifier":
        name = _text(node)
        if name == "__dirname":
            return _CONFIG_DIR
        if name in consts:
            return _eval_path(consts[name], consts, path, key, depth + 1)
        raise _Unknown(f"{key} in {path} is `{name}`, a name the tool can't resolve")
    if t in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        return _eval_path(node.named_children[0], consts, path, key, depth + 1)
    if t == "binary_expression" and node.child_by_field_name("operator") is not None \
            and _text(node.child_by_field_name("operator")) == "+":
        return (_eval_path(node.child_by_field_name("left"), consts, path, key, depth + 1)
                + _eval_path(node.child_by_field_name("right"), consts, path, key, depth + 1))
    if t == "call_expression":
        func = _text(node.child_by_field_name("function")).replace(" ", "")
        args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
        if func in _PATH_FUNCTIONS and args:
            parts = [_eval_path(a, consts, path, key, depth + 1) if not _is_cwd(a) else "." for a in args]
            joined = parts[0]
            for p in parts[1:]:
                joined = p if p.startswith("/") else posixpath.join(joined, p)
            return joined
        if func.endswith("fileURLToPath") and len(args) == 1 and args[0].type == "new_expression":
            return _eval_url(args[0], consts, path, key)
    raise _Unknown(f"{key} in {path} is `{_text(node)[:60]}`, which the tool can't evaluate")


def _is_cwd(node) -> bool:
    return node.type == "call_expression" and _text(node).replace(" ", "") == "process.cwd()"


def _eval_url(node, consts, path: str, key: str) -> str:
    """``new URL('./x', import.meta.url)``: ``x`` beside the config file."""
    ctor = node.child_by_field_name("constructor")
    args = node.child_by_field_name("arguments")
    if ctor is not None and _text(ctor) == "URL" and args is not None and len(args.named_children) == 2 \
            and _text(args.named_children[1]).replace(" ", "") == "import.meta.url":
        rel = _eval_path(args.named_children[0], consts, path, key)
        if not rel.startswith("/") and "://" not in rel:
            return posixpath.join(_CONFIG_DIR, rel)
    raise _Unknown(f"{key} in {path} is `{_text(node)[:60]}`, which the tool can't evaluate")


# --- whether the build reads only its own folder ------------------------------------------

MAX_SCAN_FILES = 2000
"""How many files of the frontend folder :func:`outside_reads` reads at most."""

MAX_SCAN_BYTES = 512 * 1024
"""The largest file :func:`outside_reads` reads; a larger source is a reason
to keep the whole copy (lockfiles and ``*.min.*`` files are skipped)."""

_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TEXT_SUFFIXES = (".vue", ".svelte", ".astro", ".css", ".scss", ".sass", ".less", ".styl", ".html", ".htm",
                  ".json", ".json5", ".md", ".mdx", ".yaml", ".yml")


@dataclass(frozen=True)
class FolderReads:
    """Whether a frontend build reads only the files of its package folder.

    Attributes:
        inside: True when nothing the tool read names a path outside the
            folder (other than the build's output) and no configuration file
            that tools look up in parent folders sits above it.
        why: for ``inside=False``, the first path or file that reaches out,
            with where it was read (``frontend/vite.config.js names ../shared
            (line 3)``); else what was read.
    """

    inside: bool
    why: str


def outside_reads(ctx: BuildContext, package_dir: str, output: str) -> FolderReads:
    """Whether the build of ``package_dir`` reads files outside that folder.

    Read: the configuration files that Node tools look up in parent folders
    (``frontend.json`` ``upward_configs``: ``tsconfig.json``,
    ``postcss.config.js``, ``.babelrc``, ``.browserslistrc``... between the
    context root and the folder); ``package.json`` (``file:``/``link:``
    dependencies, ``..`` words in its scripts); every JavaScript/TypeScript
    file of the folder (string literals, with the tree-sitter grammars; a
    path call such as ``path.resolve(__dirname, '..', 'static')`` is
    evaluated whole) and its other text files (quoted ``../`` paths, CSS
    ``url(../x)``), at most :data:`MAX_SCAN_FILES` files, ``node_modules``
    and the output folder skipped. A path that resolves to the build output
    (or inside it) is the output, not an input.

    Args:
        ctx: the build context.
        package_dir: the folder of ``package.json``, relative to the context.
        output: the build's output folder, relative to the context (may be
            outside ``package_dir``).
    Returns:
        a :class:`FolderReads`; never raises for the content of the context.
    """
    package_dir = posixpath.normpath(package_dir)
    if package_dir == ".":
        return FolderReads(False, "the frontend folder is the whole build context")
    output = posixpath.normpath(output)
    upward = frontend_data()["upward_configs"]["files"]
    parts = package_dir.split("/")
    for depth in range(len(parts)):
        folder = "/".join(parts[:depth]) or "."
        for name in upward:
            path = posixpath.normpath(posixpath.join(folder, name))
            if ctx.is_file(path):
                return FolderReads(False, f"{path}, which Node tools look up from {package_dir}, sits outside it")
    checker = _Reach(package_dir, output)
    pkg_text = ctx.read_text(_rel(package_dir, "package.json"))
    if pkg_text is not None:
        why = _package_reach(pkg_text, package_dir, checker)
        if why:
            return FolderReads(False, why)
    files, problem = _folder_files(ctx, package_dir, output)
    if problem:
        return FolderReads(False, problem)
    for path in files:
        name = posixpath.basename(path)
        if name in ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml") or ".min." in name:
            continue
        if not name.endswith(_SCRIPT_SUFFIXES + _TEXT_SUFFIXES):
            continue
        text = ctx.read_text(path, MAX_SCAN_BYTES)
        if text is None:
            return FolderReads(False, f"{path} can't be read (larger than {MAX_SCAN_BYTES // 1024} KB or not UTF-8)")
        if name.endswith(_SCRIPT_SUFFIXES):
            why = _script_reach(text, path, checker)
        else:
            why = _text_reach(text, path, checker)
        if why:
            return FolderReads(False, why)
    return FolderReads(True, f"no file of {package_dir}/ names a path outside it")


class _Reach:
    """Resolves a path a file names and tells whether it leaves the folder."""

    def __init__(self, package_dir: str, output: str):
        self.package_dir, self.output = package_dir, output

    def outside(self, value: str, file_dir: str) -> str | None:
        """The context-relative path ``value`` names from ``file_dir`` when
        it lies outside the package folder and is not the output; else None."""
        if value.startswith("/") or "://" in value or not (value == ".." or value.startswith("../")):
            return None
        target = posixpath.normpath(posixpath.join(file_dir, value))
        if _within(target, self.package_dir) or _within(target, self.output):
            return None
        return target


def _within(path: str, folder: str) -> bool:
    return path == folder or folder == "." or path.startswith(folder.rstrip("/") + "/")


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _package_reach(text: str, package_dir: str, checker: _Reach) -> str | None:
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    where = _rel(package_dir, "package.json")
    for field in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        deps = doc.get(field) if isinstance(doc.get(field), dict) else {}
        for name, spec in deps.items():
            if isinstance(spec, str) and spec.startswith(("file:", "link:", "portal:")):
                target = checker.outside(spec.split(":", 1)[1], package_dir)
                if target:
                    return f"{where} depends on {name} from {spec}, outside {package_dir}/"
    scripts = doc.get("scripts") if isinstance(doc.get("scripts"), dict) else {}
    from migrator.model.shell import parse_script

    for script, line in scripts.items():
        if not isinstance(line, str):
            continue
        for cmd in parse_script(line, {}, None).commands:
            for word in cmd.argv or [w.raw for w in cmd.words]:
                value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
                if checker.outside(value, package_dir):
                    return f"the `{script}` script of {where} names {value}, outside {package_dir}/"
    return None


def _folder_files(ctx: BuildContext, package_dir: str, output: str) -> tuple[list[str], str | None]:
    """The files of ``package_dir`` (recursively), without ``node_modules``,
    ``.git`` and the output folder; a problem past :data:`MAX_SCAN_FILES` or
    for an entry that is neither a file nor a folder of the context (a
    symbolic link out of it)."""
    out: list[str] = []
    stack = [package_dir]
    while stack:
        folder = stack.pop()
        for name in ctx.list_dir(folder):
            path = posixpath.join(folder, name)
            if ctx.is_dir(path):
                if name not in ("node_modules", ".git") and not _within(path, output):
                    stack.append(path)
            elif ctx.is_file(path):
                out.append(path)
                if len(out) > MAX_SCAN_FILES:
                    return out, f"{package_dir}/ has more than {MAX_SCAN_FILES} files to read"
            else:
                return out, f"{path} is a link out of the build context or not a regular file"
    return sorted(out), None


def _script_reach(text: str, path: str, checker: _Reach) -> str | None:
    """A string literal of a JavaScript/TypeScript file that names a path
    outside the folder; path calls (``path.resolve(__dirname, '..', 'x')``)
    are evaluated whole, so their parts aren't read alone."""
    tree = _parser(path.endswith(("ts", "tsx"))).parse(text.encode("utf-8"))
    file_dir = posixpath.dirname(path)
    consts = _top_level_consts(tree.root_node)
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            func = node.child_by_field_name("function")
            name = _text(func).replace(" ", "") if func is not None else ""
            if name in _PATH_FUNCTIONS or name.endswith("fileURLToPath"):
                try:
                    value = _eval_path(node, consts, path, "a path")
                except _Unknown:
                    value = None
                if value is not None:
                    value = value.replace(_CONFIG_DIR + "/", "./").replace(_CONFIG_DIR, ".")
                    if value == "." or value.startswith("./"):
                        value = posixpath.normpath(value)
                        if value == "." or not value.startswith(".."):
                            continue
                    target = checker.outside(value, file_dir) if not value.startswith("/") else None
                    if target:
                        return f"{path} names {target} (line {node.start_point[0] + 1}), outside {checker.package_dir}/"
                    continue
        if node.type in ("string", "template_string"):
            value = _text(node)[1:-1]
            target = checker.outside(value, file_dir)
            if target:
                return f"{path} names {value} (line {node.start_point[0] + 1}), outside {checker.package_dir}/"
            continue
        stack.extend(node.children)
    return None


_QUOTED_PATH = re.compile(r"""(["'`])(\.\.(?:/[^"'`\s]*)?)\1|url\(\s*(\.\./[^)"'\s]*)\s*\)""")


def _text_reach(text: str, path: str, checker: _Reach) -> str | None:
    """A quoted ``../`` path (an import in a Vue/Svelte file, a JSON value,
    an HTML attribute) or a CSS ``url(../x)`` that leaves the folder."""
    file_dir = posixpath.dirname(path)
    for m in _QUOTED_PATH.finditer(text):
        value = m.group(2) or m.group(3)
        target = checker.outside(value, file_dir)
        if target:
            return f"{path} names {value} (line {_line(text, m.start())}), outside {checker.package_dir}/"
    return None

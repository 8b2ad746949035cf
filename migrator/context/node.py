"""A Node.js project as its build context shows it.

Reads, through a :class:`migrator.context.BuildContext` (bounded reads; a
missing or unreadable file is ``None``, never an error):

- ``package.json``: dependencies, devDependencies, scripts, ``main``,
  ``packageManager`` (docs.npmjs.com/cli/configuring-npm/package-json;
  nodejs.org/api/packages.html#packagemanager);
- the lockfile, which names the package manager: ``package-lock.json`` or
  ``npm-shrinkwrap.json`` (npm), ``pnpm-lock.yaml`` (pnpm), ``yarn.lock``
  (yarn 1, or yarn berry when the lockfile starts with ``__metadata:``,
  yarnpkg.com/advanced/lockfile), ``bun.lockb``/``bun.lock``;
- ``.yarnrc.yml`` (yarn berry: ``nodeLinker``, ``yarnPath``, ``plugins``,
  yarnpkg.com/configuration/yarnrc), read with pyyaml's ``safe_load``;
- ``tsconfig.json`` ``compilerOptions.outDir`` and ``rootDir``: JSON with
  comments and trailing commas (typescriptlang.org/tsconfig), read with the
  tree-sitter JavaScript grammar, in which both are valid, through the
  configs it ``extends`` (:func:`read_tsconfig`);
- ``next.config.{js,mjs,cjs,ts,mts}``: ``output: 'standalone'``
  (nextjs.org/docs/app/api-reference/config/next-config-js/output), read
  with the tree-sitter JavaScript/TypeScript grammars.

Only literal values are read: a value computed at run time
(``output: process.env.OUT``) is :data:`UNKNOWN`, and a decision that
depends on it falls back.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from dataclasses import dataclass, field

UNKNOWN = object()
"""A value the config computes (a variable, a call): not a literal."""

NEXT_CONFIGS = ("next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts")
"""The file names Next.js reads its configuration from (nextjs.org/docs,
next.config.js; ``.ts`` since Next.js 15)."""

LOCKFILES = (("package-lock.json", "npm"), ("npm-shrinkwrap.json", "npm"), ("pnpm-lock.yaml", "pnpm"),
             ("yarn.lock", "yarn"), ("bun.lockb", "bun"), ("bun.lock", "bun"))
"""Lockfile -> the package manager that writes it, in the order looked for."""


@dataclass(frozen=True)
class NodeProject:
    """What the build context shows of one Node.js project folder.

    Attributes:
        folder: the project folder, relative to the context root (``"."``).
        package: package.json as a dict.
        manager: ``"npm"``, ``"pnpm"``, ``"yarn"`` (1.x), ``"yarn-berry"``
            (2+), ``"bun"``; from the lockfile, else ``packageManager``,
            else ``"npm"``.
        lockfile: the lockfile's name, or None.
        yarn_major: yarn's major version when it can be read
            (``packageManager: yarn@4.1.0``, ``yarnPath:
            .yarn/releases/yarn-3.6.4.cjs``), else None.
        yarn_pnp: yarn berry installs with Plug'n'Play (no ``nodeLinker:
            node-modules`` in ``.yarnrc.yml``; PnP is berry's default).
        yarn_plugins: the plugin paths/specs ``.yarnrc.yml`` lists.
        ts_out_dir: tsconfig.json ``compilerOptions.outDir``, its own or
            the one it inherits through ``extends``, normalised and
            relative to the project folder (``"dist"``), or None (not set,
            outside the project folder, or set where the tool can't read:
            then ``ts_gap`` says why).
        ts_root_dir: ``compilerOptions.rootDir`` read the same way (``"."``
            is the project folder), or None.
        ts_gap: why ``outDir`` may be set where the tool can't read (a base
            config the build context lacks), or None.
        next_config: the next.config.* file found (relative to the project
            folder), or None.
        next_output: its ``output`` value (``"standalone"``), None when it
            sets none, :data:`UNKNOWN` when it is not a literal.
        next_dist_dir: its ``distDir`` (Next.js's build folder, ``.next`` by
            default), read the same way.
        folders: the names of the project folder's subfolders.
    """

    folder: str
    package: dict
    manager: str
    lockfile: str | None = None
    yarn_major: int | None = None
    yarn_pnp: bool = False
    yarn_plugins: tuple[str, ...] = ()
    ts_out_dir: str | None = None
    next_config: str | None = None
    next_output: object = None
    folders: frozenset[str] = field(default_factory=frozenset)
    next_dist_dir: object = None
    ts_root_dir: str | None = None
    ts_gap: str | None = None

    @property
    def dependencies(self) -> dict:
        deps = self.package.get("dependencies")
        return deps if isinstance(deps, dict) else {}

    @property
    def dev_dependencies(self) -> dict:
        deps = self.package.get("devDependencies")
        return deps if isinstance(deps, dict) else {}

    @property
    def scripts(self) -> dict[str, str]:
        scripts = self.package.get("scripts")
        return {k: v for k, v in scripts.items() if isinstance(v, str)} if isinstance(scripts, dict) else {}

    @property
    def main(self) -> str | None:
        main = self.package.get("main")
        return main if isinstance(main, str) and main.strip() else None

    def path(self, rel: str) -> str:
        """``rel`` (relative to the project folder) relative to the context root."""
        return posixpath.normpath(posixpath.join(self.folder, rel))


def read_project(context, folder: str = ".") -> NodeProject | None:
    """The Node.js project in ``folder`` of the build context.

    Args:
        context: a :class:`migrator.context.BuildContext`, or None.
        folder: the project folder relative to the context root.
    Returns:
        the :class:`NodeProject`, or None when there is no context or its
        package.json is missing, unreadable or not a JSON object. Never
        raises for the content of the context.
    """
    if context is None:
        return None
    folder = posixpath.normpath(folder or ".")

    def rel(name: str) -> str:
        return name if folder == "." else posixpath.join(folder, name)

    text = context.read_text(rel("package.json"))
    if text is None:
        return None
    try:
        package = json.loads(text)
    except ValueError:
        return None
    if not isinstance(package, dict):
        return None
    lockfile = manager = None
    for name, who in LOCKFILES:
        if context.is_file(rel(name)):
            lockfile, manager = name, who
            break
    declared = package.get("packageManager") if isinstance(package.get("packageManager"), str) else ""
    declared_name, _, declared_version = declared.partition("@")
    if manager is None:
        manager = declared_name if declared_name in ("npm", "pnpm", "yarn", "bun") else "npm"
    yarn_major = _major(declared_version) if declared_name == "yarn" else None
    yarnrc = _yaml(context.read_text(rel(".yarnrc.yml")))
    plugins: tuple[str, ...] = ()
    pnp = False
    if manager == "yarn":
        berry = yarnrc is not None or (yarn_major or 1) >= 2
        if not berry and lockfile == "yarn.lock":
            head = context.read_text(rel("yarn.lock"), limit=1 << 20) or ""
            berry = "__metadata:" in head[:2000]
        if berry:
            manager = "yarn-berry"
            conf = yarnrc if isinstance(yarnrc, dict) else {}
            if yarn_major is None and isinstance(conf.get("yarnPath"), str):
                stem = posixpath.basename(conf["yarnPath"])
                yarn_major = _major(stem.removeprefix("yarn-"))
            pnp = conf.get("nodeLinker", "pnp") == "pnp"
            raw = conf.get("plugins") if isinstance(conf.get("plugins"), list) else []
            plugins = tuple(str(p.get("path") or p.get("spec") or "") if isinstance(p, dict) else str(p)
                            for p in raw)
    ts = read_tsconfig(context, folder)
    out_dir = ts.out_dir if ts.out_dir != "." else None
    next_config = next((n for n in NEXT_CONFIGS if context.is_file(rel(n))), None)
    next_output = next_dist_dir = None
    if next_config is not None:
        config_text = context.read_text(rel(next_config))
        typescript = next_config.endswith(("ts", "mts"))
        next_output = next_config_output(config_text, typescript)
        next_dist_dir = next_config_value(config_text, "distDir", typescript)
    folders = frozenset(n for n in context.list_dir(folder) if context.is_dir(rel(n)))
    return NodeProject(folder, package, manager, lockfile, yarn_major, pnp, plugins, out_dir, next_config,
                       next_output, folders, next_dist_dir, ts.root_dir, ts.gap)


TSCONFIG_MAX_DEPTH = 8
"""How many ``extends`` deep a tsconfig chain is followed."""

TSCONFIG_PATH_OPTIONS = ("outDir", "rootDir")
"""The ``compilerOptions`` :func:`read_tsconfig` resolves."""


@dataclass(frozen=True)
class TsConfig:
    """The output options of a project's tsconfig.json, inheritance applied.

    Attributes:
        out_dir: ``compilerOptions.outDir``, normalised, relative to the
            project folder (``"."`` is the folder itself), or None: not set,
            outside the project folder or absolute, or unknown (``gap``).
        root_dir: ``compilerOptions.rootDir``, the same way.
        gap: why ``outDir`` is unknown although a config may set it (a
            base the build context lacks, a cycle, a chain deeper than
            :data:`TSCONFIG_MAX_DEPTH`, a base that doesn't parse), or None.
    """

    out_dir: str | None = None
    root_dir: str | None = None
    gap: str | None = None


def read_tsconfig(context, folder: str = ".", name: str = "tsconfig.json") -> TsConfig:
    """The ``outDir``/``rootDir`` a project's tsconfig gives ``tsc``.

    Follows ``extends`` as TypeScript does (typescriptlang.org/tsconfig#extends):
    the bases load first and the file's own ``compilerOptions`` override
    them, option by option; an array (TypeScript 5.0,
    typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html)
    applies left to right, later entries overriding earlier ones; a relative
    path in a config resolves against the folder of the config it is
    written in, and ``${configDir}`` (TypeScript 5.5) against the folder of
    the project's own tsconfig. A relative ``extends`` (``./``, ``../``)
    names a file (``.json`` appended when it has no such file); a package
    (``@tsconfig/node18/tsconfig.json``) is looked for in the ``node_modules``
    folders of the build context from the config's folder up. Bounded:
    :data:`TSCONFIG_MAX_DEPTH` configs deep, a cycle stops, only files of
    the build context (bounded :class:`migrator.context.BuildContext` reads),
    each parsed by :func:`parse_js_literal` (comments, trailing commas).

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: the project folder, relative to the context root.
        name: the config's file name in ``folder``.
    Returns:
        a :class:`TsConfig`; all None when the project has no readable
        tsconfig. Never raises for the content of the context.
    """
    folder = posixpath.normpath(folder or ".")
    leaf = posixpath.normpath(posixpath.join(folder, name))
    doc = parse_js_literal(context.read_text(leaf))
    if not isinstance(doc, dict):
        return TsConfig()
    options = _tsconfig_options(context, leaf, doc, folder, 0, (leaf,))
    out: dict[str, str | None] = {}
    gap = None
    for key in TSCONFIG_PATH_OPTIONS:
        value = options.get(key)
        if value is None:
            out[key] = None
        elif value[0] is UNKNOWN:
            out[key] = None
            gap = gap if key != "outDir" else value[1]
        else:
            path = posixpath.normpath(posixpath.join(value[1], value[0]))
            rel = posixpath.relpath(path, folder) if not value[0].startswith("/") else "/"
            out[key] = None if rel.startswith(("/", "..")) else rel
    return TsConfig(out["outDir"], out["rootDir"], gap)


def _tsconfig_options(context, path: str, doc: dict, leaf_dir: str, depth: int, chain: tuple[str, ...]) -> dict:
    """``{option: (value, folder it is relative to)}`` of one config with its
    bases applied; ``(UNKNOWN, why)`` for an option a base the tool can't
    read may set."""
    merged: dict = {}
    bases = doc.get("extends")
    bases = [bases] if isinstance(bases, str) else bases if isinstance(bases, list) else []
    here = posixpath.dirname(path) or "."
    for spec in bases:
        if not isinstance(spec, str) or not spec.strip():
            continue
        base, why = _tsconfig_base(context, here, spec.strip(), path)
        if base is not None and base in chain:
            base, why = None, f"{path} extends {spec}, which extends it again (a cycle)"
        if base is not None and depth + 1 > TSCONFIG_MAX_DEPTH:
            base, why = None, f"{path}'s extends chain is deeper than {TSCONFIG_MAX_DEPTH} configs"
        base_doc = parse_js_literal(context.read_text(base)) if base is not None else None
        if base is not None and not isinstance(base_doc, dict):
            why = f"{base} (extended by {path}) does not parse"
        if why is not None:
            merged.update({key: (UNKNOWN, why) for key in TSCONFIG_PATH_OPTIONS})
            continue
        merged.update(_tsconfig_options(context, base, base_doc, leaf_dir, depth + 1, (*chain, base)))
    own = doc.get("compilerOptions")
    for key in TSCONFIG_PATH_OPTIONS:
        value = own.get(key) if isinstance(own, dict) else None
        if isinstance(value, str) and value.strip():
            value = value.strip()
            if value.startswith("${configDir}"):
                merged[key] = ("." + value[len("${configDir}"):], leaf_dir)
            else:
                merged[key] = (value, here)
    return merged


def _tsconfig_base(context, here: str, spec: str, path: str) -> tuple[str | None, str | None]:
    """The build-context path of the config ``extends: spec`` names in the
    config at ``path`` (folder ``here``), or ``(None, why not)``."""
    if spec.startswith("/"):
        return None, f"{path} extends {spec}, an absolute path the tool can't map to the build context"
    if spec.startswith(("./", "../")) or spec in (".", ".."):
        rel = posixpath.normpath(posixpath.join(here, spec))
        if rel.startswith(".."):
            return None, f"{path} extends {spec}, outside the build context"
        for candidate in (rel, rel + ".json") if not rel.endswith(".json") else (rel,):
            if context.is_file(candidate):
                return candidate, None
        return None, f"{path} extends {spec}, which is not in the build context"
    folder = here
    while True:
        base = posixpath.normpath(posixpath.join(folder, "node_modules", spec))
        for candidate in (base, base + ".json", posixpath.join(base, "tsconfig.json")):
            if not candidate.startswith("..") and context.is_file(candidate):
                return candidate, None
        if folder in (".", ""):
            break
        folder = posixpath.dirname(folder) or "."
    return None, (f"{path} extends {spec}, a package whose config is not in the build context (node_modules is "
                  "installed in the image)")


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _yaml(text: str | None):
    if text is None:
        return None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


@functools.lru_cache(maxsize=2)
def _parser(typescript: bool):
    import tree_sitter

    if typescript:
        import tree_sitter_typescript

        return tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript()))
    import tree_sitter_javascript

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))


def parse_js_literal(text: str | None):
    """A JSON-with-comments document (tsconfig.json) as Python values.

    Args:
        text: the file's text, or None.
    Returns:
        dicts, lists, strings, numbers, booleans and None as JSON would give
        them (comments and trailing commas allowed, as TypeScript reads
        them); None when ``text`` is None or is not one literal value.
    """
    if text is None:
        return None
    source = ("(" + text + "\n)").encode("utf-8")
    tree = _parser(False).parse(source)
    root = tree.root_node
    if root.has_error or root.named_child_count != 1:
        return None
    stmt = root.named_children[0]
    expr = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
    while expr is not None and expr.type == "parenthesized_expression":
        inner = [c for c in expr.named_children if c.type != "comment"]
        expr = inner[0] if len(inner) == 1 else None
    if expr is None:
        return None
    value = _literal(expr, source)
    return None if value is UNKNOWN else value


def _literal(node, source: bytes):
    """The Python value of a literal node, or :data:`UNKNOWN`."""
    kind = node.type
    if kind == "object":
        out = {}
        for pair in node.named_children:
            if pair.type == "comment":
                continue
            if pair.type != "pair":
                return UNKNOWN
            key = _key(pair.child_by_field_name("key"), source)
            if key is None:
                return UNKNOWN
            out[key] = _literal(pair.child_by_field_name("value"), source)
        return out
    if kind == "array":
        return [_literal(c, source) for c in node.named_children if c.type != "comment"]
    if kind in ("string", "template_string"):
        if any(c.type == "template_substitution" for c in node.named_children):
            return UNKNOWN
        return _string(node, source)
    if kind == "number":
        text = source[node.start_byte:node.end_byte].decode()
        try:
            return json.loads(text)
        except ValueError:
            return UNKNOWN
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "null":
        return None
    if kind in ("satisfies_expression", "as_expression", "parenthesized_expression"):
        inner = [c for c in node.named_children if c.type not in ("comment", "type_identifier", "generic_type")]
        return _literal(inner[0], source) if inner else UNKNOWN
    return UNKNOWN


def _string(node, source: bytes) -> str:
    raw = source[node.start_byte:node.end_byte].decode("utf-8")
    body = raw[1:-1]
    if node.type == "string" and raw[:1] == '"':
        try:
            return json.loads(raw)
        except ValueError:
            return body
    return body.replace("\\'", "'").replace('\\"', '"')


def _key(node, source: bytes) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "identifier"):
        return source[node.start_byte:node.end_byte].decode("utf-8")
    if node.type == "string":
        return _string(node, source)
    if node.type == "number":
        return source[node.start_byte:node.end_byte].decode("utf-8")
    return None


def next_config_value(text: str | None, key: str, typescript: bool = False):
    """The string value of the first ``key`` property of an object literal
    in a next.config file (``distDir``, ``output``): the string, None when
    no object sets it, :data:`UNKNOWN` when it is not a string literal or
    the file does not parse."""
    if text is None:
        return None
    source = text.encode("utf-8")
    tree = _parser(typescript).parse(source)
    if tree.root_node.has_error:
        return UNKNOWN
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "pair" and _key(node.child_by_field_name("key"), source) == key:
            value = node.child_by_field_name("value")
            if value is not None and value.type == "string":
                return _string(value, source)
            return UNKNOWN
        stack.extend(reversed(node.named_children))
    return None


def next_config_output(text: str | None, typescript: bool = False):
    """The ``output`` setting of a next.config file.

    Args:
        text: the file's text (CommonJS ``module.exports = {...}``, ESM
            ``export default {...}``, a ``const nextConfig = {...}`` exported
            by name, a function returning the object...), or None.
        typescript: read it with the TypeScript grammar (``next.config.ts``).
    Returns:
        the value of the first ``output`` property of an object literal in
        the file (``"standalone"``, ``"export"``), :data:`UNKNOWN` when that
        value is not a string literal or the file does not parse, None when
        no object sets ``output``.
    """
    return next_config_value(text, "output", typescript)


WALK_LIMIT = 2000
"""The most files :func:`only_files_ending` and :func:`first_mention` look at
in one walk; past it they answer as if they could not tell."""

SOURCE_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
"""The files :func:`first_mention` reads: JavaScript and TypeScript sources."""


def _walk(context, folder: str, skip: frozenset[str] = frozenset()):
    """Yield the files under ``folder`` (paths relative to the context) in
    sorted order, without entering ``skip`` names or symbolic links out of
    the context; yields ``None`` once and stops when :data:`WALK_LIMIT`
    files were seen."""
    stack, seen = [folder], 0
    while stack:
        current = stack.pop()
        for name in reversed(context.list_dir(current)):
            if name in skip:
                continue
            rel = posixpath.join(current, name) if current != "." else name
            if context.is_dir(rel):
                stack.append(rel)
            elif context.is_file(rel):
                seen += 1
                if seen > WALK_LIMIT:
                    yield None
                    return
                yield rel


def only_files_ending(context, folder: str, suffixes) -> bool:
    """Whether every file under ``folder`` of the build context ends with
    one of ``suffixes`` (and there is at least one).

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: a folder relative to the context root.
        suffixes: the accepted endings (``(".ts", ".tsx")``).
    Returns:
        False when a file ends otherwise, when the folder holds no file, or
        when it holds more than :data:`WALK_LIMIT` files (the tool can't
        tell). Never raises for the content of the context.
    """
    found = False
    for rel in _walk(context, folder):
        if rel is None or not rel.endswith(tuple(suffixes)):
            return False
        found = True
    return found


def first_mention(context, folder: str, needle: str, skip=("node_modules", ".git")) -> str | None:
    """The first JavaScript/TypeScript source (:data:`SOURCE_SUFFIXES`) under
    ``folder`` whose text contains ``needle``, a plain substring search: it
    may find a mention in a comment, never misses a use in the sources it
    reads.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: the folder to search, relative to the context root.
        needle: the text to find (``"NODE_ENV"``).
        skip: folder names not entered.
    Returns:
        the file's path relative to the context, ``"(more than N files)"``
        when the walk stops at :data:`WALK_LIMIT` (the tool can't tell), or
        None.
    """
    for rel in _walk(context, folder, frozenset(skip)):
        if rel is None:
            return f"(more than {WALK_LIMIT} files under {folder})"
        if rel.endswith(SOURCE_SUFFIXES) and not rel.endswith(".d.ts"):
            text = context.read_text(rel)
            if text is None or needle in text:   # too large or unreadable: it may
                return rel
    return None


@dataclass(frozen=True)
class HomeCachePackage:
    """A dependency whose install script downloads into the installing
    user's HOME (``commands.json`` ``home_caches.packages``).

    Attributes:
        name: the package (``"puppeteer"``).
        spec: its version range in package.json.
        folder: the download folder relative to HOME (``".cache/puppeteer"``).
        dir_env: the environment variable that moves it.
        skip_env: the environment variables that skip the download.
        config: the file of the project folder that may move or skip it
            (``.puppeteerrc.cjs``, ``.npmrc`` naming ``puppeteer_*``), or None.
        sure: the range provably installs a downloading version.
    """

    name: str
    spec: str
    folder: str
    dir_env: str
    skip_env: tuple[str, ...]
    config: str | None
    sure: bool = True


def home_cache_packages(project: NodeProject, context) -> list[HomeCachePackage]:
    """The dependencies (and devDependencies) of ``project`` whose install
    downloads into the HOME of the user running it, in a version range that
    does or may (:func:`_installed_major` at least ``since_major``, or a
    range the tool can't read: ``sure`` is False then).

    Args:
        project: the :class:`NodeProject`.
        context: its :class:`migrator.context.BuildContext` (bounded reads).
    Returns:
        the packages, in the data file's order; ``[]`` when none. Never
        raises for the content of the context.
    """
    from migrator.analysis.commands import command_table

    table = command_table()["home_caches"].get("packages", {})
    deps = {**project.dev_dependencies, **project.dependencies}
    out: list[HomeCachePackage] = []
    npmrc = None
    for name, entry in table.items():
        if name.startswith("_") or name not in deps:
            continue
        spec = deps[name] if isinstance(deps[name], str) else ""
        major = _installed_major(spec)
        if major is None or major == NEWEST:   # the lockfile, when npm's, says which version npm ci installs
            major = _locked_major(context, project, name) or major
        if major is not None and major < entry["since_major"]:
            continue
        config = next((n for n in entry["config_files"] if context.is_file(project.path(n))), None)
        if config is None:
            if npmrc is None:
                npmrc = context.read_text(project.path(".npmrc")) or ""
            if entry["npmrc_prefix"] in npmrc:
                config = ".npmrc"
        out.append(HomeCachePackage(name, spec, entry["folder"], entry["dir_env"], tuple(entry["skip_env"]),
                                    config, major is not None))
    return out


def _installed_major(spec: str) -> int | None:
    """The major version npm installs for a range without a lockfile (the
    newest it allows: docs.npmjs.com/cli/v10/configuring-npm/package-json#dependencies):
    ``^19.2.2``, ``~19.1``, ``19.x``, ``19`` -> 19; ``>=18``, ``*``,
    ``latest``, ``""`` -> :data:`NEWEST`; None when the tool can't tell (an
    upper bound, a ``||`` union, a URL or alias)."""
    spec = spec.strip()
    if spec in ("", "*", "x", "latest") or re.fullmatch(r">=?\s*v?[\d.x*]+", spec):
        return NEWEST
    m = re.fullmatch(r"[\^~=]?\s*v?(\d+)(?:\.[\dx*]+){0,2}(?:-[\w.]+)?", spec)
    return int(m.group(1)) if m else None


def _locked_major(context, project: NodeProject, name: str) -> int | None:
    """The major version of ``name`` in the project's package-lock.json or
    npm-shrinkwrap.json (lockfile v2/v3 ``packages["node_modules/NAME"]``,
    v1 ``dependencies[NAME]``), or None (no npm lockfile, too large for a
    bounded read, not JSON, no entry)."""
    if project.lockfile not in ("package-lock.json", "npm-shrinkwrap.json"):
        return None
    try:
        lock = json.loads(context.read_text(project.path(project.lockfile), limit=LOCKFILE_LIMIT) or "null")
    except ValueError:
        return None
    if not isinstance(lock, dict):
        return None
    for table, key in (("packages", f"node_modules/{name}"), ("dependencies", name)):
        entry = lock.get(table, {}).get(key) if isinstance(lock.get(table), dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            return _major(entry["version"])
    return None


LOCKFILE_LIMIT = 16 << 20
"""The largest npm lockfile :func:`_locked_major` reads (bytes)."""

NEWEST = 1 << 30
""":func:`_installed_major` of a range that takes the newest release."""

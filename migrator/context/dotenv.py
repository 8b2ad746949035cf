"""The ``.env`` files of the build context, and the sources of the context that read them at run time.

A committed ``.env`` is often the app's configuration: ``load_dotenv()``
then ``os.environ["DATABASE_URL"]``. An image built with ``COPY . .``
carries it, and the app dies at start without it. :func:`read_env_files`
finds, with bounded reads through :class:`migrator.context.BuildContext`:

- the ``.env`` and ``.env.<name>`` files of the context (hidden folders,
  ``node_modules``, ``.git``, virtualenvs and ``vendor`` not searched);
- the calls that read one, in the sources of the context, each read with
  the language's grammar (only files that name a reader library are
  parsed):

  - Python, with libcst: python-dotenv ``load_dotenv``/``dotenv_values``/
    ``find_dotenv`` (https://saurabh-kumar.com/python-dotenv/reference/:
    no path searches ``.env`` up from the caller), pydantic-settings
    ``env_file=`` (a keyword, or an ``env_file =`` in a class body:
    https://docs.pydantic.dev/latest/concepts/pydantic_settings/#dotenv-env-support),
    django-environ ``read_env``/``Env.read_env``
    (https://django-environ.readthedocs.io/en/latest/api.html#environ.Env.read_env),
    python-decouple ``config``/``AutoConfig``/``RepositoryEnv``
    (https://github.com/HBNetwork/python-decouple#where-is-the-settings-data-stored);
  - JavaScript and TypeScript, with tree-sitter: ``import 'dotenv/config'``,
    ``require('dotenv/config')``, ``require('dotenv').config()``, a
    ``config()`` of an import of ``dotenv`` (https://github.com/motdotla/dotenv#usage:
    ``path`` option, default ``.env`` in the working directory);
  - Go, with tree-sitter-go (:func:`migrator.context.go.read_go_sources`):
    github.com/joho/godotenv ``Load``/``Overload``/``Read`` (no argument:
    ``.env``);
  - commands: ``node --env-file=FILE`` (https://nodejs.org/api/cli.html#--env-fileconfig)
    and ``node -r dotenv/config`` in ``package.json`` scripts and in the
    words the caller passes (CMD, ENTRYPOINT, RUN).

A read names the file by its base name (``.env``, ``.env.production``) or,
when its path is computed and can't be followed, none (:attr:`EnvRead.names`
is None: it may read any ``.env`` file). The search is deliberately wide
(a read anywhere in the context counts for every ``.env`` of that name):
the caller keeps such a file in the image, as the original had it.
Never raises for the content of the context.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from dataclasses import dataclass

MAX_FILES = 4000
"""Most source files looked at in one context."""

MAX_TOTAL_BYTES = 16 << 20
"""Most bytes of source read from one context (16 MiB)."""

MAX_DEPTH = 12
"""Deepest folder searched."""

MAX_FOLDERS = 2000
"""Most folders listed in one context."""

_SKIP_DIRS = frozenset({"node_modules", "vendor", "__pycache__", "site-packages", "dist-packages", "bower_components"})
"""Folders that hold dependencies, not the app's sources."""

_PY = (".py",)
_JS = (".js", ".mjs", ".cjs", ".jsx")
_TS = (".ts", ".mts", ".cts", ".tsx")
_GO = (".go",)

_PY_MARKERS = ("dotenv", "env_file", "read_env", "decouple")
_JS_MARKERS = ("dotenv",)
_GO_MARKERS = ("godotenv",)

_PY_DOTENV = {"load_dotenv", "dotenv_values", "find_dotenv"}
_PY_DECOUPLE = {"config", "AutoConfig", "RepositoryEnv", "Config"}
_DEFAULT = ".env"


@dataclass(frozen=True)
class EnvRead:
    """One place that reads a ``.env`` file at run time.

    Attributes:
        source: ``"app/database.py:7"`` (context path and line), or
            ``"package.json scripts.start"`` / ``"line 9"`` for a command.
        call: what reads it, ``"load_dotenv()"``, ``"node --env-file=.env"``.
        names: the base names it reads (``(".env",)``), or None when its
            path is computed (any ``.env`` file).
    """

    source: str
    call: str
    names: tuple[str, ...] | None

    def reads(self, path: str) -> bool:
        """Whether this read may load the context file ``path``."""
        return self.names is None or posixpath.basename(path) in self.names

    def __str__(self) -> str:
        return f"{self.source} {self.call}"


@dataclass(frozen=True)
class EnvFiles:
    """What :func:`read_env_files` found.

    Attributes:
        files: the ``.env``/``.env.<name>`` files of the context (context
            paths, sorted).
        reads: every :class:`EnvRead` found.
        complete: every folder was listed and every candidate source read
            and parsed (no bound reached); when False an absence of readers
            proves nothing.
    """

    files: tuple[str, ...]
    reads: tuple[EnvRead, ...]
    complete: bool

    def readers_of(self, path: str) -> list[EnvRead]:
        """The reads that may load the context file ``path``."""
        return [r for r in self.reads if r.reads(path)]


def is_env_file(name: str) -> bool:
    """Whether a file name is a dotenv file: ``.env`` or ``.env.<name>``."""
    return name == _DEFAULT or name.startswith(_DEFAULT + ".") and len(name) > len(_DEFAULT) + 1


def read_env_files(context, commands: tuple[tuple[str, str], ...] = ()) -> EnvFiles:
    """The ``.env`` files of ``context`` and what reads them.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        commands: ``(where, text)`` of the Dockerfile's commands (``("line
            9", "node --env-file=.env server.js")``), searched for
            ``--env-file`` and ``-r dotenv/config``.
    Returns:
        an :class:`EnvFiles`; its ``reads`` are only looked for when the
        context has a ``.env`` file (else empty). Never raises.
    """
    env_files: list[str] = []
    sources: list[tuple[str, str]] = []    # (path, kind) of candidate sources
    complete = True
    stack = [(".", 0)]
    listed = 0
    while stack:
        folder, depth = stack.pop()
        listed += 1
        if listed > MAX_FOLDERS:
            complete = False
            break
        names = context.list_dir(folder)
        for name in sorted(names):
            rel = name if folder == "." else f"{folder}/{name}"
            if context.is_dir(rel):
                if name.startswith(".") or name in _SKIP_DIRS or context.is_file(f"{rel}/pyvenv.cfg"):
                    continue
                if depth + 1 > MAX_DEPTH:
                    complete = False
                    continue
                stack.append((rel, depth + 1))
                continue
            if is_env_file(name):
                env_files.append(rel)
            elif name.endswith(_PY):
                sources.append((rel, "py"))
            elif name.endswith(_JS) or name.endswith(_TS) and not name.endswith(".d.ts"):
                sources.append((rel, "ts" if name.endswith(_TS) else "js"))
            elif name.endswith(_GO) and not name.endswith("_test.go"):
                sources.append((rel, "go"))
            elif name == "package.json":
                sources.append((rel, "package.json"))
    if not env_files:
        return EnvFiles((), (), complete)
    reads: list[EnvRead] = []
    for where, text in commands:
        reads.extend(_command_reads(where, text))
    total = 0
    go_seen = False
    for rel, kind in sorted(sources)[:MAX_FILES]:
        if total >= MAX_TOTAL_BYTES:
            complete = False
            break
        text = context.read_text(rel)
        if text is None:
            complete = False
            continue
        total += len(text)
        if kind == "py" and any(m in text for m in _PY_MARKERS):
            found = _python_reads(rel, text)
        elif kind in ("js", "ts") and any(m in text for m in _JS_MARKERS):
            found = _js_reads(rel, text, kind == "ts")
        elif kind == "go" and any(m in text for m in _GO_MARKERS):
            go_seen = True
            found = []
        elif kind == "package.json" and ("--env-file" in text or "dotenv" in text):
            found = _package_reads(rel, text)
        else:
            continue
        if found is None:
            complete = False
            continue
        reads.extend(found)
    if len(sources) > MAX_FILES:
        complete = False
    if go_seen:
        reads.extend(_go_reads(context))
    return EnvFiles(tuple(sorted(env_files)), tuple(reads), complete)


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------

def _command_reads(where: str, text: str) -> list[EnvRead]:
    """``node --env-file=F`` / ``--env-file F`` and ``-r dotenv/config`` in
    one command line."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    out = []
    for i, w in enumerate(words):
        value = None
        if w.startswith(("--env-file=", "--env-file-if-exists=")):
            value = w.split("=", 1)[1]
        elif w in ("--env-file", "--env-file-if-exists") and i + 1 < len(words):
            value = words[i + 1]
        if value is not None:
            out.append(EnvRead(where, f"node {w if '=' in w else w + ' ' + value}", _names_of(value)))
        if w in ("-r", "--require", "--import") and i + 1 < len(words) and words[i + 1] == "dotenv/config":
            out.append(EnvRead(where, f"node {w} dotenv/config", (_DEFAULT,)))
    return out


def _package_reads(rel: str, text: str) -> list[EnvRead] | None:
    """The reads of ``package.json`` scripts (``"start": "node --env-file=.env app.js"``)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    scripts = doc.get("scripts") if isinstance(doc, dict) else None
    out: list[EnvRead] = []
    for name, body in (scripts.items() if isinstance(scripts, dict) else ()):
        if isinstance(body, str):
            out.extend(_command_reads(f"{rel} scripts.{name}", body))
    return out


def _names_of(value: str | None) -> tuple[str, ...] | None:
    """The base name a path names, or None when it is computed (``$X``)."""
    if value is None:
        return (_DEFAULT,)
    value = value.strip().strip("'\"")
    if not value or "$" in value or "{" in value:
        return None
    return (posixpath.basename(posixpath.normpath(value)),)


# ---------------------------------------------------------------------------
# Python (libcst)
# ---------------------------------------------------------------------------

def _python_reads(rel: str, text: str) -> list[EnvRead] | None:
    """The ``.env`` reads of one Python module, or None when libcst can't parse it."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except Exception:   # libcst.ParserSyntaxError and others on odd input
        return None
    module = wrapper.module
    positions = wrapper.resolve(PositionProvider)
    code = module.code_for_node

    aliases: dict[str, tuple[str, str]] = {}   # local name -> (library, function)
    modules: dict[str, str] = {}                # local name -> library
    for node in _walk(module):
        if isinstance(node, cst.ImportFrom) and node.module is not None and not isinstance(node.names, cst.ImportStar):
            lib = _dotted(node.module).split(".")[0]
            for alias in node.names:
                name = _dotted(alias.name)
                local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                aliases[local] = (lib, name)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                name = _dotted(alias.name)
                local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                modules[local] = name.split(".")[0]
    libs = {lib for lib, _ in aliases.values()} | set(modules.values())
    out: list[EnvRead] = []

    def add(node, call: str, names) -> None:
        out.append(EnvRead(f"{rel}:{positions[node].start.line}", call, names))

    for node in _walk(module):
        if isinstance(node, cst.Call):
            func = node.func
            lib, name = None, None
            if isinstance(func, cst.Name) and func.value in aliases:
                lib, name = aliases[func.value]
            elif isinstance(func, cst.Attribute):
                base = _dotted(func.value)
                name = func.attr.value
                root = base.split(".")[0]
                lib = modules.get(root) or (aliases.get(root, (None,))[0] if root in aliases else None)
                if name == "read_env" and "environ" in libs:
                    lib = "environ"
            if lib == "dotenv" and name in _PY_DOTENV:
                add(node, f"{name}()", _py_path(node, ("dotenv_path",), code))
            elif lib == "decouple" and name in _PY_DECOUPLE:
                if name == "Config":
                    continue    # Config(RepositoryEnv(...)): the RepositoryEnv call names the file
                add(node, f"{name}()", _py_path(node, ("source",), code) if name == "RepositoryEnv" else (_DEFAULT,))
            elif lib == "environ" and name == "read_env":
                add(node, f"{_dotted(func)}()" if isinstance(func, cst.Attribute) else "read_env()",
                    _py_path(node, ("env_file",), code))
            if {"pydantic_settings", "pydantic"} & libs:
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "env_file":
                        add(node, "env_file=", _py_value(arg.value))
        elif isinstance(node, cst.ClassDef) and {"pydantic_settings", "pydantic"} & libs:
            for stmt in _class_statements(node):
                for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                    target = None
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target, value = small.targets[0].target, small.value
                    elif isinstance(small, cst.AnnAssign) and small.value is not None:
                        target, value = small.target, small.value
                    if isinstance(target, cst.Name) and target.value == "env_file":
                        add(small, "env_file =", _py_value(value))
    return out


def _walk(root):
    """Every node under ``root`` (libcst), depth first."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _class_statements(node) -> list:
    """The statements of a class body and of the classes nested in it
    (pydantic v1's ``class Config``)."""
    import libcst as cst

    out = []
    for stmt in node.body.body:
        out.append(stmt)
        if isinstance(stmt, cst.ClassDef):
            out.extend(_class_statements(stmt))
    return out


def _dotted(node) -> str:
    """``a.b.c`` for a Name/Attribute chain, ``""`` otherwise."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _py_path(call, keywords: tuple[str, ...], code) -> tuple[str, ...] | None:
    """The base name a reader call's path argument names: its first
    positional argument or one of ``keywords``; ``.env`` without one."""
    value = None
    for arg in call.args:
        if arg.keyword is None and arg.star == "":
            value = arg.value
            break
        if arg.keyword is not None and arg.keyword.value in keywords:
            value = arg.value
            break
    if value is None:
        return (_DEFAULT,)
    return _py_value(value)


def _py_value(value) -> tuple[str, ...] | None:
    """The base names a path expression names: a string, a tuple or list of
    them, ``os.path.join(..., '.env')``, ``BASE_DIR / '.env'``; None when
    computed otherwise."""
    import libcst as cst

    if isinstance(value, cst.SimpleString):
        try:
            text = value.evaluated_value
        except Exception:
            return None
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return _names_of(text)
    if isinstance(value, cst.ConcatenatedString):
        return None
    if isinstance(value, (cst.Tuple, cst.List)):
        names: list[str] = []
        for el in value.elements:
            got = _py_value(el.value)
            if got is None:
                return None
            names.extend(got)
        return tuple(names)
    last = None
    if isinstance(value, cst.Call) and value.args:
        last = value.args[-1].value
    elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
        last = value.right
    if isinstance(last, cst.SimpleString):
        got = _py_value(last)
        if got and all(n.startswith(_DEFAULT) for n in got):
            return got
    return None


# ---------------------------------------------------------------------------
# JavaScript / TypeScript (tree-sitter)
# ---------------------------------------------------------------------------

_JS_STRING = re.compile(r"""^(['"`])(.*)\1$""", re.S)


def _js_reads(rel: str, text: str, typescript: bool) -> list[EnvRead] | None:
    """The ``.env`` reads of one JavaScript/TypeScript file, or None when
    it does not parse."""
    from migrator.context.node import _parser

    src = text.encode("utf-8")
    try:
        tree = _parser(typescript).parse(src)
    except Exception:
        return None
    if tree.root_node.has_error and tree.root_node.child_count == 0:
        return None

    def txt(node) -> str:
        return src[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def string_value(node) -> str | None:
        if node is None or node.type not in ("string", "template_string"):
            return None
        m = _JS_STRING.match(txt(node))
        return m.group(2) if m and "${" not in m.group(2) else None

    def require_of(node) -> str | None:
        """'dotenv' for require('dotenv') / import('dotenv')."""
        if node is None or node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        if fn is None or txt(fn) not in ("require", "import"):
            return None
        args = node.child_by_field_name("arguments")
        first = [c for c in (args.named_children if args is not None else []) if c.type != "comment"]
        return string_value(first[0]) if first else None

    out: list[EnvRead] = []
    bound: set[str] = set()          # names bound to the dotenv module
    configs: set[str] = set()        # names bound to dotenv's config function
    nodes = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(reversed(node.children))
    for node in nodes:
        line = node.start_point[0] + 1
        if node.type == "import_statement":
            spec = string_value(node.child_by_field_name("source"))
            if spec == "dotenv/config":
                out.append(EnvRead(f"{rel}:{line}", "import 'dotenv/config'", (_DEFAULT,)))
            elif spec == "dotenv":
                for sub in _descendants(node):
                    if sub.type == "identifier" and sub.parent is not None and sub.parent.type in (
                            "import_clause", "namespace_import"):
                        bound.add(txt(sub))
                    elif sub.type == "import_specifier":
                        name = sub.child_by_field_name("name")
                        alias = sub.child_by_field_name("alias")
                        if name is not None and txt(name) == "config":
                            configs.add(txt(alias or name))
        elif node.type == "call_expression":
            spec = require_of(node)
            if spec == "dotenv/config":
                out.append(EnvRead(f"{rel}:{line}", "require('dotenv/config')", (_DEFAULT,)))
            elif spec == "dotenv" and node.parent is not None and node.parent.type == "variable_declarator":
                name = node.parent.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    bound.add(txt(name))
                elif name is not None and name.type == "object_pattern":
                    for sub in _descendants(name):
                        if sub.type in ("shorthand_property_identifier_pattern",) and txt(sub) == "config":
                            configs.add("config")
                        elif sub.type == "pair_pattern":
                            key, val = sub.child_by_field_name("key"), sub.child_by_field_name("value")
                            if key is not None and val is not None and txt(key) == "config":
                                configs.add(txt(val))
    for node in nodes:
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        if fn is None:
            continue
        hit = False
        if fn.type == "member_expression":
            obj, prop = fn.child_by_field_name("object"), fn.child_by_field_name("property")
            if prop is not None and txt(prop) == "config" and obj is not None and (
                    txt(obj) in bound or require_of(obj) == "dotenv"):
                hit = True
        elif fn.type == "identifier" and txt(fn) in configs:
            hit = True
        if not hit:
            continue
        args = node.child_by_field_name("arguments")
        first = [c for c in (args.named_children if args is not None else []) if c.type != "comment"]
        names: tuple[str, ...] | None = (_DEFAULT,)
        if first:
            names = None
            if first[0].type == "object":
                path = None
                for pair in first[0].named_children:
                    if pair.type == "pair" and txt(pair.child_by_field_name("key")).strip("'\"") == "path":
                        path = pair.child_by_field_name("value")
                if path is None:
                    names = (_DEFAULT,)
                else:
                    value = string_value(path)
                    names = _names_of(value) if value is not None else None
        out.append(EnvRead(f"{rel}:{node.start_point[0] + 1}", f"{txt(fn)}()", names))
    return out


def _descendants(node):
    stack = list(node.children)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


# ---------------------------------------------------------------------------
# Go (tree-sitter-go, through migrator.context.go)
# ---------------------------------------------------------------------------

def _go_reads(context) -> list[EnvRead]:
    """godotenv reads of the Go sources of the context."""
    from migrator.context.go import read_go_sources

    try:
        sources = read_go_sources(context, ".")
    except Exception:   # a reader bug must not cost the .dockerignore
        return [EnvRead("the Go sources", "godotenv", None)]
    if sources is None:
        return []
    out = []
    for path, where in sources.read_sites:
        if "godotenv." not in where:
            continue
        source, _, call = where.partition(": ")
        names = None if path.endswith("/") else _names_of(path)
        out.append(EnvRead(source, call or "godotenv", names))
    for where in sources.unresolved:
        if "godotenv." in where:
            source, _, call = where.partition(": ")
            out.append(EnvRead(source, call or "godotenv", None))
    return out

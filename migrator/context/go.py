"""Go sources of the build context, read for what a built program needs at run time.

:func:`read_go_sources` reads the ``.go`` files of a folder of the build
context (bounded: at most :data:`MAX_FILES` files and :data:`MAX_TOTAL_BYTES`
bytes, through :class:`migrator.context.BuildContext`'s reads; ``vendor/``,
``testdata/``, hidden folders and ``_test.go`` files skipped) with the
tree-sitter Go grammar, and answers three questions:

- does a package use cgo (``import "C"``: https://pkg.go.dev/cmd/cgo) in a
  file that builds on Linux (its ``//go:build``/``// +build`` constraint and
  ``_GOOS``/``_GOARCH`` file name read as https://pkg.go.dev/go/build#hdr-Build_Constraints
  says: :func:`may_build`)?
- which files does a ``//go:embed`` directive compile into the binary
  (https://pkg.go.dev/embed: patterns relative to the package folder,
  an ``all:`` prefix, quoted patterns)?
- which paths does the program read from disk: the path arguments of the
  calls listed in ``go-runtime.json`` ``disk_reads`` (``os.ReadFile``,
  ``template.ParseGlob``, ``http.Dir``, viper's ``AddConfigPath``...),
  resolved by :func:`_resolve` through string literals, package-level and
  local ``const``/string ``var`` initialisers never assigned again,
  ``filepath.Join``/``path.Join``, ``+`` and ``fmt.Sprintf``. A path with a
  run-time tail (``filepath.Join(configDir, name+".json")``) gives its
  constant folder (``config/``); a path with no constant folder (a flag, a
  parameter) is listed in :attr:`GoSources.unresolved` with its file, line
  and call, for the caller to report.

A file that can't be read or parsed is counted as unread, never raised:
:attr:`GoSources.complete` is then False and callers must not rely on an
absence (no cgo, no disk read).

What the dependencies may do is read by :func:`read_modules`: the modules
``go.mod`` requires and ``go.sum`` lists, and, when the build uses a
``vendor/`` folder (https://go.dev/ref/mod#vendoring), the vendored sources
themselves, for ``import "C"`` (bounded by :data:`MAX_VENDOR_FILES` and
:data:`MAX_VENDOR_BYTES`).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from dataclasses import dataclass

MAX_FILES = 400
"""Most ``.go`` files read from one context."""

MAX_TOTAL_BYTES = 8 << 20
"""Most bytes of Go source read from one context (8 MiB)."""

MAX_VENDOR_FILES = 20_000
"""Most ``.go`` files of ``vendor/`` looked at."""

MAX_VENDOR_BYTES = 96 << 20
"""Most bytes of ``vendor/`` sources read (96 MiB)."""

_SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})
"""Folders whose Go files are not the program's own sources (``go build``
ignores ``testdata`` and vendored code is a dependency)."""


@dataclass(frozen=True)
class GoSources:
    """What the Go sources of a context show.

    Attributes:
        files: paths of the ``.go`` files read, relative to the context root.
        cgo: the files among them that ``import "C"``.
        embeds: ``//go:embed`` patterns, relative to the context root (the
            package folder joined with the pattern, ``all:`` and quotes
            removed), in order.
        disk_reads: paths passed to a disk read, as resolved: a whole path
            as written (``"templates/*.html"``, ``"./static"``,
            ``"/etc/app.yaml"``), or the constant folder of a computed one
            with a trailing slash (``"config/"``).
        go_mod_requires: the modules ``go.mod`` requires (``()`` without
            ``go.mod`` or requirements).
        has_go_mod: ``go.mod`` was read.
        complete: every ``.go`` file under the folder was read and parsed
            (no limit reached, none unreadable).
        read_sites: ``(path, where)`` for each entry of ``disk_reads``
            (``where``: ``"main.go:13: os.ReadFile(...)"``), for reasons.
        unresolved: ``where`` of each disk read whose path has no constant
            folder (a parameter, a flag, a variable assigned at run time).
        write_sites: ``(folder, where, file)`` for each disk write
            (``go-runtime.json`` ``disk_writes``: ``os.Create``,
            ``os.OpenFile`` with a write flag, ``os.WriteFile``,
            ``os.MkdirAll``, gin's ``SaveUploadedFile``, a sqlite path...):
            ``folder`` the folder the program must be able to write in, as
            resolved (``"."``: the working directory; ``"/data/uploads"``;
            ``"uploads"``), ``file`` the whole path of a file it writes when
            known (``"records.bin"``), else None.
        unresolved_writes: ``where`` of each disk write whose path has no
            constant folder.
        path_literals: ``(value, where)`` of the string literals of the
            sources that look like a relative or absolute path (no space, no
            format verb, not an import path or a struct tag): a path handed
            to code the tool does not read (a dependency's struct field,
            ``servertools.Tools{TmplsDir: "./ui/html/pages/"}``), which the
            caller checks against the build context.
    """

    files: tuple[str, ...]
    cgo: tuple[str, ...]
    embeds: tuple[str, ...]
    disk_reads: tuple[str, ...]
    go_mod_requires: tuple[str, ...]
    has_go_mod: bool
    complete: bool
    read_sites: tuple[tuple[str, str], ...] = ()
    unresolved: tuple[str, ...] = ()
    write_sites: tuple[tuple[str, str, str | None], ...] = ()
    unresolved_writes: tuple[str, ...] = ()
    path_literals: tuple[tuple[str, str], ...] = ()

    def embedded(self, path: str) -> bool:
        """Whether the context path ``path`` (a file or folder) is compiled
        into the binary by a ``//go:embed`` pattern: a pattern names it, a
        folder inside it, or a file glob inside it (``templates/*.html``
        embeds ``templates``)."""
        path = posixpath.normpath(path)
        for pattern in self.embeds:
            fixed = _fixed_prefix(pattern)
            if fixed == path or fixed.startswith(path + "/") or path.startswith(fixed + "/") and fixed != ".":
                return True
        return False


@functools.cache
def go_facts() -> dict:
    """The ``go-runtime.json`` data (see its ``_doc``)."""
    from migrator.analysis.packages import read_data

    return json.loads(read_data("go-runtime.json"))


@functools.cache
def cgo_modules() -> dict:
    """``{module path: entry}`` of ``go-cgo-modules.json`` (see its ``_doc``)."""
    from migrator.analysis.packages import read_data

    return json.loads(read_data("go-cgo-modules.json"))["modules"]


def known_cgo_modules(modules) -> list[tuple[str, dict]]:
    """``(module, entry)`` for each of ``modules`` (paths) that
    ``go-cgo-modules.json`` lists, a ``/vN`` major suffix ignored on both
    sides (the same project: matching only ever keeps a cgo build)."""
    import re

    def key(path: str) -> str:
        return re.sub(r"/v\d+$", "", path)

    data = {key(k): (k, v) for k, v in cgo_modules().items()}
    out = []
    for m in dict.fromkeys(modules):
        if key(m) in data:
            out.append((m, data[key(m)][1]))
    return out


def read_go_sources(context, folder: str = ".", max_files: int = MAX_FILES,
                    max_bytes: int = MAX_TOTAL_BYTES, env: dict | None = None) -> GoSources | None:
    """Read the Go sources under ``folder`` of ``context``.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: the folder relative to the context root (``"."``).
        max_files, max_bytes: the bounds (:data:`MAX_FILES`,
            :data:`MAX_TOTAL_BYTES`).
        env: the environment the program starts with, as the Dockerfile's
            ``ENV`` sets it (``{"BASE_DIR": "/data"}``): ``os.Getenv("X")``
            resolves to its value (a variable it does not set has no
            constant value), and so does a helper of the package that
            returns ``os.Getenv(name)`` or a default (:func:`_call_value`).
    Returns:
        the :class:`GoSources`, or None when the folder holds no ``.go``
        file and no ``go.mod`` (nothing to say). Never raises for the
        content of the context.
    """
    parser = _parser()
    files: list[str] = []
    cgo: list[str] = []
    embeds: list[str] = []
    reads: list[str] = []
    sites: list[tuple[str, str]] = []
    unresolved: list[str] = []
    parsed: list[tuple[str, bytes, object]] = []     # (path, source, root node): disk reads resolved after all
    complete = True
    total = 0
    stack = [posixpath.normpath(folder)]
    while stack:
        current = stack.pop()
        for name in context.list_dir(current):
            rel = name if current == "." else f"{current}/{name}"
            if context.is_dir(rel):
                if name.startswith((".", "_")) or name in _SKIP_DIRS:
                    continue
                stack.append(rel)
                continue
            if not name.endswith(".go") or name.endswith("_test.go"):
                continue
            if len(files) >= max_files or total >= max_bytes:
                complete = False
                continue
            text = context.read_text(rel, limit=max_bytes - total)
            if text is None:
                complete = False
                continue
            total += len(text.encode("utf-8"))
            files.append(rel)
            got = _read_file(parser, text, posixpath.dirname(rel) or ".")
            if got is None:
                complete = False
                continue
            uses_cgo, file_embeds, src, root = got
            if uses_cgo and may_build(text, name, cgo=True):
                cgo.append(rel)
            embeds.extend(file_embeds)
            parsed.append((rel, src, root))
    packages: dict[str, dict] = {}
    module = _module_path(context.read_text("go.mod" if folder in (".", "") else f"{folder}/go.mod") or "")
    for rel, src, root in parsed:
        package = packages.setdefault(posixpath.dirname(rel), {_ENV: dict(env or {}), _PACKAGES: packages})
        _package_bindings(root, src, package)
        if module:
            _import_bindings(root, src, module, folder, package)
    writes: list[tuple[str, str, str | None]] = []
    unresolved_writes: list[str] = []
    literals: list[tuple[str, str]] = []
    for rel, src, root in sorted(parsed, key=lambda item: item[0]):
        package = packages.get(posixpath.dirname(rel), {})
        for value, where in _disk_reads(root, src, rel, package):
            if value is None:
                unresolved.append(where)
            else:
                reads.append(value)
                sites.append((value, where))
        for folder_, where, file in _disk_writes(root, src, rel, package):
            if folder_ is None:
                unresolved_writes.append(where)
            else:
                writes.append((folder_, where, file))
        if len(literals) < MAX_PATH_LITERALS:
            literals.extend(_path_literals(root, src, rel)[:MAX_PATH_LITERALS - len(literals)])
    mod_path = "go.mod" if folder in (".", "") else f"{folder}/go.mod"
    mod = context.read_text(mod_path)
    if not files and mod is None:
        return None
    return GoSources(tuple(sorted(files)), tuple(sorted(cgo)), tuple(embeds), tuple(dict.fromkeys(reads)),
                     _requires(mod) if mod is not None else (), mod is not None, complete, tuple(sites),
                     tuple(unresolved), tuple(writes), tuple(unresolved_writes), tuple(literals))


def _requires(text: str) -> tuple[str, ...]:
    """The module paths of a go.mod's ``require`` lines, single and in
    blocks (https://go.dev/ref/mod#go-mod-file-require)."""
    out: list[str] = []
    block = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if block:
            if line.startswith(")"):
                block = False
            elif line:
                out.append(line.split()[0])
        elif line.startswith("require"):
            rest = line[len("require"):].strip()
            if rest.startswith("("):
                block = True
            elif rest:
                out.append(rest.split()[0])
    return tuple(out)


@functools.cache
def _parser():
    from tree_sitter import Language, Parser
    import tree_sitter_go

    return Parser(Language(tree_sitter_go.language()))


def _fixed_prefix(pattern: str) -> str:
    """The folder part of a pattern before its first glob character
    (``templates/*.html`` -> ``templates``)."""
    parts = []
    for part in pattern.split("/"):
        if any(c in part for c in "*?["):
            break
        parts.append(part)
    return posixpath.normpath("/".join(parts)) if parts else "."


def _string_value(node, src: bytes) -> str | None:
    """The value of a Go string literal node (interpreted or raw), or None
    for another node or a literal with escapes other than ``\\\\``/``\\"``."""
    text = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    if node.type == "raw_string_literal":
        return text[1:-1]
    if node.type == "interpreted_string_literal":
        body = text[1:-1]
        if "\\" in body.replace("\\\\", "").replace('\\"', ""):
            return None
        return body.replace('\\"', '"').replace("\\\\", "\\")
    return None


def _read_file(parser, text: str, package_dir: str):
    """(imports "C", embed patterns relative to the context root, source
    bytes, root node) of one Go file, or None when it does not parse."""
    src = text.encode("utf-8")
    tree = parser.parse(src)
    root = tree.root_node
    if root.has_error and root.child_count == 0:
        return None
    uses_cgo = False
    embeds: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "import_spec":
            path = node.child_by_field_name("path")
            if path is not None and _string_value(path, src) == "C":
                uses_cgo = True
        elif kind == "comment":
            body = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
            if body.startswith("//go:embed "):
                for pattern in _embed_patterns(body[len("//go:embed "):]):
                    embeds.append(posixpath.normpath(posixpath.join(package_dir, pattern)))
        stack.extend(reversed(node.children))
    return uses_cgo, embeds, src, root


# ---------------------------------------------------------------------------
# Disk reads and the constant paths they are given

_UNSET = object()
"""A name bound more than once, assigned or whose address is taken: its value
is not constant."""

_MAX_DEPTH = 12
"""Most identifiers followed for one path (a cycle or a long chain gives up)."""

MAX_PATH_LITERALS = 2000
"""Most path-like string literals kept from one context."""

_ENV = "#env"
_FUNCS = "#funcs"
_IMPORTS = "#imports"
_PACKAGES = "#packages"
"""Keys of a package scope that no Go identifier can be: the environment
(:func:`read_go_sources` ``env``), the package's functions by name, the
import names of its files that stand for packages of the context (name ->
folder) and every package scope by folder."""


def _module_path(go_mod: str) -> str | None:
    """The ``module`` line of a go.mod (https://go.dev/ref/mod#go-mod-file-module)."""
    for raw in go_mod.splitlines():
        words = raw.split("//", 1)[0].split()
        if len(words) == 2 and words[0] == "module":
            return words[1].strip('"')
    return None


def _import_bindings(root, src: bytes, module: str, folder: str, package: dict) -> None:
    """Add to ``package``'s imports the names a file gives the packages of
    its own module (``import "example.com/app/env"`` -> ``env`` -> the
    folder ``env``; an explicit name wins; the last path element otherwise, as
    the packages of a module are conventionally named). A name two files
    bind to different folders is dropped."""
    imports = package.setdefault(_IMPORTS, {})
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "import_spec":
            path_node = n.child_by_field_name("path")
            path = _string_value(path_node, src) if path_node is not None else None
            if not path or not path.startswith(module + "/"):
                continue
            name_node = n.child_by_field_name("name")
            name = _text(name_node, src) if name_node is not None else path.rsplit("/", 1)[-1]
            if name in (".", "_"):
                continue
            target = posixpath.normpath(posixpath.join(folder, path[len(module) + 1:]))
            target = "" if target == "." else target
            imports[name] = target if imports.get(name, target) == target else _UNSET
        elif n.type in ("source_file", "import_declaration", "import_spec_list"):
            stack.extend(n.children)


@dataclass(frozen=True)
class _Value:
    """A parameter bound to its argument's resolved value (``text``, ``exact``)."""

    text: str
    exact: bool


def _text(node, src: bytes) -> str:
    return src[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _bind(scope: dict, name: str, value) -> None:
    scope[name] = _UNSET if name in scope else value


def _spec_bindings(node, src: bytes, scope: dict) -> None:
    """Bind the names of a ``const_spec``/``var_spec`` or a
    ``short_var_declaration`` to ``(initialiser node, its file's source)``
    (a name without one, or with a count mismatch, is not constant)."""
    if node.type == "short_var_declaration":
        names = node.child_by_field_name("left")
        values = node.child_by_field_name("right")
        name_nodes = [n for n in names.named_children if n.type == "identifier"] if names is not None else []
    else:
        name_nodes = [c for c in node.children_by_field_name("name")]
        values = node.child_by_field_name("value")
    value_nodes = list(values.named_children) if values is not None else []
    for i, n in enumerate(name_nodes):
        name = _text(n, src)
        if name == "_":
            continue
        _bind(scope, name, (value_nodes[i], src) if len(value_nodes) == len(name_nodes) else _UNSET)


def _unset_assigned(node, src: bytes, scope: dict) -> None:
    """Mark names assigned (``x = ...``, ``x += ...``, ``x++``) or whose
    address is taken (``&x``: ``flag.StringVar(&x, ...)``) under ``node``."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("assignment_statement", "inc_statement", "dec_statement"):
            left = n.child_by_field_name("left") or (n.named_children[0] if n.named_children else None)
            targets = left.named_children if left is not None and left.type == "expression_list" else [left]
            for t in targets:
                if t is not None and t.type == "identifier":
                    scope[_text(t, src)] = _UNSET
        elif n.type == "unary_expression" and _text(n, src).startswith("&"):
            operand = n.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                scope[_text(operand, src)] = _UNSET
        stack.extend(n.children)


def _package_bindings(root, src: bytes, scope: dict) -> None:
    """Add the package-level ``const``/``var`` names of one file to the
    package's ``scope`` (shared by the files of one folder), and mark the
    names any function of the file assigns."""
    for node in root.named_children:
        if node.type in ("const_declaration", "var_declaration"):
            for spec in _specs(node):
                _spec_bindings(spec, src, scope)
    for node in root.named_children:
        if node.type in ("function_declaration", "method_declaration"):
            body = node.child_by_field_name("body")
            if body is not None:
                _unset_globals(body, src, scope)
        if node.type == "function_declaration":
            name = node.child_by_field_name("name")
            if name is not None:
                funcs = scope.setdefault(_FUNCS, {})
                key = _text(name, src)
                funcs[key] = _UNSET if key in funcs else (node, src)


def _unset_globals(body, src: bytes, scope: dict) -> None:
    """Mark the package names a function body assigns, unless the body
    declares a local of that name (then the assignment is to the local)."""
    local: dict = {}
    _local_bindings(body, src, local, mark_assigned=False)
    assigned: dict = {}
    _unset_assigned(body, src, assigned)
    for name in assigned:
        if name not in local and name in scope:
            scope[name] = _UNSET


def _specs(declaration):
    """The ``const_spec``/``var_spec`` nodes of a declaration (grouped or not)."""
    out = []
    stack = list(declaration.named_children)
    while stack:
        n = stack.pop(0)
        if n.type in ("const_spec", "var_spec"):
            out.append(n)
        elif n.type in ("var_spec_list", "const_spec_list"):
            stack = list(n.named_children) + stack
    return out


def _local_bindings(body, src: bytes, scope: dict, mark_assigned: bool = True) -> None:
    """Bind the ``const``, ``var`` and ``:=`` names declared anywhere in a
    function body (nested function literals included: names only, so a
    name declared twice is not constant), then mark the assigned ones."""
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type in ("const_declaration", "var_declaration"):
            for spec in _specs(n):
                _spec_bindings(spec, src, scope)
        elif n.type == "short_var_declaration":
            _spec_bindings(n, src, scope)
        elif n.type in ("parameter_declaration", "variadic_parameter_declaration"):
            for name in n.children_by_field_name("name"):
                scope[_text(name, src)] = _UNSET
        elif n.type in ("range_clause", "type_switch_statement", "receive_statement"):
            left = n.child_by_field_name("left") or n.child_by_field_name("alias")
            for t in (left.named_children if left is not None and left.type == "expression_list"
                      else [left] if left is not None else []):
                if t.type == "identifier":
                    scope[_text(t, src)] = _UNSET
        stack.extend(n.children)
    if mark_assigned:
        _unset_assigned(body, src, scope)


_VERB = re.compile(r"%[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]")


def _resolve(node, src: bytes, scope: dict, package: dict, depth: int = 0) -> tuple[str, bool]:
    """``(text, exact)`` of a Go string expression: ``exact`` when the whole
    value is constant, else ``text`` is its constant prefix (``""`` when it
    has none). Follows literals, names bound in ``scope`` (the function's
    locals) then ``package``, parentheses, ``+``, ``filepath.Join``/
    ``path.Join`` (https://pkg.go.dev/path/filepath#Join: elements joined
    with ``/``, empty ones ignored, then cleaned) and ``fmt.Sprintf`` with
    ``%s``/``%v``/``%d`` verbs (https://pkg.go.dev/fmt)."""
    if node is None or depth > _MAX_DEPTH:
        return "", False
    kind = node.type
    if kind in ("interpreted_string_literal", "raw_string_literal"):
        value = _string_value(node, src)
        return (value, True) if value is not None else ("", False)
    if kind == "parenthesized_expression":
        inner = node.named_children
        return _resolve(inner[0], src, scope, package, depth + 1) if len(inner) == 1 else ("", False)
    if kind == "identifier":
        name = _text(node, src)
        if name in scope:
            bound = scope[name]
            if isinstance(bound, _Value):
                return bound.text, bound.exact
            return ("", False) if bound is _UNSET else _resolve(bound[0], bound[1], scope, package, depth + 1)
        bound = package.get(name)
        if bound is None or bound is _UNSET:
            return "", False
        return _resolve(bound[0], bound[1], {}, package, depth + 1)
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is None or _text(operator, src) != "+":
            return "", False
        left = _resolve(node.child_by_field_name("left"), src, scope, package, depth + 1)
        if not left[1]:
            return left
        right = _resolve(node.child_by_field_name("right"), src, scope, package, depth + 1)
        return left[0] + right[0], right[1]
    if kind == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None:
            return "", False
        args = [a for a in arguments.named_children if a.type != "comment"]
        if function.type == "identifier":
            return _call_value(package.get(_FUNCS, {}).get(_text(function, src)), args, src, scope, package, depth)
        if function.type != "selector_expression":
            return "", False
        called = _text(function, src)
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        if operand is not None and operand.type == "identifier" and field is not None:
            target = package.get(_IMPORTS, {}).get(_text(operand, src))
            name = _text(field, src)
            if isinstance(target, str) and name[:1].isupper():
                callee = package.get(_PACKAGES, {}).get(target)
                if callee is not None:
                    return _call_value(callee.get(_FUNCS, {}).get(name), args, src, scope, package, depth, callee)
        if called == "os.Getenv" and len(args) == 1:
            name, exact = _resolve(args[0], src, scope, package, depth + 1)
            env = package.get(_ENV, {})
            return (env[name], True) if exact and name in env else ("", False)
        if called == "os.TempDir" and not args:
            # $TMPDIR, else /tmp on Unix (https://pkg.go.dev/os#TempDir)
            return package.get(_ENV, {}).get("TMPDIR") or "/tmp", True
        if called in ("filepath.Dir", "path.Dir") and len(args) == 1:
            text, exact = _resolve(args[0], src, scope, package, depth + 1)
            if not exact:
                return (text.rsplit("/", 1)[0] + "/" if "/" in text else ""), False
            return _go_dir(text), True
        if called in ("filepath.Join", "path.Join"):
            parts: list[str] = []
            for arg in args:
                text, exact = _resolve(arg, src, scope, package, depth + 1)
                if not exact:
                    prefix = "/".join(p for p in parts if p)
                    return (prefix + "/" + text if prefix else text), False
                parts.append(text)
            joined = "/".join(p for p in parts if p)
            return (posixpath.normpath(joined) if joined else ""), True
        if called == "fmt.Sprintf" and args:
            template, exact = _resolve(args[0], src, scope, package, depth + 1)
            if not exact:
                return template, False
            out = ""
            rest = args[1:]
            at = 0
            for m in _VERB.finditer(template):
                out += template[at:m.start()]
                at = m.end()
                if m.group() == "%%":
                    out += "%"
                    continue
                if m.group()[-1] not in "svd" or "*" in m.group() or not rest:
                    return out, False
                text, exact = _resolve(rest.pop(0), src, scope, package, depth + 1)
                if not exact:
                    return out + text, False
                out += text
            return out + template[at:], True
    return "", False


def _go_dir(path: str) -> str:
    """Go's ``filepath.Dir``: all but the last element, cleaned; ``"."``
    for none (https://pkg.go.dev/path/filepath#Dir)."""
    head = path[:path.rfind("/") + 1]
    if not head:
        return "."
    return posixpath.normpath(head) if head != "/" else "/"


def _call_value(function, args: list, src: bytes, scope: dict, package: dict, depth: int,
                callee: dict | None = None) -> tuple[str, bool]:
    """The value of a call to a function of the context's sources (the
    caller's package, or ``callee``, another package of the module, for an
    exported function: ``env.GetBaseDir()``), as :func:`_resolve` gives it:
    its arguments resolved in the caller and bound to its parameters, then

    - an environment helper (a parameter ``name`` passed to ``os.Getenv`` or
      ``os.LookupEnv``, another parameter returned as the default:
      ``func getEnvOr(name, def string) string``): the value the
      environment gives ``name`` when it is set and not empty, else the
      default's;
    - a body of one ``return EXPR``: that expression's value.

    ``("", False)`` for anything else (a method, a function declared twice,
    a longer body)."""
    if function is None or function is _UNSET or depth > _MAX_DEPTH:
        return "", False
    node, fsrc = function
    params = node.child_by_field_name("parameters")
    body = node.child_by_field_name("body")
    if params is None or body is None:
        return "", False
    names = [_text(n, fsrc) for p in params.named_children if p.type == "parameter_declaration"
             for n in p.children_by_field_name("name")]
    if len(names) != len(args) or any(a.type == "variadic_argument" for a in args):
        return "", False
    values = {n: _Value(*_resolve(a, src, scope, package, depth + 1)) for n, a in zip(names, args)}
    package = callee if callee is not None else package      # the body's names are the callee's
    returns = _returned(body, fsrc)
    env_param = _env_parameter(body, fsrc, names)
    if env_param is not None:
        defaults = [r for r in returns if r.type == "identifier" and _text(r, fsrc) in names
                    and _text(r, fsrc) != env_param]
        name = values[env_param]
        env = package.get(_ENV, {})
        if len(defaults) != 1 or not name.exact:
            return "", False
        if env.get(name.text):
            return env[name.text], True
        default = values[_text(defaults[0], fsrc)]
        return default.text, default.exact
    statements = [c for c in body.named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "statement_list":     # tree-sitter-go 0.23+
        statements = [c for c in statements[0].named_children if c.type != "comment"]
    if len(statements) == 1 and statements[0].type == "return_statement" and len(returns) == 1:
        return _resolve(returns[0], fsrc, values, package, depth + 1)
    return "", False


def _returned(body, src: bytes) -> list:
    """The expressions of the body's ``return`` statements with one value
    (nested function literals skipped)."""
    out = []
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "func_literal":
            continue
        if n.type == "return_statement":
            values = [c for c in n.named_children if c.type != "comment"]
            if len(values) == 1 and values[0].type == "expression_list":
                values = list(values[0].named_children)
            if len(values) == 1:
                out.append(values[0])
        stack.extend(n.children)
    return out


def _env_parameter(body, src: bytes, params: list[str]) -> str | None:
    """The parameter a body passes to ``os.Getenv``/``os.LookupEnv``, if one."""
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "call_expression":
            function = n.child_by_field_name("function")
            arguments = n.child_by_field_name("arguments")
            if function is not None and arguments is not None and \
                    _text(function, src) in ("os.Getenv", "os.LookupEnv"):
                args = [a for a in arguments.named_children if a.type != "comment"]
                if len(args) == 1 and args[0].type == "identifier" and _text(args[0], src) in params:
                    return _text(args[0], src)
        stack.extend(n.children)
    return None


def _read_calls() -> tuple[dict, set, dict, dict, set]:
    """The ``disk_reads`` facts: (functions by package, method names of any
    receiver, path argument positions, paths of calls without arguments,
    probes)."""
    facts = go_facts()["disk_reads"]
    by_package = {k: set(v) for k, v in facts.items() if not k.startswith("_")}
    return (by_package, set(facts["_any"]), facts.get("_path_args", {}), facts.get("_no_args", {}),
            set(facts.get("_probes", ())))


def _disk_reads(root, src: bytes, rel: str, package: dict):
    """``(path or None, where)`` for each path argument of a disk read in
    one file: the whole constant path, or its constant folder with a
    trailing slash, or None (no constant folder). ``where`` is
    ``"file:line: call"``."""
    by_package, any_receiver, path_args, no_args, probes = _read_calls()
    out: list[tuple[str | None, str]] = []

    def read(node, scope: dict) -> None:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "selector_expression":
            return
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        name = _text(field, src) if field is not None else ""
        pkg = _text(operand, src) if operand is not None and operand.type == "identifier" else None
        if not (name in by_package.get(pkg or "", ()) or name in any_receiver):
            return
        qualified = f"{pkg}.{name}" if pkg else name
        args = [a for a in arguments.named_children if a.type != "comment"]
        call = " ".join(_text(node, src).split())
        where = f"{rel}:{node.start_point[0] + 1}: `{call if len(call) <= 90 else call[:87] + '...'}`"
        if not args:
            if qualified in no_args:
                out.append((no_args[qualified], where))
            return
        if qualified == "os.OpenFile" and len(args) > 1 and "O_CREATE" in _text(args[1], src):
            return      # a file the program creates, not one it reads
        positions = path_args.get(qualified, path_args.get(name, [0]))
        chosen = args if positions == "all" else [args[i] for i in positions if i < len(args)]
        for arg in chosen:
            if arg.type == "variadic_argument" or _text(arg, src).endswith("..."):
                if name not in probes:
                    out.append((None, where))
                continue
            text, exact = _resolve(arg, src, {}, package) if scope is None else _resolve(arg, src, scope, package)
            if exact:
                out.append((text, where))
                continue
            folder = text.rsplit("/", 1)[0] + "/" if "/" in text else ""
            if folder.strip("./") or folder.startswith("/"):
                out.append((folder, where))
            elif name not in probes:
                out.append((None, where))

    _walk_calls(root, src, read)
    return out


def _walk_calls(root, src: bytes, on_call) -> None:
    """Call ``on_call(call node, scope)`` for each call expression under
    ``root``, ``scope`` the locals of the function it is in (see
    :func:`_local_bindings`; an enclosing function's locals stay visible in a
    function literal unless rebound)."""
    def visit(node, scope: dict) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type in ("function_declaration", "method_declaration", "func_literal") and n is not node:
                body = n.child_by_field_name("body")
                if body is not None:
                    inner: dict = {}
                    _local_bindings(body, src, inner)
                    for name in n.child_by_field_name("parameters").named_children \
                            if n.child_by_field_name("parameters") is not None else ():
                        for p in name.children_by_field_name("name"):
                            inner[_text(p, src)] = _UNSET
                    visit(body, {**scope, **inner} if n.type == "func_literal" else inner)
                continue
            if n.type == "call_expression":
                on_call(n, scope)
            stack.extend(reversed(n.children))

    visit(root, {})


def _call_site(node, src: bytes, rel: str) -> str:
    """``"file:line: `call`"`` of a call node, for reasons."""
    call = " ".join(_text(node, src).split())
    return f"{rel}:{node.start_point[0] + 1}: `{call if len(call) <= 90 else call[:87] + '...'}`"


def _disk_writes(root, src: bytes, rel: str, package: dict):
    """``(folder or None, where, file or None)`` for each path argument of a
    disk write in one file (``go-runtime.json`` ``disk_writes``): the folder
    the program writes in (the file's folder, ``"."`` for a bare name; the
    folder itself for ``os.MkdirAll`` and the temp-folder calls; the
    constant folder of a computed path) and the whole file path when it is
    constant; ``folder`` None when the path has no constant folder."""
    facts = go_facts()["disk_writes"]
    by_package = {k: set(v) for k, v in facts.items() if not k.startswith("_")}
    any_receiver = set(facts.get("_any", ()))
    path_args = facts.get("_path_args", {})
    folders = set(facts.get("_folders", ()))
    flags = tuple(facts.get("_open_flags", ()))
    drivers = set(facts.get("_sql_drivers", ()))
    out: list[tuple[str | None, str, str | None]] = []

    def write(node, scope: dict) -> None:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or function.type != "selector_expression":
            return
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        name = _text(field, src) if field is not None else ""
        pkg = _text(operand, src) if operand is not None and operand.type == "identifier" else None
        if not (name in by_package.get(pkg or "", ()) or name in any_receiver):
            return
        qualified = f"{pkg}.{name}" if pkg else name
        args = [a for a in arguments.named_children if a.type != "comment"]
        if not args:
            return
        if qualified == "os.OpenFile" and (len(args) < 2 or not any(f in _text(args[1], src) for f in flags)):
            return      # opened for reading only
        if qualified == "sql.Open":
            driver, exact = _resolve(args[0], src, scope, package)
            if not exact or driver not in drivers:
                return
        where = _call_site(node, src, rel)
        positions = path_args.get(qualified, path_args.get(name, [0]))
        chosen = args if positions == "all" else [args[i] for i in positions if i < len(args)]
        for arg in chosen:
            text, exact = _resolve(arg, src, scope, package)
            if exact and qualified in ("sql.Open", "sqlite.Open"):
                text = text[len("file:"):] if text.startswith("file:") else text
                text = text.split("?", 1)[0]
                if not text or text == ":memory:":
                    continue
            if exact and not text and qualified in folders:
                continue        # os.MkdirTemp("", ...): the system's temporary folder
            if exact:
                if qualified in folders:
                    out.append((posixpath.normpath(text), where, None))
                else:
                    out.append((_go_dir(text), where, posixpath.normpath(text)))
                continue
            folder = text.rsplit("/", 1)[0] if "/" in text else ""
            if folder.strip("./") or folder.startswith("/"):
                out.append((posixpath.normpath(folder) if folder != "/" else "/", where, None))
            else:
                out.append((None, where, None))

    _walk_calls(root, src, write)
    return out


_PATH_LITERAL = re.compile(r"(?:\.{0,2}/)?[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*(?:/[A-Za-z0-9_.@+-]+)*/?")
"""A relative or absolute path made of plain names (no space, glob, scheme
or format verb): ``./ui/html/pages/``, ``config.yaml``, ``/etc/app``."""


def _path_literals(root, src: bytes, rel: str) -> list[tuple[str, str]]:
    """``(value, where)`` of the path-like string literals of one file,
    import paths and struct field tags left out."""
    out: list[tuple[str, str]] = []
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type in ("import_declaration", "comment"):
            continue
        if n.type in ("interpreted_string_literal", "raw_string_literal"):
            parent = n.parent
            if parent is not None and parent.type == "field_declaration":
                continue    # a struct tag
            value = _string_value(n, src)
            if value and len(value) <= 256 and value not in (".", "./", "/") and _PATH_LITERAL.fullmatch(value):
                out.append((value, f"{rel}:{n.start_point[0] + 1}: `{_text(n, src)}`"))
            continue
        stack.extend(reversed(n.children))
    return out


def _embed_patterns(text: str) -> list[str]:
    """The patterns of one ``//go:embed`` line: space-separated, Go string
    literals allowed for names with spaces, ``all:`` dropped."""
    out: list[str] = []
    word = ""
    quote = None
    for ch in text.strip() + " ":
        if quote:
            if ch == quote:
                quote = None
            else:
                word += ch
        elif ch in "\"`":
            quote = ch
        elif ch.isspace():
            if word:
                out.append(word[len("all:"):] if word.startswith("all:") else word)
            word = ""
        else:
            word += ch
    return out


# ---------------------------------------------------------------------------
# Build constraints (https://pkg.go.dev/go/build#hdr-Build_Constraints,
# https://pkg.go.dev/cmd/go#hdr-Build_constraints)

KNOWN_OS = frozenset({"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
                      "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"})
"""GOOS values a file name suffix can name (go/build's syslist.go knownOS)."""

KNOWN_ARCH = frozenset({"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
                        "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
                        "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"})
"""GOARCH values a file name suffix can name (go/build's syslist.go knownArch)."""

LINUX_ARCHES = ("amd64", "arm64")
"""The architectures an image is built for that :func:`may_build` tries: a
file counts when it builds on either."""


def may_build(text: str, name: str, cgo: bool, tags: tuple[str, ...] = ()) -> bool:
    """Whether the Go file ``name`` (its base name) with source ``text`` is
    part of a Linux build on amd64 or arm64 with cgo on or off and the extra
    ``-tags``: its ``_GOOS``/``_GOARCH`` name suffix and its ``//go:build``
    line (or legacy ``// +build`` lines) allow it. ``gc``, ``unix`` and every
    ``go1.N`` tag are set. A constraint it can't parse counts as allowing the
    file (callers look for what may be built). Never raises."""
    for arch in LINUX_ARCHES:
        on = {"linux", "unix", "gc", arch, *tags} | ({"cgo"} if cgo else set())
        if _name_allows(name, arch) and _constraint_allows(text, on):
            return True
    return False


def _name_allows(name: str, arch: str) -> bool:
    parts = name[:-3].split("_") if name.endswith(".go") else name.split("_")
    if parts and parts[-1] == "test":
        parts = parts[:-1]
    if len(parts) >= 3 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return parts[-2] == "linux" and parts[-1] == arch
    if len(parts) >= 2 and parts[-1] in KNOWN_OS:
        return parts[-1] == "linux"
    if len(parts) >= 2 and parts[-1] in KNOWN_ARCH:
        return parts[-1] == arch
    return True


def _header_lines(text: str) -> list[str]:
    """The ``//`` comment lines before the package clause."""
    out: list[str] = []
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
            continue
        if not line:
            continue
        if line.startswith("//"):
            out.append(line)
        elif line.startswith("/*"):
            in_block = "*/" not in line
        else:
            break
    return out


def _constraint_allows(text: str, on: set[str]) -> bool:
    lines = _header_lines(text)
    for line in lines:
        if line.startswith("//go:build"):
            expr = line[len("//go:build"):].split("//", 1)[0].strip()
            try:
                value, rest = _or(_tokens(expr), on)
            except (IndexError, ValueError):
                return True
            return value if not rest else True
    plus = [line[2:].strip()[len("+build"):].strip() for line in lines if line[2:].strip().startswith("+build")]
    for clause in plus:
        if not any(all(_tag(t, on) for t in option.split(",")) for option in clause.split()):
            return False
    return True


def _tag(word: str, on: set[str]) -> bool:
    if word.startswith("!"):
        return not _tag(word[1:], on)
    return word in on or word.startswith("go1.")


def _tokens(expr: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch.isspace():
            i += 1
        elif expr.startswith(("&&", "||"), i):
            out.append(expr[i:i + 2])
            i += 2
        elif ch in "!()":
            out.append(ch)
            i += 1
        else:
            j = i
            while j < len(expr) and (expr[j].isalnum() or expr[j] in "._"):
                j += 1
            if j == i:
                raise ValueError(expr)
            out.append(expr[i:j])
            i = j
    return out


def _or(tokens: list[str], on: set[str]) -> tuple[bool, list[str]]:
    value, tokens = _and(tokens, on)
    while tokens and tokens[0] == "||":
        right, tokens = _and(tokens[1:], on)
        value = value or right
    return value, tokens


def _and(tokens: list[str], on: set[str]) -> tuple[bool, list[str]]:
    value, tokens = _not(tokens, on)
    while tokens and tokens[0] == "&&":
        right, tokens = _not(tokens[1:], on)
        value = value and right
    return value, tokens


def _not(tokens: list[str], on: set[str]) -> tuple[bool, list[str]]:
    head = tokens[0]
    if head == "!":
        value, rest = _not(tokens[1:], on)
        return not value, rest
    if head == "(":
        value, rest = _or(tokens[1:], on)
        if not rest or rest[0] != ")":
            raise ValueError("unbalanced")
        return value, rest[1:]
    if head in ("&&", "||", ")"):
        raise ValueError(head)
    return _tag(head, on), tokens[1:]


# ---------------------------------------------------------------------------
# Dependencies: go.mod, go.sum, vendor/


@dataclass(frozen=True)
class GoModules:
    """The modules a build may compile, as the context shows them.

    Attributes:
        required: module paths of ``go.mod``'s ``require`` lines.
        summed: module paths ``go.sum`` holds a source hash for (a
            ``path version h1:`` line, not only ``/go.mod``): their sources
            were downloaded for a build.
        go_version: ``go.mod``'s ``go`` line as a (major, minor) tuple, or None.
        listed_all: the lists name every module the build compiles:
            a ``go.sum``, or a ``go.mod`` of Go 1.17 or later (which lists
            every module providing a package: https://go.dev/ref/mod#graph-pruning).
        vendored: the build uses ``vendor/``: ``vendor/modules.txt`` exists
            and ``go.mod`` says Go 1.14 or later (https://go.dev/ref/mod#vendoring),
            unless the caller saw ``-mod=mod``/``-mod=readonly``.
        vendor_modules: the modules ``vendor/modules.txt`` names.
        vendor_cgo: ``{package folder: has a no-cgo variant}`` for the vendored
            packages with a file importing "C" that builds on Linux;
            ``has a no-cgo variant``: some other ``.go`` file of the folder
            builds only with cgo off (``//go:build !cgo``: a stub or a
            pure-Go fallback).
        vendor_complete: every vendored ``.go`` file was looked at.
        local: modules ``go.mod`` replaces with a folder inside ``folder``
            that :func:`read_go_sources` reads (``replace m => ./lib``:
            https://go.dev/ref/mod#go-mod-file-replace): their sources are
            the context's own.
    """

    required: tuple[str, ...]
    summed: tuple[str, ...]
    go_version: tuple[int, int] | None
    listed_all: bool
    vendored: bool
    vendor_modules: tuple[str, ...] = ()
    vendor_cgo: tuple[tuple[str, bool], ...] = ()
    vendor_complete: bool = True
    local: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        """Every module named by go.mod, go.sum or vendor/modules.txt, in order, once."""
        return tuple(dict.fromkeys(self.required + self.summed + self.vendor_modules))


def read_modules(context, folder: str = ".", tags: tuple[str, ...] = (),
                 max_files: int = MAX_VENDOR_FILES, max_bytes: int = MAX_VENDOR_BYTES) -> GoModules | None:
    """Read ``go.mod``, ``go.sum`` and ``vendor/`` under ``folder`` of ``context``.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: the module's folder relative to the context root.
        tags: the build's ``-tags`` (for the vendored files' constraints).
        max_files, max_bytes: bounds of the ``vendor/`` read.
    Returns:
        :class:`GoModules`, or None without a ``go.mod``. Never raises for
        the content of the context.
    """
    def rel(path: str) -> str:
        return path if folder in (".", "") else f"{folder}/{path}"

    mod = context.read_text(rel("go.mod"))
    if mod is None:
        return None
    version = None
    for raw in mod.splitlines():
        words = raw.split("//", 1)[0].split()
        if len(words) == 2 and words[0] == "go":
            nums = words[1].split(".")
            try:
                version = (int(nums[0]), int(nums[1]) if len(nums) > 1 else 0)
            except ValueError:
                pass
            break
    summed: list[str] = []
    go_sum = context.read_text(rel("go.sum"), limit=8 << 20)
    for raw in (go_sum or "").splitlines():
        words = raw.split()
        if len(words) >= 3 and not words[1].endswith("/go.mod"):
            summed.append(words[0])
    listed_all = go_sum is not None or (version is not None and version >= (1, 17))
    modules_txt = context.read_text(rel("vendor/modules.txt"), limit=8 << 20)
    vendored = modules_txt is not None and version is not None and version >= (1, 14)
    local = _local_replacements(mod)
    base = GoModules(_requires(mod), tuple(dict.fromkeys(summed)), version, listed_all, vendored, local=local)
    if not vendored:
        return base
    vendor_modules = tuple(dict.fromkeys(
        line.split()[1] for line in modules_txt.splitlines() if line.startswith("# ") and len(line.split()) >= 3))
    cgo, complete = _vendor_cgo(context, rel("vendor"), tags, max_files, max_bytes)
    return GoModules(base.required, base.summed, version, True, True, vendor_modules, cgo, complete, local)


def _local_replacements(text: str) -> tuple[str, ...]:
    """Modules a go.mod's ``replace`` directives (single and in blocks)
    point at a relative folder inside the module folder whose ``.go`` files
    :func:`read_go_sources` reads (no hidden, ``_``, vendor or testdata part)."""
    out: list[str] = []
    block = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if block:
            if line.startswith(")"):
                block = False
                continue
            spec = line
        elif line.startswith("replace"):
            spec = line[len("replace"):].strip()
            if spec.startswith("("):
                block = True
                continue
        else:
            continue
        old, arrow, new = spec.partition("=>")
        target = new.split()
        if not arrow or not old.split() or len(target) != 1 or not target[0].startswith(("./", "../")):
            continue
        path = posixpath.normpath(target[0])
        parts = path.split("/")
        if path.startswith("..") or any(p.startswith((".", "_")) or p in _SKIP_DIRS for p in parts if p != "."):
            continue
        out.append(old.split()[0])
    return tuple(out)


def _vendor_cgo(context, root: str, tags: tuple[str, ...], max_files: int, max_bytes: int):
    """``(((package folder, has a no-cgo variant), ...), complete)`` for ``vendor/``."""
    parser = _parser()
    seen = 0
    total = 0
    complete = True
    out: list[tuple[str, bool]] = []
    stack = [root]
    while stack:
        current = stack.pop()
        names = context.list_dir(current)
        sources: dict[str, str] = {}
        for name in names:
            path = f"{current}/{name}"
            if context.is_dir(path):
                if name != "testdata" and not name.startswith((".", "_")):
                    stack.append(path)
                continue
            if not name.endswith(".go") or name.endswith("_test.go"):
                continue
            seen += 1
            if seen > max_files or total >= max_bytes:
                complete = False
                continue
            text = context.read_text(path, limit=max_bytes - total)
            if text is None:
                complete = False
                continue
            total += len(text.encode("utf-8"))
            sources[name] = text
        cgo_files = [n for n, t in sources.items() if '"C"' in t and may_build(t, n, cgo=True, tags=tags)
                     and _imports_c(parser, t)]
        if cgo_files:
            variant = any(n not in cgo_files and may_build(t, n, cgo=False, tags=tags)
                          and not may_build(t, n, cgo=True, tags=tags) for n, t in sources.items())
            out.append((current[len(root) + 1:] if current != root else ".", variant))
    return tuple(sorted(out)), complete


def _imports_c(parser, text: str) -> bool:
    """Whether the file's import declarations name ``"C"`` (read with the grammar)."""
    src = text.encode("utf-8")
    root = parser.parse(src).root_node
    for node in root.children:
        if node.type != "import_declaration":
            continue
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "import_spec":
                path = n.child_by_field_name("path")
                if path is not None and _string_value(path, src) == "C":
                    return True
            stack.extend(n.children)
    return False

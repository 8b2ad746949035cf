"""Go sources of the build context, read for what a built program needs at run time.

:func:`read_go_sources` reads the ``.go`` files of a folder of the build
context (bounded: at most :data:`MAX_FILES` files and :data:`MAX_TOTAL_BYTES`
bytes, through :class:`migrator.context.BuildContext`'s reads; ``vendor/``,
``testdata/``, hidden folders and ``_test.go`` files skipped) with the
tree-sitter Go grammar, and answers three questions:

- does a package use cgo (``import "C"``: https://pkg.go.dev/cmd/cgo)?
- which files does a ``//go:embed`` directive compile into the binary
  (https://pkg.go.dev/embed: patterns relative to the package folder,
  an ``all:`` prefix, quoted patterns)?
- which paths does the program read from disk: string literal arguments of
  the calls listed in ``go-runtime.json`` ``disk_reads`` (``os.ReadFile``,
  ``template.ParseGlob``, ``http.Dir``...). A path built at run time (a
  flag, a variable) is not seen.

A file that can't be read or parsed is counted as unread, never raised:
:attr:`GoSources.complete` is then False and callers must not rely on an
absence (no cgo, no disk read).
"""

from __future__ import annotations

import functools
import json
import posixpath
from dataclasses import dataclass

MAX_FILES = 400
"""Most ``.go`` files read from one context."""

MAX_TOTAL_BYTES = 8 << 20
"""Most bytes of Go source read from one context (8 MiB)."""

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
        disk_reads: string literal paths passed to a disk read, as written
            (``"templates/*.html"``, ``"./static"``, ``"/etc/app.yaml"``).
        go_mod_requires: the modules ``go.mod`` requires (``()`` without
            ``go.mod`` or requirements).
        has_go_mod: ``go.mod`` was read.
        complete: every ``.go`` file under the folder was read and parsed
            (no limit reached, none unreadable).
    """

    files: tuple[str, ...]
    cgo: tuple[str, ...]
    embeds: tuple[str, ...]
    disk_reads: tuple[str, ...]
    go_mod_requires: tuple[str, ...]
    has_go_mod: bool
    complete: bool

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
    from migrator.packages import read_data

    return json.loads(read_data("go-runtime.json"))


def read_go_sources(context, folder: str = ".", max_files: int = MAX_FILES,
                    max_bytes: int = MAX_TOTAL_BYTES) -> GoSources | None:
    """Read the Go sources under ``folder`` of ``context``.

    Args:
        context: a :class:`migrator.context.BuildContext`.
        folder: the folder relative to the context root (``"."``).
        max_files, max_bytes: the bounds (:data:`MAX_FILES`,
            :data:`MAX_TOTAL_BYTES`).
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
            uses_cgo, file_embeds, file_reads = got
            if uses_cgo:
                cgo.append(rel)
            embeds.extend(file_embeds)
            reads.extend(file_reads)
    mod_path = "go.mod" if folder in (".", "") else f"{folder}/go.mod"
    mod = context.read_text(mod_path)
    if not files and mod is None:
        return None
    return GoSources(tuple(sorted(files)), tuple(sorted(cgo)), tuple(embeds), tuple(dict.fromkeys(reads)),
                     _requires(mod) if mod is not None else (), mod is not None, complete)


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
    """(imports "C", embed patterns relative to the context root, disk read
    paths) of one Go file, or None when it does not parse."""
    src = text.encode("utf-8")
    tree = parser.parse(src)
    root = tree.root_node
    if root.has_error and root.child_count == 0:
        return None
    facts = go_facts()["disk_reads"]
    by_package = {k: set(v) for k, v in facts.items() if not k.startswith("_")}
    any_receiver = set(facts["_any"])
    uses_cgo = False
    embeds: list[str] = []
    reads: list[str] = []
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
        elif kind == "call_expression":
            function = node.child_by_field_name("function")
            arguments = node.child_by_field_name("arguments")
            if function is not None and arguments is not None and function.type == "selector_expression":
                operand = function.child_by_field_name("operand")
                field = function.child_by_field_name("field")
                name = src[field.start_byte:field.end_byte].decode() if field is not None else ""
                pkg = src[operand.start_byte:operand.end_byte].decode() if operand is not None \
                    and operand.type == "identifier" else None
                if name in by_package.get(pkg or "", ()) or name in any_receiver:
                    for arg in arguments.named_children:
                        value = _string_value(arg, src)
                        if value:
                            reads.append(value)
        stack.extend(reversed(node.children))
    return uses_cgo, embeds, reads


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

"""A libcst codemod: a Django settings module reads the image's VERSION.txt.

The ``version-file`` transform writes ``$APP_VERSION`` (a build argument) to
``VERSION.txt`` in the image's working directory; this codemod adds to the
settings module the lines that read it into ``APP_VERSION``::

    # The app's version: VERSION.txt, which the image build writes from its APP_VERSION
    # build argument (dockerfile-migrator version-file); "development" without it.
    APP_VERSION_FILE = Path(__file__).resolve().parent.parent / "VERSION.txt"
    APP_VERSION = APP_VERSION_FILE.read_text(encoding="utf-8").strip() if APP_VERSION_FILE.exists() else "development"

The path is reckoned from ``__file__`` (the folder that holds the file in the
image, walked up to the working directory), so it holds whatever style the
file's ``BASE_DIR`` has, or none, and in a checkout outside the image, where
there is no VERSION.txt, the value is ``"development"``. ``Path`` is the
file's own ``from pathlib import Path`` or ``pathlib.Path`` when it has one;
otherwise ``from pathlib import Path`` is added after its last top-level
import. Nothing else changes: the statements are appended to the module's
body with libcst (https://libcst.readthedocs.io/en/latest/tutorial.html), so
every other byte, comments and formatting included, is kept, and the file's
own line ending is used. A module that assigns ``APP_VERSION`` anywhere
(also inside ``if``/``try``) is left as it is: a second run changes nothing.

This module edits text only; it never reads or writes files (the transform
reads the settings through :class:`migrator.context.BuildContext`, and the
engine's runner writes the result).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

NAME = "APP_VERSION"
FILE_NAME = "VERSION.txt"
DEFAULT = "development"


@dataclass(frozen=True)
class Edited:
    """What :func:`add_app_version` did.

    Attributes:
        output: the new text, or None when nothing was changed.
        reason: one line: what was added, or why nothing was.
    """

    output: str | None
    reason: str


def version_path_expr(path_name: str, settings_path: str | None, workdir: str) -> str:
    """The Python expression of ``<workdir>/VERSION.txt`` seen from the
    settings file.

    Args:
        path_name: how the module names ``pathlib.Path`` (``Path``).
        settings_path: the settings file's absolute path in the image, or None.
        workdir: the image's working directory (absolute).
    Returns:
        ``Path(__file__).resolve().parent.parent / "VERSION.txt"`` when the
        working directory holds the settings file (one ``.parent`` per
        folder level), else ``Path("/app") / "VERSION.txt"``.
    """
    workdir = posixpath.normpath(workdir)
    if settings_path:
        folder = posixpath.dirname(posixpath.normpath(settings_path))
        ups = 1
        while folder != workdir and folder not in ("/", ""):
            folder = posixpath.dirname(folder)
            ups += 1
        if folder == workdir:
            return f'{path_name}(__file__).resolve(){".parent" * ups} / "{FILE_NAME}"'
    return f'{path_name}("{workdir}") / "{FILE_NAME}"'


def assigns(module, name: str) -> bool:
    """Whether the libcst ``module`` assigns ``name`` anywhere (``=``,
    annotated, augmented, a ``for``/``with`` target or an import alias)."""
    import libcst.matchers as m

    target = m.Name(name)
    return bool(
        m.findall(module, m.AssignTarget(target=target))
        or m.findall(module, m.AnnAssign(target=target))
        or m.findall(module, m.AugAssign(target=target))
        or m.findall(module, m.ImportAlias(asname=m.AsName(name=target)))
        or m.findall(module, m.ImportAlias(name=target, asname=None))
    )


def add_app_version(text: str, settings_path: str | None, workdir: str) -> Edited:
    """Add the lines reading VERSION.txt into ``APP_VERSION`` to a settings module.

    Args:
        text: the settings module's source.
        settings_path: its absolute path in the image (None: unknown; the
            working directory's absolute path is then written).
        workdir: the image's working directory, where VERSION.txt is.
    Returns:
        an :class:`Edited`: the new text, or None with the reason (libcst
        can't parse the file; it sets ``APP_VERSION`` already).
    Raises:
        nothing for bad source: a parse failure is a reason.
    """
    import libcst as cst

    try:
        module = cst.parse_module(text)
    except Exception as exc:   # libcst.ParserSyntaxError, and others on odd input
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Edited(None, f"libcst can't parse it ({first})")
    if assigns(module, NAME):
        return Edited(None, f"it sets {NAME} already")
    path_name, import_stmt = _path_name(module)
    nl = module.default_newline
    expr = version_path_expr(path_name, settings_path, workdir)
    code = (f"{NAME}_FILE = {expr}{nl}"
            f"{NAME} = {NAME}_FILE.read_text(encoding=\"utf-8\").strip() if {NAME}_FILE.exists() "
            f"else \"{DEFAULT}\"{nl}")
    config = module.config_for_parsing
    statements = list(cst.parse_module(code, config=config).body)
    comment = [cst.EmptyLine(),
               cst.EmptyLine(comment=cst.Comment(f"# The app's version: {FILE_NAME}, which the image build writes "
                                                 f"from its {NAME} build argument")),
               cst.EmptyLine(comment=cst.Comment(f"# (dockerfile-migrator version-file); \"{DEFAULT}\" "
                                                 "without it."))]
    statements[0] = statements[0].with_changes(leading_lines=comment)
    body = list(module.body)
    if import_stmt is not None:
        at = max((i + 1 for i, s in enumerate(body) if _is_import(s)), default=0)
        stmt = cst.parse_statement(import_stmt + nl, config=config)
        if at == 0 and body:
            # before the first statement, after the module's leading comments (its docstring line, if any, stays first)
            at = 1 if _is_docstring(body[0]) else 0
        body.insert(at, stmt)
    body.extend(statements)
    out = module.with_changes(body=body).code
    what = f"reads {FILE_NAME} into {NAME} (\"{DEFAULT}\" when it is missing)"
    if import_stmt:
        what += f", with `{import_stmt}`"
    return Edited(out, what)


def _path_name(module) -> tuple[str, str | None]:
    """How the module names ``pathlib.Path``, and the import to add (None
    when it has one): ``("Path", None)`` after ``from pathlib import Path``,
    ``("pathlib.Path", None)`` after ``import pathlib``, else
    ``("Path", "from pathlib import Path")``."""
    import libcst as cst

    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
                    and isinstance(small.module, cst.Name) and small.module.value == "pathlib" \
                    and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "Path":
                        return (alias.asname.name.value if alias.asname else "Path"), None
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "pathlib":
                        return (alias.asname.name.value if alias.asname else "pathlib") + ".Path", None
    if assigns(module, "Path"):
        return "__import__(\"pathlib\").Path", None
    return "Path", "from pathlib import Path"


def _is_import(stmt) -> bool:
    import libcst as cst

    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


def _is_docstring(stmt) -> bool:
    import libcst as cst

    return isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 \
        and isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value,
                                                              (cst.SimpleString, cst.ConcatenatedString))

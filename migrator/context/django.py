"""A Django project's settings, read from the build context with libcst.

Some decisions depend on where a Django app writes at run time and where
``collectstatic`` puts its output: ``MEDIA_ROOT`` (uploads), the folders of
the ``filename`` of file handlers in ``LOGGING``, the folder of a sqlite
database (``DATABASES[...]["NAME"]``), ``STATIC_ROOT``. This module finds the
settings module and reads those values **without running the file**: it is
parsed with libcst (https://libcst.readthedocs.io/) and a small evaluator
follows the top-level assignments that build paths:

- ``BASE_DIR / "media"``, ``Path(__file__).resolve().parent.parent``,
  ``.parents[N]``, ``.joinpath(...)``, ``Path(...)``/``pathlib.Path(...)``,
  ``str(...)``;
- ``os.path.join(BASE_DIR, "media")``, ``os.path.dirname``,
  ``os.path.abspath``/``realpath``/``normpath`` of ``__file__``;
- names assigned earlier (``BASE_DIR = ...``, ``ROOT_DIR = BASE_DIR.parent``),
  string concatenation and f-strings of such values, dicts, lists, tuples,
  ``X["k"] = ...`` on a dict assigned earlier;
- ``os.environ.get("X", default)``, ``os.getenv("X", default)``,
  ``os.environ["X"]``: the value an ENV of the Dockerfile gives ``X``, else
  the default (a note says which);
- ``from .base import *`` (split settings): that module is read first, into
  the same names.

``__file__`` is the path the settings file has *in the image*: the build
context lands where the Dockerfile's ``COPY``/``ADD`` put it
(:func:`context_mounts`), so every path is a container path, absolute (a
relative one is taken from the working directory, the process's current
folder). Anything else (a function call, a conditional, django-environ's
``env(...)``) is left out with a note naming the setting; a file libcst can't
parse gives a note, never an error. Everything is read through
:class:`migrator.context.BuildContext` (bounded reads; a missing file means
no answer).

Where the settings module is: ``DJANGO_SETTINGS_MODULE`` from the final
stage's ENV, else the ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``
of ``manage.py``, else of the ``wsgi.py``/``asgi.py`` the start command names
(``gunicorn mysite.wsgi``) or that sits in a package beside ``manage.py``.
The dotted name is a file under the folders on ``sys.path``: the folder of
``manage.py`` (Python puts a script's folder first) and the working directory
(gunicorn and uvicorn add their current folder).
References: https://docs.djangoproject.com/en/stable/topics/settings/#designating-the-settings,
https://docs.djangoproject.com/en/stable/ref/settings/ (STATIC_ROOT,
MEDIA_ROOT, STATICFILES_DIRS, LOGGING, DATABASES NAME),
https://docs.python.org/3/library/logging.handlers.html#filehandler (a
FileHandler opens its file at start-up and does not create its folder).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

SETTING_NAMES = ("STATIC_ROOT", "MEDIA_ROOT", "STATICFILES_DIRS", "LOGGING", "DATABASES")
"""The settings read (Django's reference, "Settings")."""

MAX_STAR_IMPORTS = 5
"""How many ``from .x import *`` levels are followed."""

MAX_FOLDERS = 200
"""How many names of one folder are looked into for ``manage.py`` and
``wsgi.py``/``asgi.py`` (a folder of thousands of files is not searched)."""

_PATH_CLASSES = {"Path", "pathlib.Path", "PurePath", "pathlib.PurePath", "PosixPath", "pathlib.PosixPath",
                 "PurePosixPath", "pathlib.PurePosixPath"}
_STR_FUNCS = {"os.path.dirname": posixpath.dirname, "os.path.abspath": posixpath.normpath,
              "os.path.realpath": posixpath.normpath, "os.path.normpath": posixpath.normpath,
              "path.dirname": posixpath.dirname, "path.abspath": posixpath.normpath,
              "path.realpath": posixpath.normpath, "path.normpath": posixpath.normpath,
              "dirname": posixpath.dirname, "abspath": posixpath.normpath}


@dataclass(frozen=True)
class SettingPath:
    """One path a setting names, in the image.

    Attributes:
        setting: the setting as written for people (``MEDIA_ROOT``,
            ``LOGGING["handlers"]["file"]["filename"]``,
            ``DATABASES["default"]["NAME"]``, ``STATICFILES_DIRS[0]``).
        path: the absolute container path it resolves to.
        kind: ``"dir"`` (a folder) or ``"file"``.
        notes: the notes made while resolving the setting's value (an
            ``os.environ.get`` default it used, also through a name such as
            ``LOG_DIR``).
    """

    setting: str
    path: str
    kind: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DjangoSettings:
    """What :func:`read_settings` found.

    Attributes:
        module: the dotted settings module (``mysite.settings``).
        found_by: where the name came from, for people (``ENV
            DJANGO_SETTINGS_MODULE (line 4)``, ``manage.py``).
        path: the settings file, relative to the build context
            (``mysite/settings.py``); None when it is not in the context.
        container_path: where that file lands in the image, or None.
        text: the file's text (None when it was not read).
        chain: context paths of the modules read, star-imported ones first
            and ``path`` last.
        paths: the :class:`SettingPath` values resolved.
        notes: one line each: what could not be read or resolved, and
            defaults used.
        parsed: False when libcst could not parse ``path``.
        names: the top-level names the chain assigns (``APP_VERSION``...).
        assigned_by: for each of those names, the context path of the
            module of the chain that assigns it last.
        mounts: the :func:`context_mounts` the paths were reckoned with.
        problems: the notes on files of the chain that could not be read
            or parsed (also in ``notes``).
    """

    module: str
    found_by: str
    path: str | None = None
    container_path: str | None = None
    text: str | None = None
    chain: tuple[str, ...] = ()
    paths: tuple[SettingPath, ...] = ()
    notes: tuple[str, ...] = ()
    parsed: bool = True
    names: frozenset[str] = frozenset()
    assigned_by: dict = field(default_factory=dict, compare=False, hash=False)
    mounts: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()

    def get(self, setting: str) -> list[SettingPath]:
        """The resolved paths of one top-level setting (``"MEDIA_ROOT"``)."""
        return [p for p in self.paths if p.setting == setting or p.setting.startswith(setting + "[")]

    def runtime_dirs(self) -> list[tuple[str, str]]:
        """The folders the app writes at run time, as ``(folder, setting)``:
        ``MEDIA_ROOT``, the folder of each LOGGING file handler's file, the
        folder of each sqlite database, in that order, each folder once."""
        out: dict[str, str] = {}
        for p in self.get("MEDIA_ROOT"):
            out.setdefault(p.path, p.setting)
        for p in self.get("LOGGING") + self.get("DATABASES"):
            out.setdefault(posixpath.dirname(p.path), p.setting)
        return list(out.items())


# ---------------------------------------------------------------------------
# Where the build context lands in the image
# ---------------------------------------------------------------------------

def context_mounts(df, context) -> tuple[tuple[str, str], ...]:
    """The folders of the build context the Dockerfile copies into the image.

    Args:
        df: a :class:`migrator.model.dockerfile.Dockerfile` (every stage is read: a
            runtime stage gets the context through ``COPY --from=builder``
            of the same folder).
        context: the :class:`migrator.context.BuildContext`.
    Returns:
        ``(context folder, container folder)`` pairs, in file order:
        ``(".", "/app")`` for ``COPY . .`` under ``WORKDIR /app``; only
        COPY/ADD from the context (no ``--from``, no heredoc) whose source
        is a folder of the context (COPY copies a folder's contents,
        https://docs.docker.com/reference/dockerfile/#copy).
    """
    from migrator.analysis.stage import substitute, walk

    out: list[tuple[str, str]] = []
    for stage in df.stages:
        for ins, ctx in walk(df, stage):
            if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None or ins.heredocs \
                    or len(ins.args) < 2:
                continue
            dest = substitute(ins.args[-1], ctx.env)
            if not dest or (ctx.workdir is None and not dest.startswith("/")):
                continue
            dest = posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))
            for src in ins.args[:-1]:
                src = substitute(src, ctx.env)
                if not src or "://" in src or any(c in src for c in "*?["):
                    continue
                rel = posixpath.normpath(src.lstrip("/")) if src.strip("/") else "."
                if context.is_dir(rel) and (rel, dest) not in out:
                    out.append((rel, dest))
    return tuple(out)


def container_of(mounts, rel: str) -> str | None:
    """The container path of context path ``rel`` (the last COPY that
    covers it wins), or None when no COPY puts it in the image."""
    for src, dest in reversed(mounts):
        if src == ".":
            return posixpath.normpath(posixpath.join(dest, rel))
        if rel == src or rel.startswith(src + "/"):
            return posixpath.normpath(posixpath.join(dest, rel[len(src):].lstrip("/")))
    return None


def context_of(mounts, path: str) -> str | None:
    """The context path of container path ``path`` (the last COPY into a
    folder holding it wins), or None."""
    for src, dest in reversed(mounts):
        if path == dest or path.startswith(dest.rstrip("/") + "/"):
            rest = path[len(dest):].lstrip("/")
            return posixpath.normpath(posixpath.join(src, rest)) if rest else src
    return None


# ---------------------------------------------------------------------------
# Finding the settings module
# ---------------------------------------------------------------------------

def read_settings(df, context) -> DjangoSettings | None:
    """Find and read the Django settings module of the app ``df`` builds.

    Args:
        df: the :class:`migrator.model.dockerfile.Dockerfile` (its last stage's ENV,
            WORKDIR and start command are read).
        context: the :class:`migrator.context.BuildContext`, or None.
    Returns:
        None when no settings module is named anywhere (not a Django app,
        or no build context); else a :class:`DjangoSettings`, whose
        ``path`` is None (with a note) when the module is not a file of the
        context or no COPY of its folder puts it in the image, and whose ``parsed`` is False (with a note) when libcst
        can't parse it. Never raises for the content of the context.
    """
    if context is None or not df.stages:
        return None
    from migrator.analysis.stage import end_context, start_words, walk

    stage = df.stages[-1]
    end = end_context(df, stage)
    start = tuple(w for ins, _ctx in walk(df, stage) if ins.keyword in ("CMD", "ENTRYPOINT")
                  for w in start_words(ins))
    env_line = next((ins.start_line for ins, _c in walk(df, stage) if ins.keyword == "ENV"
                     and "DJANGO_SETTINGS_MODULE" in " ".join(ins.args)), None)
    return _read(context, context_mounts(df, context), end.workdir or "/", tuple(sorted(end.env.items())),
                 start, env_line)


def _read(context, mounts, workdir, env_items, start, env_line) -> DjangoSettings | None:
    env = dict(env_items)
    roots = _python_roots(context, mounts, workdir, env.get("PYTHONPATH", ""))
    module, found_by = None, ""
    if env.get("DJANGO_SETTINGS_MODULE"):
        module = env["DJANGO_SETTINGS_MODULE"]
        found_by = f"ENV DJANGO_SETTINGS_MODULE (line {env_line})" if env_line else "ENV DJANGO_SETTINGS_MODULE"
    else:
        for path in _launchers(context, roots, start):
            named = _setdefault_module(context.read_text(path))
            if named:
                module, found_by = named, path
                break
    if not module:
        return None
    notes: list[str] = []
    rel = _module_file(context, roots, module)
    if rel is None:
        notes.append(f"Django settings {module} (from {found_by}) is not a file of the build context; "
                     "its paths are not known")
        return DjangoSettings(module, found_by, notes=tuple(notes), mounts=mounts)
    if container_of(mounts, rel) is None:
        notes.append(f"Django settings {rel} (from {found_by}) is not copied into the image by a COPY of its "
                     "folder; its paths are not known")
        return DjangoSettings(module, found_by, notes=tuple(notes), mounts=mounts)
    reader = _Reader(context, mounts, workdir, env, notes)
    text = context.read_text(rel)
    reader.run(rel, roots, 0)
    notes[:0] = reader.problems
    return DjangoSettings(module, found_by, rel, container_of(mounts, rel), text, tuple(reader.chain),
                          tuple(reader.collect()), tuple(dict.fromkeys(notes)), rel not in reader.unparsed,
                          frozenset(reader.names), dict(reader.assigned_by), mounts, tuple(reader.problems))


def _python_roots(context, mounts, workdir: str, pythonpath: str = "") -> list[str]:
    """Context folders on the app's ``sys.path``: the one the working
    directory holds, those of the ENV's ``PYTHONPATH``, then the folders
    holding a ``manage.py`` (the context root and its first-level folders
    that the image gets)."""
    roots: list[str] = []
    here = context_of(mounts, workdir)
    if here is not None:
        roots.append(here)
    for entry in pythonpath.split(":"):
        folder = context_of(mounts, posixpath.normpath(entry)) if entry.startswith("/") else None
        if folder is not None and folder not in roots:
            roots.append(folder)
    for folder in [src for src, _dest in mounts] + ["."]:
        if folder not in roots and context.is_file(posixpath.join(folder, "manage.py")):
            roots.append(folder)
    for name in context.list_dir(here or ".")[:MAX_FOLDERS]:
        sub = posixpath.normpath(posixpath.join(here or ".", name))
        if sub not in roots and container_of(mounts, sub) and context.is_file(posixpath.join(sub, "manage.py")):
            roots.append(sub)
    return roots


def _launchers(context, roots: list[str], start: tuple[str, ...]) -> list[str]:
    """Files that may name the settings module: ``manage.py`` of each root,
    the ``wsgi.py``/``asgi.py`` the start command names, then those of the
    packages of each root."""
    out = [posixpath.join(r, "manage.py") for r in roots if context.is_file(posixpath.join(r, "manage.py"))]
    for word in start:
        dotted = word.split(":", 1)[0]
        if dotted.endswith((".wsgi", ".asgi")) and all(p.isidentifier() for p in dotted.split(".")):
            found = _module_file(context, roots, dotted)
            if found:
                out.append(found)
    for root in roots:
        for name in context.list_dir(root)[:MAX_FOLDERS]:
            for leaf in ("wsgi.py", "asgi.py"):
                path = posixpath.normpath(posixpath.join(root, name, leaf))
                if path not in out and context.is_file(path):
                    out.append(path)
    return [posixpath.normpath(p) for p in out]


def _module_file(context, roots: list[str], dotted: str) -> str | None:
    """The context file of a dotted module under one of ``roots``."""
    parts = dotted.split(".")
    if not all(p.isidentifier() for p in parts):
        return None
    for root in roots:
        base = posixpath.normpath(posixpath.join(root, *parts))
        for candidate in (base + ".py", posixpath.join(base, "__init__.py")):
            if context.is_file(candidate):
                return candidate
    return None


def _setdefault_module(text: str | None) -> str | None:
    """The module of ``os.environ.setdefault("DJANGO_SETTINGS_MODULE",
    "x.settings")`` in ``text``, or None (also when libcst can't parse it)."""
    if not text:
        return None
    import libcst as cst
    import libcst.matchers as m

    try:
        module = cst.parse_module(text)
    except Exception:   # libcst raises ParserSyntaxError, and others on odd input
        return None
    for call in m.findall(module, m.Call(func=m.Attribute(attr=m.Name("setdefault")))):
        args = call.args
        if len(args) >= 2 and isinstance(args[0].value, cst.SimpleString) \
                and args[0].value.evaluated_value == "DJANGO_SETTINGS_MODULE" \
                and isinstance(args[1].value, (cst.SimpleString, cst.ConcatenatedString)):
            value = args[1].value.evaluated_value
            if isinstance(value, str) and value:
                return value
    return None


# ---------------------------------------------------------------------------
# Reading the settings
# ---------------------------------------------------------------------------

class _PathValue(str):
    """A ``pathlib.Path`` value (a POSIX path string)."""


class _Parents:
    """``path.parents``."""

    def __init__(self, path: str):
        self.path = path


@dataclass
class _Unresolved:
    """A value the evaluator can't know; ``why`` says so for people."""

    why: str


class _Cant(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class _Reader:
    context: object
    mounts: tuple
    workdir: str
    env: dict
    notes: list
    names: dict = field(default_factory=dict)
    chain: list = field(default_factory=list)
    unparsed: set = field(default_factory=set)
    assigned_by: dict = field(default_factory=dict)
    name_notes: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    file: str = "/"
    rel: str = ""

    def run(self, rel: str, roots: list[str], depth: int) -> None:
        """Evaluate the module at context path ``rel`` into ``self.names``."""
        import libcst as cst

        if rel in self.chain:
            return
        text = self.context.read_text(rel)
        if text is None:
            self.problems.append(f"{rel}: can't be read (missing, too large or not UTF-8); its settings are not known")
            return
        try:
            module = cst.parse_module(text)
        except Exception as exc:   # libcst.ParserSyntaxError and others
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.problems.append(f"{rel}: libcst can't parse it ({first}); its settings are not read")
            self.unparsed.add(rel)
            return
        where = container_of(self.mounts, rel)
        outer = self.file, self.rel
        self.file, self.rel = where or "", rel
        for stmt in module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._statement(small, rel, roots, depth)
        self.file, self.rel = outer
        self.chain.append(rel)

    def _statement(self, small, rel: str, roots: list[str], depth: int) -> None:
        import libcst as cst

        if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
            if depth >= MAX_STAR_IMPORTS:
                return
            target = self._star_module(small, rel, roots)
            if target:
                self.run(target, roots, depth + 1)
            return
        if isinstance(small, (cst.Assign, cst.AnnAssign)):
            self.pending = []
            value = self._value(small.value) if small.value is not None else _Unresolved("no value")
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            for target in targets:
                self._assign(target, value)
                if isinstance(target, cst.Name):
                    self.name_notes[target.value] = list(dict.fromkeys(self.pending))
                elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                    self.name_notes.setdefault(target.value.value, []).extend(self.pending)

    def _star_module(self, node, rel: str, roots: list[str]) -> str | None:
        """The context file ``from X import *`` reads, or None."""
        name = _dotted(node.module) if node.module is not None else ""
        dots = len(node.relative)
        if dots:
            folder = posixpath.dirname(rel)
            for _ in range(dots - 1):
                folder = posixpath.dirname(folder)
            base = posixpath.join(folder, *name.split(".")) if name else folder
            for candidate in (base + ".py", posixpath.join(base, "__init__.py")):
                if self.context.is_file(posixpath.normpath(candidate)):
                    return posixpath.normpath(candidate)
            return None
        return _module_file(self.context, roots, name) if name else None

    def _assign(self, target, value) -> None:
        import libcst as cst

        if isinstance(target, cst.Name):
            self.names[target.value] = value
            self.assigned_by[target.value] = self.rel
        elif isinstance(target, cst.Subscript):
            try:
                holder = self._value(target.value, strict=True)
                key = self._value(target.slice[0].slice.value, strict=True) if len(target.slice) == 1 else None
            except (_Cant, AttributeError):
                return
            if isinstance(holder, dict) and isinstance(key, (str, int)):
                holder[key] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._assign(el.value, _Unresolved("unpacked from a sequence"))

    def _value(self, node, strict: bool = False):
        try:
            return _Eval(self).eval(node)
        except _Cant as exc:
            if strict:
                raise
            return _Unresolved(f"`{_code(node)}`: {exc.why}")

    def collect(self) -> list[SettingPath]:
        """The :class:`SettingPath` values of :data:`SETTING_NAMES`."""
        out: list[SettingPath] = []
        for name in ("STATIC_ROOT", "MEDIA_ROOT"):
            self._path(out, name, self.names.get(name), "dir")
        dirs = self.names.get("STATICFILES_DIRS")
        if isinstance(dirs, (list, tuple)):
            for i, item in enumerate(dirs):
                if isinstance(item, tuple) and len(item) == 2:
                    item = item[1]   # ("prefix", path)
                self._path(out, f"STATICFILES_DIRS[{i}]", item, "dir")
        else:
            self._path(out, "STATICFILES_DIRS", dirs, "dir", scalar_ok=False)
        logging = self.names.get("LOGGING")
        handlers = logging.get("handlers") if isinstance(logging, dict) else None
        if isinstance(logging, _Unresolved):
            self.notes.append(f"LOGGING: {logging.why}; skipped")
        if isinstance(handlers, dict):
            for key, handler in handlers.items():
                if isinstance(handler, dict) and "filename" in handler:
                    self._path(out, f'LOGGING["handlers"]["{key}"]["filename"]', handler["filename"], "file")
        databases = self.names.get("DATABASES")
        if isinstance(databases, _Unresolved):
            self.notes.append(f"DATABASES: {databases.why}; skipped")
        if isinstance(databases, dict):
            for alias, db in databases.items():
                if not isinstance(db, dict) or not isinstance(db.get("ENGINE"), str) or "sqlite3" not in db["ENGINE"]:
                    continue
                name = db.get("NAME")
                if isinstance(name, str) and (name == ":memory:" or name.startswith("file:")):
                    continue
                self._path(out, f'DATABASES["{alias}"]["NAME"]', name, "file")
        return out

    def _path(self, out: list, setting: str, value, kind: str, scalar_ok: bool = True) -> None:
        notes = tuple(self.name_notes.get(setting.split("[", 1)[0], ()))
        if value is None:
            return
        if isinstance(value, _Unresolved):
            self.notes.append(f"{setting}: {value.why}; skipped")
            return
        if not isinstance(value, str) or not scalar_ok:
            self.notes.append(f"{setting}: not a path the tool can read; skipped")
            return
        if not value:
            return
        if not value.startswith("/"):
            self.notes.append(f"{setting} is relative ({value!r}): taken from the working directory "
                              f"{self.workdir}, the app's current folder")
        out.append(SettingPath(setting, posixpath.normpath(posixpath.join(self.workdir, value)), kind, notes))


class _Eval:
    """Evaluates the libcst expressions that build paths (see the module
    docstring); raises :class:`_Cant` for anything else."""

    def __init__(self, reader: _Reader):
        self.r = reader

    def eval(self, node):
        import libcst as cst

        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = node.evaluated_value
            if not isinstance(value, str):
                raise _Cant("a bytes literal")
            return value
        if isinstance(node, cst.FormattedString):
            return "".join(self._fpart(p) for p in node.parts)
        if isinstance(node, cst.Integer):
            return int(node.value, 0)
        if isinstance(node, cst.Name):
            return self._name(node.value)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.BinaryOperation):
            return self._binary(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, cst.Dict):
            out = {}
            for el in node.elements:
                if not isinstance(el, cst.DictElement):
                    raise _Cant("a ** in a dict")
                key = self.eval(el.key)
                if not isinstance(key, (str, int)):
                    raise _Cant("a dict key that is not a string")
                out[key] = self._soft(el.value)
            return out
        if isinstance(node, (cst.List, cst.Tuple)):
            items = []
            for el in node.elements:
                if isinstance(el, cst.StarredElement):
                    raise _Cant("a * in a sequence")
                items.append(self._soft(el.value))
            return items if isinstance(node, cst.List) else tuple(items)
        raise _Cant(f"a {type(node).__name__} the tool does not evaluate")

    def _soft(self, node):
        """Evaluate an item of a dict or list: an item that can't be known
        stays :class:`_Unresolved`, so the others still count."""
        try:
            return self.eval(node)
        except _Cant as exc:
            return _Unresolved(f"`{_code(node)}`: {exc.why}")

    def _fpart(self, part) -> str:
        import libcst as cst

        if isinstance(part, cst.FormattedStringText):
            return part.value
        if part.conversion or part.format_spec:
            raise _Cant("an f-string format")
        value = self.eval(part.expression)
        if not isinstance(value, (str, int)):
            raise _Cant("an f-string of a value that is not a string")
        return str(value)

    def _name(self, name: str):
        if name == "__file__":
            if not self.r.file:
                raise _Cant("the settings file is not copied into the image")
            return self.r.file
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if name not in self.r.names:
            raise _Cant(f"{name} is not assigned before")
        self.r.pending.extend(self.r.name_notes.get(name, ()))
        value = self.r.names[name]
        if isinstance(value, _Unresolved):
            raise _Cant(f"{name} is unknown ({value.why})")
        return value

    def _attribute(self, node):
        if node.attr.value in ("parent", "parents"):
            base = self.eval(node.value)
            if not isinstance(base, _PathValue):
                raise _Cant(f".{node.attr.value} of a value that is not a Path")
            return _PathValue(posixpath.dirname(base)) if node.attr.value == "parent" else _Parents(base)
        raise _Cant(f"the attribute .{node.attr.value}")

    def _subscript(self, node):
        if len(node.slice) != 1 or not hasattr(node.slice[0].slice, "value"):
            raise _Cant("a slice")
        key = self.eval(node.slice[0].slice.value)
        if _dotted(node.value) in ("os.environ", "environ"):
            if key in self.r.env:
                self._note(f"`{_code(node)}`: the Dockerfile's ENV gives {key}={self.r.env[key]!r}; used")
                return self.r.env[key]
            raise _Cant(f"no ENV of the Dockerfile sets {key}")
        base = self.eval(node.value)
        if isinstance(base, _Parents) and isinstance(key, int) and key >= 0:
            path = base.path
            for _ in range(key + 1):
                path = posixpath.dirname(path)
            return _PathValue(path)
        if isinstance(base, dict) and key in base:
            return base[key]
        if isinstance(base, (list, tuple)) and isinstance(key, int) and -len(base) <= key < len(base):
            return base[key]
        raise _Cant("a subscript the tool can't follow")

    def _binary(self, node):
        import libcst as cst

        left, right = self.eval(node.left), self.eval(node.right)
        if isinstance(node.operator, cst.Divide) and isinstance(left, _PathValue) and isinstance(right, str):
            return _PathValue(posixpath.normpath(posixpath.join(left, right)))
        if isinstance(node.operator, cst.Add) and isinstance(left, str) and isinstance(right, str) \
                and not isinstance(left, _PathValue):
            return left + right
        raise _Cant(f"the operator {_code(node.operator).strip()} on these values")

    def _call(self, node):
        import libcst as cst

        func = _dotted(node.func)
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if func in _PATH_CLASSES:
            parts = [self.eval(a.value) for a in positional]
            if not all(isinstance(p, str) for p in parts):
                raise _Cant("Path() of a value that is not a string")
            return _PathValue(posixpath.normpath(posixpath.join(*parts)) if parts else ".")
        if func == "str" and len(positional) == 1:
            value = self.eval(positional[0].value)
            if isinstance(value, str):
                return str(value)
            raise _Cant("str() of a value that is not a path")
        if func in ("os.path.join", "path.join", "join"):
            parts = [self.eval(a.value) for a in positional]
            if not parts or not all(isinstance(p, str) for p in parts):
                raise _Cant("os.path.join of values that are not strings")
            return posixpath.join(*[str(p) for p in parts])
        if func in _STR_FUNCS and len(positional) == 1:
            value = self.eval(positional[0].value)
            if not isinstance(value, str):
                raise _Cant(f"{func} of a value that is not a string")
            return _STR_FUNCS[func](str(value))
        if func in ("os.environ.get", "os.getenv", "environ.get", "getenv"):
            return self._environ(node, positional)
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in ("resolve", "absolute", "expanduser", "as_posix", "__str__"):
                base = self.eval(node.func.value)
                if isinstance(base, _PathValue):
                    return base if method not in ("as_posix", "__str__") else str(base)
            if method == "joinpath":
                base = self.eval(node.func.value)
                parts = [self.eval(a.value) for a in positional]
                if isinstance(base, _PathValue) and all(isinstance(p, str) for p in parts):
                    return _PathValue(posixpath.normpath(posixpath.join(base, *parts)))
        raise _Cant(f"a call of {func or 'an expression'}(), which the tool does not run")

    def _environ(self, node, positional):
        if not positional:
            raise _Cant("os.environ.get() without a name")
        name = self.eval(positional[0].value)
        if not isinstance(name, str):
            raise _Cant("an environment variable name that is not a string")
        if name in self.r.env:
            self._note(f"`{_code(node)}`: the Dockerfile's ENV gives {name}={self.r.env[name]!r}; used")
            return self.r.env[name]
        default_node = positional[1].value if len(positional) > 1 else next(
            (a.value for a in node.args if a.keyword is not None and a.keyword.value == "default"), None)
        if default_node is None:
            raise _Cant(f"the environment variable {name} has no default and no ENV sets it")
        default = self.eval(default_node)
        self._note(f"`{_code(node)}`: no ENV sets {name} in the Dockerfile; its default is used")
        return default

    def _note(self, note: str) -> None:
        self.r.notes.append(note)
        self.r.pending.append(note)


def _dotted(node) -> str:
    """``os.path.join`` for an Attribute chain of Names, else ``""``."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _code(node) -> str:
    """The source text of a libcst node, on one line, at most 80 characters."""
    import libcst as cst

    text = " ".join(cst.Module(body=[]).code_for_node(node).split())
    return text if len(text) <= 80 else text[:77] + "..."

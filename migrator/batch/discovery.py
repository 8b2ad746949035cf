"""Find the Dockerfiles of a tree, the way ``batch`` sees a monorepo.

A file is a Dockerfile when its name, compared case-insensitively, is
``Dockerfile`` or ``Containerfile``, ends in ``.dockerfile`` (``api.Dockerfile``)
or starts with ``Dockerfile.`` (``Dockerfile.prod``); BuildKit's per-Dockerfile
ignore files (``Dockerfile.dockerignore``), editor/patch leftovers
(``.orig``, ``.rej``, ``.bak``, ``.swp``, ``~``) and templates (``.j2``,
``.tmpl``, ``.template``...) are not.

The walk honours ``.gitignore`` files (the root's, nested ones, the ones of
the enclosing git work tree above ROOT and ``.git/info/exclude``) with git's
precedence: a deeper file wins over a shallower one, the last matching line
of a file wins, and nothing below an ignored folder is looked at. It skips
``.git``, ``node_modules``, virtual environments (``.venv``, any folder with
a ``pyvenv.cfg``) and vendored folders (``vendor``, ``third_party``...).

Symbolic links are never followed: a linked folder inside ROOT is walked at
its real place anyway, and a linked Dockerfile inside ROOT is migrated at the
path of the file it points to. A link that points out of ROOT, a link loop
(a link to one of its own ancestors, or links that point at each other) and
a broken link named like a Dockerfile are *reported* with a one-line message
instead of being followed.

The module does no migration and imports ``pathspec`` only when there is a
``.gitignore`` or an exclude pattern to apply.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", "_darcs",
        "node_modules", "bower_components",
        ".venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        "vendor", "vendored", "third_party", "third-party", "thirdparty",
    }
)
"""Folder names never descended into (compared exactly, as git does)."""

_LEFTOVERS = ("dockerignore", "orig", "rej", "bak", "swp",
              "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "mustache", "hbs")
_NOT_DOCKERFILE_SUFFIXES = (*(f".{s}" for s in _LEFTOVERS), "~")

PRE_COMMIT_FILES_REGEX = (
    r"(?i)(^|/)(dockerfile|containerfile|[^/]+\.dockerfile"
    r"|dockerfile\.(?!(?:[^/]*\.)?(" + "|".join(_LEFTOVERS) + r")$)[^/]*[^/~])$"
)
"""The same rule as :func:`is_dockerfile_name`, as a regular expression over a
``/``-separated path (used by ``.pre-commit-hooks.yaml``)."""


def is_dockerfile_name(name: str) -> bool:
    """Tell whether a file name (no folder) names a Dockerfile.

    Args:
        name: a base name such as ``"Dockerfile.prod"``.
    Returns:
        True for ``Dockerfile``, ``Containerfile``, ``*.Dockerfile`` and
        ``Dockerfile.*`` in any letter case, except ignore files,
        editor/patch leftovers and templates (``Dockerfile.dockerignore``,
        ``Dockerfile.orig``, ``Dockerfile.j2``).
    """
    low = name.lower()
    if low == "dockerfile" or low == "containerfile":
        return True
    if not (low.endswith(".dockerfile") or low.startswith("dockerfile.")):
        return False
    if low.endswith(_NOT_DOCKERFILE_SUFFIXES):
        return False
    return len(low) > len(".dockerfile")


@dataclass(frozen=True)
class Reported:
    """A path the walk noticed but did not look into, with the reason.

    Attributes:
        path: the path relative to ROOT, ``/``-separated.
        kind: ``symlink-loop``, ``symlink-outside``, ``broken-symlink``,
            ``not-regular`` or ``unreadable``.
        message: one line for the user.
    """

    path: str
    kind: str
    message: str

    def to_json(self) -> dict:
        """Return a JSON-ready dict with keys path, kind and message."""
        return {"path": self.path, "kind": self.kind, "message": self.message}


@dataclass
class Discovery:
    """What :func:`discover` found.

    Attributes:
        root: the absolute, symlink-free path of ROOT.
        files: Dockerfile paths relative to ROOT, ``/``-separated, sorted,
            without duplicates.
        reported: paths not looked into, with reasons (sorted by path).
    """

    root: str
    files: list[str] = field(default_factory=list)
    reported: list[Reported] = field(default_factory=list)


class _Layer:
    """One ignore file: its compiled spec and the path from its folder to
    the folder being walked (``""`` or ending in ``/``)."""

    __slots__ = ("spec", "prefix", "check", "any")

    def __init__(self, spec, prefix: str, any_match=None):
        self.spec = spec
        self.prefix = prefix
        # check_file (tri-state, so a deeper "!negation" can re-include what a
        # shallower file ignored) exists since pathspec 0.12; fall back to the
        # boolean match_file otherwise.
        self.check = getattr(spec, "check_file", None)
        # One regular expression that matches when any line of the file
        # might: most paths match none, and then the spec is not consulted.
        self.any = any_match if any_match is not None else _any_matcher(spec)

    def verdict(self, rel: str) -> bool | None:
        path = self.prefix + rel
        if self.any is not None and self.any(path) is None:
            return None
        if self.check is not None:
            return self.check(path).include
        return True if self.spec.match_file(path) else None

    def child(self, name: str) -> _Layer:
        return _Layer(self.spec, self.prefix + name + "/", self.any)


def _any_matcher(spec):
    """``re.search`` of the union of the spec's pattern regexes, or None
    when the patterns do not expose them (then every path is checked)."""
    if spec is None:
        return None
    try:
        parts = [p.regex.pattern for p in spec.patterns if p.include is not None]
        if not parts or not all(isinstance(x, str) for x in parts):
            return None
        # Named groups would clash once joined; make them plain groups.
        joined = "|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(', x)})" for x in parts)
        return re.compile(joined).search
    except (AttributeError, re.error):
        return None


def _compile(lines: Iterable[str]):
    import pathspec  # ~50 ms of imports: only when there is something to match

    lines = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return None
    cls = getattr(pathspec, "GitIgnoreSpec", None)
    if cls is not None:
        return cls.from_lines(lines)
    return pathspec.PathSpec.from_lines("gitwildmatch", lines)  # pragma: no cover


def _read_ignore_file(path: str):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return _compile(fh.read().splitlines())
    except OSError:
        return None


def _ignored(layers: Sequence[_Layer], rel: str) -> bool:
    """Git precedence: the deepest file with a matching line decides."""
    for layer in reversed(layers):
        verdict = layer.verdict(rel)
        if verdict is not None:
            return verdict
    return False


def _excluded(layers: Sequence[_Layer], rel: str) -> bool:
    for layer in layers:
        if layer.verdict(rel):
            return True
    return False


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


def _enclosing_git_layers(root: str) -> list[_Layer]:
    """The .gitignore files between the enclosing git work tree's top and
    ROOT (excluded), plus that work tree's .git/info/exclude."""
    layers: list[_Layer] = []
    chain: list[str] = []
    here = root
    top = None
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            top = here
            break
        parent = os.path.dirname(here)
        if parent == here:
            break
        chain.append(here)
        here = parent
    if top is None:
        return layers
    # From the work tree's top down to ROOT; ROOT's own .gitignore is read by
    # the walk, so the loop stops before it.
    folders = [top, *reversed(chain)]
    exclude = _read_ignore_file(os.path.join(top, ".git", "info", "exclude"))
    if exclude is not None:
        layers.append(_Layer(exclude, _rel_prefix(top, root)))
    for folder in folders:
        if folder == root:
            break
        spec = _read_ignore_file(os.path.join(folder, ".gitignore"))
        if spec is not None:
            layers.append(_Layer(spec, _rel_prefix(folder, root)))
    return layers


def _rel_prefix(ancestor: str, root: str) -> str:
    rel = os.path.relpath(root, ancestor)
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


def discover(
    root: str | os.PathLike,
    excludes: Sequence[tuple[str | os.PathLike, Sequence[str]]] = (),
    *,
    gitignore: bool = True,
) -> Discovery:
    """Find the Dockerfiles under ``root``.

    Args:
        root: the folder to walk (it may itself be a symlink).
        excludes: ``(base folder, patterns)`` pairs of extra gitignore-style
            patterns (``legacy/``, ``**/testdata/``, ``*.old.Dockerfile``),
            matched against paths relative to the base folder, e.g. the
            ``exclude`` of a config file (base: its folder) or ``--exclude``
            (base: ROOT). A path any of them matches is skipped; unlike
            ``.gitignore`` lines they cannot be re-included by a ``.gitignore``.
        gitignore: honour ``.gitignore`` files and ``.git/info/exclude``.
    Returns:
        a :class:`Discovery` (paths relative to ROOT, sorted).
    Raises:
        NotADirectoryError: ``root`` is not a folder.
        FileNotFoundError: ``root`` does not exist.
    """
    real_root = os.path.realpath(os.fspath(root))
    st = os.stat(real_root)  # FileNotFoundError / PermissionError propagate
    if not stat.S_ISDIR(st.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", os.fspath(root))

    ignore_layers = _enclosing_git_layers(real_root) if gitignore else []
    exclude_layers: list[_Layer] = []
    for base, patterns in excludes:
        spec = _compile(patterns) if patterns else None
        if spec is not None:
            base_real = os.path.realpath(os.fspath(base))
            if _within(real_root, base_real):
                exclude_layers.append(_Layer(spec, _rel_prefix(base_real, real_root)))
            else:  # a base below ROOT: anchor the patterns there
                sub = os.path.relpath(base_real, real_root).replace(os.sep, "/")
                exclude_layers.append(_AnchoredLayer(spec, sub + "/"))

    found: set[str] = set()
    reported: list[Reported] = []
    is_name = is_dockerfile_name
    # Stack of (real folder path, path relative to ROOT ("" or "a/b/"),
    # ignore layers, exclude layers).
    stack = [(real_root, "", ignore_layers, exclude_layers)]
    while stack:
        folder, rel_dir, ilayers, xlayers = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            reported.append(
                Reported(rel_dir.rstrip("/") or ".", "unreadable",
                         f"cannot list folder ({exc.strerror or exc})")
            )
            continue
        names = [entry.name for entry in entries]
        if rel_dir and "pyvenv.cfg" in names:
            continue  # a virtual environment
        if gitignore and ".gitignore" in names:
            spec = _read_ignore_file(os.path.join(folder, ".gitignore"))
            if spec is not None:
                ilayers = [*ilayers, _Layer(spec, "")]
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name in SKIP_DIRS:
                        continue
                    if ilayers and _ignored(ilayers, name + "/"):
                        continue
                    if xlayers and _excluded(xlayers, name + "/"):
                        continue
                    stack.append((entry.path, rel_dir + name + "/",
                                  [layer.child(name) for layer in ilayers] if ilayers else ilayers,
                                  [layer.child(name) for layer in xlayers] if xlayers else xlayers))
                    continue
                dockerfile = is_name(name)
                is_link = entry.is_symlink()
                if not dockerfile and not is_link:
                    continue
                # Git treats a symlink like a file: "name/" patterns do not match it.
                if ilayers and _ignored(ilayers, name):
                    continue
                if xlayers and _excluded(xlayers, name):
                    continue
                rel = rel_dir + name
                if is_link:
                    _symlink(entry, rel, folder, real_root, dockerfile, found, reported)
                elif entry.is_file(follow_symlinks=False):
                    found.add(rel)
                else:
                    reported.append(Reported(rel, "not-regular",
                                             "named like a Dockerfile but not a regular file"))
            except OSError:  # the entry vanished meanwhile
                continue
    reported.sort(key=lambda r: r.path)
    return Discovery(real_root, sorted(found), reported)


class _AnchoredLayer(_Layer):
    """Patterns whose base folder lies below ROOT: they only apply to paths
    under that folder."""

    __slots__ = ("anchor",)

    def __init__(self, spec, anchor: str, prefix: str = ""):
        super().__init__(spec, prefix)
        self.anchor = anchor  # remaining path from the walked folder down to the base

    def verdict(self, rel: str) -> bool | None:
        if self.anchor:
            return None
        return super().verdict(rel)

    def child(self, name: str) -> _Layer:
        if not self.anchor:
            return _Layer(self.spec, self.prefix + name + "/")
        head, _, rest = self.anchor.partition("/")
        if head != name:
            return _NEVER
        return _Layer(self.spec, "") if not rest else _AnchoredLayer(self.spec, rest)


class _Never(_Layer):
    __slots__ = ()

    def __init__(self):
        super().__init__(None, "")

    def verdict(self, rel: str) -> bool | None:
        return None

    def child(self, name: str) -> _Layer:
        return self


_NEVER = _Never()


def _symlink(entry, rel, folder, real_root, dockerfile, found, reported) -> None:
    """Classify one symbolic link without following it into a walk."""
    try:
        target_st = os.stat(entry.path)  # follows the link chain
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reported.append(Reported(rel, "symlink-loop", f"symlink loop ({_target(entry.path)}), not followed"))
        elif dockerfile:
            reported.append(Reported(rel, "broken-symlink", f"broken symlink to {_target(entry.path)}"))
        return
    real = os.path.realpath(entry.path)
    if stat.S_ISDIR(target_st.st_mode):
        if _within(folder, real):
            reported.append(
                Reported(rel, "symlink-loop",
                         f"symlink loop: points to {_target(entry.path)}, a folder that contains it; not followed")
            )
        elif not _within(real, real_root):
            reported.append(
                Reported(rel, "symlink-outside", f"symlink to {_target(entry.path)}, outside ROOT; not followed")
            )
        # A folder inside ROOT is walked at its real place: not followed here.
        return
    if not dockerfile:
        return
    if not _within(real, real_root):
        reported.append(
            Reported(rel, "symlink-outside", f"symlink to {_target(entry.path)}, outside ROOT; not followed")
        )
    elif stat.S_ISREG(target_st.st_mode):
        # Migrate the file itself, at its own path, once.
        found.add(os.path.relpath(real, real_root).replace(os.sep, "/"))
    else:
        reported.append(Reported(rel, "not-regular", "symlink to something that is not a regular file"))


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover
        return "?"

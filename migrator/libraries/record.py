"""The shell steps that resolve a build's runtime libraries inside the image.

Where the package data does not reach (Ubuntu, Debian buster, Alpine before
3.18, an image configured in ``[tool.dockerfile-migrator.images]``, and a
runtime stage that leaves a full image for its ``-slim`` sibling), the
builder stage itself knows which shared libraries the built code loads.
:func:`record_script` is the step the builder runs right after its last
build step:

1. ``ldd`` (glibc's, from ``libc-bin``, on Debian and Ubuntu; musl's on
   Alpine) lists what each ``*.so``/``*.so.*`` file, Node addon (``*.node``)
   and built executable in the folders the runtime stage copies loads, with
   the absolute path it resolves to (``libpq.so.5 =>
   /usr/lib/x86_64-linux-gnu/libpq.so.5``);
2. each path is mapped to the package that owns it: ``dpkg-query -S`` tried
   with the path as given, with the ``/usr`` merge undone or applied
   (``/lib/x86_64-linux-gnu`` is ``/usr/lib/x86_64-linux-gnu`` on merged
   systems, while dpkg's database keeps the path the package shipped), and
   with symlinks resolved (``readlink -f``); on Alpine ``apk info
   --who-owns``, whose ``name-version-rN`` answer loses its version;
3. libraries no package owns are skipped: those vendored inside wheels
   (``numpy.libs/``, ``*.libs/`` of auditwheel, never scanned either), the
   base image's own Python under ``/usr/local``; so are packages of
   Priority ``required`` and those every image of the family has
   (``always_present`` of ``build-only-names.json``: libc6, musl...);
4. the sorted package names are written into the copied folder
   (``/opt/venv/.runtime-packages``), and the runtime stage installs
   exactly that list after its ``COPY --from`` (:func:`install_parts`), then
   deletes it in the same RUN: the list stays reviewable in the builder
   stage (``--target builder``) and in the layer the ``COPY --from`` made,
   but it is not a file of the app's folder in the final image (an app may
   serve that folder). It is written into the copied folder, not a folder
   of the tool's own, so the runtime stage needs no extra ``COPY`` for it.

Sources: ldd(1) and ld.so(8) (glibc), the musl ``ldd`` (``ld-musl --list``,
one file per call), dpkg-query(1) ``--search`` and ``--show``, apk(8)
``info --who-owns``, xargs(1) ``-r`` (GNU and BusyBox).
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterable, Sequence

LIST_NAME = ".runtime-packages"
"""Name of the package list written into the first copied folder."""

DPKG_FAMILIES = ("debian", "ubuntu")
APK_FAMILIES = ("alpine",)


def list_path(folder: str) -> str:
    """Where the package list of ``folder`` lives (``/opt/venv`` ->
    ``/opt/venv/.runtime-packages``)."""
    return posixpath.join(folder, LIST_NAME)


def scanned_folders(copied: Iterable[str]) -> list[str]:
    """The paths of ``copied`` (what the runtime stage copies from the
    builder) the record step scans: the folders and binaries the build
    produced, not the lock files an installer leaves in the project folder
    (``poetry.lock``, ``Pipfile.lock``, ``uv.lock``, ``pdm.lock``:
    ``commands.json`` ``installer_lock_writes``), which load no library.
    Order kept, duplicates dropped."""
    from migrator.analysis.commands import command_table

    locks = {v["lock"] for k, v in command_table()["installer_lock_writes"].items() if k != "_doc"}
    return [p for p in dict.fromkeys(copied) if posixpath.basename(p) not in locks]


def _find(folders: Sequence[str], one_per_call: bool) -> list[str]:
    dirs = " ".join(shlex.quote(f) for f in folders)
    end = "\\;" if one_per_call else "+"
    return [f"find {dirs} -type f \\( -name '*.so' -o -name '*.so.*' -o -name '*.node'"
            " -o \\( -perm -0100 ! -path '*/node_modules/*' \\) \\)",
            f"! -path '*.libs/*' -exec ldd {{}} {end} 2>/dev/null"]


def record_lines(family: str, folders: Sequence[str], output: str,
                 always_present: Iterable[str] = ()) -> list[str]:
    """The shell command that records the runtime packages, as lines.

    Args:
        family: ``"debian"``, ``"ubuntu"`` or ``"alpine"``.
        folders: absolute folders of the builder stage the runtime stage
            copies (``["/opt/venv"]``); scanned recursively.
        output: absolute path of the list to write (see :func:`list_path`).
        always_present: package names to leave out (every image has them).
    Returns:
        lines that, joined with a space (what a Dockerfile continuation
        gives the shell), form one POSIX ``sh`` command; callers add the
        continuation escapes. It exits non-zero only when the list can't be
        written.
    Raises:
        ValueError: an unknown family, no folder, or a relative path.
    """
    if not folders or any(not f.startswith("/") for f in folders) or not output.startswith("/"):
        raise ValueError("record_lines needs absolute folders and output path")
    skip = "".join(f" -e {shlex.quote(p)}" for p in sorted(set(always_present)))
    keep = f"grep -vx{skip}" if skip else "cat"
    out = shlex.quote(output)
    if family in DPKG_FAMILIES:
        return [
            *_find(folders, one_per_call=False),
            "| awk '$2 == \"=>\" && $3 ~ /^\\// { print $3 }' | sort -u",
            "| while read -r lib; do real=$(readlink -f \"$lib\");",
            "for path in \"${lib#/usr}\" \"/usr${lib#/usr}\" \"${real#/usr}\" \"/usr${real#/usr}\";",
            "do dpkg-query --search \"$path\" 2>/dev/null && break; done; done",
            "| sed -n 's/^\\([^ :,]*\\)[:,].*/\\1/p' | sort -u",
            "| while read -r pkg; do [ \"$(dpkg-query --show --showformat='${Priority}' \"$pkg\")\" = required ]"
            " || echo \"$pkg\"; done",
            f"| {keep} > {out} || [ -f {out} ]",
        ]
    if family in APK_FAMILIES:
        return [
            *_find(folders, one_per_call=True),
            "| awk '$2 == \"=>\" && $3 ~ /^\\// { print $3 }' | sort -u",
            "| while read -r lib; do real=$(readlink -f \"$lib\");",
            "for path in \"$lib\" \"$real\"; do apk info --who-owns \"$path\" 2>/dev/null"
            " | sed -n 's/.* is owned by //p' | grep . && break; done; done",
            "| sed 's/-[0-9][^-]*-r[0-9]*$//' | sort -u",
            f"| {keep} > {out} || [ -f {out} ]",
        ]
    raise ValueError(f"no way to resolve libraries on a {family} image")


def record_script(family: str, folders: Sequence[str], output: str,
                  always_present: Iterable[str] = ()) -> str:
    """The command of :func:`record_lines` as one line, for ``sh -c``."""
    return " ".join(record_lines(family, folders, output, always_present))


def install_parts(family: str, path: str, noninteractive: bool = True) -> list[tuple[str, str]]:
    """The runtime stage's install of the list at ``path``, as ``(operator,
    command)`` pairs for :func:`migrator.model.render.run`.

    Debian/Ubuntu: only when the list is not empty (``if [ -s path ]``: a
    build that links nothing beyond the C library fetches no package lists),
    ``apt-get update``, ``xargs -r apt-get install -y
    --no-install-recommends < path`` (``-r``: nothing to do for an empty
    list; ``DEBIAN_FRONTEND=noninteractive`` so tzdata and friends never
    prompt, unless ``noninteractive`` is false because the stage's ENV
    already sets it), and the package lists removed in the same layer. Alpine:
    ``xargs -r apk add --no-cache < path`` (apk fetches no lists first).
    Both end with ``rm -f path`` (after ``&&``: a failed install still
    fails the RUN), so the list does not stay in the copied folder.

    Raises:
        ValueError: an unknown family.
    """
    quoted = shlex.quote(path)
    if family in DPKG_FAMILIES:
        return [("", f"if [ -s {quoted} ]; then apt-get update"),
                ("&&", ("DEBIAN_FRONTEND=noninteractive " if noninteractive else "")
                 + f"xargs -r apt-get install -y --no-install-recommends < {quoted}"),
                ("&&", "rm -rf /var/lib/apt/lists/*; fi"),
                ("&&", f"rm -f {quoted}")]
    if family in APK_FAMILIES:
        return [("", f"xargs -r apk add --no-cache < {quoted}"), ("&&", f"rm -f {quoted}")]
    raise ValueError(f"no way to install packages on a {family} image")

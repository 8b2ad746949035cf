"""venv: install Python packages into a virtualenv the runtime stage can copy.

pip, poetry, pipenv and ``uv pip`` install into the active environment. This
transform creates one (``python -m venv /opt/venv``) before the first Python
install and activates it for the rest of the build with
``ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"`` (the two variables
``bin/activate`` sets; poetry and pipenv also honour ``VIRTUAL_ENV``).
Installs that would bypass it are converted: ``pip install --user`` loses
``--user`` (pip refuses ``--user`` inside a virtualenv) and ``uv pip install
--system`` loses ``--system``. Installs with ``--prefix``/``--target`` already
write to a folder of their own and are left as they are; split-stages copies
that folder.

Source: https://docs.python.org/3/library/venv.html (how activation works),
https://pip.pypa.io/en/stable/user_guide/#user-installs.
"""

from __future__ import annotations

import fnmatch
import re

from migrator.analysis import delete_word, file_span, is_root, read_run, walk
from migrator.commands import Kind, command_table
from migrator.edits import Edit, Fix
from migrator.model import Dockerfile
from migrator.options import Options
from migrator.render import instruction
from migrator.transform import Outcome


class Venv:
    """Create and activate a virtualenv before the first Python install."""

    id = "venv"
    title = "Install Python packages into a virtualenv"
    rationale = "a virtualenv is one folder the runtime stage can copy, leaving pip's build leftovers behind"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the virtualenv; see the module docstring.

        Returns an empty :class:`Outcome` when nothing installs Python
        packages into the system environment, or a refusal naming the line
        it can't convert.
        """
        if len(df.stages) != 1:
            return Outcome()
        stage = df.stages[0]
        installs = []   # (ins, ctx, info, op)
        python_from_apt = False
        venv_module = False   # python3-venv (Debian) or a python that ships venv (Alpine)
        apt_python = None     # (info, op): the apt-get install that brings python3
        for ins, ctx in walk(df, stage):
            if ins.keyword != "RUN":
                continue
            info = read_run(df, ins, ctx)
            for op in info.all_ops:
                names = {p.split("=")[0] for p in op.packages} if op.kind is Kind.SYSTEM_INSTALL else set()
                if names & {"python3", "python3-pip", "python3-venv", "py3-pip", "python3-dev"}:
                    python_from_apt = True
                    if op.manager == "apt" and apt_python is None and not installs:
                        apt_python = (info, op)
                if "python3-venv" in names or any(n.startswith("python3.") and n.endswith("-venv") for n in names) \
                        or (op.manager == "apk" and "python3" in names):
                    venv_module = True
                if op.kind is Kind.VENV or ctx.venv:
                    if not installs:
                        return Outcome()  # the file already uses a virtualenv
                if op.kind is Kind.PYTHON_INSTALL and op.output in ("env", "user"):
                    installs.append((ins, ctx, info, op))
        if not installs:
            return Outcome()
        from migrator.packages import describe_base_image
        from migrator.analysis import global_arg_defaults, substitute

        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref)
        if base.language != "python" and not python_from_apt:
            return Outcome.refuse(f"base image {ref} is not a Python image and the file installs no "
                                  "python3 package: can't tell which interpreter makes the virtualenv")
        added_venv_module = None
        if base.language != "python" and not venv_module:
            added_venv_module = _add_venv_package(apt_python)
            if added_venv_module is None:
                return Outcome.refuse(f"base image {ref} gets Python from its package manager without "
                                      "python3-venv; `python3 -m venv` would fail")
        first_ins, first_ctx, first_info, _ = installs[0]
        if first_info.problem:
            return Outcome.refuse(first_info.problem)
        moved = _console_script_by_path(walk(df, stage), first_ins) if base.language == "python" else None
        if moved:
            return Outcome.refuse(moved)
        venv = options.venv_path
        python = "python" if base.language == "python" else "python3"
        activate = instruction(df, "ENV", f'VIRTUAL_ENV={venv} PATH="{venv}/bin:$PATH"')
        edits = []
        if not is_root(first_ctx.user):
            # Only root may create /opt/venv: before the USER in effect, make
            # the folder and give it to that user, who then creates the
            # virtualenv (a chown -R of the venv would copy it into a layer).
            user_ins = next((ins for ins, _ctx in reversed(walk(df, stage))
                             if ins.keyword == "USER" and ins.index < first_ins.index), None)
            if user_ins is None:
                return Outcome.refuse(f"line {first_ins.start_line}: installs as user {first_ctx.user}; "
                                      "can't tell where to create the virtualenv folder as root")
            edits.append(Edit.insert(user_ins.start, instruction(
                df, "RUN", f"mkdir -p {venv} && chown {first_ctx.user} {venv}")))
        if base.language == "python":
            edits.append(Edit.insert(first_ins.start, instruction(df, "RUN", f"{python} -m venv {venv}") + activate))
        else:
            # The interpreter may come from this very RUN: create the venv
            # inside it, before its first Python command (a `pip3` run
            # earlier in the same shell would stay hashed to the system pip).
            seg = next(s for s, ops in zip(first_info.script.segments, first_info.ops)
                       if any(_runs_python(o) for o in ops))
            span = file_span(first_info, seg.start, seg.start + 1)
            if span is None:
                return Outcome.refuse(f"line {first_ins.start_line}: can't place the virtualenv "
                                      "creation inside this RUN")
            edits += [Edit.insert(first_ins.start, activate), Edit.insert(span[0], f"{python} -m venv {venv} && ")]
        converted = []
        if added_venv_module is not None:
            edits.append(added_venv_module)
        for ins, _ctx, info, op in installs:
            flag = None
            if op.manager == "pip" and op.options.get("user"):
                flag = "--user"
            elif op.manager == "uv" and op.options.get("system"):
                flag = "--system"
            if flag is None:
                continue
            word = next((w for w in op.command.words if w.value == flag), None)
            edit = delete_word(info, word) if word is not None else None
            if edit is None:
                return Outcome.refuse(f"line {ins.start_line}: can't remove {flag} from this RUN")
            edits.append(edit)
            converted.append(f"{flag} (line {ins.start_line})")
        tools = sorted({op.manager for *_x, op in installs})
        reason = (f"Python packages ({', '.join(tools)}) install into a virtualenv at {venv}, "
                  "one folder the runtime stage can copy")
        if converted:
            reason += "; dropped " + ", ".join(converted)
        if added_venv_module is not None:
            reason += f"; the apt-get install of line {apt_python[0].ins.start_line} adds python3-venv, which `python3 -m venv` needs"
        return Outcome(fixes=[Fix(reason, tuple(edits))])


_USR_LOCAL_BIN = re.compile(r"/usr/local/bin/([A-Za-z0-9_.+-]+)")


def _console_script_by_path(steps, first_install) -> str | None:
    """A problem when an instruction from the first Python install on names
    ``/usr/local/bin/NAME`` for a console script: pip puts it there today,
    a virtualenv puts it in its own ``bin`` (``CMD ["/usr/local/bin/supervisord"]``
    would point nowhere). What the python image itself keeps there is listed
    in ``commands.json`` (``python_image_commands``)."""
    patterns = command_table()["python_image_commands"]["patterns"]
    for ins, _ctx in steps:
        if ins.index < first_install.index or ins.keyword not in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK",
                                                                  "ENV", "SHELL"):
            continue
        for m in _USR_LOCAL_BIN.finditer(" ".join(ins.args)):
            if not any(fnmatch.fnmatchcase(m.group(1), p) for p in patterns):
                return (f"line {ins.start_line} runs {m.group(0)}: in a virtualenv pip installs that "
                        "console script into the virtualenv's bin folder instead")
    return None


def _runs_python(op) -> bool:
    """True for a command that runs the interpreter or pip."""
    return op.kind in (Kind.PYTHON_INSTALL, Kind.PYTHON_TOOL, Kind.VENV) or op.command.name.startswith(
        ("python", "pip"))


def _add_venv_package(site) -> Edit | None:
    """An edit adding ``python3-venv`` after the last package of the
    ``apt-get install`` that brings Debian's python3, or None when there is
    no such install or its last package word can't be located in the file.

    Debian and Ubuntu split the ``venv`` module off ``python3`` into
    ``python3-venv`` (packages.debian.org/python3-venv); the runtime stage
    does not need it, as the virtualenv is created in the builder.
    """
    if site is None:
        return None
    info, op = site
    if not op.package_words:
        return None
    word = op.command.words[op.package_words[-1]]
    span = file_span(info, word.start, word.end)
    return Edit.insert(span[1], " python3-venv") if span else None

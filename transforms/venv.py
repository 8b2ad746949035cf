"""venv: install Python packages into a virtualenv the runtime stage can copy.

pip, poetry, pipenv, pdm, flit, pip-tools' ``pip-sync`` and ``uv pip``
install into the active environment. This transform creates one
(``python -m venv /opt/venv``) before the first Python install and activates
it for the rest of the build with ``ENV VIRTUAL_ENV=/opt/venv
PATH="/opt/venv/bin:$PATH"`` (the two variables ``bin/activate`` sets;
poetry, pipenv and pdm also honour ``VIRTUAL_ENV``).

- Installs that would bypass it are converted: ``pip install --user`` and
  ``flit install --user`` lose ``--user`` (pip refuses ``--user`` inside a
  virtualenv) and ``uv pip install --system`` loses ``--system``.
  ``flit install`` installs into the Python that runs flit, so it gets
  ``--python /opt/venv/bin/python``.
- An upgrade of the virtualenv's own packages (``pip install --upgrade pip
  setuptools wheel``) that runs before the first install must reach the
  virtualenv: its bundled pip may predate the wheels the build needs. The
  virtualenv is created before that upgrade when nothing but such packages
  is pip-installed from there on; else the upgrade is repeated in the
  virtualenv when it is created. Tools installed for the build (poetry,
  pipenv, pdm, uv) stay outside: they run in the builder only. pip-tools is
  the exception: ``pip-sync`` installs into the environment it runs from,
  so pip-tools is installed into the virtualenv like the upgrade.
- Python 2 images (``python:2.7``) have no ``venv`` module: the virtualenv
  is created with ``virtualenv`` when the file pip-installs it before that
  point (``commands.json`` ``python2_virtualenv``), else the transform
  refuses with the reason.
- Installs with ``--prefix``/``--target`` already write to a folder of their
  own and are left as they are; split-stages copies that folder.
- What it can't follow is refused with the command named: ``hatch env``/
  ``hatch run`` (hatch's own environments), ``pdm install --global``, pdm
  settings that choose another location (``python.use_venv false``,
  ``__pypackages__``), a pip run by its system path.
- When it adds nothing on a Python image, a note says why; and when a
  builder/runtime split gains nothing (:func:`migrator.analysis.gain.split_pays`), it
  adds no virtualenv: one in a single stage gains nothing.

Source: https://docs.python.org/3/library/venv.html (how activation works),
https://pip.pypa.io/en/stable/user_guide/#user-installs,
https://pdm-project.org/en/latest/usage/venv/ (pdm uses the activated
virtualenv), https://flit.pypa.io/en/stable/cmdline.html (``flit install
--python``), https://pip-tools.readthedocs.io (pip-sync in each virtualenv).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field

from migrator.analysis.stage import (app_stages, delete_word, file_span, global_arg_defaults, is_root, read_run, substitute,
                               walk)
from migrator.analysis.commands import (INSTALLS_INTO_OWN_ENVIRONMENT, PDM_LOCATION_SETTINGS, PYTHON_INSTALLERS,
                               VENV_BIN_COMMANDS, VENV_SEED_PACKAGES, Kind, command_table, requirement_name)
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options
from migrator.model.render import instruction
from migrator.transform import Outcome

class Venv:
    """Create and activate a virtualenv before the first Python install."""

    id = "venv"
    title = "Install Python packages into a virtualenv"
    rationale = "a virtualenv is one folder the runtime stage can copy, leaving pip's build leftovers behind"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the virtualenv; see the module docstring.

        Returns:
            an :class:`Outcome` with one fix; or a refusal naming the line
            it can't convert; or, on a Python image where it adds nothing,
            a note saying why (``venv: ...``).
        """
        if len(app_stages(df)) != 1:
            return Outcome()
        stage = app_stages(df)[0]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        from migrator.analysis.packages import describe_base_image

        base = describe_base_image(ref, tuple(options.images))
        scan = _scan(df, stage)
        # a Node or Go image with python3 for node-gyp is not a Python image
        python_image = base.language == "python" or (scan.python_from_apt and base.language is None)
        if scan.existing:
            return Outcome(notes=[f"venv: {scan.existing}"] if python_image else [])
        if not scan.installs and not scan.problems:
            return Outcome(notes=[f"venv: {scan.why_none()}"] if python_image else [])
        if _split_selected(options):
            no_gain = _split_gain(df, options)
            if no_gain and _only_caches(no_gain) and _prefix_split(df, options, no_gain):
                return Outcome(notes=["venv: no virtualenv: only pip's download cache would leave the runtime "
                                      "image, and a new virtualenv would add its own pip (and setuptools before "
                                      "Python 3.12), which could weigh more than the cache; split-stages splits "
                                      "with pip --prefix=/install instead, which leaves the cache in the builder "
                                      "and keeps the packages where the original put them"])
            if no_gain and _prefix_split(df, options, no_gain):
                return Outcome(notes=["venv: no virtualenv: nothing would leave the runtime image, so a new "
                                      "virtualenv would only add its own pip (and setuptools before Python 3.12); "
                                      "split-stages splits with pip --prefix=/install instead, which keeps the "
                                      "packages where the original put them"])
            if no_gain:
                return Outcome(notes=["venv: no virtualenv: no builder/runtime split follows (split-stages says "
                                      "why), and a virtualenv in a single stage gains nothing"])
        if scan.problems:
            return Outcome.refuse(scan.problems[0])
        if base.own_python_packages:
            return Outcome.refuse(f"base image {ref}: {base.own_python_packages}; a virtualenv would hide "
                                  "the app's packages from it")
        if base.language != "python" and not scan.python_from_apt:
            if not base.known:
                return Outcome.refuse(base.no_facts_reason("Python interpreter") + "; the file installs no "
                                      "python3 package, so the tool can't tell which interpreter makes the "
                                      "virtualenv")
            return Outcome.refuse(f"base image {ref} has no Python of its own and the file installs no "
                                  "python3 package: can't tell which interpreter makes the virtualenv")
        added_venv_module = None
        if base.language != "python" and not scan.venv_module:
            added_venv_module = _add_venv_package(scan.apt_python)
            if added_venv_module is None:
                return Outcome.refuse(f"base image {ref} gets Python from its package manager without "
                                      "python3-venv; `python3 -m venv` would fail")
        first = scan.installs[0]
        if first.info.problem:
            return Outcome.refuse(first.info.problem)
        venv, problem = _venv_path(df, scan, options)
        if problem:
            return Outcome.refuse(problem)
        problem = _own_environment_tools(scan)
        if problem:
            return Outcome.refuse(problem)
        anchor, replay, moved_over = _anchor(scan)
        bound = _bound(scan)
        if anchor.info.problem:
            return Outcome.refuse(anchor.info.problem)
        moved = _console_script_by_path(walk(df, stage), anchor.ins) if base.language == "python" else None
        if moved:
            return Outcome.refuse(moved)
        python = "python" if base.language == "python" else "python3"
        activate = instruction(df, "ENV", f'VIRTUAL_ENV={venv} PATH="{venv}/bin:$PATH"')
        inside = None if moved_over else _after_tools(anchor, bound)
        if inside is not None:
            inside, same_run = inside
            replay = replay + same_run
        create = f"{python} -m venv {venv}"
        if _python2(base):
            # Python 2 has no venv module: only a virtualenv the file pip-installs can create it
            virtualenv = _virtualenv_installed(scan, anchor, inside)
            if virtualenv is None:
                return Outcome.refuse(
                    f"base image {ref} has Python 2, which has no venv module, and the file does not pip install "
                    f"virtualenv before line {anchor.ins.start_line}, where the virtualenv would be created: "
                    "`python -m venv` would fail")
            create = f"{virtualenv} {venv}"
        if replay:
            create += "".join(f" && {venv}/bin/pip install {words}" for _step, words in replay)
        edits = []
        if not is_root(anchor.ctx.user):
            # Only root may create /opt/venv: before the USER in effect, make
            # the folder and give it to that user, who then creates the
            # virtualenv (a chown -R of the venv would copy it into a layer).
            user_ins = next((ins for ins, _ctx in reversed(walk(df, stage))
                             if ins.keyword == "USER" and ins.index < anchor.ins.index), None)
            if user_ins is None:
                return Outcome.refuse(f"line {anchor.ins.start_line}: installs as user {anchor.ctx.user}; "
                                      "can't tell where to create the virtualenv folder as root")
            edits.append(Edit.insert(user_ins.start, instruction(
                df, "RUN", f"mkdir -p {venv} && chown {anchor.ctx.user} {venv}")))
        at = _above_comments(df, anchor.ins.start)
        if inside is not None:
            # after the build tools this RUN pip-installs, which stay outside
            span = file_span(anchor.info, inside.start, inside.start + 1)
            if span is None:
                return Outcome.refuse(f"line {anchor.ins.start_line}: can't place the virtualenv "
                                      "creation inside this RUN")
            edits += [Edit.insert(at, activate), Edit.insert(span[0], f"{create} && ")]
            if added_venv_module is not None and scan.apt_python[0].ins.index == anchor.ins.index \
                    and scan.apt_python[1].command.start > inside.start:
                return Outcome.refuse(f"line {anchor.ins.start_line}: python3-venv is installed after the "
                                      "place the virtualenv is created")
        elif base.language == "python":
            edits.append(Edit.insert(at, instruction(df, "RUN", create) + activate))
        else:
            # The interpreter may come from this very RUN: create the venv
            # inside it, before its first Python command (a `pip3` run
            # earlier in the same shell would stay hashed to the system pip).
            seg = next(s for s, ops in zip(anchor.info.script.segments, anchor.info.ops)
                       if any(_runs_python(o) for o in ops))
            span = file_span(anchor.info, seg.start, seg.start + 1)
            if span is None:
                return Outcome.refuse(f"line {anchor.ins.start_line}: can't place the virtualenv "
                                      "creation inside this RUN")
            edits += [Edit.insert(at, activate), Edit.insert(span[0], f"{create} && ")]
        if added_venv_module is not None:
            edits.append(added_venv_module)
        converted = []
        for step in moved_over + scan.installs:
            edit, what, problem = _convert(step, venv)
            if problem:
                return Outcome.refuse(problem)
            if edit is not None:
                edits.append(edit)
                converted.append(what)
        tools = sorted({step.op.manager for step in scan.installs})
        reason = (f"Python packages ({', '.join(tools)}) install into a virtualenv at {venv}, "
                  "one folder the runtime stage can copy")
        if moved_over:
            lines = sorted({s.ins.start_line for s in moved_over})
            reason += (f"; created before line {lines[0]}, so that {_names(moved_over)} "
                       f"({_lines(lines)}) reaches it")
        if inside is not None:
            kept = sorted({n for t in scan.tool_installs if t.ins.index == anchor.ins.index
                           and t.op.command.start < inside.start
                           for n in t.op.options.get("names", ()) if n not in bound})
            reason += (f"; created inside line {anchor.ins.start_line} after its pip install of "
                       f"{', '.join(kept)}, which stays outside (a tool, not one of the app's packages: "
                       "installing it into the project's environment would mix its dependencies with the app's)")
        if replay:
            lines = sorted({s.ins.start_line for s, _w in replay})
            reason += f"; {_names([s for s, _w in replay], bound)} ({_lines(lines)}) runs again in it"
            outside = [t for t in scan.tool_installs if set(t.op.options.get("names", ())) - bound
                       and replay[0][0].ins.index <= t.ins.index < first.ins.index]
            if outside and inside is None:
                tools_outside = sorted({n for t in outside for n in t.op.options["names"] if n not in bound})
                reason += (f", as {', '.join(tools_outside)} ({_lines(sorted({t.ins.start_line for t in outside}))}) "
                           "stays outside it: the build runs it, the runtime stage does not need it")
        if converted:
            reason += "; " + "; ".join(converted)
        if added_venv_module is not None:
            reason += (f"; the apt-get install of line {scan.apt_python[0].ins.start_line} adds python3-venv, "
                       "which `python3 -m venv` needs")
        if not create.startswith(python):
            reason += (f"; created with virtualenv, which the file pip-installs: Python 2 ({ref}) has no "
                       "venv module")
        if _split_selected(options) and _split_gain_after(df, edits, options):
            # no split follows (it gains nothing, or split-stages refuses it):
            # a virtualenv in a single stage gains nothing, unless it is what
            # keeps an installer's own environment out of root's home
            home = _home_environment(df, scan)
            if home is None:
                return Outcome(notes=["venv: no virtualenv: with it, no builder/runtime split follows "
                                      "(split-stages says why), and a virtualenv in a single stage gains nothing"])
            reason = reason.replace(", one folder the runtime stage can copy", "", 1)
            reason += (f"; no builder/runtime split follows (split-stages says why), but without the virtualenv "
                       f"line {home[0]}'s {home[1]} would make its own in {home[2]} of root (mode 0700), out of "
                       "reach of a non-root user")
        return Outcome(fixes=[Fix(reason, tuple(edits))])


@dataclass
class _Step:
    """One command of a RUN: the instruction, its context, the RUN read and the op."""

    ins: object
    ctx: object
    info: object
    op: object


@dataclass
class _Scan:
    """What the stage installs, read once for :meth:`Venv.run`.

    Attributes:
        installs: Python installs into the active environment or the user
            site, in order.
        tool_installs: ``pip install`` of tools (build tools, the
            virtualenv's own packages) into the environment, in order.
        existing: why the file already has a virtualenv, or None.
        problems: refusals for installers it can't follow, in order.
        elsewhere: installs that write somewhere of their own (``--target``,
            ``uv sync``'s project virtualenv), for the note.
        python_from_apt: the file installs Python with apt or apk.
        venv_module: ... and the package with its ``venv`` module
            (``python3-venv``; Alpine's python3 has it).
        apt_python: ``(RunInfo, Op)`` of the apt-get install that brings
            python3 before the first install, or None.
    """

    installs: list[_Step] = field(default_factory=list)
    tool_installs: list[_Step] = field(default_factory=list)
    existing: str | None = None
    problems: list[str] = field(default_factory=list)
    elsewhere: list[_Step] = field(default_factory=list)
    python_from_apt: bool = False
    venv_module: bool = False
    apt_python: tuple | None = None

    def why_none(self) -> str:
        """Why there is nothing to put into a virtualenv: one clause."""
        if self.elsewhere:
            step = self.elsewhere[0]
            out = step.op.output
            where = ("the project's own virtualenv" if out == "project"
                     else f"a folder of its own ({out})" if out and out.startswith("/") else "a place of its own")
            return (f"nothing to move: line {step.ins.start_line} (`{step.op.detail}`) installs into {where}, "
                    "which split-stages copies")
        return ("nothing installs Python packages into the system environment "
                f"(no {', '.join(PYTHON_INSTALLERS)} install)")


def _scan(df: Dockerfile, stage) -> _Scan:
    """Read the stage's Python installs for :meth:`Venv.run`."""
    scan = _Scan()
    pdm_used = False
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        info = read_run(df, ins, ctx)
        for op in info.all_ops:
            step = _Step(ins, ctx, info, op)
            names = {p.split("=")[0] for p in op.packages} if op.kind is Kind.SYSTEM_INSTALL else set()
            if names & {"python3", "python3-pip", "python3-venv", "py3-pip", "python3-dev"}:
                scan.python_from_apt = True
                if op.manager == "apt" and scan.apt_python is None and not scan.installs:
                    scan.apt_python = (info, op)
            if "python3-venv" in names or any(n.startswith("python3.") and n.endswith("-venv") for n in names) \
                    or (op.manager == "apk" and "python3" in names):
                scan.venv_module = True
            if (op.kind is Kind.VENV or ctx.venv) and not scan.installs and scan.existing is None:
                scan.existing = (f"line {ins.start_line} already creates a virtualenv ({op.output or 'its path'})"
                                 if op.kind is Kind.VENV else
                                 f"the file already puts the virtualenv {ctx.venv} first on PATH "
                                 f"before line {ins.start_line}")
            pdm_used |= op.manager == "pdm"
            if op.kind is Kind.UNKNOWN and op.options.get("why"):
                scan.problems.append(f"line {ins.start_line} runs `{op.detail}`, which {op.options['why']}")
            elif op.kind is Kind.PYTHON_TOOL and op.manager == "pdm":
                argv = list(op.options.get("argv", ()))
                sub = next((a for a in argv if not a.startswith("-")), "")
                keys = [a for a in argv[argv.index(sub) + 1:] if not a.startswith("-")] if sub else []
                if sub in PDM_LOCATION_SETTINGS["subcommands"] or (
                        sub == "config" and keys and keys[0].startswith(PDM_LOCATION_SETTINGS["config_prefixes"])):
                    scan.problems.append(f"line {ins.start_line} runs `pdm {' '.join([sub] + keys[:1])}`, which "
                                         "chooses where pdm installs; the tool can't tell that it is the virtualenv")
            elif op.kind is Kind.PYTHON_TOOL and op.manager == "pip" and op.output in ("env", "user"):
                scan.tool_installs.append(step)
            elif op.kind is Kind.PYTHON_INSTALL and op.output in ("env", "user"):
                scan.installs.append(step)
            elif op.kind is Kind.PYTHON_INSTALL and op.output and op.output.startswith("system:"):
                scan.problems.append(f"line {ins.start_line} runs {op.output[len('system:'):]} by its path, which "
                                     "installs into that interpreter's site-packages whatever virtualenv is active")
            elif op.kind is Kind.PYTHON_INSTALL:
                scan.elsewhere.append(step)
    if pdm_used:
        scan.problems += _pdm_settings(df, stage)
    return scan


def _pdm_settings(df: Dockerfile, stage) -> list[str]:
    """Refusals for what makes pdm install elsewhere than the activated
    virtualenv: a ``__pypackages__`` folder (PEP 582 mode) or one of the
    environment variables of :data:`PDM_LOCATION_SETTINGS`."""
    out = []
    folders = PDM_LOCATION_SETTINGS["folders"]
    for ins, ctx in walk(df, stage):
        text = df.text[ins.start:ins.end]
        folder = next((f for f in folders if f in text), None)
        if folder:
            out.append(f"line {ins.start_line} uses {folder}, where pdm installs instead of a virtualenv (PEP 582)")
        if ins.keyword in ("ENV", "ARG"):
            for arg in ins.args:
                name = arg.split("=", 1)[0]
                if name.startswith(PDM_LOCATION_SETTINGS["env_prefixes"]):
                    out.append(f"line {ins.start_line} sets {name}, which chooses where pdm installs; "
                               "the tool can't tell that it is the virtualenv")
    return out


def _above_comments(df: Dockerfile, start: int) -> int:
    """The offset where lines inserted before the instruction at ``start``
    go: above the comment lines right above it, which describe it (a
    comment left above inserted lines would describe them instead)."""
    at = start
    while at > 0:
        prev = df.text.rfind("\n", 0, at - 1) + 1
        line = df.text[prev:at].strip()
        if not line.startswith("#"):
            break
        at = prev
    return at


def _python2(base) -> bool:
    """Whether ``base`` is a ``python`` image of Python 2 (``python:2``,
    ``python:2.7-slim``...), which has no ``venv`` module."""
    return base.name == "python" and re.match(r"2(\.|-|$)", base.tag or "") is not None


def _virtualenv_installed(scan: _Scan, anchor: _Step, inside) -> str | None:
    """The command that creates a virtualenv on Python 2 (``commands.json``
    ``python2_virtualenv``: ``virtualenv``) when the file pip-installs its
    package before the point where the virtualenv is created: before the
    RUN of ``anchor``, or before segment ``inside`` of that RUN when the
    virtualenv is created inside it; else None."""
    table = command_table()["python2_virtualenv"]
    for tool in scan.tool_installs:
        if table["package"] not in tool.op.options.get("names", ()):
            continue
        if tool.ins.index < anchor.ins.index or (
                inside is not None and tool.ins.index == anchor.ins.index and tool.op.command.start < inside.start):
            return table["command"]
    return None


def _home_environment(df: Dockerfile, scan: _Scan) -> tuple[int, str, str] | None:
    """``(line, installer, folder)`` of the first install that, with no
    active virtualenv, makes the installer's own virtualenv in root's home
    (``pipenv install`` without ``--system``, ``poetry install``: see
    :func:`migrator.analysis.gain.installer_home_virtualenv`), or None. The
    virtualenv then is what lets a non-root user (and a ``python`` on PATH)
    reach the installed packages, even in a single stage. None too for an
    image with no CMD or ENTRYPOINT, or whose CMD is an interactive shell: it
    keeps root (``non-root-user``), and its users run the installer as root."""
    from migrator.analysis.gain import installer_home_virtualenv, poetry_config_keeps_env_out_of_home

    from migrator.analysis.gain import interactive_start

    app = app_stages(df)[0]
    if not any(ins.keyword in ("CMD", "ENTRYPOINT") for ins in app.instructions) or \
            interactive_start(walk(df, app)) is not None:
        return None
    own = False
    for ins, ctx in walk(df, app):
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            argv = op.command.argv or []
            if op.command.name == "poetry" and argv[1:2] == ["config"]:
                own = own or poetry_config_keeps_env_out_of_home(argv[2:])
            if not any(step.ins.index == ins.index for step in scan.installs):
                continue
            env = dict(ctx.env)
            env.update(a.split("=", 1) for a in op.command.assignments if "=" in a)
            folder = installer_home_virtualenv(op.command.name, argv, env, own)
            if folder:
                return ins.start_line, op.command.name, folder
    return None


def _split_selected(options: Options) -> bool:
    """True when split-stages runs too: a virtualenv is worth adding only for it."""
    return (options.select is None or "split-stages" in options.select) and "split-stages" not in options.ignore


def _split_gain(df: Dockerfile, options: Options) -> str | None:
    """:func:`migrator.analysis.gain.split_pays`: None when a builder/runtime split
    pays, else why not."""
    from migrator.analysis.gain import split_pays

    return split_pays(df, options)


def _only_caches(no_gain: str) -> bool:
    """Whether split-stages' no-gain answer is that only install caches would
    leave (:data:`migrator.analysis.gain.ONLY_CACHES`)."""
    from migrator.analysis.gain import ONLY_CACHES

    return no_gain.startswith((ONLY_CACHES, ONLY_CACHES.replace("an install cache", "install caches")))


def _prefix_split(df: Dockerfile, options: Options, no_gain: str) -> bool:
    """Whether split-stages splits the file anyway, with pip --prefix
    (:func:`migrator.analysis.prefix_split.prefix_split`)."""
    from migrator.analysis.gain import read_stage
    from migrator.analysis.prefix_split import prefix_split

    return prefix_split(df, read_stage(df), options, no_gain)[0] is not None


def _split_gain_after(df: Dockerfile, edits: list[Edit], options: Options) -> str | None:
    """:func:`migrator.analysis.gain.split_pays`, then
    :func:`migrator.analysis.gain.split_blocker`, of the file with ``edits`` applied:
    None when a split pays and split-stages can make it (also when the
    result can't be parsed, which the engine reports itself), else why not.
    A split refused (``CMD ["pipenv", "run", ...]`` with pipenv outside the
    virtualenv) leaves a single stage, where a virtualenv gains nothing."""
    from migrator.model.edits import apply_edits
    from migrator.analysis.gain import split_blocker
    from migrator.model.dockerfile import ParseError, parse

    try:
        after = parse(apply_edits(df.text, edits))
    except (ParseError, ValueError):
        return None
    return _split_gain(after, options) or split_blocker(after)


def _venv_path(df: Dockerfile, scan: _Scan, options: Options) -> tuple[str, str | None]:
    """The virtualenv's path: ``options.venv_path``, or the project's
    ``.venv`` when pdm installs and the file names that folder (``ENV
    PATH=/app/.venv/bin:$PATH`` after ``pdm install``: pdm's default
    location, and the first one pdm looks at). Returns (path, problem)."""
    pdm = next((s for s in scan.installs if s.op.manager == "pdm"), None)
    if pdm is None:
        return options.venv_path, None
    stage = app_stages(df)[0]
    for ins, _ctx in walk(df, stage):
        if ins.index <= pdm.ins.index:
            continue
        text = " ".join(ins.args)
        if re.search(r"(^|[\s\"'=:\[,])(\./)?\.venv(/|\b)", text) or "/.venv" in text:
            project = pdm.op.command.cwd
            if project is None:
                return "", (f"line {ins.start_line} names pdm's .venv folder, and the project folder of "
                            f"line {pdm.ins.start_line} is unknown")
            return posixpath.join(project, ".venv"), None
    return options.venv_path, None


def _own_environment_tools(scan: _Scan) -> str | None:
    """A problem when an installer that installs into the environment it
    runs from (:data:`INSTALLS_INTO_OWN_ENVIRONMENT`) is not pip-installed
    before it in the stage, so it can't be put into the virtualenv."""
    for step in scan.installs:
        package = INSTALLS_INTO_OWN_ENVIRONMENT.get(step.op.manager)
        if package and not any(package in t.op.options.get("names", ()) and t.ins.index <= step.ins.index
                               for t in scan.tool_installs):
            return (f"line {step.ins.start_line} runs {step.op.manager}, which installs into the environment it "
                    f"runs from, and the file does not pip install {package} before it: the tool can't put it "
                    "into the virtualenv")
    return None


def _anchor(scan: _Scan) -> tuple[_Step, list[tuple[_Step, str]], list[_Step]]:
    """Where the virtualenv is created, and what must reach it from before.

    Packages that must be in the virtualenv (:data:`VENV_SEED_PACKAGES`, and
    pip-tools when pip-sync installs: :data:`INSTALLS_INTO_OWN_ENVIRONMENT`)
    may be pip-installed before the first install. When every pip install of
    tools from the first such RUN on installs only such packages, the
    virtualenv is created before that RUN; else before the first install,
    and those packages are installed again in it.

    Returns:
        ``(anchor, replay, moved_over)``: the step before whose RUN the
        virtualenv is created; ``(step, pip install arguments)`` to run in it
        when created; the tool installs that now run inside it.
    """
    first = scan.installs[0]
    bound = _bound(scan)
    before = [t for t in scan.tool_installs if t.ins.index < first.ins.index
              or t.ins.index == first.ins.index and t.op.command.start < first.op.command.start]
    needed = [t for t in before if bound & set(t.op.options.get("names", ())) and t.ins.index < first.ins.index]
    if not needed:
        return first, [], []
    start = needed[0].ins.index
    span = [t for t in before if t.ins.index >= start]
    if all(set(t.op.options.get("names", ())) <= bound for t in span):
        return needed[0], [], span
    replay = []
    for t in needed:
        words = _replay_words(t, bound)
        if words is None:
            return first, [], []   # can't separate the words: the virtualenv keeps its own pip, as today
        replay.append((t, words))
    return first, replay, []


def _bound(scan: _Scan) -> set[str]:
    """The packages that must be installed into the virtualenv itself: its
    own (:data:`VENV_SEED_PACKAGES`) and the installers of
    :data:`INSTALLS_INTO_OWN_ENVIRONMENT` the stage runs."""
    return set(VENV_SEED_PACKAGES) | {package for cmd, package in INSTALLS_INTO_OWN_ENVIRONMENT.items()
                                      if any(s.op.manager == cmd for s in scan.installs)}


def _after_tools(step: _Step, bound: set[str]):
    """Where in the RUN of the first install the virtualenv can be created
    so that build tools the same RUN pip-installs first stay outside it
    (``pip install poetry && poetry install``: poetry must not live in the
    project's environment, and the runtime stage does not need it).

    The ``ENV`` that activates it then comes before the RUN: a command
    looked up before the virtualenv exists resolves to the system one, and
    the shell remembers that path (bash and dash hash commands). So no
    python or pip, which the virtualenv has, may run after that point: it
    would be the system one. Upgrades of :data:`VENV_SEED_PACKAGES` before
    that point are repeated in the virtualenv.

    Returns:
        ``(segment, [(step, pip install arguments)])`` or None when the
        virtualenv goes before the RUN.
    """
    info = step.info
    if info.script is None:
        return None
    k = next(i for i, ops in enumerate(info.ops) if any(op is step.op for op in ops))
    before = [op for ops in info.ops[:k] for op in ops]
    tools = [op for op in before if op.kind is Kind.PYTHON_TOOL and op.manager == "pip" and op.output == "env"]
    if not any(set(op.options.get("names", ())) - bound for op in tools):
        return None
    if info.script.segments[k].operator not in ("&&", ";", "\n"):
        return None
    if any(VENV_BIN_COMMANDS.fullmatch(op.command.name) for ops in info.ops[k:] for op in ops):
        return None
    replay = []
    for op in tools:
        if bound & set(op.options.get("names", ())):
            words = _replay_words(_Step(step.ins, step.ctx, info, op), bound)
            if words is None:
                return None
            replay.append((_Step(step.ins, step.ctx, info, op), words))
    return info.script.segments[k], replay


def _replay_words(step: _Step, bound: set[str]) -> str | None:
    """The arguments of a ``pip install`` of tools, as written, keeping the
    options (but ``--user``) and only the requirements in ``bound``; None
    when a word can't be read (a variable holding several words)."""
    words = step.op.command.words
    at = next((i for i, w in enumerate(words) if w.value == "install"), None)
    if at is None:
        return None
    with_value = set(command_table()["pip_options_with_value"])
    out: list[str] = []
    i = at + 1
    while i < len(words):
        w = words[i]
        if w.value is None:
            return None
        if w.value.startswith("-"):
            if w.value == "--user":
                i += 1
                continue
            out.append(w.raw)
            if w.value in with_value and i + 1 < len(words):
                out.append(words[i + 1].raw)
                i += 1
        elif requirement_name(w.value) in bound:
            out.append(w.raw)
        i += 1
    return " ".join(out)


def _names(steps: list[_Step], only: set[str] | None = None) -> str:
    """``the upgrade of pip, setuptools`` (or ``pip-tools``) from the tool
    installs of ``steps``, of the packages in ``only`` if given."""
    seen: list[str] = []
    for s in steps:
        for n in s.op.options.get("names", ()):
            if n not in seen and (only is None or n in only):
                seen.append(n)
    seed = [n for n in seen if n in VENV_SEED_PACKAGES]
    rest = [n for n in seen if n not in VENV_SEED_PACKAGES]
    parts = ([f"the upgrade of {', '.join(seed)}"] if seed else []) + rest
    return " and ".join(parts)


def _lines(lines: list[int]) -> str:
    """``line 3`` / ``lines 3, 5``."""
    return f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"


def _convert(step: _Step, venv: str) -> tuple[Edit | None, str, str | None]:
    """The edit that keeps one install inside the virtualenv: drop ``--user``
    (pip, flit) or ``--system`` (uv pip); give ``flit install`` the
    virtualenv's Python. Returns ``(edit or None, what for the reason,
    problem)``."""
    op, ins, info = step.op, step.ins, step.info
    flag = None
    if op.manager in ("pip", "flit") and op.options.get("user"):
        flag = "--user"
    elif op.manager == "uv" and op.options.get("system"):
        flag = "--system"
    if flag is not None:
        word = next((w for w in op.command.words if w.value == flag), None)
        edit = delete_word(info, word) if word is not None else None
        if edit is None:
            return None, "", f"line {ins.start_line}: can't remove {flag} from this RUN"
        return edit, f"dropped {flag} (line {ins.start_line})", None
    if op.manager == "flit":
        python = op.options.get("python") or step.ctx.env.get("FLIT_INSTALL_PYTHON")
        if python:
            if python.startswith("/") and not python.startswith(venv.rstrip("/") + "/"):
                return None, "", (f"line {ins.start_line}: flit install installs for {python}, "
                                  "not the virtualenv")
            return None, "", None
        word = next((w for w in op.command.words if w.value == "install"), None)
        span = file_span(info, word.start, word.end) if word is not None else None
        if span is None:
            return None, "", f"line {ins.start_line}: can't point flit install at the virtualenv in this RUN"
        return (Edit.insert(span[1], f" --python {venv}/bin/python"),
                f"flit install (line {ins.start_line}) gets --python {venv}/bin/python: it installs into the "
                "Python that runs flit", None)
    return None, "", None


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

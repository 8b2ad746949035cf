"""Checks every migrated Dockerfile must pass before it is emitted.

1. It parses with BuildKit's parser (the caller passes the parsed result).
2. Every ``COPY --from``/``RUN --mount from=`` names an earlier stage (or an
   image reference), never a later or missing stage.
3. The final stage keeps the image configuration of the original: CMD,
   ENTRYPOINT, EXPOSE, ENV, LABEL, WORKDIR, HEALTHCHECK, STOPSIGNAL, VOLUME
   and SHELL (https://docs.docker.com/reference/dockerfile/). Two kinds of
   difference are intended and allowed: the virtualenv's ``VIRTUAL_ENV``
   and its ``bin`` put first on ``PATH``, USER (the non-root transform),
   and a HEALTHCHECK where the original had none; and for Node.js
   (``node-runtime``), ``NODE_ENV=production`` where none was set, the
   variable telling a dependency where its copied HOME download is
   (``PUPPETEER_CACHE_DIR``, ``PLAYWRIGHT_BROWSERS_PATH``: commands.json
   ``home_caches``), and a
   Next.js standalone runtime's ``CMD ["node", "server.js"]`` with its
   ``PORT``/``HOSTNAME``.
4. Every program the runtime (final) stage runs exists there: a RUN,
   CMD, ENTRYPOINT or HEALTHCHECK of the final stage never runs a program
   that only an earlier stage installed (``pipenv``, ``poetry`` or ``uv``
   pip-installed outside the virtualenv, a global npm tool, uv's binary
   copied from its image, the commands of a build-only system package such
   as ``gcc`` or ``make``) unless the final stage gets it too: its own
   installs, a ``COPY --from`` of a folder that holds it, or a base image
   that carries it (a full image carries the compilers).
5. No apt install runs after a RUN of the same stage removed the package
   lists (``rm -rf /var/lib/apt/lists/*``) without an ``apt-get update`` in
   between: apt would answer "Unable to locate package". Only new cases
   count: a stage the original file already wrote that way is the user's.
6. A second run changes nothing (idempotence).
7. The final stage never pip-installs an installer (poetry, pipenv, uv,
   pdm) into the virtualenv it copied from an earlier stage.
"""

from __future__ import annotations

import posixpath
import re
from migrator.analysis.commands import command_table

from migrator.analysis.stage import end_context, global_arg_defaults, substitute, walk
from migrator.model.dockerfile import Dockerfile, Stage
from migrator.options import Options


def image_config(df: Dockerfile, stage: Stage) -> dict:
    """The image configuration a stage's own instructions set.

    Returns:
        a dict with keys Cmd, Entrypoint, Healthcheck, Shell, StopSignal,
        WorkingDir, ExposedPorts (set), Volumes (set), Labels (dict), Env
        (dict of the values as written, after substitution where known).
    """
    cfg: dict = {"ExposedPorts": set(), "Volumes": set(), "Labels": {}, "Env": {}}
    for ins, ctx in walk(df, stage):
        kw = ins.keyword
        if kw in ("CMD", "ENTRYPOINT", "HEALTHCHECK", "SHELL"):
            key = {"CMD": "Cmd", "ENTRYPOINT": "Entrypoint", "HEALTHCHECK": "Healthcheck", "SHELL": "Shell"}[kw]
            cfg[key] = (ins.json, ins.flags, ins.args)
            if kw == "ENTRYPOINT":
                cfg.pop("Cmd", None)  # ENTRYPOINT resets an inherited CMD
        elif kw == "COPY" and ins.flag("from") is not None and any(
                a.rstrip("/").endswith("/.next/standalone") for a in ins.args[:-1]):
            cfg["NextStandalone"] = True     # node-runtime's Next.js standalone server (unsafe)
        elif kw == "STOPSIGNAL":
            cfg["StopSignal"] = ins.args
        elif kw == "EXPOSE":
            cfg["ExposedPorts"].update(substitute(a, ctx.env) or a for a in ins.args)
        elif kw == "VOLUME":
            cfg["Volumes"].update(ins.args)
        elif kw == "LABEL":
            args = list(ins.args)
            for i in range(0, len(args) - 1, 2):
                cfg["Labels"][args[i]] = substitute(args[i + 1], ctx.env) or args[i + 1]
        elif kw == "ENV":
            args = list(ins.args)
            for i in range(0, len(args) - 1, 2):
                cfg["Env"][args[i]] = substitute(args[i + 1], {**ctx.env, **cfg["Env"]}, keep_unknown=True)
    cfg["WorkingDir"] = end_context(df, stage).workdir
    return cfg


def added_venv(old_path: str | None, new_path: str | None) -> str | None:
    """The virtualenv whose ``bin`` folder is the only difference between two
    PATH values, or None.

    Args:
        old_path, new_path: PATH as the stage sets it (``$PATH`` standing for
            the base image's), None when the stage does not set it.
    Returns:
        the virtualenv folder (``/opt/venv``) when ``new_path`` is
        ``old_path`` with one ``<venv>/bin`` entry added, anywhere in it.
    """
    old = (old_path if old_path is not None else "$PATH").split(":")
    new = (new_path if new_path is not None else "$PATH").split(":")
    for i, entry in enumerate(new):
        if entry.startswith("/") and entry.endswith("/bin") and new[:i] + new[i + 1:] == old:
            return entry[: -len("/bin")]
    return None


def config_difference(before: dict, after: dict) -> str | None:
    """Describe the first unintended difference between two configs, or None."""
    for key in ("Cmd", "Entrypoint", "Healthcheck", "Shell", "StopSignal", "WorkingDir",
                "ExposedPorts", "Volumes", "Labels"):
        if key == "Healthcheck" and before.get(key) is None:
            continue   # a health check added where there was none (the opt-in healthcheck transform)
        if key == "Cmd" and after.get("NextStandalone") and (after.get(key) or (None, None, ()))[2] == \
                ("node", "server.js"):
            continue   # Next.js standalone runs its traced server (node-runtime, an unsafe change)
        if before.get(key) != after.get(key):
            return f"{key} changed ({before.get(key)!r} -> {after.get(key)!r})"
    b_env, a_env = dict(before["Env"]), dict(after["Env"])
    venv = None
    if a_env.get("PATH") != b_env.get("PATH"):
        venv = added_venv(b_env.get("PATH"), a_env.get("PATH"))
        if venv is None:
            return f"PATH changed ({b_env.get('PATH')!r} -> {a_env.get('PATH')!r})"
        a_env.pop("PATH")
        b_env.pop("PATH", None)
    if "VIRTUAL_ENV" in a_env and "VIRTUAL_ENV" not in b_env:
        if venv is not None and a_env["VIRTUAL_ENV"] != venv:
            return f"VIRTUAL_ENV {a_env['VIRTUAL_ENV']!r} is not the venv on PATH {venv!r}"
        a_env.pop("VIRTUAL_ENV")
    if "NODE_ENV" not in b_env and (a_env.get("NODE_ENV") or "").strip("'\"") == "production":
        a_env.pop("NODE_ENV")   # node-runtime: an app its command starts as in production
    caches = command_table()["home_caches"]
    for entry in [*caches.get("packages", {}).values(), *caches.get("node_commands", {}).values()]:
        if isinstance(entry, dict) and entry["dir_env"] not in b_env:
            a_env.pop(entry["dir_env"], None)   # node-runtime: where it copied a dependency's HOME download
    if after.get("NextStandalone"):
        for key in ("PORT", "HOSTNAME"):
            if key not in b_env:
                a_env.pop(key, None)   # the standalone server's address (node-runtime)
    if b_env != a_env:
        lost = {k: v for k, v in b_env.items() if a_env.get(k) != v}
        return f"ENV changed: {lost or a_env}"
    return None


def stage_reference_problem(df: Dockerfile) -> str | None:
    """Return a problem with ``--from`` references, or None.

    A ``--from`` value that is a plain name (no ``/``, ``:`` or ``.``) must
    be an earlier stage, and a number must be an earlier stage's index, as
    BuildKit would otherwise try to pull an image of that name.
    """
    for stage in df.stages:
        earlier = {s.name.lower() for s in df.stages[: stage.index] if s.name}
        for ins in stage.body:
            refs = []
            value = ins.flag("from") if ins.keyword in ("COPY", "ADD") else None
            if value is not None:
                refs.append(value)
            for f in ins.flags:
                if f.startswith("--mount="):
                    m = re.search(r"(?:^|,)from=([^,]+)", f[len("--mount="):])
                    if m:
                        refs.append(m.group(1))
            for ref in refs:
                if ref.isdigit():
                    if int(ref) >= stage.index:
                        return f"line {ins.start_line}: --from={ref} is not an earlier stage"
                elif re.fullmatch(r"[A-Za-z0-9_-]+", ref) and ref.lower() not in earlier:
                    if any(s.name and s.name.lower() == ref.lower() for s in df.stages):
                        return f"line {ins.start_line}: --from={ref} names a later stage"
                    return f"line {ins.start_line}: --from={ref} names no earlier stage"
    return None


_SHELLS = frozenset({"sh", "bash", "dash", "ash"})
_WRAPPERS = frozenset({"exec", "env", "tini", "dumb-init", "gosu", "su-exec", "nice", "nohup", "time"})


def _start_programs(ins) -> list[str]:
    """The programs a CMD/ENTRYPOINT/HEALTHCHECK starts: its first word, the
    word after wrappers (``exec``, ``tini --``), and, for ``sh -c SCRIPT`` or
    a shell-form command, the first word of each command of the script."""
    from migrator.model.shell import parse_script

    args = list(ins.args)
    if ins.keyword == "HEALTHCHECK":
        if not args or args[0].upper() == "NONE":
            return []
        args = args[1:] if args[0].upper() == "CMD" else args
    if not args:
        return []
    if not ins.json:
        script = " ".join(args)
    elif posixpath.basename(args[0]) in _SHELLS and "-c" in args[1:-1]:
        script = args[args.index("-c") + 1]
    else:
        words = [posixpath.basename(a) for a in args]
        while words and (words[0] in _WRAPPERS or words[0].startswith("-")):
            words = words[1:]
        return words[:1]
    try:
        commands = parse_script(script).commands
    except Exception:  # noqa: BLE001 - an unreadable script names no program we can check
        return []
    out = []
    for cmd in commands:
        words = [posixpath.basename(w) for w in (cmd.argv or [cmd.name]) if w]
        while words and (words[0] in _WRAPPERS or words[0].startswith("-") or "=" in words[0]):
            words = words[1:]
        out.extend(words[:1])
    return out


def _stage_installs(df: Dockerfile, stage: Stage) -> tuple[dict[str, int], set[str], list]:
    """What a stage installs: the builder-only tools (command -> line, as
    :func:`migrator.analysis.gain.read_stage` finds them), the system packages it
    installs, and its RUN readings."""
    from migrator.analysis.commands import Kind
    from migrator.analysis.gain import read_stage

    reading = read_stage(df, stage)
    packages: set[str] = set()
    for info in reading.infos.values():
        for op in info.all_ops:
            if op.kind is Kind.SYSTEM_INSTALL:
                packages.update(op.packages)
    return reading.builder_tools, packages, reading


def _tools_installed(df: Dockerfile, reading) -> set[str]:
    """The commands of every tool a stage installs itself, whatever role
    :mod:`migrator.analysis.gain` gives the install (``npm install -g pm2`` for a
    CMD that runs ``pm2-runtime`` is a setup step there, still an install
    here): pip installs of tools, installer scripts and global npm installs."""
    from migrator.analysis.stage import read_run
    from migrator.analysis.commands import Kind, command_table, requirement_name
    from migrator.analysis.gain import TOOL_COMMANDS

    npm = command_table()["npm_tool_commands"]
    out: set[str] = set()
    for ins, ctx in reading.steps:
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.kind is Kind.TOOL_INSTALL:
                for spec in op.packages:
                    package = spec[0] + spec[1:].split("@", 1)[0]
                    out.update(npm.get(package, [package.rsplit("/", 1)[-1]]))
            elif op.kind in (Kind.PYTHON_TOOL, Kind.PYTHON_INSTALL) and op.packages:
                for spec in op.packages:
                    name = requirement_name(spec)
                    out.update(TOOL_COMMANDS.get(name, (name,)))
    for info in reading.infos.values():
        # installer scripts (`curl ... install.python-poetry.org | python3 -`), as gain reads them
        for op in info.all_ops:
            if op.manager == "installer" and op.packages:
                out.update(c for spec in op.packages for c in TOOL_COMMANDS.get(spec, (spec,)))
    return out


def runtime_program_problem(df: Dockerfile, options: Options | None = None) -> str | None:
    """Invariant 4: a program the final stage runs that only an earlier stage has.

    Args:
        df: a parsed multi-stage Dockerfile (a single stage passes).
        options: the run's options (configured base-image facts).
    Returns:
        ``"line N runs `prog`, which only stage `builder` installs (line M)"``
        for the first such program, or None. The facts: builder-only tools
        as :mod:`migrator.analysis.gain` reads them, the commands each build-only
        system package ships (``migrator/data`` package indexes,
        :meth:`migrator.analysis.packages.PackageIndex.commands_of`), and whether the
        final stage's base image is a full image that carries them.
    """
    if len(df.stages) < 2:
        return None
    from migrator.analysis.packages import describe_base_image, package_index

    final = df.stages[-1]
    earlier = df.stages[:-1]
    tools: dict[str, tuple[str, int]] = {}
    built_packages: set[str] = set()
    for stage in earlier:
        stage_tools, packages, _ = _stage_installs(df, stage)
        for cmd, line in stage_tools.items():
            tools.setdefault(cmd, (stage.name or str(stage.index), line))
        built_packages |= packages
    own_tools, own_packages, reading = _stage_installs(df, final)
    for cmd in set(own_tools) | _tools_installed(df, reading):
        tools.pop(cmd, None)
    ref = substitute(final.base_image, global_arg_defaults(df)) or final.base_image
    base = describe_base_image(ref, options.images if options else ())
    if not base.full and base.family in ("debian", "alpine"):
        try:
            index = package_index(base.family, base.release if base.family == "debian" else None)
        except KeyError:
            index = None
        if index is not None:
            gone = sorted(p for p in built_packages - own_packages if index.facts(p).build_only)
            kept = index.commands_of(sorted(own_packages))
            stage_name = next((s.name or str(s.index) for s in earlier), "builder")
            for cmd in index.commands_of(gone):
                if cmd not in kept:
                    tools.setdefault(cmd, (stage_name, 0))
    if not tools:
        return None
    copied_tools = {name for names in reading.tool_copies.values() for name in names}
    runs: list[tuple[int, str]] = []
    for ins, _ctx in reading.steps:
        if ins.keyword == "RUN":
            info = reading.infos.get(ins.index)
            for op in info.all_ops if info else ():
                runs.append((ins.start_line, op.command.name))
        elif ins.keyword in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
            runs.extend((ins.start_line, prog) for prog in _start_programs(ins))
    for line, prog in runs:
        if prog in tools and prog not in copied_tools:
            stage_name, at = tools[prog]
            where = f" (line {at})" if at else ""
            return f"line {line} runs `{prog}`, which only stage `{stage_name}` installs{where}"
    return None


def _apt_without_lists(df: Dockerfile, stage: Stage) -> list[tuple[int, int]]:
    """``(line of the install, line of the RUN that removed the lists)`` for
    each apt install of ``stage`` that runs with the lists removed."""
    from migrator.analysis.stage import read_run
    from migrator.analysis.commands import Kind

    removed_at = None   # line of the RUN that removed the lists, while no update followed
    out = []
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            argv = op.command.argv or []
            name = op.command.name
            if name in ("apt-get", "apt", "aptitude") and "update" in argv[1:]:
                removed_at = None
            elif op.kind is Kind.SYSTEM_INSTALL and op.manager == "apt" and removed_at is not None:
                out.append((ins.start_line, removed_at))
            elif name == "rm" and any(a.rstrip("/*").rstrip("/") == "/var/lib/apt/lists" for a in argv[1:]):
                removed_at = ins.start_line
    return out


def apt_lists_problem(before: Dockerfile, after: Dockerfile) -> str | None:
    """Invariant 5: an apt install of the result that runs after its stage
    removed the package lists, with no update in between, where the original
    had no such install.

    Returns:
        ``"line N of the result installs with apt after line M of the result
        removed the package lists"``,
        or None. Source of the behaviour: apt-get(8), ``update`` fetches the
        lists that ``install`` reads; Docker's official Debian-based images
        ship without them (https://docs.docker.com/build/building/best-practices/#apt-get).
    """
    already = len(_apt_without_lists(before, before.stages[-1])) if before.stages else 0
    found = [hit for stage in after.stages for hit in _apt_without_lists(after, stage)]
    if len(found) > already:
        line, removed = found[already] if already else found[0]
        return (f"line {line} of the result installs with apt after line {removed} of the result removed "
                "the package lists")
    return None


def _installers_into_copied_venv(df: Dockerfile, stage: Stage) -> list[tuple[int, str]]:
    """``(line, package)`` for each ``pip install`` of a Python installer
    (``commands.json`` ``installer_project_files``: poetry, pipenv, uv, pdm)
    that runs in ``stage`` while the virtualenv an earlier ``COPY --from``
    brought into it is active (``VIRTUAL_ENV`` or its ``bin`` first on PATH)."""
    from migrator.analysis.stage import copy_destination, read_run
    from migrator.analysis.commands import command_table, requirement_name

    installers = {k for k in command_table()["installer_project_files"] if not k.startswith("_")}
    copied: set[str] = set()
    out = []
    for ins, ctx in walk(df, stage):
        if ins.keyword == "COPY" and ins.flag("from") is not None:
            dest = copy_destination(ins, ctx)
            if dest:
                copied.add(posixpath.normpath(dest))
        if ins.keyword != "RUN":
            continue
        venv = ctx.venv or ctx.env.get("VIRTUAL_ENV")
        if not venv or posixpath.normpath(venv) not in copied:
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.manager == "pip" and op.output == "env" and "install" in (op.command.argv or [])[1:]:
                out.extend((ins.start_line, p) for p in op.packages if requirement_name(p) in installers)
    return out


def installer_venv_problem(before: Dockerfile, after: Dockerfile) -> str | None:
    """Invariant 7: the final stage of the result pip-installs an installer
    (``pip install poetry``) into the virtualenv it copied from the builder:
    the installer and its dependencies would land among the app's packages
    and could upgrade ones the app pinned (the builder installed it outside
    the virtualenv; Poetry's docs warn against installing it into the
    project's environment: python-poetry.org/docs/#installation). Only new
    cases count, as for invariant 5.

    Returns ``"line N of the result pip-installs poetry into the virtualenv
    /opt/venv copied from the builder"`` or None."""
    already = len(_installers_into_copied_venv(before, before.stages[-1])) if before.stages else 0
    found = _installers_into_copied_venv(after, after.stages[-1]) if len(after.stages) > 1 else []
    if len(found) > already:
        line, package = found[already] if already else found[0]
        return (f"line {line} of the result pip-installs {package} into the virtualenv the runtime stage "
                "copied from the builder (its packages would mix with the app's)")
    return None


def check(before: Dockerfile, after: Dockerfile, options: Options) -> str | None:
    """Check a migration; return the first problem found, or None.

    Args:
        before: the original file (single-stage).
        after: the parsed migrated file.
        options: the options of the run (for the idempotence re-run).
    """
    problem = stage_reference_problem(after)
    if problem:
        return problem
    problem = runtime_program_problem(after, options)
    if problem:
        return f"the runtime stage can't run what it needs: {problem}"
    problem = apt_lists_problem(before, after)
    if problem:
        return problem
    problem = installer_venv_problem(before, after)
    if problem:
        return problem
    diff = config_difference(image_config(before, before.stages[-1]), image_config(after, after.stages[-1]))
    if diff:
        return f"final stage does not keep the image config: {diff}"
    from migrator.engine import policy, run_transforms, transforms_for

    if policy(after) is None:
        again = run_transforms(after, transforms_for(options), options, "-")
        if again.output != after.text:
            return "a second run would change the result again (not idempotent)"
    return None

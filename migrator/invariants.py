"""Checks every migrated Dockerfile must pass before it is emitted.

1. It parses with BuildKit's parser (the caller passes the parsed result).
2. Every ``COPY --from``/``RUN --mount from=`` names an earlier stage (or an
   image reference), never a later or missing stage.
3. The final stage keeps the image configuration of the original: CMD,
   ENTRYPOINT, EXPOSE, ENV, LABEL, WORKDIR, HEALTHCHECK, STOPSIGNAL, VOLUME
   and SHELL (https://docs.docker.com/reference/dockerfile/). Two kinds of
   difference are intended and allowed: the virtualenv's ``VIRTUAL_ENV``
   and its ``bin`` put first on ``PATH``, and USER (the non-root transform).
4. A second run changes nothing (idempotence).
"""

from __future__ import annotations

import re

from migrator.analysis import end_context, substitute, walk
from migrator.model import Dockerfile, Stage
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
    diff = config_difference(image_config(before, before.stages[-1]), image_config(after, after.stages[-1]))
    if diff:
        return f"final stage does not keep the image config: {diff}"
    from migrator.engine import policy, run_transforms, transforms_for

    if policy(after) is None:
        again = run_transforms(after, transforms_for(options), options, "-")
        if again.output != after.text:
            return "a second run would change the result again (not idempotent)"
    return None

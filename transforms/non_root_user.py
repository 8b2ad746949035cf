"""non-root-user: the final stage runs as a system user with a numeric UID.

A system group and user with numeric UID/GID (default 10001) are created
(Debian: ``groupadd``/``useradd`` from the passwd package; Alpine: BusyBox
``addgroup -S``/``adduser -S``), the working directory and the folders the
stage creates in it are given to that user, ``COPY``/``ADD`` into the working
directory get ``--chown``, and ``USER uid:gid`` is set after the last
instruction that changes the file system, so CMD and ENTRYPOINT run as it.
A numeric USER lets Kubernetes' ``runAsNonRoot`` verify it without reading
``/etc/passwd``. A final non-root USER that the file already sets is kept; a
user the file creates but never switches to is used instead of a new one.

References: https://docs.docker.com/reference/dockerfile/#user,
hadolint DL3002 ("Last USER should not be root").
"""

from __future__ import annotations

import posixpath

from migrator.analysis import (global_arg_defaults, is_root, read_run, start_words, substitute,
                               uv_managed_python, walk)
from migrator.commands import Kind, command_table
from migrator.edits import Edit, Fix
from migrator.model import Dockerfile
from migrator.options import Options
from migrator.render import instruction, run
from migrator.transform import Outcome

_FS_KEYWORDS = {"RUN", "COPY", "ADD", "WORKDIR", "USER"}


class NonRootUser:
    """Run the final stage as a non-root user with a numeric UID."""

    id = "non-root-user"
    title = "Run as a non-root user with a numeric UID"
    rationale = "a process that escapes the app should not be root in the container"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the user; see the module docstring.

        Returns an empty :class:`Outcome` when the final USER is already
        non-root; a refusal when the base image has no known way to add a
        user or the entrypoint drops privileges itself.
        """
        from migrator.packages import describe_base_image

        stage = df.stages[-1]
        steps = walk(df, stage)
        last_user = None
        created: list[str] = []
        notes: list[str] = []
        droppers = set(command_table()["privilege_droppers"]["names"])
        for ins, ctx in steps:
            if ins.keyword == "USER" and ins.args:
                last_user = substitute(ins.args[0], ctx.env) or ins.args[0]
            if ins.keyword == "RUN":
                info = read_run(df, ins, ctx)
                for op in info.all_ops:
                    argv = op.command.argv or []
                    if op.command.name in droppers:
                        return Outcome.refuse(f"line {ins.start_line}: `{op.command.name}` suggests the "
                                              "entrypoint drops privileges itself; USER left to it")
                    if op.kind is Kind.SYSTEM_INSTALL and set(op.packages) & droppers:
                        return Outcome.refuse(f"line {ins.start_line}: installs "
                                              f"{', '.join(sorted(set(op.packages) & droppers))}: "
                                              "the entrypoint drops privileges itself; USER left to it")
                    if op.command.name in ("useradd", "adduser") and argv:
                        names = [a for a in argv[1:] if not a.startswith("-")]
                        if names:
                            created.append(names[-1])
        if not is_root(last_user):
            return Outcome()
        problem = _needs_root(df, steps)
        if problem:
            return Outcome.refuse(problem)
        managed = uv_managed_python(df, stage)
        if managed:
            return Outcome.refuse(f"{managed}, which a non-root user can't enter")
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref)
        if base.family not in ("debian", "ubuntu", "alpine"):
            return Outcome.refuse(f"base image {ref} ({base.family}): the tool does not know how it adds users")
        uid = options.uid
        final_ctx_workdir = None
        last_fs = stage.from_instruction
        for ins, ctx in steps:
            if ins.keyword in _FS_KEYWORDS:
                last_fs = ins
        end_ctx = _context_after(df, stage)
        final_ctx_workdir = end_ctx.workdir
        dirs = command_table()["system_directories"]
        if final_ctx_workdir in dirs["private"]:
            return Outcome.refuse(f"the working directory {final_ctx_workdir} is root's home (mode 0700): "
                                  "a non-root user could not enter it")
        if final_ctx_workdir in dirs["shared"]:
            final_ctx_workdir = None   # a folder of the system: not given to the app user
        edits: list[Edit] = []
        owners = {(ins.flag("chown") or "").split(":")[0] for ins, _ctx in steps if ins.keyword in ("COPY", "ADD")}
        image_user = next(((name, ids) for name, ids in base.users if name in owners), None)
        if created:
            user_ref = created[-1]
            user_block = ""
            what = f"runs as `{user_ref}`, the user the file creates, instead of root"
        elif image_user:
            user_ref = image_user[1]
            user_block = ""
            what = (f"runs as `{image_user[0]}` (UID/GID {image_user[1]}), the base image's user the file "
                    "gives its files to, instead of root")
        else:
            user_ref = f"{uid}:{uid}"
            create = _create_user(base.family, options.user, uid)
            chown_dirs = [final_ctx_workdir] if final_ctx_workdir not in (None, "/") else []
            chown_dirs += _made_dirs(df, steps, final_ctx_workdir)
            writer = _writes_into(df, steps, final_ctx_workdir)
            if writer and final_ctx_workdir:
                # files a RUN made there (manage.py migrate's db.sqlite3) must stay writable
                create += f" && chown -R {uid}:{uid} {final_ctx_workdir}"
                inside = final_ctx_workdir.rstrip("/") + "/"
                chown_dirs = [d for d in chown_dirs if d != final_ctx_workdir and not d.startswith(inside)]
            if chown_dirs:
                create += f" && chown {uid}:{uid} " + " ".join(dict.fromkeys(chown_dirs))
            user_block = run(df, [("&&" if i else "", c) for i, c in enumerate(create.split(" && "))])
            what = f"runs as system user {options.user} with UID/GID {uid}"
            if writer and final_ctx_workdir:
                what += f", who owns {final_ctx_workdir} and what {writer} wrote in it"
            # COPY/ADD into the working directory: give the files to the user
            for ins, ctx in steps:
                if ins.keyword in ("COPY", "ADD") and ins.flag("chown") is None and final_ctx_workdir not in (None, "/"):
                    dest = _dest(ins, ctx)
                    if dest and (dest == final_ctx_workdir or dest.startswith(final_ctx_workdir.rstrip("/") + "/")):
                        at = ins.start + len(ins.source) - len(ins.source.lstrip())
                        at = at + len(ins.source.lstrip().split(None, 1)[0])
                        edits.append(Edit.insert(at, f" --chown={uid}:{uid}"))
        at = last_fs.end
        lead = "" if df.text[:at].endswith("\n") else df.newline
        edits.append(Edit.insert(at, lead + user_block + instruction(df, "USER", user_ref)))
        for ins, ctx in steps:
            if ins.keyword == "EXPOSE":
                for port in ins.args:
                    p = (substitute(port, ctx.env) or port).split("/")[0]
                    if p.isdigit() and int(p) < 1024:
                        notes.append(f"non-root-user: EXPOSE {p} (line {ins.start_line}) is below 1024; a non-root "
                                     "process binds it only where the runtime allows unprivileged ports "
                                     "(Docker does by default; Kubernetes may need NET_BIND_SERVICE)")
        reason = f"the final stage {what}; USER set before CMD/ENTRYPOINT"
        return Outcome(fixes=[Fix(reason, tuple(edits))], notes=notes)


def _needs_root(df, steps) -> str | None:
    """Why the image must keep running as root, or None: its command starts
    a service that drops privileges itself, or a RUN stores data in root's
    home for the application (facts: ``commands.json`` ``root_services``,
    ``home_caches``)."""
    table = command_table()
    services = set(table["root_services"]["names"])
    droppers = set(table["privilege_droppers"]["names"])
    for ins, _ctx in steps:
        if ins.keyword in ("CMD", "ENTRYPOINT") and ins.args:
            words = start_words(ins)
            program = next((w for w in words if w not in ("sh", "bash", "-c", "exec")), "")
            if program in services:
                return (f"line {ins.start_line}: {ins.keyword} starts {program}, which runs as root and "
                        "drops privileges itself; USER left to it")
            switch = next((w for w in words if w in droppers), None)
            if switch:
                return (f"line {ins.start_line}: {ins.keyword} runs {switch}, which switches user itself "
                        "and must start as root; USER left to it")
    for ins, ctx in steps:
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            argv = op.command.argv or []
            for seq in table["home_caches"]["argv"]:
                if any(argv[i:i + len(seq)] == seq for i in range(len(argv))):
                    return (f"line {ins.start_line} runs `{' '.join(seq)}`, which stores its data in root's "
                            "home; a non-root user would not find it")
    return None


def _context_after(df, stage):
    from migrator.analysis import end_context

    return end_context(df, stage)


def _create_user(family: str, name: str, uid: int) -> str:
    """The shell command creating the group and user (no login shell, a home
    directory for tools that write caches there)."""
    if family == "alpine":
        return (f"addgroup -S -g {uid} {name} && adduser -S -D -u {uid} -G {name} "
                f"-h /home/{name} -s /sbin/nologin {name}")
    return (f"groupadd --system --gid {uid} {name} && useradd --system --uid {uid} --gid {uid} "
            f"--create-home --home-dir /home/{name} --shell /usr/sbin/nologin {name}")


def _dest(ins, ctx) -> str | None:
    if len(ins.args) < 2:
        return None
    dest = substitute(ins.args[-1], ctx.env)
    if dest is None or (ctx.workdir is None and not dest.startswith("/")):
        return None
    return posixpath.normpath(posixpath.join(ctx.workdir or "/", dest))


def _writes_into(df, steps, workdir: str | None) -> str | None:
    """The first RUN of the stage that runs the application's own code in
    ``workdir`` (``python manage.py migrate``, a script), whose files the app
    may write again at run time; None when there is none, or when a build
    tool filled the folder (``npm ci``: a recursive chown would copy its
    node_modules into one more layer)."""
    if not workdir or workdir == "/":
        return None
    inside = workdir.rstrip("/") + "/"
    found = None
    for ins, ctx in steps:
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            cwd = op.command.cwd or ""
            if not (cwd == workdir or cwd.startswith(inside)):
                continue
            if op.kind is Kind.BUILD:
                return None
            if found is None and (op.kind is Kind.UNKNOWN or (op.kind is Kind.SETUP and op.command.name.startswith("python"))):
                found = f"line {ins.start_line}"
    return found


def _made_dirs(df, steps, workdir: str | None) -> list[str]:
    """Folders under ``workdir`` that the stage creates with ``mkdir``."""
    if not workdir or workdir == "/":
        return []
    out = []
    for ins, ctx in steps:
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            if op.command.name != "mkdir" or op.command.argv is None:
                continue
            for arg in op.command.argv[1:]:
                if arg.startswith("-"):
                    continue
                path = posixpath.normpath(posixpath.join(op.command.cwd or workdir, arg))
                if path.startswith(workdir.rstrip("/") + "/"):
                    out.append(path)
    return out

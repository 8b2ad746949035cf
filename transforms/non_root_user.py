"""non-root-user: the final stage runs as a system user with a numeric UID.

A system group and user with numeric UID/GID (default 10001) are created
(Debian: ``groupadd``/``useradd`` from the passwd package; Alpine: BusyBox
``addgroup -S``/``adduser -S``), the working directory and the folders the
stage creates in it are given to that user, ``COPY``/``ADD`` into the working
directory get ``--chown``, and ``USER uid:gid`` is set after the last
instruction that changes the file system, so CMD and ENTRYPOINT run as it.
A numeric USER lets Kubernetes' ``runAsNonRoot`` verify it without reading
``/etc/passwd``. A final non-root USER that the file already sets, or the
base image sets (``apache/airflow`` runs as ``airflow``: facts of
``base-images.json``), is kept; a user the file creates but never switches
to (``useradd``, ``adduser``), the base image's own user when the file
switched to root, or the base image's user the file gives its files to
(``node``), is used instead of a new one: never a second user. A user the
file creates is named by its UID: the one the file gives (``-u 1000``), or
``--uid 10001`` added to its useradd/adduser.

Ownership is set where files are written, never by a later ``chown -R`` of a
filled folder (that stores every file of the folder a second time, in one
more layer): ``COPY --chown``, and in the RUN of the application's own code
that writes in the working directory (``manage.py migrate``'s database), a
``find DIR ! -user UID -exec chown -h UID:GID {} +`` that touches only what is
not the user's yet, as the postgres image's entrypoint does (``-h``: a
symbolic link itself, never the file it points to; GNU findutils, and
BusyBox on Alpine, whose build enables ``find -user`` and ``-exec {} +``:
aports main/busybox/busyboxconfig). A Next.js build
gets ``chown -R`` of its ``.next`` folder in the RUN that builds it (Next.js
writes ``.next/cache`` at run time).

What the user must run and write at run time stays within its reach:

- ``chmod u+x``, ``chmod 700`` (execute for the owner only) on a file root
  owns becomes ``a+x``, ``755``: the user could not run it otherwise;
- ``git config --global`` becomes ``--system`` (``/etc/gitconfig``, which
  every user reads; ``--global`` writes root's ``~/.gitconfig``);
- a VOLUME folder is created and given to the user before the VOLUME
  (Docker copies the folder's owner into a new volume);
- celery beat writes its schedule file into its working directory: a user
  the file created is given that folder too;
- the folders a Django app writes at run time, read from its settings in
  the build context (:mod:`migrator.context.django`: MEDIA_ROOT, the
  folders of LOGGING's file handlers and of a sqlite database), are made
  and given to the user in its block (a FileHandler does not create its
  folder); the reason names each setting. A file that already runs as its
  own non-root user keeps it and gets the folders no instruction of its
  final stage makes, in a RUN before its USER line (:func:`_own_user_dirs`);
- a RUN of the application's code that writes in the working directory, and
  a Next.js build, give what they wrote to the user (above).

It refuses (USER left as it is, with the reason) where a non-root USER would
break the image:

- a GitHub Docker action: ``action.yml``/``action.yaml`` in the build context
  with ``runs.using: docker``; GitHub runs it as root with the workspace
  mounted, and its docs say not to set USER
  (https://docs.github.com/en/actions/sharing-automations/creating-actions/dockerfile-support-for-github-actions#user);
- an image that is not run as it is: the final stage sets no CMD and no
  ENTRYPOINT, so it is a base or development image; child images that
  install packages would fail under a non-root USER;
- a development image meant to run over a bind mount of the source, which
  keeps the host's owner: a VOLUME on the folder the source is copied into
  (the working directory or a folder holding it), or a start command whose
  only point is reloading on source changes (:data:`RELOAD_COMMANDS`:
  ``--reload``, ``nodemon``, ``npm run dev``, ``flask run --debug``...).
  ``manage.py runserver`` alone does not count: small images run it as their
  server; or a start command that is an interactive shell or REPL
  (``CMD ["bash"]``, ``CMD python``: :data:`migrator.analysis.gain.INTERACTIVE_PROGRAMS`);
- a start command that runs a program installed in root's home (mode 0700:
  ``~/.local/bin``, ``~/.cargo/bin``, ``~/.poetry/bin``), a PYTHONPATH or a
  COPY into ``/root``, ``pip install --user`` as root, ``hatch env create``
  (environments in ``~/.local/share/hatch``, hatch.pypa.io "Configuration:
  data directory") when the start command runs hatch, or ``go env -w``
  (root's ``~/.config/go/env``) when the start command runs ``go``;
- services that drop privileges themselves, data cached in root's home,
  uv-managed Python, WORKDIR ``/root``, bases it can't add users to, and
  base images whose facts say they must start as root (``needs_root``:
  tiangolo's gunicorn on port 80). A file without CMD whose base image's own
  command starts the app (``command``: tiangolo's ``/start.sh``) is run as it
  is.

References: https://docs.docker.com/reference/dockerfile/#user,
https://docs.docker.com/engine/storage/volumes/#populate-a-volume-using-a-container,
hadolint DL3002 ("Last USER should not be root").
"""

from __future__ import annotations

import json
import posixpath
import re

from migrator.analysis.stage import (START_KEYWORDS, copy_destination, end_context, file_span, global_arg_defaults,
                               is_root, read_run, start_words, substitute, uv_managed_python, walk)
from migrator.analysis.commands import Kind, command_table
from migrator.analysis.node import home_download_reason
from migrator.analysis.gain import (INTERACTIVE_OPTIONS, installer_home_virtualenv, interactive_start,
                           poetry_config_keeps_env_out_of_home)
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile
from migrator.options import Options
from migrator.model.render import instruction, run
from migrator.transform import Outcome

_FS_KEYWORDS = {"RUN", "COPY", "ADD", "WORKDIR", "USER"}

RELOAD_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--reload",), ("--watch",), ("nodemon",), ("ts-node-dev",), ("tsx", "watch"), ("next", "dev"),
    ("npm", "run", "dev"), ("yarn", "dev"), ("yarn", "run", "dev"), ("pnpm", "dev"), ("pnpm", "run", "dev"),
    ("bun", "run", "dev"), ("bun", "--watch"), ("webpack-dev-server",), ("webpack", "serve"), ("ng", "serve"),
    ("react-scripts", "start"), ("watchmedo",),
)
"""Word sequences of a start command (CMD, ENTRYPOINT, as split by
:func:`migrator.analysis.stage.start_words`) that run a development server
reloading on source changes: ``--reload`` of uvicorn, gunicorn and hypercorn
(their manuals), ``flask run --debug``/``--reload`` (flask.palletsprojects.com,
"Debug Mode"), ``node --watch``, nodemon, ts-node-dev, ``next dev``, the
``dev`` script of create-vite and Next.js templates, webpack-dev-server,
``ng serve``, ``react-scripts start``, watchdog's ``watchmedo``. Such an
image is meant to run over a bind mount of the source."""

HOME_INSTALLERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("install.python-poetry.org", "~/.local/bin", ("poetry",)),
    ("get-poetry.py", "~/.poetry/bin", ("poetry",)),
    ("astral.sh/uv", "~/.local/bin", ("uv", "uvx")),
    ("sh.rustup.rs", "~/.cargo/bin", ("cargo", "rustc", "rustup")),
    ("bun.sh/install", "~/.bun/bin", ("bun", "bunx")),
    ("deno.land/install.sh", "~/.deno/bin", ("deno",)),
    ("nvm-sh/nvm", "~/.nvm", ("nvm", "node", "npm", "npx")),
)
"""Install scripts fetched with curl/wget that install into the HOME of the
user running them, as ``(URL part, folder, programs)``: the official poetry
installer (python-poetry.org/docs, ``$HOME/.local/bin``; the retired
``get-poetry.py``: ``$HOME/.poetry/bin``), uv's (docs.astral.sh/uv,
``$HOME/.local/bin``), rustup (rust-lang.org/tools/install,
``$HOME/.cargo/bin``), bun (bun.sh/docs/installation), deno
(docs.deno.com) and nvm (github.com/nvm-sh/nvm)."""

_HOME_COMMANDS = {"pipx": "~/.local/bin", "cargo": "~/.cargo/bin"}
"""``pipx install NAME`` (pipx.pypa.io: ``PIPX_BIN_DIR``, default
``~/.local/bin``) and ``cargo install NAME`` (doc.rust-lang.org/cargo:
``$CARGO_HOME/bin``, default ``~/.cargo/bin``) put NAME there."""

_USERADD_VALUES = {"-b", "--base-dir", "-c", "--comment", "-d", "--home-dir", "-e", "--expiredate", "-f",
                   "--inactive", "-g", "--gid", "-G", "--groups", "-k", "--skel", "-K", "--key", "-p",
                   "--password", "-R", "--root", "-P", "--prefix", "-s", "--shell", "-u", "--uid", "-Z",
                   "--selinux-user", "--selinux-range"}
"""Options of useradd(8) (shadow-utils) that take a value."""

_ADDUSER_VALUES = {"-h", "-g", "-s", "-G", "-u", "-k", "--home", "--shell", "--uid", "--gid", "--ingroup",
                   "--gecos", "--comment", "--firstuid", "--lastuid", "--firstgid", "--lastgid", "--conf"}
"""Options that take a value of Debian's adduser(8) (long options) and
BusyBox ``adduser`` (``-h DIR -g GECOS -s SHELL -G GRP -u UID -k SKEL``)."""


class NonRootUser:
    """Run the final stage as a non-root user with a numeric UID."""

    id = "non-root-user"
    title = "Run as a non-root user with a numeric UID"
    rationale = "a process that escapes the app should not be root in the container"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the user; see the module docstring.

        Args:
            df: the parsed file (after the transforms before this one).
            options: ``uid``, ``user`` and ``context`` are read.
        Returns:
            when the final USER is already non-root, only the Django
            folders it lacks (:func:`_own_user_dirs`), often nothing; a
            refusal (one line naming the line or file that
            decided it) when the image must stay root or a non-root USER
            would break it (see the module docstring); else the fixes.
        """
        from migrator.analysis.packages import describe_base_image

        stage = df.stages[-1]
        steps = walk(df, stage)
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref, tuple(options.images))
        last_user = base.runs_as   # the base image's own USER (apache/airflow: airflow)
        created: list[tuple] = []   # (name, RunInfo, Op) of each user the stage creates
        droppers = set(command_table()["privilege_droppers"]["names"])
        for ins, ctx in steps:
            if ins.keyword == "USER" and ins.args:
                last_user = substitute(ins.args[0], ctx.env) or ins.args[0]
            if ins.keyword == "RUN":
                info = read_run(df, ins, ctx)
                for op in info.all_ops:
                    if op.command.name in droppers:
                        return Outcome.refuse(f"line {ins.start_line}: `{op.command.name}` suggests the "
                                              "entrypoint drops privileges itself; USER left to it")
                    if op.kind is Kind.SYSTEM_INSTALL and set(op.packages) & droppers:
                        return Outcome.refuse(f"line {ins.start_line}: installs "
                                              f"{', '.join(sorted(set(op.packages) & droppers))}: "
                                              "the entrypoint drops privileges itself; USER left to it")
                    name = created_user(op.command.name, op.command.argv)
                    if name:
                        created.append((name, info, op))
        if not is_root(last_user):
            return _own_user_dirs(df, options, steps, base)   # the file's own user: only the Django folders
        end = end_context(df, stage)
        workdir = end.workdir
        if base.needs_root:
            return Outcome.refuse(f"line {stage.from_instruction.start_line}: base image {ref}: {base.needs_root}; "
                                  "USER left as root")
        problem = (github_docker_action(options.context) or _not_run_as_is(df, stage, steps, base)
                   or _dev_image(df, steps, workdir) or _needs_root(df, steps) or _home_reach(df, steps, end)
                   or home_download_reason(df, steps, options.context))
        if problem:
            return Outcome.refuse(problem)
        managed = uv_managed_python(df, stage)
        if managed:
            return Outcome.refuse(f"{managed}, which a non-root user can't enter")
        if base.family not in ("debian", "ubuntu", "alpine"):
            if not base.known:
                return Outcome.refuse(base.no_facts_reason("family and users") + ", so the tool knows how it "
                                      "adds users")
            return Outcome.refuse(f"base image {ref} ({base.family}): the tool does not know how it adds users")
        dirs = command_table()["system_directories"]
        if workdir in dirs["private"]:
            return Outcome.refuse(f"the working directory {workdir} is root's home (mode 0700): "
                                  "a non-root user could not enter it")
        if workdir in dirs["shared"]:
            workdir = None   # a folder of the system: not given to the app user
        return _Plan(df, options, steps, workdir, created, base).outcome()


class _Plan:
    """The edits for one file once the user is chosen (see :meth:`outcome`)."""

    def __init__(self, df, options, steps, workdir, created, base):
        self.df, self.options, self.steps, self.workdir = df, options, steps, workdir
        self.family = base.family
        uid = options.uid
        owners = {(ins.flag("chown") or "").split(":")[0] for ins, _ctx in steps if ins.keyword in ("COPY", "ADD")}
        owners |= _run_chown_owners(df, steps)
        image_user = next(((name, ids) for name, ids in base.users if name in owners), None)
        if base.runs_as:   # the file switched to root; back to the image's own user
            image_user = next(((name, ids) for name, ids in base.users if name == base.runs_as),
                              (base.runs_as, base.runs_as))
        self.new_user = not created and not image_user
        self.fixes: list[Fix] = []
        if created:
            name, info, op = created[-1]
            self.owner = name
            self.names = {name}
            self.user_ref = self._numeric_uid(name, info, op)
            self.names.add(self.user_ref)
            self.what = f"runs as `{name}`, the user the file creates, instead of root"
        elif image_user:
            self.user_ref = self.owner = image_user[1]
            self.names = {image_user[0], image_user[1].split(":")[0]}
            self.what = (f"runs as `{image_user[0]}` (UID/GID {image_user[1]}), the base image's user "
                         + ("its configuration runs as" if base.runs_as else "the file gives its files to")
                         + ", instead of root")
        else:
            self.user_ref = self.owner = f"{uid}:{uid}"
            self.names = {options.user, str(uid)}
            self.what = f"runs as system user {options.user} with UID/GID {uid}"
        self.appends: dict[int, list[str]] = {}   # file offset at the end of a RUN -> commands to add
        self.volume_mkdirs: list[str] = []         # VOLUME folders the user block creates
        self.beat: str | None = None               # "line N" of a celery beat command
        self.next_build: str | None = None         # clause of the reason for a Next.js build

    def outcome(self) -> Outcome:
        """The fixes (the user, its USER and what it must own) or a refusal."""
        df, steps, workdir = self.df, self.steps, self.workdir
        edits: list[Edit] = []
        last_fs = steps[0][0]
        for ins, _ctx in steps:
            if ins.keyword in _FS_KEYWORDS:
                last_fs = ins
        at = last_fs.end
        chown_dirs: list[str] = []
        writers: list[str] = []
        if self.new_user and workdir not in (None, "/"):
            chown_dirs = [workdir] + _made_dirs(df, steps, workdir)
            for info in _writer_runs(df, steps, workdir):
                find = f"find {workdir} ! -user {self.options.uid} -exec chown -h {self.owner} {{}} +"
                if not self._append(info, find):
                    return Outcome.refuse(f"line {info.ins.start_line} runs the app's code in {workdir}, whose "
                                          "files the user must own, and the tool can't add a command to that RUN")
                writers.append(f"line {info.ins.start_line}")
                # the find gives the user what exists by then: the folder, and those made before
                covered = {workdir} | {p for p, made in _made_dirs_at(df, steps, workdir) if made < info.ins.start}
                chown_dirs = [d for d in chown_dirs if d not in covered]
            # COPY/ADD into the working directory: give the files to the user
            for ins, ctx in steps:
                if ins.keyword in ("COPY", "ADD") and ins.flag("chown") is None:
                    dest = copy_destination(ins, ctx)
                    if dest and _within(dest, workdir):
                        # right after the keyword itself, which may touch the escape
                        # character (`ADD\` then the arguments on the next line)
                        pos = ins.start + len(ins.source) - len(ins.source.lstrip()) + len(ins.keyword)
                        edits.append(Edit.insert(pos, f" --chown={self.owner}"))
        problem = self._celery_beat(chown_dirs) or self._next_build() or self._chmods() or self._git_config()
        if problem:
            return Outcome.refuse(problem)
        _given, problem = self._volumes(at, chown_dirs)
        volumes = self.volume_mkdirs
        if problem:
            return Outcome.refuse(problem)
        django_dirs, django_notes = self._django_dirs(chown_dirs)
        commands = _create_user(self.family, self.options.user, self.options.uid).split(" && ") if self.new_user else []
        if self.volume_mkdirs:
            commands.append("mkdir -p " + " ".join(self.volume_mkdirs))
        if django_dirs:
            commands.append("mkdir -p " + " ".join(folder for folder, _setting in django_dirs))
        if chown_dirs:
            commands.append(f"chown {self.owner} " + " ".join(dict.fromkeys(chown_dirs)))
        block = run(df, [("&&" if i else "", c) for i, c in enumerate(commands)]) if commands else ""
        lead = "" if df.text[:at].endswith("\n") else df.newline
        edits.append(Edit.insert(at, lead + block + instruction(df, "USER", self.user_ref)))
        for pos, cmds in self.appends.items():
            edits.append(Edit.insert(pos, "".join(f" {df.escape}{df.newline}    && {c}" for c in cmds)))
        what = [self.what]
        if writers:
            what.append(f"who owns {workdir} and what {', '.join(writers)} wrote in it (given in that RUN, only "
                        "the files not the user's yet)")
        if self.beat:
            what.append(f"who owns {workdir}, where celery beat ({self.beat}) writes its schedule file")
        if self.next_build:
            what.append(self.next_build)
        if django_dirs:
            what.append("who owns the folders Django writes at run time, created in this stage: "
                        + ", ".join(f"{folder} ({setting})" for folder, setting in django_dirs))
        if volumes:
            what.append(f"who owns the VOLUME folder{'s' if len(volumes) > 1 else ''} {', '.join(volumes)} "
                        "(a new volume takes the folder's owner)")
        reason = f"the final stage {', '.join(what[:1] + [' and '.join(what[1:])] if len(what) > 1 else what)}; " \
                 "USER set before CMD/ENTRYPOINT"
        self.fixes.insert(0, Fix(reason, tuple(edits)))
        return Outcome(fixes=self.fixes, notes=_port_notes(steps) + django_notes)

    def _django_dirs(self, chown_dirs: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """The folders a Django app writes at run time, read from its settings
        in the build context (:func:`migrator.context.django.read_settings`:
        MEDIA_ROOT, the folders of LOGGING's file handlers and of a sqlite
        database): each is made (``mkdir -p``: a FileHandler does not create
        its folder) and given to the user in the user block, and added to
        ``chown_dirs``. Folders of the system (``/var/log``, ``/tmp``) are
        left alone with a note.

        Returns:
            ``([(folder, setting)], notes)``; empty without settings.
        """
        from migrator.context.django import read_settings

        settings = read_settings(self.df, self.options.context)
        if settings is None or settings.path is None:
            return [], []   # no settings in the build context: the Dockerfile alone decides
        where = settings.path
        used = [p for name in ("MEDIA_ROOT", "LOGGING", "DATABASES") for p in settings.get(name)]
        said = list(settings.problems) + [n for p in used for n in p.notes] + [
            n for n in settings.notes if n.startswith(("MEDIA_ROOT", "LOGGING", "DATABASES"))]
        notes = [f"non-root-user: Django settings {where}: {n}" for n in dict.fromkeys(said)]
        dirs = command_table()["system_directories"]
        out = []
        for folder, setting in settings.runtime_dirs():
            if folder in dirs["shared"] or folder in dirs["private"] or folder.startswith("/root/"):
                notes.append(f"non-root-user: {setting} of {where} is in {folder}, a system folder that is not "
                             "given to the app user; the app may not be able to write it")
                continue
            if folder in chown_dirs:
                continue
            out.append((folder, setting))
            chown_dirs.append(folder)
        return out, notes

    # --- helpers writing edits -------------------------------------------------

    def _numeric_uid(self, name: str, info, op) -> str:
        """The USER value for a user the file creates: the name when the file
        already switches to it by name somewhere (its own convention), else
        its UID, numeric so that Kubernetes' runAsNonRoot can check it
        (hadolint DL3066): the one the file gives (``-u 1000``), or
        ``options.uid`` added to its useradd/adduser when it gives none."""
        if any(ins.keyword == "USER" and ins.args and ins.args[0].split(":")[0] == name for ins, _c in self.steps):
            return name
        uid = user_uid(op.command.argv)
        if uid:
            return uid
        word = op.command.words[0]
        span = file_span(info, word.start, word.end)
        if span is None:
            return name
        flag = "-u" if op.command.name == "adduser" and self.family == "alpine" else "--uid"
        self.fixes.append(Fix(f"line {info.ins.start_line}: the user `{name}` gets UID {self.options.uid}, so USER "
                              "can name it by number (Kubernetes' runAsNonRoot checks a numeric USER)",
                              (Edit.insert(span[1], f" {flag} {self.options.uid}"),)))
        return str(self.options.uid)

    def _append(self, info, command: str) -> bool:
        """Queue ``&& command`` at the end of the RUN of ``info``; False when
        its text can't take it (JSON form, heredoc)."""
        segs = info.script.segments if info.script else []
        if not segs or info.positions is None:
            return False
        span = file_span(info, segs[-1].start, segs[-1].end)
        if span is None:
            return False
        self.appends.setdefault(span[1], []).append(command)
        return True

    def _owns(self, chown: str | None) -> bool:
        """Whether a ``--chown``/``chown`` owner spec names the chosen user."""
        return bool(chown) and chown.split(":")[0] in self.names

    def _celery_beat(self, chown_dirs: list[str]) -> None:
        """celery beat writes ``celerybeat-schedule`` into its working
        directory unless ``-s``/``--schedule`` names another file
        (docs.celeryq.dev, ``celery beat``): a user the file created gets
        that folder (a new user owns it already)."""
        if self.new_user or self.workdir in (None, "/"):
            return None
        for ins, _ctx in self.steps:
            if ins.keyword not in ("CMD", "ENTRYPOINT"):
                continue
            words = start_words(ins)
            if "celery" in words and ("beat" in words or "-B" in words or "--beat" in words):
                if re.search(r"(^|\s)(-s|--schedule)(=|\s+)/", " ".join(ins.args)):
                    return None   # an absolute schedule file elsewhere
                chown_dirs.append(self.workdir)
                self.beat = f"line {ins.start_line}"
                return None
        return None

    def _next_build(self) -> str | None:
        """Next.js writes ``.next/cache`` at run time (nextjs.org/docs, "Self
        hosting": the image optimization and ISR caches): the RUN that builds
        it gives ``.next`` to the user in the same layer (the official
        Next.js Dockerfile example gives ``.next`` to its ``nextjs`` user).
        Returns a refusal reason when that RUN can't take the command."""
        if not self._is_next():
            return None
        for ins, _ctx, info, op in self._run_ops():
            argv = op.command.argv or []
            if "build" in argv and (op.kind is Kind.BUILD or "next" in argv) and op.command.cwd:
                target = posixpath.join(op.command.cwd, ".next")
                if not self._append(info, f"chown -R {self.owner} {target}"):
                    return (f"line {ins.start_line} builds a Next.js app, whose .next/cache the user must "
                            "write, and the tool can't add a command to that RUN")
                self.next_build = (f"who owns {target}, which line {ins.start_line} builds and Next.js writes "
                                   "at run time (.next/cache; given in that RUN)")
                return None
        return None

    def _run_ops(self):
        """Each command of each RUN of the stage, in order, as ``(instruction,
        context, RunInfo, Op)``."""
        for ins, ctx in self.steps:
            if ins.keyword == "RUN":
                info = read_run(self.df, ins, ctx)
                for op in info.all_ops:
                    yield ins, ctx, info, op

    def _is_next(self) -> bool:
        """Whether the image runs a Next.js app: ``next`` in the start
        command, ``next build`` in a RUN, or, in the build context's
        package.json, a ``build`` or ``start`` script that runs ``next``
        (so ``yarn build``, ``pnpm build`` and ``npm run build`` build
        Next.js) or ``next`` among the dependencies."""
        for ins, ctx in self.steps:
            if ins.keyword in ("CMD", "ENTRYPOINT") and "next" in start_words(ins):
                return True
            if ins.keyword == "RUN" and any(_has_seq(op.command.argv or [], ("next", "build"))
                                            for op in read_run(self.df, ins, ctx).all_ops):
                return True
        ctx = self.options.context
        text = ctx.read_text("package.json") if ctx is not None else None
        if text:
            try:
                pkg = json.loads(text)
            except ValueError:
                return False
            if isinstance(pkg, dict):
                scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
                # `yarn build`/`pnpm build`/`npm run build` of a "build": "next build" script
                if any(isinstance(scripts.get(k), str) and re.match(r"\s*next(\s|$)", scripts[k])
                       for k in ("build", "start")):
                    return True
                return any(isinstance(pkg.get(k), dict) and "next" in pkg[k]
                           for k in ("dependencies", "devDependencies"))
        return False

    def _chmods(self) -> str | None:
        """``chmod u+x``/``700`` (execute for the owner, or group, only) on a
        file root owns: the user could not run it. The mode is widened to
        let everyone read and run it (``a+x``, ``755``)."""
        starts = [ins for ins, _ctx in self.steps if ins.keyword in START_KEYWORDS]
        start_text = " ".join(a for ins in starts for a in ins.args)
        start_names = {w for ins in starts for w in start_words(ins)}
        edits, why = [], []
        for i, (ins, ctx) in enumerate(self.steps):
            if ins.keyword in ("COPY", "ADD") and ins.flag("chmod"):
                mode = ins.flag("chmod")
                wider = _wider_mode(mode)
                dest = copy_destination(ins, ctx)
                if wider and dest and not self._owner_is_user(ins, ctx, dest) and self._runs(dest, i, start_text,
                                                                                              start_names):
                    at = ins.source.find(f"--chmod={mode}")
                    if at < 0:
                        return f"line {ins.start_line}: --chmod={mode} leaves the file executable by root only"
                    at += ins.start + len("--chmod=")
                    edits.append(Edit(at, at + len(mode), wider))
                    why.append(f"line {ins.start_line}: `--chmod={mode}` let only the owner, root, run {dest}; "
                               f"`{wider}` lets the non-root user run it")
                continue
            if ins.keyword != "RUN":
                continue
            info = read_run(self.df, ins, ctx)
            for op in info.all_ops:
                argv = op.command.argv
                if op.command.name != "chmod" or not argv:
                    continue
                words = [w for w in op.command.words[1:]]
                plain = [(w, w.value) for w in words if w.value and not w.value.startswith("-")]
                if len(plain) < 2:
                    continue
                (mode_word, mode), targets = plain[0], [v for _w, v in plain[1:]]
                wider = _wider_mode(mode)
                if not wider:
                    continue
                paths = [posixpath.normpath(posixpath.join(op.command.cwd or ctx.workdir or "/", t)) for t in targets]
                if all(self._owner_is_user_before(i, p) for p in paths):
                    continue
                if not any(self._runs(p, i, start_text, start_names) for p in paths):
                    continue
                span = file_span(info, mode_word.start, mode_word.end)
                if span is None:
                    return (f"line {ins.start_line}: chmod {mode} leaves {targets[0]} executable by its owner, "
                            "root, only, and the tool can't change that word")
                edits.append(Edit(span[0], span[1], wider))
                why.append(f"line {ins.start_line}: `chmod {mode}` let only the owner, root, run "
                           f"{' '.join(targets)}; `{wider}` lets the non-root user run it")
        if edits:
            self.fixes.append(Fix("; ".join(why), tuple(edits)))
        return None

    def _owner_is_user(self, ins, ctx, dest) -> bool:
        chown = ins.flag("chown")
        if chown is not None:
            return self._owns(chown)
        return self.new_user and self.workdir not in (None, "/") and _within(dest, self.workdir)

    def _owner_is_user_before(self, index: int, path: str) -> bool:
        """Whether the user owns ``path`` at run time: a RUN ``chown`` of the
        stage gives it (or, with ``-R``, a folder holding it) to the user, or
        the last COPY/ADD before step ``index`` that wrote it did (a RUN's
        files are root's)."""
        for ins, ctx in self.steps:
            if ins.keyword != "RUN":
                continue
            for op in read_run(self.df, ins, ctx).all_ops:
                argv = op.command.argv or []
                if op.command.name != "chown" or len(argv) < 3:
                    continue
                args = [a for a in argv[1:] if not a.startswith("-")]
                recursive = any(a in ("-R", "--recursive") or (a.startswith("-") and not a.startswith("--")
                                                                  and "R" in a) for a in argv[1:])
                if not args or not self._owns(args[0]):
                    continue
                for target in args[1:]:
                    target = posixpath.normpath(posixpath.join(op.command.cwd or ctx.workdir or "/", target))
                    if target == path or (recursive and _within(path, target)):
                        return True
        for ins, ctx in reversed(self.steps[:index]):
            if ins.keyword not in ("COPY", "ADD"):
                continue
            dest = copy_destination(ins, ctx)
            if dest is not None and _within(path, dest):
                return self._owner_is_user(ins, ctx, dest)
        return path in self._chowned()

    def _chowned(self) -> set[str]:
        """Folders the user block gives a new user (the working directory
        and the folders made in it)."""
        if not self.new_user or self.workdir in (None, "/"):
            return set()
        return {self.workdir, *_made_dirs(self.df, self.steps, self.workdir)}

    def _runs(self, path: str, index: int, start_text: str, start_names: set[str]) -> bool:
        """Whether the image may run ``path`` at run time: the start
        instructions name it, or no later RUN of the build runs it."""
        base = posixpath.basename(path)
        if path in start_text or base in start_names or "*" in path:
            return True
        for ins, ctx in self.steps[index:]:
            if ins.keyword == "RUN":
                for op in read_run(self.df, ins, ctx).all_ops:
                    word = op.command.words[0].value if op.command.words else None
                    if word and posixpath.normpath(posixpath.join(op.command.cwd or "/", word)) == path:
                        return False
        return True

    def _git_config(self) -> str | None:
        """``git config --global`` writes root's ``~/.gitconfig``; the user
        reads ``/etc/gitconfig`` (git-config(1), FILES): made ``--system``."""
        edits, lines = [], []
        for ins, _ctx, info, op in self._run_ops():
            argv = op.command.argv or []
            if op.command.name != "git" or "config" not in argv or "--global" not in argv:
                continue
            word = next(w for w in op.command.words if w.value == "--global")
            span = file_span(info, word.start, word.end)
            if span is None:
                return (f"line {ins.start_line}: git config --global writes root's ~/.gitconfig, which the "
                        "non-root user never reads, and the tool can't change that word")
            edits.append(Edit(span[0], span[1], "--system"))
            lines.append(f"line {ins.start_line}")
        if edits:
            self.fixes.append(Fix(f"{', '.join(lines)}: `git config --global` wrote root's ~/.gitconfig, which the "
                                  "non-root user never reads; --system writes /etc/gitconfig, read by every user",
                                  tuple(edits)))
        return None

    def _volumes(self, at: int, chown_dirs: list[str]) -> tuple[list[str], str | None]:
        """Give each VOLUME folder to the user before the VOLUME: Docker fills
        a new volume from the image's folder, owner included. Folders of the
        system (``/tmp``, ``/var/log``) are left alone. A VOLUME after the
        user block gets its folders there; one before it, a RUN of its own
        just before it.

        Returns:
            ``(folders given, refusal reason or None)``.
        """
        dirs = command_table()["system_directories"]
        out: list[str] = []
        for ins, ctx in self.steps:
            if ins.keyword != "VOLUME":
                continue
            paths = []
            for arg in ins.args:
                for word in arg.split():
                    path = substitute(word, ctx.env)
                    if not path or not path.startswith("/"):
                        continue
                    path = posixpath.normpath(path)
                    if path in dirs["shared"] or path in dirs["private"] or path.startswith("/root/"):
                        continue
                    if path not in chown_dirs and path not in paths:
                        paths.append(path)
            if not paths:
                continue
            out += paths
            if ins.start >= at:
                chown_dirs += paths
                self.volume_mkdirs += paths
                continue
            owner = self.user_ref if self.user_ref.replace(":", "").isdigit() else self.owner
            if owner == self.owner and not self.new_user and not self._user_exists_before(ins):
                return out, (f"line {ins.start_line}: the VOLUME {paths[0]} must be given to `{self.owner}` "
                             "before it, and the user is created after it")
            folders = " ".join(paths)
            self.fixes.append(Fix(
                f"line {ins.start_line}: the VOLUME folder{'s' if len(paths) > 1 else ''} {', '.join(paths)} "
                f"{'are' if len(paths) > 1 else 'is'} created and given to the user before the VOLUME (a new volume "
                "takes the folder's owner)",
                (Edit.insert(ins.start, run(self.df, [("", f"mkdir -p {folders}"),
                                                      ("&&", f"chown {owner} {folders}")])),)))
        return out, None

    def _user_exists_before(self, target) -> bool:
        for ins, ctx in self.steps:
            if ins is target:
                return False
            if ins.keyword == "RUN":
                for op in read_run(self.df, ins, ctx).all_ops:
                    if created_user(op.command.name, op.command.argv) == self.owner:
                        return True
        return False


def created_user(name: str, argv: list[str] | None) -> str | None:
    """The user a ``useradd``/``adduser`` command creates, or None.

    Args:
        name: the command's base name.
        argv: its words (None when one can't be resolved).
    Returns:
        the user name: the one operand of useradd(8), or of Debian's
        adduser(8) / BusyBox ``adduser``; None for anything else, and for
        ``adduser USER GROUP``, which adds an existing user to a group.
        Options that take a value (``-G www-data``, ``--home /app``) are
        skipped, attached (``-u1000``, ``--uid=1000``) or not.
    """
    if name not in ("useradd", "adduser") or not argv:
        return None
    values = _USERADD_VALUES if name == "useradd" else _ADDUSER_VALUES
    operands: list[str] = []
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
            continue
        if word.startswith("--"):
            skip = "=" not in word and word in values
        elif word.startswith("-") and len(word) > 1:
            # a cluster of short options: the first one that takes a value
            # takes the rest of the word, or the next word
            for i, ch in enumerate(word[1:], 1):
                if f"-{ch}" in values:
                    skip = i == len(word) - 1
                    break
        else:
            operands.append(word)
    return operands[0] if len(operands) == 1 and operands[0] else None


def user_uid(argv: list[str] | None) -> str | None:
    """The numeric UID a ``useradd``/``adduser`` command gives its user
    (``-u 1000``, ``-u1000``, ``--uid 1000``, ``--uid=1000``), or None."""
    if not argv:
        return None
    for i, word in enumerate(argv[1:], 1):
        if word in ("-u", "--uid") and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--uid="):
            value = word.split("=", 1)[1]
        elif word.startswith("-u") and not word.startswith("--") and word[2:].isdigit():
            value = word[2:]
        else:
            continue
        return value if value.isdigit() else None
    return None


def github_docker_action(context) -> str | None:
    """Why the build context is a GitHub Docker action, or None.

    Args:
        context: a :class:`migrator.context.BuildContext` or None.
    Returns:
        a one-line reason when ``action.yml`` (or ``action.yaml``) at the
        context root says ``runs.using: docker`` with an image built from a
        Dockerfile (not ``docker://``); None otherwise, also for a missing,
        unreadable or invalid file. GitHub runs such an action as root with
        the workspace mounted, and its docs say not to set USER
        (docs.github.com: "Dockerfile support for GitHub Actions", USER).
    """
    import yaml

    if context is None:
        return None
    name = context.first_file("action.yml", "action.yaml")
    text = context.read_text(name) if name else None
    if not text:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, dict) or str(runs.get("using", "")).strip().lower() != "docker":
        return None
    if str(runs.get("image", "")).strip().startswith("docker://"):
        return None
    return (f"{name} in the build context says `runs.using: docker`: a GitHub Docker action, which GitHub runs "
            "as root with the workspace mounted (GitHub's docs: do not set USER); USER left as root")


def _not_run_as_is(df, stage, steps, base) -> str | None:
    """A file whose final stage sets no CMD and no ENTRYPOINT is a base or
    development image: its children install packages, which fails under a
    non-root USER. Not when the base image's own command starts the app the
    file adds (``base.command``: tiangolo's ``/start.sh``)."""
    if base.command or any(ins.keyword in ("CMD", "ENTRYPOINT") for ins, _ctx in steps):
        return None
    return (f"line {df.stages[0].from_instruction.start_line}: the image sets no CMD or ENTRYPOINT, so it is a "
            "base or development image, not run as it is: child images that install packages would fail under "
            "a non-root USER; USER left to them")


def _dev_image(df, steps, workdir: str | None) -> str | None:
    """A development image meant to run over a bind mount of the source
    (see the module docstring), or None."""
    sources = [(ins, copy_destination(ins, ctx)) for ins, ctx in steps
               if ins.keyword in ("COPY", "ADD") and ins.flag("from") is None and not ins.heredocs]
    for ins, ctx in steps:
        if ins.keyword != "VOLUME":
            continue
        for arg in ins.args:
            for word in arg.split():
                path = substitute(word, ctx.env)
                if not path or not path.startswith("/") or posixpath.normpath(path) == "/":
                    continue
                path = posixpath.normpath(path)
                hit = next((c for c, dest in sources if dest and _within(dest, path)), None)
                if hit is not None and workdir and _within(workdir, path):
                    return (f"line {ins.start_line}: VOLUME {path} holds the source line {hit.start_line} copies: "
                            "a development image meant for a bind mount, whose files keep the host's owner, "
                            "which a non-root user may not write; USER left as it is")
    shell = _interactive_start(steps)
    if shell:
        return shell
    for ins, ctx in steps:
        if ins.keyword not in ("CMD", "ENTRYPOINT"):
            continue
        words = start_words(ins)
        seq = next((s for s in RELOAD_COMMANDS if _has_seq(words, s)), None)
        if seq is None and "flask" in words and "--debug" in words:
            seq = ("flask", "--debug")
        if seq is None and "flask" in words and "run" in words and (
                ctx.env.get("FLASK_DEBUG", "").lower() in ("1", "true") or ctx.env.get("FLASK_ENV") == "development"):
            seq = ("flask", "run")
        if seq:
            return (f"line {ins.start_line}: {ins.keyword} runs a development server that reloads on source "
                    f"changes (`{' '.join(seq)}`): an image meant for a bind mount of the source, whose files keep "
                    "the host's owner, which a non-root user may not write; USER left as it is")
    return None


def _interactive_start(steps) -> str | None:
    """Why the image is a development image because its start command is an
    interactive shell or REPL (:func:`migrator.analysis.gain.interactive_start`), or None."""
    cmd = interactive_start(steps)
    if cmd is None:
        return None
    program = posixpath.basename(next(w for w in start_words(cmd) if w not in INTERACTIVE_OPTIONS))
    return (f"line {cmd.start_line}: CMD starts an interactive {program}, so it is a development image, run "
            "with a terminal and usually over a bind mount of the source, whose files keep the host's owner, "
            "which a non-root user may not write; USER left as it is")


def _has_seq(words: list[str], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    return any(tuple(words[i:i + n]) == seq for i in range(len(words) - n + 1))


_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh"})
_PREFIXES = frozenset({"exec", "env", "nohup", "time", "command", "nice", "setsid", "dumb-init", "tini"})
"""Commands that run the command after them (and their options)."""


def started_programs(ins) -> list[str]:
    """The programs a CMD or ENTRYPOINT starts, by base name, in order:
    the exec form's program, or every command of a shell script, whether
    shell form (``CMD (nginx -g 'daemon off;')``), ``sh -c "..."`` in
    either form, or behind ``exec``/``env``/``nohup``... (read with
    :func:`migrator.model.shell.parse_script`, the same grammar as RUN). When
    the script can't be parsed, the first word that is not a shell, an
    option or ``exec``, with shell punctuation stripped."""
    from migrator.model.shell import parse_script

    args = [a for a in ins.args]
    if not ins.json:
        return _script_programs(" ".join(args), parse_script) or _first_word(ins)
    return _argv_programs(args, parse_script) or _first_word(ins)


def _argv_programs(argv: list[str], parse_script, depth: int = 0) -> list[str]:
    """:func:`started_programs` of one command's words."""
    argv = list(argv)
    while argv and (posixpath.basename(argv[0]) in _PREFIXES or "=" in argv[0] and not argv[0].startswith("-")):
        argv = argv[1:]
        while argv and argv[0].startswith("-"):
            argv = argv[1:]
    if not argv:
        return []
    name = posixpath.basename(argv[0])
    if name in _SHELLS:
        script = next((argv[i + 1] for i, a in enumerate(argv[1:-1], 1)
                       if a.startswith("-") and "c" in a.lstrip("-") and not a.startswith("--")), None)
        if script is not None and depth < 4:
            return _script_programs(script, parse_script, depth + 1)
    return [name]


def _script_programs(text: str, parse_script, depth: int = 0) -> list[str]:
    """Every program a shell script runs (see :func:`started_programs`);
    ``[]`` when it can't be parsed."""
    try:
        script = parse_script(text)
    except Exception:   # a grammar failure must not cost the file
        return []
    if script.errors:
        return []
    out: list[str] = []
    for command in script.commands:
        argv = command.argv or [w.value or w.raw for w in command.words]
        out.extend(_argv_programs(argv, parse_script, depth))
    return out


def _first_word(ins) -> list[str]:
    """The first word of a CMD/ENTRYPOINT that is not a shell, an option or
    ``exec``, shell punctuation stripped (``(nginx`` -> ``nginx``)."""
    for word in start_words(ins):
        word = word.strip("(){};&|")
        if word and word not in _SHELLS and word not in _PREFIXES and not word.startswith("-"):
            return [posixpath.basename(word)]
    return []


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
            program = next((p for p in started_programs(ins) if p in services), "")
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


def _home_reach(df, steps, end) -> str | None:
    """Why the app would need something in root's home (``/root``, mode
    0700) at run time, or None: see the module docstring."""
    starts = [ins for ins, _ctx in steps if ins.keyword in START_KEYWORDS]
    for ins in starts:
        for arg in ins.args:
            if re.search(r"(^|[\s=:\"'])(/root/|~/|\$HOME/|\$\{HOME\}/)", arg):
                return (f"line {ins.start_line}: {ins.keyword} runs a program from root's home (mode 0700), "
                        "which a non-root user can't enter; USER left as root")
    for entry in end.env.get("PYTHONPATH", "").split(":"):
        if entry == "/root" or entry.startswith("/root/"):
            return (f"PYTHONPATH lists {entry}, in root's home (mode 0700), which a non-root user can't enter; "
                    "USER left as root")
    programs: dict[str, str] = {}   # program -> "line N installs it into ~/..."
    go_env = None
    poetry_own_env = False     # `poetry config virtualenvs.create false` (or in-project) ran
    for ins, ctx in steps:
        if ins.keyword in ("COPY", "ADD"):
            dest = copy_destination(ins, ctx)
            if dest and (dest == "/root" or dest.startswith("/root/")):
                return (f"line {ins.start_line} copies into {dest}, in root's home (mode 0700), which a non-root "
                        "user can't enter; USER left as root")
            continue
        if ins.keyword != "RUN":
            continue
        info = read_run(df, ins, ctx)
        for op in info.all_ops:
            argv = op.command.argv or []
            name = op.command.name
            if op.kind is Kind.PYTHON_INSTALL and "--user" in argv and is_root(ctx.user):
                return (f"line {ins.start_line}: pip install --user as root installs into /root/.local, which "
                        "the app, run as another user, would not see; USER left as root")
            if name in ("curl", "wget"):
                for url_part, folder, names in HOME_INSTALLERS:
                    if any(url_part in a for a in argv):
                        for prog in names:
                            programs.setdefault(prog, f"line {ins.start_line} installs {prog} into {folder} of root")
            if name in _HOME_COMMANDS and len(argv) > 2 and argv[1] == "install":
                if name == "cargo" and ctx.env.get("CARGO_HOME"):
                    continue
                for pkg in argv[2:]:
                    if not pkg.startswith("-"):
                        prog = re.split(r"[=<>\[@ ]", pkg)[0]
                        programs.setdefault(prog, f"line {ins.start_line} installs {prog} into "
                                                  f"{_HOME_COMMANDS[name]} of root")
            if name == "hatch" and argv[1:3] == ["env", "create"] and not _outside_root(ctx.env.get("HATCH_DATA_DIR")):
                programs.setdefault("hatch", f"line {ins.start_line} makes hatch's environments in root's "
                                             "~/.local/share/hatch")
            if name == "go" and argv[1:3] == ["env", "-w"]:
                go_env = go_env or f"line {ins.start_line}"
            if name == "poetry" and "config" in argv[1:2]:
                poetry_own_env = poetry_own_env or poetry_config_keeps_env_out_of_home(argv[2:])
            env = dict(ctx.env)
            env.update(a.split("=", 1) for a in op.command.assignments if "=" in a)
            home_env = installer_home_virtualenv(name, argv, env, poetry_own_env)
            if home_env and is_root(ctx.user):
                programs.setdefault(name, f"line {ins.start_line} makes {name}'s virtualenv in {home_env} of root")
    for ins in starts:
        words = start_words(ins)
        if go_env and "go" in words:
            return (f"{go_env}: `go env -w` writes root's ~/.config/go/env, which go run by another user does "
                    f"not read, and line {ins.start_line} runs go; USER left as root")
        prog = next((w for w in words if w in programs), None)
        if prog:
            return (f"{programs[prog]} (mode 0700), out of reach of a non-root user, and line {ins.start_line} "
                    "runs it; USER left as root")
    return None


def _outside_root(path: str | None) -> bool:
    """Whether ``path`` is set and not in root's home."""
    return bool(path) and path != "/root" and not path.startswith(("/root/", "~", "$HOME"))


def _create_user(family: str, name: str, uid: int) -> str:
    """The shell command creating the group and user (no login shell, a home
    directory for tools that write caches there). useradd gets
    ``--no-log-init``: Debian's images ship ``/var/log/lastlog`` and
    ``faillog``, which useradd would extend to the UID's offset, a sparse
    file a layer stores in full (about 2.9 MB for UID 10001; Docker's
    best practices: https://docs.docker.com/build/building/best-practices/#user).
    BusyBox's adduser (Alpine) writes no such log."""
    if family == "alpine":
        return (f"addgroup -S -g {uid} {name} && adduser -S -D -u {uid} -G {name} "
                f"-h /home/{name} -s /sbin/nologin {name}")
    return (f"groupadd --system --gid {uid} {name} && useradd --system --no-log-init --uid {uid} --gid {uid} "
            f"--create-home --home-dir /home/{name} --shell /usr/sbin/nologin {name}")


def _within(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _wider_mode(mode: str) -> str | None:
    """The mode to write instead of ``mode`` when it gives execute to the
    owner (or group) but not to others (``u+x``, ``ug+x``, ``u=rwx``,
    ``700``, ``0744``), or None when others may run the file already or
    the mode adds no execute bit.

    ``u+x``/``ug+rx`` become ``a+x``/``a+rx``; other symbolic modes get
    ``,go+rx``; octal modes get read and execute for group and others
    (``700`` -> ``755``). chmod(1) for the grammar.
    """
    if re.fullmatch(r"[0-7]{3,4}", mode):
        digits = [int(c) for c in mode[-3:]]
        if not digits[0] & 1 or digits[2] & 1:
            return None
        return mode[:-3] + f"{digits[0]}{digits[1] | 5}{digits[2] | 5}"
    clauses = mode.split(",")
    grants = []
    for clause in clauses:
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxXst]*)", clause)
        if not m:
            return None
        who, op, perms = m.groups()
        if op in "+=" and "x" in perms:
            if who == "" or "a" in who or "o" in who:
                return None
            grants.append((who, op, perms))
    if not grants:
        return None
    if len(clauses) == 1 and grants[0][1] == "+" and set(grants[0][2]) <= {"r", "x"}:
        return "a+" + grants[0][2]
    return mode + ",go+rx"


def _run_chown_owners(df, steps) -> set[str]:
    """Owners a RUN ``chown`` of the stage gives files to (``chown -R node:node /app`` -> ``node``)."""
    out = set()
    for ins, ctx in steps:
        if ins.keyword != "RUN":
            continue
        for op in read_run(df, ins, ctx).all_ops:
            argv = op.command.argv or []
            if op.command.name == "chown":
                spec = next((a for a in argv[1:] if not a.startswith("-")), None)
                if spec:
                    out.add(spec.split(":")[0])
    return out


def _writer_runs(df, steps, workdir: str | None):
    """The RUNs of the stage that run the application's own code in
    ``workdir`` (``python manage.py migrate``, a script), whose files the app
    may write again at run time, as :class:`~migrator.analysis.stage.RunInfo`;
    none when a build tool or an install filled the folder before (``npm
    ci``, ``uv sync``: giving their files to the user would store them a
    second time)."""
    if not workdir or workdir == "/":
        return []
    found = []
    for ins, ctx in steps:
        if ins.keyword != "RUN":
            continue
        info = read_run(df, ins, ctx)
        hit = False
        for op in info.all_ops:
            cwd = op.command.cwd or ""
            if op.kind in (Kind.PYTHON_INSTALL, Kind.VENV) and op.output and _within(op.output, workdir):
                return []
            if not _within(cwd, workdir):
                continue
            if op.kind is Kind.BUILD:
                return []
            if op.kind in (Kind.UNKNOWN, Kind.SETUP) and _app_code(op.command.name, op.command.argv, cwd, workdir):
                hit = True
        if hit:
            found.append(info)
    return found


_RUNNERS = ("poetry", "pipenv", "uv", "pdm", "hatch")
"""Python project tools whose ``run`` subcommand runs the project's code."""


def _app_code(name: str, argv: list[str] | None, cwd: str, workdir: str) -> bool:
    """Whether a command runs the application's own code: a Python script
    or module (``python manage.py migrate``, ``python -m app.seed``; not
    ``python -c``), ``poetry``/``pipenv``/``uv``/``pdm``/``hatch run``,
    ``node script.js``, a script by its path in ``workdir``
    (``./build.sh``), or ``sh``/``bash`` running one."""
    if not argv:
        return False
    args = [a for a in argv[1:] if not a.startswith("-")]
    if name.startswith("python"):
        return "-c" not in argv[1:2] and bool(args or "-m" in argv)
    if name in _RUNNERS:
        return bool(args) and args[0] == "run"
    if name in ("node", "sh", "bash", "dash", "ash"):
        return "-c" not in argv[1:] and bool(args)
    word = argv[0]
    if "/" in word:
        return _within(posixpath.normpath(posixpath.join(cwd or workdir, word)), workdir)
    return False


def _made_dirs(df, steps, workdir: str | None) -> list[str]:
    """Folders under ``workdir`` that the stage creates with ``mkdir``."""
    return [path for path, _at in _made_dirs_at(df, steps, workdir)]


def _made_dirs_at(df, steps, workdir: str | None) -> list[tuple[str, int]]:
    """``(folder, offset of the RUN)`` for each folder under ``workdir``
    that the stage creates with ``mkdir``."""
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
                    out.append((path, ins.start))
    return out


def _port_notes(steps) -> list[str]:
    """Notes for EXPOSE of ports below 1024."""
    notes = []
    for ins, ctx in steps:
        if ins.keyword == "EXPOSE":
            for port in ins.args:
                p = (substitute(port, ctx.env) or port).split("/")[0]
                if p.isdigit() and int(p) < 1024:
                    notes.append(f"non-root-user: EXPOSE {p} (line {ins.start_line}) is below 1024; a non-root "
                                 "process binds it only where the runtime allows unprivileged ports "
                                 "(Docker does by default; Kubernetes may need NET_BIND_SERVICE)")
    return notes


def _own_user_dirs(df, options, steps, base) -> Outcome:
    """The Django folders for a final stage that already runs as its own
    non-root user (``USER app``): the user is kept, and the folders its
    settings write at run time (:meth:`migrator.context.django.DjangoSettings.runtime_dirs`:
    MEDIA_ROOT, LOGGING file handlers' folders, the sqlite folder) that no
    instruction of the stage makes (:func:`_stage_names_dir`) are made and
    given to that user in a RUN just before its USER line, as issue 9 asks
    ("created in the runtime stage and owned by the app user") and seed 001
    does by hand. A folder of the system is left alone, as for a new user.

    Args:
        df: the file; ``steps``: :func:`migrator.analysis.stage.walk` of its final stage.
        options: ``context`` is read for the settings.
        base: the final stage's :class:`migrator.analysis.packages.BaseImage` facts.
    Returns:
        one fix (the RUN); or a note where no RUN can make them as root (the
        base image's own user with no USER line, a stage already non-root
        before its last USER, a USER with an unknown variable, a base without
        a shell); or nothing (no settings, nothing missing).
    """
    from migrator.context.django import read_settings

    if options.context is None:
        return Outcome()
    settings = read_settings(df, options.context)
    if settings is None or settings.path is None:
        return Outcome()
    system = command_table()["system_directories"]
    missing = [(folder, setting) for folder, setting in settings.runtime_dirs()
               if folder not in system["shared"] and not _within(folder, "/root")
               and not _stage_names_dir(df, steps, folder)]
    if not missing:
        return Outcome()
    listed = ", ".join(f"{folder} ({setting})" for folder, setting in missing)
    why = (f"Django settings {settings.path} write {listed} at run time, which no instruction of the final stage "
           "makes; the app can't write them unless they are mounted")
    users = [(ins, ctx) for ins, ctx in steps if ins.keyword == "USER" and ins.args]
    if not users:
        return Outcome(notes=[f"non-root-user: the final stage runs as the base image's user {base.runs_as}: {why}"])
    last, ctx = users[-1]
    value = substitute(last.args[0], ctx.env) or last.args[0]
    before = ctx.user if ctx.user is not None else base.runs_as
    line = f"non-root-user: line {last.start_line} sets USER {value}: {why}"
    if "$" in value:
        return Outcome(notes=[f"{line} (the user's name is not known)"])
    if not is_root(before):
        return Outcome(notes=[f"{line} (the stage runs as {before} before that line, so no RUN there can make them)"])
    if base.family not in ("debian", "ubuntu", "alpine") and not any(i.keyword == "RUN" for i, _c in steps):
        return Outcome(notes=[f"{line} (the base image may have no shell to make them with)"])
    folders = " ".join(folder for folder, _setting in missing)
    block = run(df, [("", f"mkdir -p {folders}"), ("&&", f"chown {value} {folders}")])
    reason = (f"line {last.start_line}: the final stage's own user {value} owns the folders Django writes at run "
              f"time, which no instruction made: {listed} (read from {settings.path}; a FileHandler does not "
              "create its folder)")
    at = last.start
    while at > 0:   # above the comment lines right over the USER line
        prev = df.text.rfind("\n", 0, at - 1) + 1
        if not df.text[prev:at].lstrip(" \t").startswith("#"):
            break
        at = prev
    return Outcome(fixes=[Fix(reason, (Edit.insert(at, block),))])


def _stage_names_dir(df, steps, folder: str) -> bool:
    """Whether the stage already makes or provides ``folder``: a WORKDIR or
    COPY/ADD destination at it or inside it, a RUN word naming it or a path
    inside it (``mkdir -p /srv/logs``), or a VOLUME at it or holding it (a
    mount). The file's own handling is then left as it is. A folder holding
    it (``chown -R app /app``) does not make it."""
    for ins, ctx in steps:
        paths: list[str] = []
        if ins.keyword == "WORKDIR" and ins.args:
            paths.append(posixpath.join(ctx.workdir or "/", substitute(ins.args[0], ctx.env) or ins.args[0]))
        elif ins.keyword == "VOLUME":
            volumes = [posixpath.normpath(a.strip('[]",')) for a in ins.args if a.strip('[]",')]
            if any(_within(folder, v) or _within(v, folder) for v in volumes):
                return True
        elif ins.keyword in ("COPY", "ADD"):
            dest = copy_destination(ins, ctx)
            paths.extend([dest] if dest else [])
        elif ins.keyword == "RUN":
            for op in read_run(df, ins, ctx).all_ops:
                cwd = op.command.cwd or ctx.workdir or "/"
                paths.extend(posixpath.join(cwd, arg) for arg in (op.command.argv or [])[1:]
                             if arg and not arg.startswith("-"))
        if any(_within(posixpath.normpath(path), folder) for path in paths):
            return True
    return False

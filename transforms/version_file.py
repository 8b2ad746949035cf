"""version-file (opt-in): the image knows the app's version (seed 000).

Seed 000's "Version Injection": the final (runtime) stage declares
``ARG APP_VERSION=development`` (CI passes ``--build-arg APP_VERSION=1.4.2``)
and a RUN writes it to ``VERSION.txt`` in the working directory; Django's
settings read that file at start-up. This transform adds both to the final
stage, just before its last ``USER`` (so the file is written by root,
readable by everyone, mode 0644 under the default umask), or, without one,
before the block of EXPOSE/CMD/ENTRYPOINT that ends the stage. The ARG
comes late on purpose: a new version rebuilds only the layers after it
(https://docs.docker.com/build/cache/invalidation/#build-arguments).

With a build context whose Django settings module it finds
(:mod:`migrator.context.django`), it also adds to that module, with a libcst
codemod (:mod:`migrator.context.django_version`), the lines that read the
file into ``APP_VERSION``; the diff then spans two files. The module changed
is the one of the settings chain that sets ``INSTALLED_APPS`` (the base
settings that ``from .base import *`` modules share), else the one
``DJANGO_SETTINGS_MODULE`` names. Without a settings module, only the
Dockerfile part is made, and a note says so.

Nothing is added twice: a final stage that already has an ``ARG
APP_VERSION`` keeps it, one with a RUN that writes ``VERSION.txt`` is left
alone, and a settings chain that assigns ``APP_VERSION`` is not changed, so
a second run changes neither file. It refuses on a final stage without a
shell (distroless, scratch) or whose working directory is unknown.
Reference: https://docs.docker.com/reference/dockerfile/#arg.
"""

from __future__ import annotations

import posixpath

from migrator.analysis.stage import end_context, global_arg_defaults, read_run, substitute, walk
from migrator.context.django_version import DEFAULT, FILE_NAME, NAME, add_app_version
from migrator.model.edits import Edit, Fix
from migrator.model.dockerfile import Dockerfile, Instruction, Stage
from migrator.options import Options
from migrator.model.render import instruction
from migrator.model.results import ContextFile
from migrator.transform import Outcome

ID = "version-file"


class VersionFile:
    """Write ``$APP_VERSION`` to VERSION.txt in the image; Django's settings read it."""

    id = ID
    title = "Write the app version to VERSION.txt"
    rationale = ("the running app can report the version CI built (--build-arg APP_VERSION), read from a file "
                 "its settings load at start-up")
    default = False
    safety = "safe"

    def run(self, df: Dockerfile, options: Options) -> Outcome:
        """Propose the ARG, the RUN and the settings lines; see the module docstring.

        Args:
            df: the file (its last stage is the image that ships).
            options: ``context`` is read for the Django settings.
        Returns:
            one fix (ARG and RUN) unless the final stage writes VERSION.txt
            already; one :class:`~migrator.model.results.ContextFile` for the
            settings module when it lacks ``APP_VERSION``; notes on what was
            not done; a refusal without a shell or a known working directory.
        """
        from migrator.analysis.packages import describe_base_image

        stage = df.stages[-1]
        ref = substitute(stage.base_image, global_arg_defaults(df)) or stage.base_image
        base = describe_base_image(ref, tuple(options.images))
        if base.family in ("distroless", "scratch", "windows"):
            return Outcome.refuse(f"line {stage.from_instruction.start_line}: the final stage ({ref}) has no "
                                  "/bin/sh to write VERSION.txt with")
        workdir = end_context(df, stage).workdir
        if workdir is None:
            return Outcome.refuse("the final stage's working directory is unknown (a WORKDIR with a variable "
                                  "without a value): the tool can't tell where VERSION.txt goes")
        target = posixpath.join(workdir, FILE_NAME)
        outcome = Outcome()
        writer = _writes_version(df, stage)
        if writer is None:
            has_arg = any(ins.keyword == "ARG" and any(a.split("=", 1)[0] == NAME for a in ins.args)
                          for ins in stage.instructions)
            at = _insert_at(df, stage)
            text = "" if has_arg else instruction(df, "ARG", f"{NAME}={DEFAULT}")
            text += instruction(df, "RUN", f"printf '%s\\n' \"${NAME}\" > {target}")
            if at == len(df.text) and df.text and not df.text.endswith("\n"):
                text = df.newline + text.removesuffix(df.newline)
            what = ("writes" if has_arg else f"gets `ARG {NAME}={DEFAULT}` (`docker build --build-arg "
                    f"{NAME}=...` sets it) and writes")
            outcome.fixes.append(Fix(f"the final stage {what} ${NAME} to {target}, which the app reads at start-up",
                                     (Edit.insert(at, text),)))
        else:
            outcome.notes.append(f"{ID}: line {writer.start_line} writes {FILE_NAME} already; the Dockerfile is "
                                 "left as it is")
        self._settings(df, options, workdir, outcome)
        return outcome

    def _settings(self, df: Dockerfile, options: Options, workdir: str, outcome: Outcome) -> None:
        """Add the settings module's lines to ``outcome.files``, or a note."""
        from migrator.context.django import container_of, read_settings

        only = f"only the Dockerfile writes {FILE_NAME}"
        if options.context is None:
            outcome.notes.append(f"{ID}: no build context, so no Django settings to read {FILE_NAME}; {only}")
            return
        settings = read_settings(df, options.context)
        if settings is None:
            outcome.notes.append(f"{ID}: no Django settings module found (ENV DJANGO_SETTINGS_MODULE, manage.py, "
                                 f"wsgi.py/asgi.py); {only}")
            return
        if settings.path is None:
            why = settings.notes[-1] if settings.notes else f"Django settings {settings.module} not found"
            outcome.notes.append(f"{ID}: {why}; {only}")
            return
        if NAME in settings.names:
            return   # the chain sets it already: a second run
        path = settings.assigned_by.get("INSTALLED_APPS", settings.path)
        text = options.context.read_text(path)
        if text is None:
            outcome.notes.append(f"{ID}: {path} can't be read; {only}")
            return
        edited = add_app_version(text, container_of(settings.mounts, path), workdir)
        if edited.output is None:
            if NAME not in edited.reason:
                outcome.notes.append(f"{ID}: {path}: {edited.reason}; {only}")
            return
        which = ("the settings module" if path == settings.path
                 else f"the base settings of {settings.module} (it sets INSTALLED_APPS)")
        outcome.files.append(ContextFile(path, text, edited.output, ID,
                                         f"{which} {edited.reason}, written to {posixpath.join(workdir, FILE_NAME)} "
                                         f"by the image build (settings {settings.module}, from {settings.found_by})"))


def _writes_version(df: Dockerfile, stage: Stage) -> Instruction | None:
    """The RUN of ``stage`` that writes a ``VERSION.txt`` (a redirection or
    a command naming it: ``echo "$V" > /app/VERSION.txt``, ``tee``), or None."""
    for ins, ctx in walk(df, stage):
        if ins.keyword != "RUN":
            continue
        info = read_run(df, ins, ctx)
        script = info.script
        for op in info.all_ops:
            command = op.command
            words = [w.value or w.raw for w in command.words]
            said = script.text[command.start:command.end] if script is not None and command.redirects else ""
            if any(posixpath.basename(w) == FILE_NAME for w in words) or FILE_NAME in said:
                return ins
    return None


def _insert_at(df: Dockerfile, stage: Stage) -> int:
    """Where the ARG and RUN go: before the stage's last USER; without one,
    before the EXPOSE/CMD/ENTRYPOINT/STOPSIGNAL/HEALTHCHECK block that ends
    the stage, above the comment lines right over it; else the stage's end."""
    users = [ins for ins in stage.body if ins.keyword == "USER"]
    tail: Instruction | None = users[-1] if users else None
    if tail is None:
        for ins in reversed(stage.body):
            if ins.keyword not in ("EXPOSE", "CMD", "ENTRYPOINT", "STOPSIGNAL", "HEALTHCHECK"):
                break
            tail = ins
    if tail is None:
        end = stage.instructions[-1].end
        return end
    at = tail.start
    while at > 0:
        prev = df.text.rfind("\n", 0, at - 1) + 1
        if not df.text[prev:at].lstrip(" \t").startswith("#"):
            break
        at = prev
    return at

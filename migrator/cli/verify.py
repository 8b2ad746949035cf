"""``dockerfile-migrator verify``: prove a migration with real builds.

Registered into the main group with ``cli.add_command(verify)``. Rich and the
builder code are imported inside the command so the CLI starts lean.

Exit status: 0 proven; 1 not proven (every reason printed); 2 cannot verify
(bad input, no builder on the machine, the builder failing to inspect an
image); 130 interrupted.
"""

from __future__ import annotations

import os
import signal
import sys

import click

BUILDER_CHOICES = ("auto", "docker", "podman", "buildah")


def _fail(message: str, code: int = 2) -> "click.exceptions.Exit":
    click.echo(f"error: {message}", err=True)
    return click.exceptions.Exit(code)


@click.command("verify")
@click.argument("path", type=click.Path(dir_okay=True, file_okay=True, path_type=str))
@click.option(
    "--context", "context", type=click.Path(path_type=str), default=None, metavar="DIR",
    help="Build context for both builds (default: the Dockerfile's folder).",
)
@click.option(
    "--smoke", default=None, metavar="CMD",
    help='Command run with /bin/sh -c in both images as their own user, e.g. "python -c \'import app\'"; '
         'a JSON array runs without a shell, for images that have none: \'["/app/server", "-selftest"]\'.',
)
@click.option(
    "--builder", type=click.Choice(BUILDER_CHOICES), default="auto", show_default=True,
    help="Image builder: docker (with buildx), podman or buildah; auto tries them in that order.",
)
@click.option(
    "--migrated", "migrated_path", type=click.Path(path_type=str), default=None, metavar="FILE",
    help="Verify this already migrated Dockerfile instead of migrating PATH now.",
)
@click.option("--unsafe", is_flag=True, help="Migrate with unsafe changes too (as `migrate --unsafe`).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document instead of the table.")
@click.option(
    "--log", "log_path", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
    help="Where to keep the builder's full log (default: a new file in the temporary folder).",
)
@click.option("--keep-images", is_flag=True, help="Keep both images (their tags are printed) and the layer images of their builds.")
@click.option("--smoke-timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              metavar="SECONDS", help="Time allowed to the smoke command in each image.")
@click.option("--build-timeout", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="Time allowed to each build (default: no limit).")
def verify(
    path: str,
    context: str | None,
    smoke: str | None,
    builder: str,
    migrated_path: str | None,
    unsafe: bool,
    as_json: bool,
    log_path: str | None,
    keep_images: bool,
    smoke_timeout: float,
    build_timeout: float | None,
) -> None:
    """Build PATH and its migration, and prove the migrated image works.

    Both Dockerfiles are built from the same context; the images are compared
    (build, size, user and UID, Cmd/Entrypoint/Env/ExposedPorts/WorkingDir/
    Healthcheck, files under WORKDIR) and the smoke command runs in both.
    Exits 0 only when the migrated image builds, does not run as root, keeps
    its config, passes the smoke command and is not larger than the original;
    1 otherwise, with the reasons; 2 when it cannot verify (bad input, no
    builder). PATH is migrated with the project configuration found from its
    folder up ([tool.dockerfile-migrator] in pyproject.toml or
    .dockerfile-migrator.toml) and the build context, and the migrated image
    is built from the context as the migration leaves it: its context files
    (a .dockerignore, a settings module) applied in a temporary copy, never
    in your files.
    """
    from migrator.files import InputError, read_dockerfile

    # --- input -------------------------------------------------------------------
    if path == "-":
        raise _fail("verify needs a Dockerfile path (standard input has no build context)")
    if os.path.isdir(path):
        candidate = os.path.join(path, "Dockerfile")
        if not os.path.isfile(candidate):
            raise _fail(f"{path}: is a directory with no Dockerfile in it")
        path = candidate
    try:
        source = read_dockerfile(path)
    except InputError as exc:
        raise _fail(str(exc)) from None
    context = context if context is not None else (os.path.dirname(os.path.abspath(path)) or ".")
    if not os.path.exists(context):
        raise _fail(f"{context}: build context folder does not exist")
    if not os.path.isdir(context):
        raise _fail(f"{context}: build context is not a folder")
    if smoke is not None and not smoke.strip():
        raise _fail("--smoke is empty")

    if migrated_path is not None:
        try:
            migrated_text = read_dockerfile(migrated_path).text
        except InputError as exc:
            raise _fail(str(exc)) from None
    context_files: tuple = ()
    root_kept = None
    if migrated_path is None:
        migrated_text, context_files, root_kept = _migrate(path, source.text, unsafe, context)

    # --- builder -------------------------------------------------------------------
    from migrator.verify.builders import BuilderError, BuilderUnavailable, find_builder

    try:
        chosen = find_builder(builder)
    except BuilderUnavailable as exc:
        raise _fail(str(exc)) from None

    from rich.console import Console
    from rich.text import Text

    from migrator.verify.report import json_document, render
    from migrator.verify.session import Request, default_log_path
    from migrator.verify.session import verify as run_verification

    log_path = os.path.abspath(log_path or default_log_path(path))
    try:
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise _fail(f"{log_path}: cannot write the log ({exc.strerror})") from None

    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    request = Request(
        dockerfile=os.path.abspath(path), context=os.path.abspath(context), migrated_text=migrated_text,
        smoke=smoke, log_path=log_path, smoke_timeout=smoke_timeout, build_timeout=build_timeout,
        keep_images=keep_images, root_kept=root_kept, context_files=context_files,
    )

    last_phase = [""]

    def progress_for(status) -> object:
        def progress(message: str) -> None:
            phase = message.split(":", 1)[0]
            if status is not None:
                width = max(20, err.width - 4)
                status.update(Text(message if len(message) <= width else message[: width - 3] + "..."))
            elif phase != last_phase[0]:
                err.print(Text(f"verify: {phase}", style="dim"), soft_wrap=True)
            last_phase[0] = phase
        return progress

    previous = signal.getsignal(signal.SIGTERM)

    def _on_term(_signum, _frame):  # SIGTERM unwinds like Ctrl-C, so images are removed
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _on_term)
    except ValueError:  # not the main thread (e.g. under a test runner's thread)
        previous = None
    try:
        if err.is_terminal:
            with err.status(Text(f"verifying {path} with {chosen.name}"), spinner="dots") as status:
                outcome = run_verification(chosen, request, progress_for(status))
        else:
            err.print(Text(f"verify: {path} with {chosen.name}; builder log: {log_path}", style="dim"), soft_wrap=True)
            outcome = run_verification(chosen, request, progress_for(None))
    except KeyboardInterrupt:
        click.echo(f"interrupted; images removed; builder log: {log_path}", err=True)
        raise click.exceptions.Exit(130) from None
    except BuilderError as exc:
        raise _fail(f"{chosen.name} failed: {exc} (builder log: {log_path})") from None
    except OSError as exc:
        raise _fail(f"cannot run the verification: {exc}") from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

    if as_json:
        import json

        doc = json_document(outcome, dockerfile=path, context=context, builder=chosen.name, log_path=log_path)
        click.echo(json.dumps(doc, indent=2))
        if not outcome.verdict.ok:
            click.echo("verify: FAIL: " + "; ".join(outcome.verdict.reasons), err=True)
    else:
        render(out, outcome, dockerfile=path, builder=chosen.name, log_path=log_path)
    sys.stdout.flush()
    raise click.exceptions.Exit(outcome.verdict.exit_code)


def migration_options(path: str, context: str, unsafe: bool):
    """The :class:`migrator.options.Options` ``verify`` migrates ``path`` with.

    Args:
        path: the Dockerfile; the configuration is searched from its folder
            up (:func:`migrator.config.load_config`), as ``batch`` does.
        context: the build context folder both builds use; the transforms
            read it through ``options.context``.
        unsafe: ``--unsafe`` was given (``False`` leaves the file's setting).
    Returns:
        the options.
    Raises:
        migrator.config.ConfigError: a bad configuration file (one line).
    """
    from dataclasses import replace

    from migrator.config import load_config
    from migrator.context import BuildContext

    options = load_config(path).to_options(unsafe=unsafe or None)
    return replace(options, context=BuildContext.at(os.path.abspath(context)))


def _migrate(path: str, text: str, unsafe: bool, context: str) -> tuple[str, tuple, str | None]:
    """Migrate ``text`` with the engine: ``(migrated Dockerfile, the build
    context files it creates or changes (:class:`migrator.model.results.ContextFile`,
    the migrated build reads them applied), why it left the user as it was
    or None)``; exit 2/1 when there is nothing to build."""
    try:
        from migrator.config import ConfigError
        from migrator.engine import migrate_text
        from migrator.model.results import Status
    except ImportError as exc:
        raise _fail(f"the migration engine is not available ({exc}); pass --migrated FILE") from None
    try:
        options = migration_options(path, context, unsafe)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    result = migrate_text(text, options, path=path)
    if result.status is Status.MIGRATED:
        root_kept = next((r.reason for r in result.refusals if r.transform == "non-root-user"), None)
        return result.output, tuple(result.context_files), root_kept
    if result.status is Status.ERROR:
        raise _fail(f"{path}: {result.reason or 'cannot be read as a Dockerfile'}")
    reason = f": {result.reason}" if result.reason else ""
    click.echo(f"verify: FAIL: nothing to verify, {path} was not migrated ({result.status.value}{reason})", err=True)
    raise click.exceptions.Exit(1)

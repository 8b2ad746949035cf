"""The ``dockerfile-migrator`` command line (click).

Commands: ``diff`` (print the proposed change as a unified diff), ``apply``
(write it), ``check`` (exit 1 when a file would change, for CI),
``transforms`` (list them), ``batch`` (a whole tree) and ``verify`` (build
both images and compare). Bad input gets one line on stderr and exit 2.
rich is imported only when output goes to a terminal.
"""

from __future__ import annotations

import json
import sys

import click

from migrator.options import GO_RUNTIMES, Options

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"dockerfile-migrator: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _ids(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(v.strip() for v in value.split(",") if v.strip())


def make_options(select, ignore, unsafe, uid=None, user=None, venv_path=None, extend_select=None,
                 context=None, healthcheck_url=None, go_runtime=None) -> Options:
    """Merge command-line options over the project configuration
    (``[tool.dockerfile-migrator]``) into :class:`Options`; exit 2 with one
    line on a bad value, an unknown transform id or a ``--context`` that is
    not a folder."""
    from dataclasses import replace

    from migrator.config import ConfigError, load_config

    try:
        config = load_config(".")
        options = config.to_options(select=_ids(select), ignore=_ids(ignore),
                                    unsafe=unsafe or None, uid=uid, user=user, venv_path=venv_path,
                                    go_runtime=go_runtime)
    except ConfigError as exc:
        _fail(str(exc))
    if extend_select is not None:
        options = replace(options, extend_select=options.extend_select | _ids(extend_select))
    if healthcheck_url is not None:
        if not healthcheck_url.startswith(("http://", "https://")) or any(c.isspace() for c in healthcheck_url):
            _fail(f"--healthcheck-url must be an http:// or https:// URL without spaces, not {healthcheck_url!r}")
        options = replace(options, healthcheck_url=healthcheck_url)
    if context is not None:
        from migrator.context import BuildContext

        build_context = BuildContext.at(context)
        if build_context is None:
            _fail(f"--context {context}: not a folder")
        options = replace(options, context=build_context)
    from migrator.engine import transforms_for

    try:
        transforms_for(options)
    except ValueError as exc:
        _fail(str(exc))
    if options.uid <= 0:
        _fail(f"--uid must be a positive number, not {options.uid}")
    if not options.venv_path.startswith("/"):
        _fail(f"--venv-path must be absolute, not {options.venv_path!r}")
    return options


def _common(f):
    f = click.option("--select", metavar="IDS", help="Comma-separated transform ids to run (default: all).")(f)
    f = click.option("--ignore", metavar="IDS", help="Comma-separated transform ids not to run.")(f)
    f = click.option("--unsafe", is_flag=True, default=False,
                     help="Also apply unsafe changes (e.g. move the runtime stage to a -slim tag).")(f)
    f = click.option("--uid", type=int, default=None, help="UID/GID of the non-root user (default 10001).")(f)
    f = click.option("--venv-path", default=None, help="Virtualenv path (default /opt/venv).")(f)
    f = click.option("--extend-select", metavar="IDS",
                     help="Comma-separated opt-in transform ids to run as well as the default ones.")(f)
    f = click.option("--context", metavar="DIR", type=click.Path(file_okay=False),
                     help="The build context (default: each Dockerfile's folder; none for standard input).")(f)
    f = click.option("--healthcheck-url", metavar="URL",
                     help="The URL the opt-in healthcheck transform probes (http://localhost:8000/health).")(f)
    f = click.option("--go-runtime", type=click.Choice(GO_RUNTIMES), default=None,
                     help="Runtime image of a static Go build (default distroless: "
                          "gcr.io/distroless/static-debian12).")(f)
    return f


def migrate_paths(paths, options):
    """Read and migrate each path; yield ``(Source | None, FileResult)``.

    The build context is ``options.context`` when given (``--context``),
    else the Dockerfile's folder (none for standard input). An unreadable
    path yields ``(None, result)`` with status ``error``.
    """
    from migrator.engine import migrate_text
    from migrator.files import InputError, read_dockerfile
    from migrator.model.results import FileResult, Status

    for path in paths:
        try:
            source = read_dockerfile(path)
        except InputError as exc:
            yield None, FileResult(path, Status.ERROR, reason=str(exc))
            continue
        yield source, migrate_text(source.text, with_context(options, path), path)


def with_context(options: Options, path: str) -> Options:
    """``options`` with the build context of the Dockerfile at ``path``:
    ``options.context`` when set, else the file's folder; unchanged for
    standard input (``-``)."""
    if options.context is not None or path == "-":
        return options
    import os
    from dataclasses import replace

    from migrator.context import BuildContext

    return replace(options, context=BuildContext.at(os.path.dirname(os.path.abspath(path))))


def _error_line(result) -> str:
    """The one-line error of a result: its reason, naming the file first
    (a parse error says only ``line 3: ...``)."""
    reason = result.reason or "error"
    return reason if reason.startswith(result.path) else f"{result.path}: {reason}"


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _print_diff(text: str) -> None:
    if not sys.stdout.isatty():
        sys.stdout.write(text)
        return
    from rich.text import Text

    console = _console()
    for line in text.splitlines():
        style = ("bold" if line.startswith(("---", "+++")) else "cyan" if line.startswith("@@")
                 else "green" if line.startswith("+") else "red" if line.startswith("-") else "")
        console.print(Text(line, style=style))


def _explain(result) -> str:
    out = []
    prefix = "# "
    if result.status.value != "migrated":
        # a refusal that is the file's reason is said once, with its transform, below
        repeated = any(r.reason == result.reason for r in result.refusals)
        out.append(f"{prefix}{result.path}: {result.status.value}"
                   + (": nothing changed, the refusals below say why" if repeated
                      else f": {result.reason}" if result.reason else ""))
    for c in result.changes:
        unsafe = " [unsafe]" if c.applicability.value == "unsafe" else ""
        where = f", {c.where}" if c.where else ""
        out.append(f"{prefix}{result.path}{where} [{c.transform}]{unsafe} {c.reason}")
    for r in result.refusals:
        kind = "offered, not applied" if r.unsafe_only else "refused"
        out.append(f"{prefix}{result.path}: {kind} [{r.transform}] {r.reason}")
    for n in result.notes:
        out.append(f"{prefix}{result.path}: note: {n}")
    return "\n".join(out) + ("\n" if out else "")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dockerfile-migrator")
def cli():
    """Turn single-stage Dockerfiles into lean multi-stage ones, as a reviewable diff."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_common
@click.option("--explain", is_flag=True, help="Say, for each change, which transform made it and why.")
@click.option("--json", "as_json", is_flag=True, help="Print per-file results as JSON instead of a diff.")
def diff(paths, select, ignore, unsafe, uid, venv_path, extend_select, context, healthcheck_url, go_runtime, explain,
         as_json):
    """Print the migration of PATHS as a unified diff (`-` reads stdin)."""
    from migrator.model.diffing import context_file_diffs, display_path, unified_diff

    options = make_options(select, ignore, unsafe, uid, None, venv_path, extend_select, context, healthcheck_url,
                           go_runtime)
    records = []
    bad = False
    for _source, result in migrate_paths(paths, options):
        if result.status.value == "error":
            bad = True
            if not as_json:
                click.echo(f"dockerfile-migrator: {_error_line(result)}", err=True)
        if as_json:
            records.append(result.to_json())
            continue
        if explain:
            sys.stdout.write(_explain(result))
        patch = unified_diff(result.original, result.output, display_path(result.path))
        patch += "".join(diff for _shown, diff, _created in context_file_diffs(result))
        if patch:
            _print_diff(patch)
        elif not explain and result.status.value in ("skipped", "refused"):
            click.echo(f"dockerfile-migrator: {result.path}: {result.status.value}: {result.reason}", err=True)
    if as_json:
        click.echo(json.dumps(records if len(records) != 1 else records[0], indent=2))
    sys.exit(EXIT_USAGE if bad else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_common
def apply(paths, select, ignore, unsafe, uid, venv_path, extend_select, context, healthcheck_url, go_runtime):
    """Write the migration of PATHS in place (atomically), and the build-context
    files it creates or changes (an existing file is never overwritten)."""
    from migrator.files import InputError, write_atomic, write_context_file

    options = make_options(select, ignore, unsafe, uid, None, venv_path, extend_select, context, healthcheck_url,
                           go_runtime)
    if "-" in paths:
        _fail("apply needs file paths; use `diff -` for standard input")
    bad = False
    for source, result in migrate_paths(paths, options):
        if source is None or result.status.value == "error":
            click.echo(f"dockerfile-migrator: {_error_line(result)}", err=True)
            bad = True
            continue
        if result.status.value != "migrated":
            click.echo(f"{result.path}: {result.status.value}" + (f" ({result.reason})" if result.reason else ""))
            continue
        try:
            if result.output != result.original:
                write_atomic(source, result.output)
        except InputError as exc:
            click.echo(f"dockerfile-migrator: {exc}", err=True)
            bad = True
            continue
        click.echo(f"{result.path}: migrated ({len(result.changes)} changes)")
        for cf in result.context_files:
            try:
                written = write_context_file(result.context_root, cf)
            except InputError as exc:
                click.echo(f"dockerfile-migrator: {exc}", err=True)
                bad = True
                continue
            click.echo(f"{written}: {'created' if cf.original is None else 'changed'} ({cf.transform})")
    sys.exit(EXIT_USAGE if bad else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_common
def check(paths, select, ignore, unsafe, uid, venv_path, extend_select, context, healthcheck_url, go_runtime):
    """Exit 1 when any of PATHS would change, 0 when none would."""
    options = make_options(select, ignore, unsafe, uid, None, venv_path, extend_select, context, healthcheck_url,
                           go_runtime)
    would = False
    bad = False
    for _source, result in migrate_paths(paths, options):
        if result.status.value == "error":
            click.echo(f"dockerfile-migrator: {_error_line(result)}", err=True)
            bad = True
        elif result.status.value == "migrated":
            would = True
            click.echo(f"{result.path}: would be migrated ({len(result.changes)} changes)")
    if bad:
        sys.exit(EXIT_USAGE)
    sys.exit(1 if would else 0)


@cli.command("transforms")
def list_transforms():
    """List the transforms, in the order they run, with their default (on:
    a plain run uses it; off: opt-in with --extend-select) and safety (safe:
    every change is safe; mixed: some changes are unsafe, applied only with
    --unsafe)."""
    from transforms import registry

    click.echo(f"{'id':16} {'default':7} {'safety':6} title: rationale")
    for t in registry():
        default = "on" if getattr(t, "default", True) else "off"
        safety = getattr(t, "safety", "safe")
        click.echo(f"{t.id:16} {default:7} {safety:6} {t.title}: {t.rationale}")


def _register_optional():
    try:
        from migrator.cli.batch import batch
    except ImportError:  # pragma: no cover - batch is part of the package
        batch = None
    if batch is not None:
        cli.add_command(batch)
    try:
        from migrator.cli.verify import verify
    except ImportError:  # pragma: no cover
        verify = None
    if verify is not None:
        cli.add_command(verify)


_register_optional()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dockerfile-migrator")

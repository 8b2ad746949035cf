"""``dockerfile-migrator batch ROOT``: migrate every Dockerfile of a tree.

Exit status (the contract multi-gitter and Sourcegraph Batch Changes rely on):

* 0 - it ran, whether files would change or not (refusals and per-file
  errors are in the reports, not in the exit status);
* 1 - with ``--check``, at least one file would change (or changed, with
  ``--write --check``);
* 2 - bad usage: ROOT missing or not a folder, an output that cannot be
  written, an unknown transform id, a bad configuration value. One line on
  standard error, nothing written.

Heavy modules (rich, pathspec, multiprocessing, the engine) are imported
inside the command, so registering it costs the other commands nothing.
"""

from __future__ import annotations

import os
import sys
import time

import click

from migrator.options import GO_RUNTIMES

FILES_PER_JOB = 100
"""With no --jobs, one worker per this many files (worker start-up, ~0.3 s of
importing the engine, is not worth it for a handful of Dockerfiles)."""


def _fail(message: str) -> None:
    click.echo(f"dockerfile-migrator batch: error: {message}", err=True)
    raise SystemExit(2)


@click.command("batch")
@click.argument("root", metavar="ROOT", type=str)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes; 1 runs in this process (default: one per "
                   f"{FILES_PER_JOB} files found, at most the number of CPUs).")
@click.option("--patch", "patch_file", metavar="FILE",
              help="Write one combined patch that `git apply` accepts at ROOT ('-': stdout).")
@click.option("--json", "json_file", metavar="FILE",
              help="Write the per-file results and totals as JSON ('-': stdout).")
@click.option("--markdown", "markdown_file", metavar="FILE",
              help="Write a Markdown report for a pull request ('-': stdout).")
@click.option("--markdown-limit", type=click.IntRange(min=1000), default=None, metavar="CHARS",
              help="Shorten the Markdown report to at most CHARS characters (a GitHub pull-request "
                   "body holds 65536).")
@click.option("--write", is_flag=True, help="Apply every change in place (atomically per file).")
@click.option("--check", is_flag=True,
              help="Exit 1 when any file would change (with --write: when any file changed).")
@click.option("--select", metavar="IDS", default=None,
              help="Comma-separated transform ids to run (replaces the config's select).")
@click.option("--ignore", metavar="IDS", default=None,
              help="Comma-separated transform ids not to run (replaces the config's ignore).")
@click.option("--extend-select", metavar="IDS", default=None,
              help="Comma-separated opt-in transform ids to run as well as the default ones.")
@click.option("--unsafe/--no-unsafe", default=None, help="Also apply unsafe changes.")
@click.option("--uid", type=int, default=None, help="UID/GID of the non-root user (default 10001).")
@click.option("--user", default=None, help="Name of the non-root user (default app).")
@click.option("--venv-path", default=None, metavar="PATH",
              help="Virtual environment path in the images (default /opt/venv).")
@click.option("--go-runtime", type=click.Choice(GO_RUNTIMES), default=None,
              help="Runtime image of a static Go build (default distroless).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Gitignore-style pattern relative to ROOT to skip (repeatable; replaces the "
                   "config's exclude).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              metavar="SECONDS", help="Time one file may take in a worker before it is an error.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
def batch(root, jobs, patch_file, json_file, markdown_file, markdown_limit, write, check, select, ignore,
          extend_select, unsafe, uid, user, venv_path, go_runtime, exclude, timeout, quiet):
    """Migrate every Dockerfile under ROOT: one patch, one report.

    Finds Dockerfile, Containerfile, *.Dockerfile and Dockerfile.* (any case),
    honouring .gitignore files and skipping .git, node_modules, virtual
    environments and vendored folders. Exit 0 when it ran, 1 with --check when
    a file would change, 2 on bad usage.
    """
    t0 = time.perf_counter()
    from migrator.batch import runner
    from migrator.config import ConfigError, load_config
    from migrator.batch.reports import check_writable

    # --- validate everything before touching anything -------------------
    if not os.path.exists(root):
        _fail(f"{root}: no such folder")
    if not os.path.isdir(root):
        _fail(f"{root}: not a folder (batch takes a folder; use `diff` for one file)")
    if not os.access(root, os.R_OK | os.X_OK):
        _fail(f"{root}: folder is not readable")
    outputs = [(flag, path) for flag, path in
               (("--patch", patch_file), ("--json", json_file), ("--markdown", markdown_file)) if path]
    if sum(1 for _, p in outputs if p == "-") > 1:
        _fail("only one of --patch, --json and --markdown can go to standard output ('-')")
    seen: dict[str, str] = {}
    for flag, path in outputs:
        problem = check_writable(path)
        if problem:
            _fail(f"{flag} {problem}")
        if path != "-":
            key = os.path.realpath(path)
            if key in seen:
                _fail(f"{flag} and {seen[key]} name the same file {path}")
            seen[key] = flag
    try:
        config = load_config(root)
        options = config.to_options(select=select, ignore=ignore, unsafe=unsafe, uid=uid, user=user,
                                    venv_path=venv_path, go_runtime=go_runtime)
    except ConfigError as exc:
        _fail(str(exc))
    if extend_select:
        from dataclasses import replace

        options = replace(options, extend_select=options.extend_select
                          | frozenset(v.strip() for v in extend_select.split(",") if v.strip()))
    if exclude:
        excludes = [(root, list(exclude))]
    elif config.exclude:
        excludes = [(str(config.base), list(config.exclude))]
    else:
        excludes = []
    real_root = os.path.realpath(root)
    from migrator.batch.discovery import discover

    def walk():
        try:
            return discover(real_root, excludes)
        except OSError as exc:
            _fail(f"{root}: cannot walk ({exc.strerror or exc})")

    found = None
    if jobs is None:  # automatic: as many workers as the number of files is worth
        found = walk()
        jobs = max(1, min(runner.default_jobs(), len(found.files) // FILES_PER_JOB))

    # Workers (if any) load the engine while this process validates the
    # options against it (and walks the tree, when --jobs was given).
    with runner.Runner(real_root, options, jobs=jobs, want_diff=bool(patch_file), write=write,
                       timeout=timeout) as pool:
        pool.start()
        try:
            runner.check_options(options)
        except ValueError as exc:
            _fail(str(exc))
        if found is None:
            found = walk()

        progress = _Progress(len(found.files), quiet=quiet)
        for r in found.reported:
            progress.reported(r)
        try:
            entries = pool.run(found.files, on_results=progress.update, on_started=progress.start)
        except KeyboardInterrupt:
            progress.stop()
            click.echo("dockerfile-migrator batch: interrupted", err=True)
            raise SystemExit(130) from None
        finally:
            progress.stop()

    summary = runner.summarize(entries, found.reported)
    run = runner.BatchRun(root=root, entries=entries, reported=found.reported, summary=summary,
                          elapsed=time.perf_counter() - t0, jobs=jobs, options=options, wrote=write)
    to_stdout = any(p == "-" for _, p in outputs)
    info = sys.stderr if to_stdout else sys.stdout

    # --- outputs (each atomic) -------------------------------------------
    from migrator.batch import reports

    for flag, path in outputs:
        if flag == "--patch":
            content = lambda out: reports.write_patch(entries, out)  # noqa: E731
        elif flag == "--json":
            content = lambda out: reports.write_json(run, out)  # noqa: E731
        else:
            content = reports.markdown_report(run, markdown_limit)
        try:
            reports.write_report(path, content)
        except OSError as exc:
            _fail(f"{flag} {path}: cannot write ({exc.strerror or exc})")

    if not quiet:
        reports.print_summary(run, info)
    if check and summary.counts["migrated"]:
        raise SystemExit(1)


class _Progress:
    """A rich progress bar on a terminal; plain lines (one per file that is
    not unchanged) on standard error otherwise; nothing with ``--quiet``."""

    def __init__(self, total: int, quiet: bool):
        self.total = total
        self.done = 0
        self.counts = {"migrated": 0, "refused": 0, "error": 0}
        self.mode = "none" if quiet else ("rich" if sys.stderr.isatty() else "plain")
        self.bar = None
        self.task = None
        self.last = 0.0

    def start(self) -> None:
        if self.mode != "rich" or self.bar is not None:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        self.bar = Progress(
            SpinnerColumn(), TextColumn("Migrating"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[migrated]} migrated[/] · [yellow]{task.fields[refused]} refused"
                       "[/] · [red]{task.fields[error]} errors[/]"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        )
        self.task = self.bar.add_task("batch", total=self.total, **self.counts)
        self.bar.start()

    def reported(self, item) -> None:
        if self.mode == "plain":
            sys.stderr.write(f"not scanned  {item.path}: {item.message}\n")

    def update(self, entries) -> None:
        self.done += len(entries)
        for e in entries:
            status = e.result.status.value
            if status in self.counts:
                self.counts[status] += 1
        if self.mode == "plain":
            lines = []
            for e in entries:
                r = e.result
                status = r.status.value
                if status == "unchanged":
                    continue
                if status == "migrated":
                    detail = f" ({len(r.changes)} change{'s' if len(r.changes) != 1 else ''})"
                else:
                    detail = f": {r.reason}" if r.reason else ""
                lines.append(f"{status:<9} {r.path}{detail}\n")
            if lines:
                sys.stderr.write("".join(lines))
        elif self.bar is not None:
            now = time.monotonic()
            if now - self.last > 0.05 or self.done == self.total:
                self.last = now
                self.bar.update(self.task, completed=self.done, **self.counts)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, **self.counts)
            self.bar.stop()
            self.bar = None

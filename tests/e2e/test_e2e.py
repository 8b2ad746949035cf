"""End-to-end: migrate each fixture app with the tool, build both images, verify.

Every fixture under ``fixtures/`` is a legacy single-stage ``Dockerfile``
with its app and a ``fixture.toml`` (``smoke``: the command proving the app
works; ``unsafe``: migrate with unsafe changes; ``xfail``: the reason of a
known tool bug, which makes the fixture a strict expected failure until the
bug is fixed; ``min_shrink``: the least fraction the image must lose, e.g.
0.4; ``max_runtime_mb``: the most MB (10^6 bytes) the migrated image may
weigh; ``migrated_contains`` / ``migrated_lacks``: text the migrated Dockerfile
must have / must not have; ``runtime_lacks``: text its final stage must not have; ``migrated_smoke_prints``:
text the smoke command prints in the migrated image and not in the original (a change the migration made,
such as a settings module it edits in the build context, reached the migrated image); ``root_kept``: the
migration keeps root on purpose, a base image with no CMD, and verify's warning must name this text;
``no_size_change``: a split that saves nothing by design, such as pip --prefix when nothing leaves the runtime
image: the migrated image need not be smaller, and may not be larger than verify allows, which verify reports
as a failure). A fixture may carry a ``.dockerfile-migrator.toml``
(base images the package data does not know): verify reads it as a user's run would. For each one the test runs
``dockerfile-migrator verify`` (which migrates the file with the engine) and
checks the contract: both images build, the migrated one runs the smoke
command as a non-root UID, keeps its config and is smaller. The sizes are
collected for the table printed at the end of the session (conftest.py).

A few small hand-written cases check that ``verify`` also says *no* with the
right reason, and the last test checks that nothing was left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
FIXTURES = sorted(p for p in FIXTURES_DIR.iterdir() if (p / "fixture.toml").is_file())
VERIFY_TIMEOUT = 1800
TAG_PREFIX = "dockerfile-migrator-verify-"


def local_images() -> frozenset[str] | None:
    """Full IDs of every image in local storage (layer images included), or
    ``None`` when neither podman nor buildah is here (docker keeps no layer images)."""
    tool = shutil.which("podman") or shutil.which("buildah")
    if tool is None:
        return None
    proc = subprocess.run([tool, "images", "--all", "--quiet", "--no-trunc"], capture_output=True, text=True,
                          check=False)
    return frozenset(line.removeprefix("sha256:") for line in proc.stdout.split())


def layers_left_behind(log: Path, before: frozenset[str] | None) -> list[str]:
    """Images a verification's builds named in ``log`` (``--> <id>``) that did
    not exist before it and still exist: what its cleanup missed. Other
    builds running on the machine at the same time do not count."""
    from migrator.verify.builders import image_from_line

    after = local_images()
    if before is None or after is None or not log.is_file():
        return []
    named = {i for i in map(image_from_line, log.read_text(encoding="utf-8", errors="replace").splitlines()) if i}
    return sorted(full[:12] for full in after - before if any(full.startswith(i) for i in named))


def load_meta(folder: Path) -> dict:
    with open(folder / "fixture.toml", "rb") as fh:
        return tomllib.load(fh)


SESSION_LOGS: list[Path] = []
"""The builder log of every verify this session ran: the tags it used are in them."""


def run_verify(args: list[str], timeout: float = VERIFY_TIMEOUT, **extra_env: str) -> subprocess.CompletedProcess:
    """Run ``python -m migrator verify ARGS`` the way a user would (with a
    ``--log`` in the temporary folder when none is given, kept in SESSION_LOGS)."""
    if "--log" in args:
        SESSION_LOGS.append(Path(args[args.index("--log") + 1]))
    else:
        log = Path(tempfile.gettempdir()) / f"{TAG_PREFIX}e2e-{os.getpid()}-{len(SESSION_LOGS)}.log"
        SESSION_LOGS.append(log)
        args = [*args, "--log", str(log)]
    env = dict(os.environ, **extra_env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "migrator", "verify", *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env,
        check=False,
    )


def verify_json(args: list[str]) -> tuple[int, dict | None, str]:
    proc = run_verify([*args, "--json"])
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        doc = None
    return proc.returncode, doc, proc.stderr


def contract_problems(doc: dict) -> list[str]:
    """Every way ``doc`` (verify --json) breaks the migration contract."""
    problems = []
    orig, mig = doc["original"], doc["migrated"]
    if not orig["build"]["ok"]:
        problems.append(f"original does not build: {orig['build']['error']}")
    if not mig["build"]["ok"]:
        problems.append(f"migrated does not build: {mig['build']['error']}")
        return problems
    if mig["uid"] in (0, None):
        problems.append(f"migrated runs as UID {mig['uid']} (user {mig['user']!r}, {mig['user_error']})")
    for field in doc["config"]:
        if field["status"] == "changed":
            problems.append(f"config {field['field']} changed: {field['explanation']}")
    smoke = mig["smoke"]
    if smoke is None or smoke["exit_code"] != 0:
        problems.append(f"smoke fails in the migrated image: {smoke}")
    if doc["size_change"] is None or doc["size_change"] >= 0:
        problems.append(f"migrated image is not smaller: {orig['size']} -> {mig['size']} bytes")
    if not doc["ok"]:
        problems.append("verify says FAIL: " + "; ".join(doc["reasons"]))
    return problems


def mig_uid(doc: dict) -> int | None:
    """The UID the migrated image runs as, or None when it did not build."""
    return doc["migrated"]["uid"] if doc["migrated"]["build"]["ok"] else None


def _verdict(doc: dict, no_size_change: bool = False) -> str:
    """PASS, or FAIL with the first broken part of the suite's contract
    (``no_size_change``: the fixture's key of that name)."""
    problems = contract_problems(doc)
    if no_size_change:
        problems = [p for p in problems if not p.startswith("migrated image is not smaller")]
    if mig_uid(doc) == 0 and any("the migration kept the user because" in w for w in doc.get("warnings") or []):
        problems = [p for p in problems if not p.startswith("migrated runs as UID 0")]
        if not problems:
            return "PASS (root kept on purpose)"
    if not problems:
        return "PASS"
    return "FAIL: " + problems[0].split(":")[0] + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")


def record(results: list, name: str, doc: dict | None, seconds: float, builder: str,
           no_size_change: bool = False) -> None:
    entry: dict = {"fixture": name, "builder": builder, "verify_seconds": round(seconds, 1)}
    if doc is not None:
        entry.update(
            {
                "builder": doc.get("builder", builder),
                "original": doc["original"]["size"],
                "migrated": doc["migrated"]["size"],
                "change": doc["size_change"],
                "original_build_s": doc["original"]["build"]["seconds"],
                "migrated_build_s": doc["migrated"]["build"]["seconds"],
                "verdict": _verdict(doc, no_size_change),
                "missing_files": doc["missing_files"],
            }
        )
    else:
        entry["verdict"] = "ERROR"
    results.append(entry)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_migrates_and_verifies(
    fixture: Path, build_env: dict, e2e_results: list, request: pytest.FixtureRequest
) -> None:
    from migrator.cli.verify import migration_options
    from migrator.engine import migrate_text
    from migrator.model.results import Status

    meta = load_meta(fixture)
    if meta.get("xfail"):
        # A known tool bug, tracked: strict, so the fixture fails again once fixed.
        request.node.add_marker(pytest.mark.xfail(reason=str(meta["xfail"]), strict=True))
    unsafe = bool(meta.get("unsafe", False))
    dockerfile = str(fixture / "Dockerfile")
    # The options verify migrates with: the fixture's .dockerfile-migrator.toml, its folder as context.
    result = migrate_text((fixture / "Dockerfile").read_text(encoding="utf-8"),
                          migration_options(dockerfile, str(fixture), unsafe), dockerfile)
    assert result.status is Status.MIGRATED, f"the tool did not migrate {fixture.name}: {result.status.value}: {result.reason}"
    # Keep the migrated Dockerfile beside the logs, for whoever reads a failure.
    folder = build_env["state_dir"]
    (folder / "migrated").mkdir(exist_ok=True)
    (folder / "migrated" / f"{fixture.name}.Dockerfile").write_text(result.output, encoding="utf-8")
    (folder / "logs").mkdir(exist_ok=True)
    log = folder / "logs" / f"{fixture.name}.log"

    args = [dockerfile, "--smoke", meta["smoke"], "--builder", build_env["builder"], "--log", str(log)]
    if unsafe:
        args.append("--unsafe")
    before = local_images()
    start = time.monotonic()
    code, doc, stderr = verify_json(args)
    record(e2e_results, fixture.name, doc, time.monotonic() - start, build_env["builder"],
           bool(meta.get("no_size_change")))
    assert doc is not None, f"verify printed no JSON (exit {code}): {stderr[-2000:]}"
    left = layers_left_behind(log, before)
    assert not left, f"{fixture.name}: verify left the layer images its builds made: {left}"
    problems = contract_problems(doc)
    if meta.get("no_size_change"):
        # verify itself fails a migrated image larger than its allowance (the non-root user's files)
        problems = [p for p in problems if not p.startswith("migrated image is not smaller")]
    kept = meta.get("root_kept")
    if kept and mig_uid(doc) == 0:
        # a base image (no CMD): the migration keeps root on purpose; verify must say why, naming `kept`
        problems = [p for p in problems if not p.startswith("migrated runs as UID 0")]
        if not any("runs as root" in w and kept in w for w in doc.get("warnings") or []):
            problems.append(f"the migrated image runs as root without verify's warning naming {kept!r}")
    for expected in meta.get("migrated_contains", []):
        if expected not in result.output:
            problems.append(f"the migrated Dockerfile lacks {expected!r}")
    for unexpected in meta.get("migrated_lacks", []):
        if unexpected in result.output:
            problems.append(f"the migrated Dockerfile still has {unexpected!r}")
    final_stage = result.output[result.output.rfind("\nFROM "):]
    for unexpected in meta.get("runtime_lacks", []):
        if unexpected in final_stage:
            problems.append(f"the migrated Dockerfile's final stage still has {unexpected!r}")
    for expected in meta.get("migrated_smoke_prints", []):
        # the migration's own change shows in the migrated image only (e.g. a context file it edits)
        outputs = {side: (doc[side]["smoke"] or {}).get("output") or "" for side in ("original", "migrated")}
        if expected not in outputs["migrated"]:
            problems.append(f"the smoke command does not print {expected!r} in the migrated image: "
                            f"{outputs['migrated'][-500:]!r}")
        if expected in outputs["original"]:
            problems.append(f"the smoke command prints {expected!r} in the original image too: it proves nothing")
    for name in meta.get("migrated_missing", []):
        # a file the generated .dockerignore keeps out of the image: under WORKDIR in the original only
        if not any(m == name or m.endswith("/" + name) for m in doc.get("missing_files") or []):
            problems.append(f"{name} should be missing from the migrated image (missing: {doc.get('missing_files')})")
    target = meta.get("build_target")
    if target:
        problem = build_target(fixture, result, target, folder / "logs" / f"{fixture.name}.{target}.log")
        if problem:
            problems.append(problem)
    shrink = meta.get("min_shrink")
    if shrink is not None and doc["size_change"] is not None and -doc["size_change"] < shrink:
        problems.append(f"the migrated image is {-doc['size_change']:.1%} smaller, the goal is at least {shrink:.0%}")
    limit = meta.get("max_runtime_mb")
    size = doc["migrated"]["size"]
    if limit is not None and size is not None and size > limit * 1_000_000:
        problems.append(f"the migrated image is {size / 1e6:.1f} MB, the goal is under {limit} MB")
    assert not problems, (
        f"{fixture.name}: " + "\n  ".join(problems) + f"\nmigrated Dockerfile: {folder / 'migrated' / (fixture.name + '.Dockerfile')}"
        f"\nbuilder log: {log}"
    )
    assert code == 0, f"verify exited {code} although the contract holds: {stderr[-2000:]}"


def build_target(fixture: Path, result, target: str, log: Path) -> str | None:
    """Build stage ``target`` of the migrated Dockerfile (``--target``), with
    the .dockerignore the migration creates beside it as BuildKit and buildah
    read it, from the context with the migration's other context files applied
    (a temporary copy, as verify builds); remove the image. Returns a problem, or None."""
    import tempfile

    from migrator.verify.overlay import needs_copy, stage_context

    binary = shutil.which("podman") or shutil.which("buildah")
    if binary is None:
        return "neither podman nor buildah to build the target with"
    tag = f"{TAG_PREFIX}target-{fixture.name}:{target}"
    with tempfile.TemporaryDirectory(prefix=TAG_PREFIX) as folder:
        dockerfile = Path(folder) / "Dockerfile"
        dockerfile.write_text(result.output, encoding="utf-8")
        for cf in result.context_files:
            if cf.path == ".dockerignore":
                (Path(folder) / "Dockerfile.dockerignore").write_text(cf.output, encoding="utf-8")
        context = str(fixture)
        if needs_copy(result.context_files):   # the context as the migration leaves it, as verify builds it
            context = stage_context(context, result.context_files, str(Path(folder) / "context"),
                                    [cf.output for cf in result.context_files if cf.path == ".dockerignore"]).root
        command = [binary, "build"] if binary.endswith("podman") else [binary, "bud"]
        with open(log, "w", encoding="utf-8") as out:
            proc = subprocess.run([*command, "--target", target, "-t", tag, "-f", str(dockerfile), context],
                                  stdout=out, stderr=subprocess.STDOUT, timeout=VERIFY_TIMEOUT, check=False)
    subprocess.run([binary, "rmi", "-f", tag], capture_output=True, check=False)
    if proc.returncode != 0:
        return f"--target {target} does not build (exit {proc.returncode}); log: {log}"
    return None


def test_buildah_backend_verifies_a_fixture(build_env: dict, e2e_results: list) -> None:
    """The same verification driven by buildah alone (bud, from + run)."""
    if shutil.which("buildah") is None:
        pytest.skip("buildah is not installed")
    fixture = FIXTURES_DIR / "flask-pure"
    meta = load_meta(fixture)
    log = build_env["state_dir"] / "logs" / "flask-pure.buildah.log"
    log.parent.mkdir(exist_ok=True)
    before = local_images()
    start = time.monotonic()
    code, doc, stderr = verify_json(
        [str(fixture / "Dockerfile"), "--smoke", meta["smoke"], "--builder", "buildah", "--log", str(log)]
    )
    record(e2e_results, "flask-pure (buildah)", doc, time.monotonic() - start, "buildah")
    assert doc is not None, f"verify printed no JSON (exit {code}): {stderr[-2000:]}"
    assert doc["builder"] == "buildah"
    assert not layers_left_behind(log, before)
    migrated_build = log.read_text(encoding="utf-8").split("=== build migrated")[1]
    assert "Using cache" in migrated_build  # the builder stage reuses the original's layers
    assert not contract_problems(doc), contract_problems(doc)  # noqa: PT018
    assert code == 0


# --- verify must also say no, with the reason --------------------------------------------

ORIGINAL = """\
FROM python:3.12-slim
WORKDIR /srv
COPY hello.py ./
ENV GREETING=hello
EXPOSE 8080
CMD ["python", "hello.py"]
"""


@pytest.fixture()
def tiny_app(tmp_path: Path) -> Path:
    (tmp_path / "hello.py").write_text("import os\nprint(os.environ['GREETING'], 'from', os.getuid())\n")
    (tmp_path / "Dockerfile").write_text(ORIGINAL)
    return tmp_path


def _migrated(tmp_path: Path, text: str) -> str:
    path = tmp_path / "migrated.Dockerfile"
    path.write_text(text)
    return str(path)


def test_verify_passes_and_prints_the_table(tiny_app: Path, build_env: dict) -> None:
    migrated = _migrated(tiny_app, ORIGINAL.replace("CMD", "USER 65534:65534\nCMD"))
    proc = run_verify([str(tiny_app / "Dockerfile"), "--migrated", migrated, "--smoke", "python hello.py",
                       "--builder", build_env["builder"]], COLUMNS="200")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for expected in ("size (bytes)", "user", "Cmd", "ExposedPorts", "Healthcheck", "smoke", "PASS", "builder log:"):
        assert expected in proc.stdout, proc.stdout
    assert "UID 65534" in proc.stdout


def test_verify_fails_when_migrated_runs_as_root(tiny_app: Path, build_env: dict) -> None:
    migrated = _migrated(tiny_app, ORIGINAL)
    code, doc, _err = verify_json([str(tiny_app / "Dockerfile"), "--migrated", migrated, "--builder", build_env["builder"]])
    assert code == 1
    assert any("runs as root" in r for r in doc["reasons"]), doc["reasons"]


def test_verify_fails_on_changed_config_and_smoke(tiny_app: Path, build_env: dict) -> None:
    text = ORIGINAL.replace("ENV GREETING=hello\n", "").replace("EXPOSE 8080", "EXPOSE 80")
    text = text.replace("CMD", "USER 65534\nCMD")
    migrated = _migrated(tiny_app, text)
    code, doc, _err = verify_json([str(tiny_app / "Dockerfile"), "--migrated", migrated,
                                   "--smoke", "python hello.py", "--builder", build_env["builder"]])
    assert code == 1
    reasons = " | ".join(doc["reasons"])
    assert "config Env not kept: GREETING removed" in reasons
    assert "config ExposedPorts not kept" in reasons
    assert "smoke command failed in the migrated image (exit 1)" in reasons and "KeyError" in reasons
    assert doc["original"]["smoke"]["exit_code"] == 0


def test_verify_fails_on_unknown_user_and_broken_build(tiny_app: Path, build_env: dict) -> None:
    migrated = _migrated(tiny_app, ORIGINAL.replace("CMD", "USER ghost\nCMD"))
    code, doc, _err = verify_json([str(tiny_app / "Dockerfile"), "--migrated", migrated, "--builder", build_env["builder"]])
    assert code == 1
    assert any("'ghost' is not in the image's /etc/passwd" in r for r in doc["reasons"]), doc["reasons"]

    migrated = _migrated(tiny_app, ORIGINAL.replace("CMD", "RUN exit 3\nCMD"))
    code, doc, _err = verify_json([str(tiny_app / "Dockerfile"), "--migrated", migrated, "--builder", build_env["builder"]])
    assert code == 1
    assert doc["migrated"]["build"]["ok"] is False
    assert doc["reasons"][0].startswith("the migrated Dockerfile does not build")


def test_verify_fails_when_the_migrated_image_is_larger(tiny_app: Path, build_env: dict) -> None:
    """A migration that makes the image larger missed its goal: exit 1, with both sizes.
    The migrated file shares its first instructions with the original: those
    layers come from the cache, and cleanup removes only what this run made."""
    text = ORIGINAL.replace("CMD", "RUN head -c 3000000 /dev/urandom > /srv/ballast\nUSER 65534\nCMD")
    migrated = _migrated(tiny_app, text)
    log = build_env["state_dir"] / "logs" / "larger.log"
    log.parent.mkdir(exist_ok=True)
    before = local_images()
    code, doc, _err = verify_json([str(tiny_app / "Dockerfile"), "--migrated", migrated, "--smoke", "python hello.py",
                                   "--builder", build_env["builder"], "--log", str(log)])
    assert code == 1, doc
    growth = doc["migrated"]["size"] - doc["original"]["size"]
    assert growth >= 3_000_000
    reasons = " | ".join(doc["reasons"])
    assert "the migrated image is larger, the migration missed its goal" in reasons
    assert f"{doc['original']['size']:,} B" in reasons and f"{doc['migrated']['size']:,} B" in reasons
    assert len(doc["reasons"]) == 1, doc["reasons"]  # everything else holds
    if doc["builder"] in ("podman", "buildah"):
        migrated_build = log.read_text(encoding="utf-8").split("=== build migrated")[1]
        assert "Using cache" in migrated_build  # WORKDIR, COPY, ENV, EXPOSE from the original's build
    assert not layers_left_behind(log, before)


def test_verify_bad_input_exits_2(tiny_app: Path, build_env: dict) -> None:
    proc = run_verify([str(tiny_app / "missing" / "Dockerfile")])
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_verify([str(tiny_app / "Dockerfile"), "--context", str(tiny_app / "nope")])
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_nothing_left_behind(build_env: dict) -> None:
    """Runs last: no image tagged by this session's verify runs and no
    container of them remains (verify runs of others on the same machine, at
    the same time, are not this session's)."""
    import re

    ours = set()
    for log in SESSION_LOGS:
        if log.is_file():
            ours.update(re.findall(rf"{TAG_PREFIX}[0-9a-f]{{10}}:(?:original|migrated)",
                                   log.read_text(encoding="utf-8", errors="replace")))
    assert ours, "no verify run of this session named its images"
    tool = "podman" if shutil.which("podman") else "buildah"
    images = subprocess.run([tool, "images", "--format", "{{.Repository}}:{{.Tag}}"],
                            capture_output=True, text=True, check=False).stdout.split()
    assert not [i for i in images if i.removeprefix("localhost/") in ours], images
    if shutil.which("buildah"):
        containers = subprocess.run(["buildah", "containers", "--format", "{{.ImageName}} {{.ContainerName}}"],
                                    capture_output=True, text=True, check=False).stdout
        assert not [line for line in containers.splitlines() if any(tag in line for tag in ours)], containers
    for log in SESSION_LOGS:  # the logs run_verify put in the temporary folder
        if log.parent == Path(tempfile.gettempdir()) and log.name.startswith(f"{TAG_PREFIX}e2e-"):
            log.unlink(missing_ok=True)

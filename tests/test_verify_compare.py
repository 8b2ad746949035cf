"""Fast tests of ``verify``'s pure logic: no builder, no subprocess."""

from __future__ import annotations

import json

import pytest

from migrator.verify.builders import error_summary, image_from_line, step_from_line
from migrator.verify.compare import (
    CHANGED,
    SIZE_ALLOWANCE,
    EQUIVALENT,
    SAME,
    BuildOutcome,
    ImageFacts,
    SmokeOutcome,
    compare,
    compare_command,
    compare_env,
    compare_healthcheck,
    compare_ports,
    compare_workdir,
    describe_user,
    format_change,
    missing_files,
    relative_change,
    resolve_uid,
    split_user,
    to_json,
)

BASE_ENV = ["PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"]
PASSWD = (
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "app:x:10001:10001::/home/app:/bin/sh\n"
)


def config(**overrides) -> dict:
    base = {
        "User": "",
        "Cmd": ["python", "app.py"],
        "Entrypoint": None,
        "Env": list(BASE_ENV),
        "ExposedPorts": {"8000/tcp": {}},
        "WorkingDir": "/app",
        "Healthcheck": None,
    }
    base.update(overrides)
    return base


def original_facts(**overrides) -> ImageFacts:
    facts = ImageFacts(
        build=BuildOutcome(True, 30.0),
        size=500_000_000,
        config=config(),
        uid=0,
        files=frozenset({"app.py", "requirements.txt", "static/site.css"}),
        smoke=SmokeOutcome("python -c 'import app'", 0, "ok"),
    )
    for key, value in overrides.items():
        setattr(facts, key, value)
    return facts


def migrated_facts(**overrides) -> ImageFacts:
    facts = ImageFacts(
        build=BuildOutcome(True, 25.0),
        size=230_000_000,
        config=config(
            User="10001:10001",
            Env=["PATH=/opt/venv/bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"],
        ),
        uid=10001,
        files=frozenset({"app.py", "requirements.txt", "static/site.css"}),
        smoke=SmokeOutcome("python -c 'import app'", 0, "ok"),
    )
    for key, value in overrides.items():
        setattr(facts, key, value)
    return facts


SMOKE = "python -c 'import app'"


# --- the verdict ---------------------------------------------------------------------


def test_good_migration_passes_with_exit_0():
    verdict = compare(original_facts(), migrated_facts(), SMOKE)
    assert verdict.ok and verdict.exit_code == 0
    assert verdict.reasons == []
    assert verdict.size_change == pytest.approx(-0.54)
    assert [d.field for d in verdict.config] == [
        "Cmd", "Entrypoint", "Env", "ExposedPorts", "WorkingDir", "Healthcheck"
    ]
    env = verdict.config[2]
    assert env.status == EQUIVALENT and env.kept
    assert "PATH gains /opt/venv/bin" in env.explanation


def test_root_user_fails():
    verdict = compare(original_facts(), migrated_facts(uid=0, config=config(User="root")), SMOKE)
    assert verdict.exit_code == 1
    assert any("runs as root" in r for r in verdict.reasons)


def test_no_user_means_root_and_fails():
    verdict = compare(original_facts(), migrated_facts(uid=0, config=config(User="")), None)
    assert not verdict.ok
    assert any("root (no USER)" in r for r in verdict.reasons)


def test_unknown_uid_fails_with_reason():
    facts = migrated_facts(uid=None, user_error="user 'app' is not in the image's /etc/passwd")
    verdict = compare(original_facts(), facts, None)
    assert not verdict.ok
    assert any("cannot tell which UID" in r and "/etc/passwd" in r for r in verdict.reasons)


def test_changed_cmd_fails():
    facts = migrated_facts(config=config(User="app", Cmd=["gunicorn", "app:app"]))
    verdict = compare(original_facts(), facts, None)
    assert not verdict.ok
    assert any(r.startswith("config Cmd not kept") for r in verdict.reasons)


def test_lost_healthcheck_and_port_fail():
    hc = {"Test": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"], "Interval": 30_000_000_000}
    orig = original_facts(config=config(Healthcheck=hc))
    mig = migrated_facts(config=config(User="app", ExposedPorts={}))
    verdict = compare(orig, mig, None)
    fields = {r.split()[1] for r in verdict.reasons if r.startswith("config")}
    assert fields == {"ExposedPorts", "Healthcheck"}


def test_smoke_failure_fails_with_last_output_line():
    smoke = SmokeOutcome(SMOKE, 1, "Traceback...\nImportError: libpq.so.5: cannot open shared object file")
    verdict = compare(original_facts(), migrated_facts(smoke=smoke), SMOKE)
    assert verdict.exit_code == 1
    (reason,) = verdict.reasons
    assert "smoke command failed in the migrated image (exit 1)" in reason
    assert "libpq.so.5" in reason


def test_smoke_timeout_fails():
    smoke = SmokeOutcome(SMOKE, None, "", timed_out=True)
    verdict = compare(original_facts(), migrated_facts(smoke=smoke), SMOKE)
    assert any("timed out" in r for r in verdict.reasons)


def test_smoke_failing_in_original_only_warns():
    orig = original_facts(smoke=SmokeOutcome(SMOKE, 2, "boom"))
    verdict = compare(orig, migrated_facts(), SMOKE)
    assert verdict.ok
    assert any("also fails in the original" in w for w in verdict.warnings)


def test_no_smoke_given_ignores_smoke():
    verdict = compare(original_facts(smoke=None), migrated_facts(smoke=None), None)
    assert verdict.ok


def test_migrated_build_failure_fails():
    mig = ImageFacts(build=BuildOutcome(False, 12.0, "Error: building at STEP \"RUN pip install\": exit status 1"))
    verdict = compare(original_facts(), mig, SMOKE)
    assert not verdict.ok
    assert verdict.reasons[0].startswith("the migrated Dockerfile does not build: Error: building")
    assert verdict.config == []  # nothing to compare


def test_original_build_failure_fails_nothing_to_compare():
    orig = ImageFacts(build=BuildOutcome(False, 3.0, "base image not found"))
    verdict = compare(orig, migrated_facts(), SMOKE)
    assert not verdict.ok
    assert any("nothing to compare against" in r for r in verdict.reasons)


def test_missing_files_warn_but_pass():
    mig = migrated_facts(files=frozenset({"app.py", "app/__pycache__/x.cpython-311.pyc"}))
    orig = original_facts(files=frozenset({"app.py", "requirements.txt", "static/site.css", "mod.pyc"}))
    verdict = compare(orig, mig, SMOKE)
    assert verdict.ok
    assert verdict.missing_files == ["requirements.txt", "static/site.css"]
    assert any("2 file(s) under /app missing" in w for w in verdict.warnings)


def test_larger_image_fails_with_both_sizes():
    # The case: a builder added, the runtime still the 1 GB full image.
    verdict = compare(original_facts(size=1_000_000_000), migrated_facts(size=1_012_000_000), None)
    assert not verdict.ok and verdict.exit_code == 1
    assert verdict.size_change == pytest.approx(0.012)
    assert verdict.reasons == [
        "the migrated image is larger, the migration missed its goal: 1,000,000,000 B (953.7 MiB) -> "
        "1,012,000,000 B (965.1 MiB) (+1.2 %, +12,000,000 B)"
    ]


def test_growth_of_a_user_only_warns():
    # Adding the non-root user alone writes ~21 kB: not smaller, but not a failure.
    verdict = compare(original_facts(size=200_000_000), migrated_facts(size=200_021_185), None)
    assert verdict.ok
    assert any("not smaller" in w for w in verdict.warnings)
    limit = compare(original_facts(size=100), migrated_facts(size=100 + SIZE_ALLOWANCE + 1), None)
    assert not limit.ok and "+65,537 B" in limit.reasons[0]


def test_unknown_size_is_not_a_failure():
    verdict = compare(original_facts(size=None), migrated_facts(size=120), None)
    assert verdict.ok and verdict.size_change is None


def test_every_failure_is_listed():
    mig = migrated_facts(
        uid=0,
        config=config(User="root", Cmd=["sh"]),
        smoke=SmokeOutcome(SMOKE, 127, "sh: python: not found"),
    )
    verdict = compare(original_facts(), mig, SMOKE)
    assert len(verdict.reasons) == 3


def test_json_document_is_serialisable():
    orig, mig = original_facts(), migrated_facts()
    verdict = compare(orig, mig, SMOKE)
    doc = to_json(orig, mig, verdict, dockerfile="Dockerfile", builder="podman")
    text = json.dumps(doc)
    back = json.loads(text)
    assert back["ok"] is True and back["exit_code"] == 0
    assert back["migrated"]["uid"] == 10001 and back["original"]["user"] == "root"
    assert back["size_change"] == pytest.approx(-0.54)
    assert back["config"][0]["field"] == "Cmd"
    assert back["dockerfile"] == "Dockerfile"


# --- fields ----------------------------------------------------------------------------


def test_command_same_and_none_vs_empty():
    assert compare_command("Cmd", ["a"], ["a"]).status == SAME
    assert compare_command("Entrypoint", None, []).status == SAME


def test_shell_form_to_exec_form_is_equivalent():
    diff = compare_command("Cmd", ["/bin/sh", "-c", "python app.py --port 8000"], ["python", "app.py", "--port", "8000"])
    assert diff.status == EQUIVALENT
    assert "shell form -> exec form" in diff.explanation


def test_shell_form_with_variables_is_not_equivalent():
    diff = compare_command("Cmd", ["/bin/sh", "-c", "gunicorn -b 0.0.0.0:$PORT app:app"],
                           ["gunicorn", "-b", "0.0.0.0:$PORT", "app:app"])
    assert diff.status == CHANGED


def test_env_removed_or_changed_variable_is_changed():
    diff = compare_env(BASE_ENV + ["APP_ENV=production"], BASE_ENV)
    assert diff.status == CHANGED and "APP_ENV removed" in diff.explanation
    diff = compare_env(BASE_ENV + ["APP_ENV=production"], BASE_ENV + ["APP_ENV=dev"])
    assert diff.status == CHANGED and "APP_ENV='dev'" in diff.explanation


def test_env_added_variables_are_kept_and_listed():
    diff = compare_env(BASE_ENV, BASE_ENV + ["VIRTUAL_ENV=/opt/venv"])
    assert diff.status == EQUIVALENT
    assert "adds VIRTUAL_ENV=/opt/venv" in diff.explanation


def test_env_path_reordered_is_changed():
    diff = compare_env(["PATH=/a:/b"], ["PATH=/b:/a"])
    assert diff.status == CHANGED


def test_ports_and_workdir():
    assert compare_ports({"8000/tcp": {}}, {"8000/tcp": {}}).status == SAME
    assert compare_ports(None, {}).status == SAME
    diff = compare_ports({"80/tcp": {}}, {"8080/tcp": {}})
    assert diff.status == CHANGED and "no longer exposes 80/tcp" in diff.explanation
    assert compare_workdir("", "/").status == SAME
    assert compare_workdir("/app/", "/app").status == SAME
    assert compare_workdir("/app", "/srv").status == CHANGED


def test_healthcheck():
    hc = {"Test": ["CMD", "true"], "Interval": 1}
    assert compare_healthcheck(None, {}).status == SAME
    assert compare_healthcheck(hc, dict(hc)).status == SAME
    assert "Interval" in compare_healthcheck(hc, {"Test": ["CMD", "true"], "Interval": 2}).explanation
    assert compare_healthcheck(None, hc).status == CHANGED


# --- users -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "uid"),
    [("", 0), ("root", 0), ("0", 0), ("10001", 10001), ("10001:10001", 10001), ("app", 10001),
     ("app:app", 10001), ("daemon", 1)],
)
def test_resolve_uid(user, uid):
    assert resolve_uid(user, PASSWD) == (uid, None)


def test_resolve_uid_unknown_name():
    uid, why = resolve_uid("ghost", PASSWD)
    assert uid is None and "not in the image's /etc/passwd" in why
    uid, why = resolve_uid("app", None)
    assert uid is None and "could not be read" in why
    assert resolve_uid("1234", None) == (1234, None)


def test_split_and_describe_user():
    assert split_user("") == ("root", None)
    assert split_user("app:staff") == ("app", "staff")
    assert describe_user(migrated_facts()) == "10001:10001 (UID 10001)"
    assert describe_user(original_facts()) == "(no USER) (UID 0)"


# --- files, sizes, builder output ----------------------------------------------------------


def test_missing_files_unknown_listing():
    assert missing_files(None, frozenset({"a"})) == []
    assert missing_files(frozenset({"a", "b/__pycache__/c.pyc"}), frozenset()) == ["a"]


def test_relative_change_and_format():
    assert relative_change(200, 100) == -0.5
    assert relative_change(None, 100) is None
    assert relative_change(0, 100) is None
    assert format_change(-0.3942) == "-39.4 %"
    assert format_change(None) == "unknown"


@pytest.mark.parametrize(
    ("line", "step"),
    [
        ("STEP 2/5: RUN pip install -r requirements.txt\n", "STEP 2/5: RUN pip install -r requirements.txt"),
        ("[1/2] STEP 7/7: RUN pip install --no-cache-dir .", "[1/2] STEP 7/7: RUN pip install --no-cache-dir ."),
        ("#12 [runtime 4/9] COPY --from=builder /opt/venv /opt/venv", "[runtime 4/9] COPY --from=builder /opt/venv /opt/venv"),
        ("#12 0.345 Collecting psycopg2", None),
        ("Successfully tagged localhost/x:original", None),
    ],
)
def test_step_from_line(line, step):
    assert step_from_line(line) == step


def test_error_summary_prefers_error_lines():
    lines = ["Collecting x", "  error: command 'gcc' failed", "noise", "Error: building at STEP \"RUN pip\": exit status 1"]
    summary = error_summary(lines)
    assert summary.startswith("error: command 'gcc' failed")
    assert summary.endswith("exit status 1")
    assert error_summary([]) == "the builder failed without output"


# --- the command's own answers that need no builder ------------------------------------------


def _invoke(args, env=None):
    from click.testing import CliRunner

    from migrator.cli.verify import verify

    return CliRunner().invoke(verify, args, env=env)


def test_cli_missing_dockerfile_exits_2(tmp_path):
    result = _invoke([str(tmp_path / "nope" / "Dockerfile")])
    assert result.exit_code == 2
    assert "no such file" in result.output and "Traceback" not in result.output


def test_cli_missing_context_exits_2(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\n")
    result = _invoke([str(tmp_path / "Dockerfile"), "--context", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "build context folder does not exist" in result.output


def test_cli_folder_without_dockerfile_exits_2(tmp_path):
    result = _invoke([str(tmp_path)])
    assert result.exit_code == 2 and "no Dockerfile in it" in result.output


def test_cli_no_builder_exits_2(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\n")
    (tmp_path / "migrated").write_text("FROM python:3.12-slim\nUSER 10001\n")
    result = _invoke([str(tmp_path / "Dockerfile"), "--migrated", str(tmp_path / "migrated")],
                     env={"PATH": str(tmp_path / "empty-bin")})
    assert result.exit_code == 2
    assert "no image builder on this machine" in result.output
    assert "docker is not installed" in result.output and "buildah is not installed" in result.output


def test_cli_chosen_builder_missing_exits_2(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\n")
    (tmp_path / "migrated").write_text("FROM python:3.12-slim\nUSER 10001\n")
    result = _invoke([str(tmp_path / "Dockerfile"), "--migrated", str(tmp_path / "migrated"), "--builder", "buildah"],
                     env={"PATH": str(tmp_path / "empty-bin")})
    assert result.exit_code == 2
    assert "builder buildah is not usable here: buildah is not installed" in result.output


# --- the whole command against a fake docker (buildx) on PATH --------------------------------

FAKE_DOCKER = r'''#!PYTHON
"""A stand-in for the docker CLI: enough of buildx build, image inspect, run,
create, export, rm, rmi. The image's files hold /usr/local/bin/python unless
its Dockerfile says "# fake: no python"."""
import io, json, os, re, sys, tarfile

state = os.environ["FAKE_STATE"]
args = sys.argv[1:]
with open(os.path.join(state, "calls.log"), "a") as fh:
    fh.write(" ".join(args) + "\n")
if args in (["--version"], ["buildx", "version"], ["info"]):
    sys.exit(0)
if args[:2] == ["buildx", "build"]:
    tag, dockerfile = args[args.index("-t") + 1], args[args.index("-f") + 1]
    text = open(dockerfile).read()
    print("#1 [internal] load build definition from Dockerfile")
    print("#5 [2/3] RUN pip install -r requirements.txt")
    if "RUN exit 1" in text:
        print("ERROR: process \"/bin/sh -c exit 1\" did not complete successfully: exit code: 1")
        sys.exit(1)
    user = (re.findall(r"^USER (\S+)", text, re.M) or [""])[-1]
    with open(os.path.join(state, tag.replace("/", "_")), "w") as fh:
        json.dump({"user": user, "slim": "slim" in text, "python": "# fake: no python" not in text}, fh)
    sys.exit(0)
if args[0] == "create":
    name, tag = args[args.index("--name") + 1], args[-1]
    with open(os.path.join(state, "container-" + name), "w") as fh:
        fh.write(tag)
    print("c0ffee")
    sys.exit(0)
if args[0] == "export":
    tag = open(os.path.join(state, "container-" + args[1])).read()
    info = json.load(open(os.path.join(state, tag.replace("/", "_"))))
    with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as tar:
        files = {"app/app.py": (b"print(1)\n", 0o644), "etc/passwd": (b"root:x:0:0::/root:/bin/sh\n", 0o644)}
        if info["python"]:
            files["usr/local/bin/python"] = (b"\x7fELF" + bytes([2, 1, 1]) + bytes(57), 0o755)
        for path, (data, mode) in files.items():
            member = tarfile.TarInfo(path)
            member.size, member.mode = len(data), mode
            tar.addfile(member, io.BytesIO(data))
    sys.exit(0)
if args[:2] == ["rm", "--force"]:
    os.remove(os.path.join(state, "container-" + args[2]))
    sys.exit(0)
if args[:2] == ["image", "inspect"]:
    info = json.load(open(os.path.join(state, args[2].replace("/", "_"))))
    env = ["PATH=/usr/local/bin:/usr/bin:/bin"]
    config = {"User": info["user"], "Cmd": ["python", "app.py"], "Entrypoint": None, "Env": env,
              "ExposedPorts": {"8000/tcp": {}}, "WorkingDir": "/app", "Healthcheck": None}
    print(json.dumps([{"Config": config, "Size": 100_000_000 if info["slim"] else 300_000_000}]))
    sys.exit(0)
if args[0] == "run":
    rest = args[args.index("--entrypoint") + 1:]
    entry, rest = rest[0], rest[1:]
    if rest[:1] == ["--user"]:
        rest = rest[2:]
    argv = [entry] + rest[1:]
    if argv == ["cat", "/etc/passwd"]:
        print("root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh")
    elif "find" in " ".join(argv):
        print("./app.py\n./requirements.txt")
    else:
        print("smoke ok")
    sys.exit(0)
if args[0] == "rmi":
    sys.exit(0)
sys.exit(3)
'''


@pytest.fixture()
def fake_docker(tmp_path):
    import sys as _sys

    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir()
    state.mkdir()
    script = bin_dir / "docker"
    script.write_text(FAKE_DOCKER.replace("#!PYTHON", "#!" + _sys.executable))
    script.chmod(0o755)
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text("FROM python:3.12\nCOPY . /app\nCMD [\"python\", \"app.py\"]\n")
    (app / "migrated").write_text("FROM python:3.12-slim\nCOPY . /app\nUSER app\nCMD [\"python\", \"app.py\"]\n")
    return {"env": {"PATH": str(bin_dir), "FAKE_STATE": str(state)}, "app": app, "state": state}


def test_cli_with_docker_buildx_passes_and_cleans_up(fake_docker, tmp_path):
    app = fake_docker["app"]
    log = tmp_path / "verify.log"
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated"), "--smoke", "python -V",
                      "--json", "--log", str(log)], env=fake_docker["env"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["builder"] == "docker" and doc["ok"] is True
    assert doc["migrated"]["uid"] == 10001 and doc["original"]["uid"] == 0
    assert doc["size_change"] == pytest.approx(-2 / 3, abs=1e-4)
    assert doc["migrated"]["smoke"]["output"] == "smoke ok"
    calls = (fake_docker["state"] / "calls.log").read_text().splitlines()
    builds = [c for c in calls if c.startswith("buildx build --load --progress=plain")]
    assert len(builds) == 2
    removed = [c.split()[-1] for c in calls if c.startswith("rmi")]
    built = [b.split()[b.split().index("-t") + 1] for b in builds]
    assert sorted(removed) == sorted(built)  # both images removed
    assert "[2/3] RUN pip install" in log.read_text()
    assert doc["entrypoint"] == {
        "program": "python", "original": "/usr/local/bin/python", "migrated": "/usr/local/bin/python",
        "status": "ok", "explanation": "found in both",
    }
    created = [c.split()[c.split().index("--name") + 1] for c in calls if c.startswith("create")]
    assert len(created) == 2
    assert sorted(c.split()[-1] for c in calls if c.startswith("rm --force")) == sorted(created)
    assert not [p for p in fake_docker["state"].iterdir() if p.name.startswith("container-")]


def test_cli_with_docker_fails_when_the_migrated_program_is_missing(fake_docker):
    app = fake_docker["app"]
    (app / "migrated").write_text("FROM python:3.12-slim\n# fake: no python\nUSER app\n")
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated"), "--json"], env=fake_docker["env"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["entrypoint"]["original"] == "/usr/local/bin/python"
    assert doc["entrypoint"]["migrated"] == "missing"
    assert doc["reasons"] == [
        "the migrated image cannot start: its Cmd (python) cannot run: python is not found in PATH "
        "(/usr/local/bin:/usr/bin:/bin) (the original image has it at /usr/local/bin/python)"
    ]


def test_cli_table_shows_the_entrypoint_row(fake_docker):
    app = fake_docker["app"]
    (app / "migrated").write_text("FROM python:3.12-slim\n# fake: no python\nUSER app\n")
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated")],
                     env=dict(fake_docker["env"], COLUMNS="250"))
    assert result.exit_code == 1
    row = next(line for line in result.output.splitlines() if "entrypoint" in line)
    assert "python -> /usr/local/bin/python" in row and "python: MISSING" in row
    assert "MISSING in the migrated image: python is not found in PATH" in row
    assert "the migrated image cannot start" in result.output


def test_cli_with_docker_reports_a_failed_build(fake_docker):
    app = fake_docker["app"]
    (app / "migrated").write_text("FROM python:3.12-slim\nRUN exit 1\nUSER app\n")
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated"), "--json"], env=fake_docker["env"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["migrated"]["build"]["ok"] is False
    assert "did not complete successfully" in doc["reasons"][0]


# --- layer caching and cleanup against a fake podman on PATH ----------------------------------

FAKE_PODMAN = r"""#!PYTHON
# A stand-in for podman with layer caching: each Dockerfile instruction after
# FROM is a layer image whose ID hashes the instructions up to it, so two
# files with the same first instructions share those layers ("Using cache").
# Images live in images.json: {full id: [names]}.
import hashlib, io, json, os, sys, tarfile

state = os.environ["FAKE_STATE"]
db_path = os.path.join(state, "images.json")
db = json.load(open(db_path)) if os.path.exists(db_path) else {}
args = sys.argv[1:]
with open(os.path.join(state, "calls.log"), "a") as fh:
    fh.write(" ".join(args) + "\n")

def save():
    json.dump(db, open(db_path, "w"))

def find(ref):
    for image, names in db.items():
        if ref in names or image.startswith(ref.removeprefix("sha256:")):
            return image
    return None

if args == ["--version"]:
    sys.exit(0)
if args[0] == "build":
    tag, dockerfile = args[args.index("-t") + 1], args[args.index("-f") + 1]
    steps = [l for l in open(dockerfile).read().splitlines() if l.strip() and not l.startswith("#")]
    image = None
    for n, step in enumerate(steps[1:], 2):
        print(f"STEP {n}/{len(steps)}: {step}")
        image = hashlib.sha256("\n".join(steps[:n]).encode()).hexdigest()
        if image in db:
            print(f"--> Using cache {image}")
        else:
            db[image] = []
        print(f"--> {image[:11]}")
    db[image].append(tag)
    save()
    print(image)
    sys.exit(0)
if args[:2] == ["images", "--all"]:
    print(json.dumps([{"Id": i, "RepoTags": names or None} for i, names in db.items()]))
    sys.exit(0)
if args[:2] == ["image", "inspect"]:
    image = find(args[-1])
    if image is None:
        sys.exit(125)
    if "--format" in args:
        print("sha256:" + image)
        sys.exit(0)
    user = "10001" if "migrated" in args[-1] else ""
    config = {"User": user, "Cmd": ["python", "app.py"], "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"],
              "WorkingDir": "/app"}
    print(json.dumps([{"Config": config, "Size": 100_000_000 if user else 300_000_000}]))
    sys.exit(0)
if args[:2] == ["image", "mount"]:
    sys.exit(125)
if args[0] == "create":
    open(os.path.join(state, "container-" + args[args.index("--name") + 1]), "w").close()
    sys.exit(0)
if args[0] == "export":
    with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as tar:
        for path, data, mode in (("app/app.py", b"print(1)\n", 0o644),
                                 ("usr/local/bin/python", b"\x7fELF" + bytes([2, 1, 1]) + bytes(57), 0o755)):
            member = tarfile.TarInfo(path)
            member.size, member.mode = len(data), mode
            tar.addfile(member, io.BytesIO(data))
    sys.exit(0)
if args[:2] == ["rm", "--force"]:
    os.remove(os.path.join(state, "container-" + args[2]))
    sys.exit(0)
if args[0] == "run":
    print("root:x:0:0::/root:/bin/sh" if "/etc/passwd" in args else "ok")
    sys.exit(0)
if args[0] == "untag":
    db[find(args[1])].remove(args[2])
    save()
    sys.exit(0)
if args[0] == "rmi":
    assert "--no-prune" in args, "podman rmi without --no-prune also removes untagged parents"
    image = find(args[-1])
    if image is None:
        print("Error: image not known", file=sys.stderr)
        sys.exit(1)
    if args[-1] in db[image] and len(db[image]) > 1:
        db[image].remove(args[-1])
    else:
        del db[image]
    save()
    sys.exit(0)
sys.exit(3)
"""

ORIGINAL_FILE = "FROM python:3.12\nRUN apt-get install gcc\nCOPY . /app\nRUN pip install .\nCMD python app.py\n"


@pytest.fixture()
def fake_podman(tmp_path):
    import sys as _sys

    bin_dir, state, app = tmp_path / "bin", tmp_path / "state", tmp_path / "app"
    for folder in (bin_dir, state, app):
        folder.mkdir()
    script = bin_dir / "podman"
    script.write_text(FAKE_PODMAN.replace("#!PYTHON", "#!" + _sys.executable))
    script.chmod(0o755)
    (app / "Dockerfile").write_text(ORIGINAL_FILE)
    return {"env": {"PATH": str(bin_dir), "FAKE_STATE": str(state)}, "app": app, "state": state}


def _images(state) -> dict:
    return json.loads((state / "images.json").read_text())


def test_image_from_line():
    assert image_from_line("--> 0894846c314\n") == "0894846c314"
    assert image_from_line("--> Using cache sha256:" + "ab" * 32) == "ab" * 32
    assert image_from_line("ab" * 32) == "ab" * 32
    assert image_from_line("STEP 2/4: RUN echo hi") is None
    assert image_from_line("--> done") is None


def test_podman_builds_reuse_layers_and_cleanup_keeps_what_was_there(fake_podman):
    import hashlib

    app, state = fake_podman["app"], fake_podman["state"]
    # Before verify: an unrelated image, and a layer cached by an earlier build
    # of the same first instruction (not verify's: must stay).
    first_layer = hashlib.sha256("FROM python:3.12\nRUN apt-get install gcc".encode()).hexdigest()
    (state / "images.json").write_text(json.dumps({"f" * 64: ["docker.io/library/python:3.12"], first_layer: []}))
    migrated = "FROM python:3.12 AS builder\nRUN apt-get install gcc\nCOPY . /app\nRUN python -m venv /opt/venv\n" \
               "RUN pip install .\n\nFROM python:3.12-slim\nCOPY --from=builder /opt/venv /opt/venv\nUSER 10001\n"
    (app / "migrated").write_text(migrated)
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated"), "--builder", "podman", "--json"],
                     env=fake_podman["env"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["left_behind"] == []
    calls = (state / "calls.log").read_text().splitlines()
    builds = [c for c in calls if c.startswith("build ")]
    assert len(builds) == 2 and all(" --layers " in b and "--layers=false" not in b for b in builds)
    # Everything the two builds made is gone; what was there before stays.
    assert _images(state) == {"f" * 64: ["docker.io/library/python:3.12"], first_layer: []}
    removed = [c.split()[-1] for c in calls if c.startswith("rmi")]
    assert first_layer not in removed and "f" * 64 not in removed


def test_podman_cleanup_untags_an_image_that_existed_before(fake_podman):
    import hashlib

    app, state = fake_podman["app"], fake_podman["state"]
    # The whole original was built before (its last layer is cached, untagged):
    # verify's tag is taken off it, the image itself stays.
    steps = [line for line in ORIGINAL_FILE.splitlines()]
    last = hashlib.sha256("\n".join(steps).encode()).hexdigest()
    (state / "images.json").write_text(json.dumps({last: ["localhost/mine:latest"]}))
    (app / "migrated").write_text(ORIGINAL_FILE.replace("CMD", "USER 10001\nCMD"))
    result = _invoke([str(app / "Dockerfile"), "--migrated", str(app / "migrated"), "--builder", "podman", "--json"],
                     env=fake_podman["env"])
    assert result.exit_code == 0, result.output
    images = _images(state)
    assert images == {last: ["localhost/mine:latest"]}
    calls = (state / "calls.log").read_text().splitlines()
    untagged = [c.split() for c in calls if c.startswith("untag")]
    assert len(untagged) == 1 and untagged[0][1] == last
    assert untagged[0][2].startswith("dockerfile-migrator-verify-") and untagged[0][2].endswith(":original")
    assert not [c for c in calls if c.startswith("rmi") and last[:11] in c]


def test_verify_migrates_with_the_project_configuration_and_context(tmp_path):
    from migrator.cli.verify import migration_options

    app = tmp_path / "svc"
    app.mkdir()
    (app / "Dockerfile").write_text("FROM registry.example.com/platform/python:3.12\nCMD [\"python\"]\n")
    (app / "app.py").write_text("print(1)\n")
    (tmp_path / ".dockerfile-migrator.toml").write_text(
        'unsafe = true\n[images."registry.example.com/platform/*"]\nfamily = "debian"\npython = "/usr/local/bin/python"\n'
    )
    options = migration_options(str(app / "Dockerfile"), str(app), False)
    assert [(f.pattern, f.family, f.python) for f in options.images] == [
        ("registry.example.com/platform/*", "debian", "/usr/local/bin/python")
    ]
    assert options.unsafe is True  # the file's setting, not overridden by a missing --unsafe
    assert options.context is not None and options.context.is_file("app.py")


def test_cli_bad_configuration_exits_2_with_one_line(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCMD [\"python\"]\n")
    (tmp_path / ".dockerfile-migrator.toml").write_text('[images."acme/*"]\npython = "/usr/bin/python3"\n')
    result = _invoke([str(tmp_path / "Dockerfile")], env={"PATH": str(tmp_path / "empty-bin")})
    assert result.exit_code == 2
    assert "'family' is required" in result.output and "Traceback" not in result.output


def test_cleanup_leaves_named_images_it_did_not_make(monkeypatch):
    """An image a build reused that another build, running at the same time,
    made and named (after the listing taken before) is not removed."""
    import subprocess

    from migrator.verify import builders

    ours, theirs, cached = "a" * 64, "b" * 64, "c" * 64
    listing = {ours: (), theirs: ("localhost/dockerfile-migrator-verify-other:original",), cached: ()}
    calls = []

    def fake_call(argv, timeout=120):
        calls.append(argv[1:])
        if argv[1:3] == ["image", "inspect"]:
            return subprocess.CompletedProcess(argv, 0, ours + "\n", "")
        return subprocess.CompletedProcess(argv, 0, "", "")

    class Listed(builders.Podman):
        def images(self):
            return listing

    monkeypatch.setattr(builders, "_call", fake_call)
    problems = Listed("podman").cleanup(["verify-x:original"], [cached[:11], theirs[:11], ours[:11], ours], {cached})
    assert problems == []
    assert calls == [
        ["image", "inspect", "--format", "{{.Id}}", "verify-x:original"],
        ["rmi", "--no-prune", "--force", "verify-x:original"],
        ["rmi", "--no-prune", ours],
    ]


def test_image_listing_is_tried_again_when_an_image_goes_away(monkeypatch):
    import subprocess

    from migrator.verify import builders

    answers = [
        subprocess.CompletedProcess([], 125, "", 'Error: checking if image "816049" is dangling: image not known'),
        subprocess.CompletedProcess([], 0, json.dumps([{"Id": "ab" * 32, "RepoTags": ["localhost/x:1"]}]), ""),
    ]
    monkeypatch.setattr(builders, "_call", lambda argv, timeout=120: answers.pop(0))
    monkeypatch.setattr(builders.time, "sleep", lambda _s: None)
    assert builders.Podman("podman").images() == {"ab" * 32: ("localhost/x:1",)}
    assert answers == []


def test_root_the_migration_kept_on_purpose_passes_with_a_warning():
    # a base image with no CMD keeps root (the non-root-user refusal): verify says so, and passes
    kept = "line 1: the image sets no CMD or ENTRYPOINT, so it is a base or development image"
    verdict = compare(original_facts(), migrated_facts(uid=0, config=config(User="")), None, root_kept=kept)
    assert verdict.ok and verdict.exit_code == 0
    assert any("as the original did: the migration kept the user because line 1:" in w for w in verdict.warnings)
    # without the migration's reason it still fails
    assert not compare(original_facts(), migrated_facts(uid=0, config=config(User="")), None).ok

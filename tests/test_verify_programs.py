"""Fast tests of verify's entrypoint check: which program an image starts,
where it is found in the image's files, and the verdict. No builder needed."""

from __future__ import annotations

import io
import json
import os
import struct
import tarfile

import pytest

from migrator.verify.compare import BuildOutcome, ImageFacts, compare, compare_programs, to_json
from migrator.verify.imagefs import (
    DIR,
    FILE,
    SYMLINK,
    DirTree,
    Entry,
    Header,
    MemoryTree,
    lookup,
    parse_header,
    tree_from_tar,
)
from migrator.verify.programs import (
    FOUND,
    MISSING,
    NONE,
    UNKNOWN,
    Identity,
    ProgramCheck,
    can_execute,
    check_plan,
    expand,
    find_program,
    identity,
    plan_healthcheck,
    plan_launch,
    unreadable,
)
from migrator.verify.report import program_row

SLIM_PATH = "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
VENV_PATH = "/opt/venv/bin:" + SLIM_PATH
LOADER = "/lib64/ld-linux-x86-64.so.2"


def elf64(interp: str | None) -> bytes:
    """A minimal little-endian ELF64 header, with a PT_INTERP when ``interp``."""
    name = interp.encode() + b"\0" if interp else b""
    phnum = 1 if interp else 0
    header = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, phnum, 0, 0, 0)
    phdrs = struct.pack("<IIQQQQQQ", 3, 4, 64 + 56, 0, 0, len(name), len(name), 1) if interp else b""
    return header + phdrs + name


def elf32_static() -> bytes:
    header = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    header += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x8048000, 52, 0, 0, 52, 32, 0, 0, 0, 0)
    return header + bytes(16)


def exe(mode: int = 0o755, uid: int = 0, gid: int = 0) -> Entry:
    return Entry(FILE, mode, uid, gid)


def link(target: str) -> Entry:
    return Entry(SYMLINK, 0o777, target=target)


DYNAMIC = Header("elf", LOADER)
SUPERVISORD = Header("script", "/usr/local/bin/python3.12")


def base_tree() -> MemoryTree:
    """A merged-/usr Debian with python:3.12-slim's /usr/local."""
    tree = MemoryTree()
    tree.add("/bin", link("usr/bin"))
    tree.add("/lib", link("usr/lib"))
    tree.add("/lib64", Entry(DIR, 0o755))
    tree.add(LOADER, link("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
    tree.add("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", exe())
    tree.add("/usr/bin/dash", exe(), DYNAMIC)
    tree.add("/usr/bin/sh", link("dash"))
    tree.add("/usr/bin/env", exe(), DYNAMIC)
    tree.add("/usr/local/bin/python3.12", exe(), DYNAMIC)
    tree.add("/usr/local/bin/python3", link("python3.12"))
    tree.add("/usr/local/bin/python", link("python3"))
    tree.add("/etc/passwd", Entry(FILE, 0o644),
             text="root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/home/app:/bin/sh\n")
    tree.add("/etc/group", Entry(FILE, 0o644), text="root:x:0:\napp:x:10001:\nstaff:x:50:app\n")
    tree.add("/app/app.py", Entry(FILE, 0o644))
    tree.add("/app/run.sh", exe(), Header("script", "/bin/sh"))
    return tree


def original_tree() -> MemoryTree:
    tree = base_tree()
    tree.add("/usr/local/bin/supervisord", exe(), SUPERVISORD)
    tree.add("/usr/local/bin/gunicorn", exe(), SUPERVISORD)
    return tree


def migrated_tree() -> MemoryTree:
    """The venv moved the console scripts to /opt/venv/bin."""
    tree = base_tree()
    tree.add("/opt/venv/bin/python", link("/usr/local/bin/python3"))
    for script in ("supervisord", "gunicorn"):
        tree.add(f"/opt/venv/bin/{script}", exe(uid=10001, gid=10001), Header("script", "/opt/venv/bin/python"))
    return tree


def config(cmd=None, entrypoint=None, path=SLIM_PATH, workdir="/app", user="", **extra) -> dict:
    return {"Cmd": cmd, "Entrypoint": entrypoint, "Env": [f"PATH={path}", "LANG=C.UTF-8"],
            "WorkingDir": workdir, "User": user, **extra}


def words(plan) -> list[tuple[str, str]]:
    return [(w.word, w.role) for w in plan.words]


# --- 1. which program an image starts -------------------------------------------------------


def test_exec_form_cmd_starts_its_first_word():
    plan = plan_launch(config(["/usr/local/bin/supervisord", "-c", "/etc/supervisord.conf"]))
    assert plan.source == "Cmd" and plan.unknown is None
    assert words(plan) == [("/usr/local/bin/supervisord", "program")]
    assert plan.program == "/usr/local/bin/supervisord"


def test_entrypoint_wins_over_cmd_and_gets_cmd_as_arguments():
    plan = plan_launch(config(["--bind", "0.0.0.0:8000"], entrypoint=["gunicorn"]))
    assert plan.source == "Entrypoint"
    assert plan.argv == ("gunicorn", "--bind", "0.0.0.0:8000")
    assert words(plan) == [("gunicorn", "program")]


def test_no_cmd_and_no_entrypoint_starts_nothing():
    plan = plan_launch(config(None))
    assert plan.source is None and plan.words == ()
    assert check_plan(base_tree(), plan, None).status == NONE


@pytest.mark.parametrize(
    ("script", "program"),
    [
        ("gunicorn --bind 0.0.0.0:5000 app:app", "gunicorn"),
        ("exec gunicorn app:app", "gunicorn"),
        ("FLASK_ENV=production PORT=8000 exec uv run flask run", "uv"),
        ("exec >>/var/log/app.log 2>&1; exec python app.py", "python"),
        ("set -e; cd /srv && export A=1 && exec ./start.sh", "./start.sh"),
        ("[ -f .env ] && . ./.env; exec gunicorn app:app", "gunicorn"),
        ("gunicorn app:app | tee /tmp/log", "gunicorn"),
        ("exec tini -- uv run app", "uv"),
    ],
)
def test_shell_form_program_is_the_first_real_command(script, program):
    plan = plan_launch(config(["/bin/sh", "-c", script]))
    assert plan.unknown is None
    assert plan.words[0].word == "/bin/sh" and plan.words[0].role == "shell"
    assert plan.program == program


def test_shell_form_tracks_cd_and_path_prefixes():
    plan = plan_launch(config(["/bin/sh", "-c", "cd /srv && PATH=/opt/tools/bin:$PATH exec ./run.sh"]))
    program = plan.words[-1]
    assert program.cwd == "/srv"
    assert program.path == "/opt/tools/bin:" + SLIM_PATH
    plan = plan_launch(config(["sh", "-c", "export PATH=/opt/venv/bin:$PATH; exec gunicorn app:app"]))
    assert plan.words[-1].path == VENV_PATH


def test_shell_set_by_shell_instruction_with_options():
    plan = plan_launch(config(["/bin/bash", "-o", "pipefail", "-ec", "exec node server.js"]))
    assert words(plan) == [("/bin/bash", "shell"), ("node", "program")]
    plan = plan_launch(config(["/bin/bash", "-euxo", "pipefail", "-c", "exec node server.js"]))
    assert words(plan) == [("/bin/bash", "shell"), ("node", "program")]


def test_entrypoint_shell_takes_its_string_from_cmd():
    plan = plan_launch(config(["exec uvicorn main:app"], entrypoint=["/bin/sh", "-c"]))
    assert words(plan) == [("/bin/sh", "shell"), ("uvicorn", "program")]


def test_shell_running_a_script_file():
    plan = plan_launch(config(["bash", "/docker-entrypoint.sh", "serve"]))
    assert words(plan) == [("bash", "shell"), ("/docker-entrypoint.sh", "script")]


def test_variables_come_from_the_image_env():
    cfg = config(["/bin/sh", "-c", "exec ${VIRTUAL_ENV}/bin/gunicorn app:app"])
    cfg["Env"].append("VIRTUAL_ENV=/opt/venv")
    assert plan_launch(cfg).program == "/opt/venv/bin/gunicorn"
    plan = plan_launch(config(["/bin/sh", "-c", "exec $APP_SERVER app:app"]))
    assert plan.unknown == "the program is given by a variable ($APP_SERVER)"
    assert expand("${A}/x:$B", {"A": "/a", "B": "b"}) == "/a/x:b"
    assert expand("${A:-x}", {"A": "1"}) is None


def test_shell_running_only_builtins_is_the_program():
    plan = plan_launch(config(["/usr/bin/dash", "-c", "echo hi"]))
    assert plan.unknown is None and words(plan) == [("/usr/bin/dash", "shell")]
    check = check_plan(base_tree(), plan, None)
    assert check.status == FOUND and check.describe() == "/usr/bin/dash"


def test_compound_shell_commands_are_not_guessed():
    plan = plan_launch(config(["/bin/sh", "-c", "if [ -n \"$DEBUG\" ]; then flask run; else gunicorn app:app; fi"]))
    assert plan.unknown == "the shell command is compound (if ...)"
    assert words(plan) == [("/bin/sh", "shell")]
    plan = plan_launch(config(["/bin/sh", "-c", "echo 'unbalanced"]))
    assert "cannot be parsed" in plan.unknown


@pytest.mark.parametrize(
    ("entrypoint", "cmd", "expected"),
    [
        (["tini", "--"], ["uv", "run", "app.py"], [("tini", "wrapper"), ("uv", "program")]),
        (["/usr/bin/tini", "-g", "-p", "SIGTERM", "--"], ["gunicorn"], [("/usr/bin/tini", "wrapper"), ("gunicorn", "program")]),
        (["dumb-init"], ["celery", "worker"], [("dumb-init", "wrapper"), ("celery", "program")]),
        (["gosu", "app", "python", "app.py"], None, [("gosu", "wrapper"), ("python", "program")]),
        (["env", "-u", "DEBUG", "PYTHONPATH=/app", "python"], None, [("env", "wrapper"), ("python", "program")]),
    ],
)
def test_init_wrappers_start_the_next_program(entrypoint, cmd, expected):
    assert words(plan_launch(config(cmd, entrypoint=entrypoint))) == expected


def test_env_wrapper_path_assignment_changes_the_lookup():
    plan = plan_launch(config(None, entrypoint=["/usr/bin/env", "PATH=/opt/venv/bin", "gunicorn"]))
    assert plan.words[-1].path == "/opt/venv/bin"


def test_healthcheck_cmd_and_cmd_shell_forms():
    hc = {"Test": ["CMD", "/usr/local/bin/healthcheck", "--quiet"], "Interval": 30}
    plan = plan_healthcheck(config(["python"], Healthcheck=hc))
    assert plan.source == "Healthcheck" and words(plan) == [("/usr/local/bin/healthcheck", "program")]
    hc = {"Test": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"]}
    plan = plan_healthcheck(config(["python"], Healthcheck=hc))
    assert words(plan) == [("/bin/sh", "shell"), ("curl", "program")]
    plan = plan_healthcheck(config(["python"], Healthcheck=hc, Shell=["/bin/bash", "-c"]))
    assert plan.words[0].word == "/bin/bash"
    assert plan_healthcheck(config(["python"], Healthcheck={"Test": ["NONE"]})) is None
    assert plan_healthcheck(config(["python"])) is None


# --- 2. finding it in the image's files --------------------------------------------------------


def test_lookup_follows_symlinks_inside_the_image():
    tree = base_tree()
    found = lookup(tree, "/bin/sh")
    assert found.path == "/usr/bin/dash" and found.entry.kind == FILE
    assert [src for src, _dst in found.links] == ["/bin", "/usr/bin/sh"]
    assert lookup(tree, LOADER).path == "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    # `..` after a symlink climbs from where the link led, as in the kernel
    assert lookup(tree, "../bin/../bin/dash", cwd="/app").path == "/usr/bin/dash"
    assert lookup(tree, "/bin/../usr/bin/dash").error == "missing"  # that is /usr/usr/bin/dash


def test_lookup_reports_dangling_links_loops_and_files_used_as_folders():
    tree = base_tree()
    tree.add("/usr/local/bin/gone", link("/opt/venv/bin/gone"))
    tree.add("/loop/a", link("b"))
    tree.add("/loop/b", link("a"))
    assert lookup(tree, "/usr/local/bin/gone").error == "missing"
    assert find_program(tree, "/usr/local/bin/gone", SLIM_PATH, "/", None)[2] == (
        "/usr/local/bin/gone is a dangling symlink (-> /opt/venv/bin/gone)")
    assert find_program(tree, "/bin/nothing", SLIM_PATH, "/", None)[2] == "/bin/nothing does not exist"
    assert lookup(tree, "/loop/a").error == "loop"
    assert lookup(tree, "/app/app.py/x").error == "notdir"


def test_bare_name_is_searched_in_path_order():
    tree = migrated_tree()
    found, look, problem = find_program(tree, "python", VENV_PATH, "/app", None)
    assert (found, problem) == ("/opt/venv/bin/python", None)
    assert look.path == "/usr/local/bin/python3.12"
    found, _look, _problem = find_program(tree, "python", SLIM_PATH, "/app", None)
    assert found == "/usr/local/bin/python"


def test_bare_name_missing_from_path():
    found, _look, problem = find_program(migrated_tree(), "uv", VENV_PATH, "/app", None)
    assert found is None
    assert problem == f"uv is not found in PATH ({VENV_PATH})"


def test_non_executable_candidate_is_skipped_like_execvp():
    tree = base_tree()
    tree.add("/usr/local/bin/tool", Entry(FILE, 0o644))
    tree.add("/usr/bin/tool", exe())
    assert find_program(tree, "tool", SLIM_PATH, "/", None)[0] == "/usr/bin/tool"
    tree = base_tree()
    tree.add("/usr/local/bin/tool", Entry(FILE, 0o644))
    found, _look, problem = find_program(tree, "tool", SLIM_PATH, "/", None)
    assert found is None and "/usr/local/bin/tool is not executable by anyone (mode 0644" in problem


def test_relative_path_and_empty_path_entry_use_workdir():
    tree = base_tree()
    assert find_program(tree, "./run.sh", SLIM_PATH, "/app", None)[0] == "/app/run.sh"
    assert find_program(tree, "run.sh", SLIM_PATH, "/app", None)[0] is None
    assert find_program(tree, "run.sh", "/usr/bin::/bin", "/app", None)[0] == "/app/run.sh"
    assert "is a folder" in find_program(tree, "/app", SLIM_PATH, "/", None)[2]


def test_execute_permission_of_the_image_user():
    app, staff = Identity(10001, frozenset({10001, 50})), Identity(20000, frozenset({20000}))
    assert can_execute(0o700, 0, 0, Identity(0))
    assert not can_execute(0o700, 0, 0, app)
    assert can_execute(0o750, 0, 50, app)
    assert not can_execute(0o750, 0, 50, staff)
    assert can_execute(0o701, 0, 0, staff)
    assert not can_execute(0o070, 10001, 10001, app)  # the owner bits decide for the owner
    assert not can_execute(0o644, 0, 0, None)


def test_identity_from_passwd_and_group():
    tree = base_tree()
    passwd, group = tree.text("/etc/passwd"), tree.text("/etc/group")
    assert identity("app", 10001, passwd, group) == Identity(10001, frozenset({10001, 50}))
    assert identity("10001:staff", 10001, passwd, group) == Identity(10001, frozenset({50}))
    assert identity("4242", 4242, passwd, group) == Identity(4242, frozenset({0}))
    assert identity("ghost", None, passwd, group) is None


def test_console_script_moved_to_the_venv_is_missing_at_its_old_path():
    plan = plan_launch(config(["/usr/local/bin/supervisord", "-n"], path=VENV_PATH))
    before = check_plan(original_tree(), plan, None)
    after = check_plan(migrated_tree(), plan, Identity(10001, frozenset({10001})))
    assert before.status == FOUND and before.path == "/usr/local/bin/supervisord"
    assert [s.role for s in before.steps] == ["program", "interpreter", "loader"]
    assert after.status == MISSING
    assert after.problem == "/usr/local/bin/supervisord does not exist"
    assert after.describe() == "/usr/local/bin/supervisord: MISSING"


def test_bare_console_script_is_found_in_the_venv_through_path():
    plan = plan_launch(config(["/bin/sh", "-c", "exec supervisord -n"], path=VENV_PATH))
    check = check_plan(migrated_tree(), plan, Identity(10001, frozenset({10001})))
    assert check.status == FOUND
    assert check.describe() == "supervisord -> /opt/venv/bin/supervisord"
    interpreters = [(s.word, s.target) for s in check.steps if s.role == "interpreter"]
    assert interpreters == [("/opt/venv/bin/python", "/usr/local/bin/python3.12")]


def test_script_whose_interpreter_is_missing_cannot_start():
    tree = migrated_tree()
    tree.add("/opt/venv/bin/python", link("/usr/local/bin/python3.11"))  # the builder's python
    check = check_plan(tree, plan_launch(config(["gunicorn", "app:app"], path=VENV_PATH)), None)
    assert check.status == MISSING
    assert check.problem == (
        "the #! interpreter of /opt/venv/bin/gunicorn: /opt/venv/bin/python is a dangling symlink "
        "(-> /usr/local/bin/python3.11)"
    )
    assert check.describe() == "gunicorn: MISSING (interpreter /opt/venv/bin/python)"


def test_env_shebang_looks_its_program_up_in_path():
    tree = base_tree()
    tree.add("/usr/local/bin/tool", exe(), Header("script", "/usr/bin/env", "python3"))
    tree.add("/usr/local/bin/nodetool", exe(), Header("script", "/usr/bin/env", "node"))
    assert check_plan(tree, plan_launch(config(["tool"])), None).status == FOUND
    check = check_plan(tree, plan_launch(config(["nodetool"])), None)
    assert check.status == MISSING
    assert check.problem == f"the #!/usr/bin/env program of /usr/local/bin/nodetool: node is not found in PATH ({SLIM_PATH})"


def test_dynamic_binary_without_its_loader_cannot_start():
    tree = MemoryTree()  # a scratch image with a glibc-linked Go binary
    tree.add("/app/server", exe(), DYNAMIC)
    check = check_plan(tree, plan_launch(config(["/app/server"])), None)
    assert check.status == MISSING
    assert check.problem == f"the dynamic loader {LOADER} of /app/server does not exist"
    tree.headers["/app/server"] = Header("elf", "")  # static: nothing more needed
    assert check_plan(tree, plan_launch(config(["/app/server"])), None).status == FOUND


def test_shell_form_needs_the_shell_too():
    tree = MemoryTree()  # distroless: no /bin/sh
    tree.add("/usr/bin/python3", exe())
    check = check_plan(tree, plan_launch(config(["/bin/sh", "-c", "python3 app.py"], path="/usr/bin")), None)
    assert check.status == MISSING and check.problem == "/bin/sh does not exist"
    assert check.describe() == "python3: MISSING (shell /bin/sh)"


def test_program_not_executable_by_the_non_root_user():
    tree = base_tree()
    tree.add("/usr/local/bin/secret", exe(0o700))
    check = check_plan(tree, plan_launch(config(["secret"])), Identity(10001, frozenset({10001})))
    assert check.status == MISSING
    assert check.problem == "/usr/local/bin/secret is not executable by UID 10001 (mode 0700, owner 0:0)"
    assert check_plan(tree, plan_launch(config(["/usr/local/bin/secret"])), Identity(10001)).problem == (
        "/usr/local/bin/secret is not executable by UID 10001 (mode 0700, owner 0:0)"
    )


def test_after_a_sourced_file_a_missing_name_is_unknown():
    plan = plan_launch(config(["/bin/sh", "-c", ". /opt/venv/bin/activate && exec flask run"]))
    check = check_plan(base_tree(), plan, None)
    assert check.status == UNKNOWN
    tree = base_tree()
    tree.add("/usr/local/bin/flask", exe(), SUPERVISORD)
    assert check_plan(tree, plan, None).status == FOUND


def test_unreadable_image_is_unknown_with_the_reason():
    check = unreadable(plan_launch(config(["python"])), "the image's files could not be read: boom")
    assert check.status == UNKNOWN and check.unknown.endswith("boom")
    assert check.to_json()["unknown"].endswith("boom")


# --- headers and trees -----------------------------------------------------------------------------


def test_parse_header():
    assert parse_header(b"#!/opt/venv/bin/python3\n# x\n") == Header("script", "/opt/venv/bin/python3")
    assert parse_header(b"#! /usr/bin/env  python3 -u\n") == Header("script", "/usr/bin/env", "python3 -u")
    assert parse_header(elf64(LOADER)) == Header("elf", LOADER)
    assert parse_header(elf64(None)) == Header("elf", "")
    assert parse_header(elf32_static()) == Header("elf", "")
    assert parse_header(elf64(LOADER)[:100]) == Header("unknown")  # program headers cut off
    assert parse_header(b"PK\x03\x04") == Header("unknown")


def _tar(members: list[tuple[str, str, bytes | str, int]]) -> io.BytesIO:
    """(name, kind, data or link target, mode) -> an in-memory tar stream."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, kind, data, mode in members:
            info = tarfile.TarInfo(name)
            info.mode = mode
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, data
                tar.addfile(info)
            elif kind == "hard":
                info.type, info.linkname = tarfile.LNKTYPE, data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def test_tree_from_an_exported_tar_stream():
    stream = _tar([
        ("./", "dir", b"", 0o755),
        ("./bin", "sym", "usr/bin", 0o777),
        ("./usr/bin/dash", "file", elf64(LOADER) + bytes(8000), 0o755),
        ("./usr/bin/sh", "sym", "dash", 0o777),
        ("./usr/bin/python3.11", "file", elf64(LOADER), 0o755),
        ("./usr/bin/python3", "hard", "./usr/bin/python3.11", 0o755),
        ("./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "file", b"\x7fELF", 0o755),
        ("./lib64/ld-linux-x86-64.so.2", "sym", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0o777),
        ("./etc/passwd", "file", b"root:x:0:0::/root:/bin/sh\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n", 0o644),
        ("./app/server.py", "file", b"print(1)\n", 0o644),
    ])
    tree = tree_from_tar(stream)
    assert tree.entry("/usr/bin/python3").kind == FILE
    assert tree.header("/usr/bin/python3") == Header("elf", LOADER)
    assert tree.header("/usr/bin/dash") == Header("elf", LOADER)
    assert tree.header("/app/server.py") is None  # not executable: not read
    assert "nonroot:x:65532" in tree.text("/etc/passwd")
    check = check_plan(tree, plan_launch(config(["/bin/sh", "-c", "exec python3 server.py"], path="/usr/bin")), None)
    assert check.status == FOUND
    assert check.describe() == "python3 -> /usr/bin/python3"


def test_tree_from_tar_rejects_a_non_tar_stream():
    with pytest.raises(tarfile.TarError):
        tree_from_tar(io.BytesIO(b"Error: no such container\n" * 40))


def test_dir_tree_never_follows_a_link_out_of_the_image(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "host-only"
    outside.write_text("host file")
    (root / "usr" / "bin").mkdir(parents=True)
    os.symlink("usr/bin", root / "bin")
    prog = root / "usr" / "bin" / "server"
    prog.write_bytes(elf64(None))
    prog.chmod(0o755)
    os.symlink(str(outside), root / "usr" / "bin" / "escape")  # absolute: means <image>/.../host-only
    tree = DirTree(str(root))
    assert lookup(tree, "/bin/server").path == "/usr/bin/server"
    assert tree.header("/usr/bin/server") == Header("elf", "")
    assert lookup(tree, "/usr/bin/escape").error == "missing"
    check = check_plan(tree, plan_launch(config(["escape"], path="/bin")), None)
    assert check.status == MISSING
    assert check.problem == f"escape is not found in PATH (/bin); /bin/escape is a dangling symlink (-> {outside})"


# --- 3. the verdict -----------------------------------------------------------------------------------


def facts(tree: MemoryTree, cfg: dict, uid: int) -> ImageFacts:
    who = identity(cfg.get("User") or "", uid, tree.text("/etc/passwd"), tree.text("/etc/group"))
    health = plan_healthcheck(cfg)
    return ImageFacts(
        build=BuildOutcome(True, 10.0), size=200 if uid == 0 else 100, config=cfg, uid=uid,
        entrypoint=check_plan(tree, plan_launch(cfg), who),
        healthcheck_program=None if health is None else check_plan(tree, health, who),
    )


SUPERVISOR_CMD = ["/usr/local/bin/supervisord", "-c", "/etc/supervisord.conf"]


def test_program_missing_in_the_migrated_image_fails_with_the_reason():
    orig = facts(original_tree(), config(SUPERVISOR_CMD), 0)
    mig = facts(migrated_tree(), config(SUPERVISOR_CMD, path=VENV_PATH, user="app"), 10001)
    verdict = compare(orig, mig)
    assert not verdict.ok and verdict.exit_code == 1
    assert verdict.reasons == [
        "the migrated image cannot start: its Cmd (/usr/local/bin/supervisord) cannot run: "
        "/usr/local/bin/supervisord does not exist (the original image has it at /usr/local/bin/supervisord)"
    ]
    diff = verdict.program("entrypoint")
    assert diff.status == MISSING
    doc = json.loads(json.dumps(to_json(orig, mig, verdict)))
    assert doc["entrypoint"]["program"] == "/usr/local/bin/supervisord"
    assert doc["entrypoint"]["original"] == "/usr/local/bin/supervisord"
    assert doc["entrypoint"]["migrated"] == "missing"
    assert doc["migrated"]["entrypoint"]["status"] == "missing"
    assert doc["healthcheck_program"] is None


def test_uv_missing_from_the_runtime_image_fails():
    cmd = ["uv", "run", "gunicorn", "app:app"]
    tree = original_tree()
    tree.add("/usr/local/bin/uv", exe(), Header("elf", ""))
    verdict = compare(facts(tree, config(cmd), 0), facts(migrated_tree(), config(cmd, path=VENV_PATH, user="app"), 10001))
    assert not verdict.ok
    (reason,) = verdict.reasons
    assert reason.startswith("the migrated image cannot start: its Cmd (uv) cannot run: uv is not found in PATH")
    assert reason.endswith("(the original image has it at /usr/local/bin/uv)")


def test_program_found_in_both_passes_and_shows_where():
    shell = ["/bin/sh", "-c", "gunicorn --bind 0.0.0.0:5000 app:app"]
    verdict = compare(facts(original_tree(), config(shell), 0),
                      facts(migrated_tree(), config(shell, path=VENV_PATH, user="app"), 10001))
    assert verdict.ok, verdict.reasons
    diff = verdict.program("entrypoint")
    assert diff.status == "ok"
    assert diff.explanation == "found in both (/usr/local/bin/gunicorn -> /opt/venv/bin/gunicorn)"
    assert program_row(diff) == (
        "entrypoint", "gunicorn -> /usr/local/bin/gunicorn", "gunicorn -> /opt/venv/bin/gunicorn",
        "found in both (/usr/local/bin/gunicorn -> /opt/venv/bin/gunicorn)", "good",
    )


def test_program_missing_in_both_warns_and_does_not_blame_the_migration():
    cmd = ["/usr/local/bin/uwsgi", "--ini", "app.ini"]
    verdict = compare(facts(base_tree(), config(cmd), 0), facts(migrated_tree(), config(cmd, path=VENV_PATH, user="app"), 10001))
    assert verdict.ok, verdict.reasons
    assert verdict.program("entrypoint").status == "missing in both"
    assert verdict.warnings == [
        "the original image cannot run its Cmd (/usr/local/bin/uwsgi) either: /usr/local/bin/uwsgi does not exist; "
        "not caused by the migration"
    ]


def test_migrated_image_that_could_not_be_read_only_warns():
    cmd = ["python", "app.py"]
    orig = facts(base_tree(), config(cmd), 0)
    mig = facts(migrated_tree(), config(cmd, path=VENV_PATH, user="app"), 10001)
    mig.entrypoint = unreadable(plan_launch(mig.config), "the image's files could not be read: export failed")
    verdict = compare(orig, mig)
    assert verdict.ok
    assert verdict.program("entrypoint").status == UNKNOWN
    assert verdict.warnings == [
        "could not check the migrated image's Cmd (python): the image's files could not be read: export failed"
    ]


def test_missing_healthcheck_program_fails():
    hc = {"Test": ["CMD", "/usr/local/bin/gunicorn", "--check-config", "app:app"]}
    cmd = ["/bin/sh", "-c", "exec gunicorn app:app"]
    orig = facts(original_tree(), config(cmd, Healthcheck=hc), 0)
    mig = facts(migrated_tree(), config(cmd, path=VENV_PATH, user="app", Healthcheck=hc), 10001)
    verdict = compare(orig, mig)
    assert not verdict.ok
    assert verdict.program("entrypoint").status == "ok"
    assert verdict.program("healthcheck").status == MISSING
    assert verdict.reasons == [
        "the migrated image would never be healthy: its HEALTHCHECK command (/usr/local/bin/gunicorn) cannot run: "
        "/usr/local/bin/gunicorn does not exist (the original image has it at /usr/local/bin/gunicorn)"
    ]
    row = program_row(verdict.program("healthcheck"))
    assert row[0] == "healthcheck cmd" and row[4] == "bad"


def test_compare_programs_when_only_the_original_is_broken():
    plan = plan_launch(config(["gunicorn"], path=VENV_PATH))
    diff, reasons, warnings = compare_programs(
        "entrypoint", check_plan(base_tree(), plan, None), check_plan(migrated_tree(), plan, None)
    )
    assert diff.status == "ok" and diff.explanation == "found in the migrated image only"
    assert reasons == [] and len(warnings) == 1 and "the migrated image can" in warnings[0]


def test_images_that_start_nothing_have_no_row():
    empty = ProgramCheck(plan_launch(config(None)))
    diff, reasons, warnings = compare_programs("entrypoint", empty, ProgramCheck(plan_launch(config(None))))
    assert diff.status == NONE and reasons == [] and warnings == []
    assert program_row(diff) is None

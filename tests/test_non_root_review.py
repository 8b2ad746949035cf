"""non-root-user after the review of issue 12 (items 3, 4, 5, 7) and issue 8
(item 8): no USER on images that are not run as they are or must run as root,
the user can run and write what it must, ownership is set where files are
written (no second copy of a folder), and never a second user."""

from __future__ import annotations

from pathlib import Path

import textwrap

import pytest

from migrator.context import BuildContext
from migrator.engine import migrate_text
from migrator.options import Options
from transforms.non_root_user import _wider_mode, created_user, github_docker_action, user_uid

ONLY = frozenset({"non-root-user"})


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def final_stage(output: str) -> str:
    low = output.lower()
    return output[low.rindex("\nfrom ") + 1:] if "\nfrom " in low else output


def refusals(result, transform="non-root-user") -> list[str]:
    return [r.reason for r in result.refusals if r.transform == transform]


def run_instruction(output: str, needle: str) -> str:
    """The whole RUN instruction (continuation lines joined) holding ``needle``."""
    text = output.replace("\\\n", " ")
    return next(line for line in text.splitlines() if needle in line)


# --- item 3: images that are not run as they are -------------------------------

BASE = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install -r requirements.txt
"""


def test_no_cmd_or_entrypoint_means_a_base_image_left_root():
    r = run(BASE)
    assert "USER" not in r.output
    assert any("no CMD or ENTRYPOINT" in x and "line 1" in x for x in refusals(r))
    # noop check: the same file with a command gets its user
    with_cmd = run(BASE + '    CMD ["python", "app.py"]\n')
    assert "USER 10001:10001" in with_cmd.output and not refusals(with_cmd)


DEV = """
    FROM python:3.12-slim
    WORKDIR /code
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . /code/
    {volume}
    CMD {cmd}
"""


def test_volume_on_the_source_folder_is_a_bind_mount_dev_image():
    r = run(DEV.format(volume="VOLUME /code", cmd='["python", "manage.py", "runserver", "0.0.0.0:8000"]'))
    assert "USER" not in r.output
    assert any("line 6: VOLUME /code holds the source line 5 copies" in x for x in refusals(r))
    # a VOLUME for data below the source folder is no bind mount of the source: given to the user
    data = run(DEV.format(volume="VOLUME /code/media", cmd='["gunicorn", "site.wsgi"]'))
    assert "USER 10001:10001" in data.output
    block = run_instruction(data.output, "useradd")
    assert "mkdir -p /code/media" in block and "chown 10001:10001 /code /code/media" in block


@pytest.mark.parametrize("cmd, env", [
    ('["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]', ""),
    ('["nodemon", "server.js"]', ""),
    ('["npm", "run", "dev"]', ""),
    ('["flask", "run", "--debug", "--host=0.0.0.0"]', ""),
    ('flask run --host=0.0.0.0', "ENV FLASK_DEBUG=1"),
    ('["gunicorn", "--reload", "app:app"]', ""),
])
def test_a_reloading_dev_server_is_left_root(cmd, env):
    r = run(DEV.format(volume=env, cmd=cmd))
    assert "USER" not in r.output
    assert any("reloads on source changes" in x for x in refusals(r))


def test_runserver_alone_still_gets_the_user():
    # small images run manage.py runserver as their server (seed 002)
    r = run(DEV.format(volume="", cmd='["python", "manage.py", "runserver", "0.0.0.0:8000"]'))
    assert "USER 10001:10001" in r.output and not refusals(r)


# --- item 4: what the user must run and write ---------------------------------

CHMOD = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    COPY entrypoint.sh {dest}
    RUN chmod {mode} {target}
    ENTRYPOINT ["{entry}"]
    CMD ["gunicorn", "app:app"]
"""


@pytest.mark.parametrize("mode, wider", [("u+x", "a+x"), ("700", "755"), ("0744", "0755"), ("u=rwx", "u=rwx,go+rx")])
def test_owner_only_execute_on_a_root_owned_script_is_widened(mode, wider):
    r = run(CHMOD.format(dest="/usr/local/bin/", mode=mode, target="/usr/local/bin/entrypoint.sh",
                         entry="entrypoint.sh"), select=ONLY)
    assert f"RUN chmod {wider} /usr/local/bin/entrypoint.sh" in r.output
    assert "USER 10001:10001" in r.output
    assert any("let only the owner, root, run" in c.reason for c in r.changes)


def test_owner_only_execute_is_kept_where_the_user_owns_the_file_or_nothing_runs_it_later():
    # under the working directory the COPY gets --chown: the owner is the user
    mine = run(CHMOD.format(dest="/app/", mode="u+x", target="/app/entrypoint.sh", entry="/app/entrypoint.sh"),
               select=ONLY)
    assert "COPY --chown=10001:10001 entrypoint.sh /app/" in mine.output and "chmod u+x" in mine.output
    # a build script a RUN runs as root, never at start
    build = run("""
        FROM python:3.12-slim
        COPY build.sh /usr/local/bin/build.sh
        RUN chmod u+x /usr/local/bin/build.sh && /usr/local/bin/build.sh
        CMD ["python", "-m", "http.server"]
    """, select=ONLY)
    assert "chmod u+x /usr/local/bin/build.sh" in build.output and "USER 10001:10001" in build.output


def test_copy_chmod_owner_only_is_widened():
    r = run("""
        FROM python:3.12-slim
        COPY --chmod=700 start.sh /usr/local/bin/start.sh
        CMD ["start.sh"]
    """, select=ONLY)
    assert "COPY --chmod=755 start.sh /usr/local/bin/start.sh" in r.output


@pytest.mark.parametrize("mode, wider", [
    ("u+x", "a+x"), ("ug+rx", "a+rx"), ("+x", None), ("a+x", None), ("755", None), ("644", None),
    ("750", "755"), ("4750", "4755"), ("u+rwx,go-w", "u+rwx,go-w,go+rx"), ("o+x", None), ("u-x", None),
])
def test_wider_mode(mode, wider):
    assert _wider_mode(mode) == wider


POETRY = """
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y curl && curl -sSL https://install.python-poetry.org | python3 -
    ENV PATH="/root/.local/bin:$PATH"
    WORKDIR /app
    COPY . .
    RUN poetry config virtualenvs.create false && poetry install --only main
    CMD {cmd}
"""


def test_a_tool_in_roots_home_run_at_start_keeps_root():
    r = run(POETRY.format(cmd='["poetry", "run", "gunicorn", "app:app"]'), select=ONLY)
    assert "USER" not in r.output
    assert any("installs poetry into ~/.local/bin of root" in x and "line 7 runs it" in x for x in refusals(r))
    # noop check: the command does not need poetry
    plain = run(POETRY.format(cmd='["gunicorn", "app:app"]'), select=ONLY)
    assert "USER 10001:10001" in plain.output


@pytest.mark.parametrize("src, why", [
    ("""
        FROM python:3.12-slim
        COPY site-packages /root/.local
        CMD ["python", "app.py"]
    """, "copies into /root/.local"),
    ("""
        FROM python:3.12-slim
        ENV PYTHONPATH=/root/lib
        CMD ["python", "app.py"]
    """, "PYTHONPATH lists /root/lib"),
    ("""
        FROM python:3.12-slim
        RUN pip install pipx && pipx install httpie
        CMD ["http", "--version"]
    """, None),
    ("""
        FROM python:3.12-slim
        RUN pip install pipx && pipx install black
        CMD ["black", "--check", "."]
    """, "installs black into ~/.local/bin of root"),
    ("""
        FROM python:3.12-slim
        CMD ["/root/.local/bin/gunicorn", "app:app"]
    """, "runs a program from root's home"),
])
def test_roots_home_at_run_time(src, why):
    r = run(src, select=ONLY)
    if why is None:   # pipx installed `httpie`, the program is `http`: the tool can't tell, so it adds the user
        assert "USER 10001:10001" in r.output
    else:
        assert "USER" not in r.output and any(why in x for x in refusals(r))


def test_go_env_w_only_matters_when_go_runs_at_start():
    src = """
        FROM golang:1.22-bookworm
        RUN go env -w GOPROXY=https://goproxy.io,direct
        WORKDIR /src
        COPY . .
        CMD {cmd}
    """
    r = run(src.format(cmd='["go", "run", "."]'), select=ONLY)
    assert "USER" not in r.output and any("`go env -w` writes root's" in x for x in refusals(r))
    binary = run(src.format(cmd='["/src/server"]'), select=ONLY)
    assert "USER 10001:10001" in binary.output


def test_git_config_global_becomes_system():
    r = run("""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y git && git config --global --add safe.directory '*'
        WORKDIR /app
        COPY . .
        CMD ["python", "app.py"]
    """, select=ONLY)
    assert "git config --system --add safe.directory '*'" in r.output and "--global" not in r.output
    assert any("/etc/gitconfig" in c.reason for c in r.changes)


NEXT = """
    FROM node:20-alpine
    WORKDIR /app
    COPY package.json package-lock.json ./
    RUN npm ci
    COPY . .
    RUN npm run build
    CMD {cmd}
"""


def test_nextjs_build_gives_dot_next_to_the_user_in_its_run():
    r = run(NEXT.format(cmd='["npx", "next", "start"]'), select=ONLY)
    build = run_instruction(r.output, "npm run build")
    assert "chown -R 10001:10001 /app/.next" in build
    assert r.output.count("chown -R") == 1   # no recursive chown of a filled folder elsewhere


def test_nextjs_is_recognised_from_the_build_context(tmp_path):
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.5"}}', encoding="utf-8")
    r = run(NEXT.format(cmd='["npm", "start"]'), select=ONLY, context=BuildContext.at(tmp_path))
    assert "chown -R 10001:10001 /app/.next" in run_instruction(r.output, "npm run build")
    # noop check: not a Next.js app, no .next
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4"}}', encoding="utf-8")
    other = run(NEXT.format(cmd='["npm", "start"]'), select=ONLY, context=BuildContext.at(tmp_path))
    assert ".next" not in other.output and "USER 10001:10001" in other.output


CELERY = """
    FROM python:3.11-slim
    RUN useradd --system --create-home celery
    WORKDIR /srv/app
    COPY . .
    RUN pip install -r requirements.txt
    CMD {cmd}
"""


def test_celery_beat_gets_its_working_directory_from_a_kept_user():
    r = run(CELERY.format(cmd='["celery", "-A", "proj", "beat"]'), select=ONLY)
    out = r.output
    assert out.count("useradd") == 1 and "groupadd" not in out   # the file's user, never a second one
    assert "RUN chown celery /srv/app\nUSER 10001\n" in out
    assert "useradd --uid 10001 --system --create-home celery" in out
    # a schedule file elsewhere needs nothing; a worker needs nothing
    for cmd in ('["celery", "-A", "proj", "beat", "-s", "/tmp/celerybeat-schedule"]',
                '["celery", "-A", "proj", "worker"]'):
        plain = run(CELERY.format(cmd=cmd), select=ONLY).output
        assert "chown" not in plain and "USER 10001" in plain


# --- item 5: ownership where files are written ---------------------------------

# Issue 12's example file, kept once as the corpus case the issue asked for.
ISSUE_12 = (Path(__file__).resolve().parent.parent / "corpus" / "split-pipenv-review-example"
            / "before.Dockerfile").read_text(encoding="utf-8")


def test_issue_12_example_has_no_recursive_chown_of_a_filled_folder():
    out = run(ISSUE_12).output
    assert "chown -R" not in out
    assert "USER 10001:10001" in final_stage(out)


MIGRATE = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt
    RUN python manage.py migrate --noinput
    CMD ["gunicorn", "demo.wsgi"]
"""


def test_files_the_apps_code_writes_are_given_to_the_user_in_that_run():
    out = run(MIGRATE, select=ONLY).output
    migrate = run_instruction(out, "manage.py migrate")
    assert "find /app ! -user 10001 -exec chown -h 10001:10001 {} +" in migrate
    assert "chown -R" not in out
    assert "COPY --chown=10001:10001 . ." in out   # already the user's: the find leaves them alone
    # the find gave /app itself to the user: no second chown of it
    assert "chown 10001:10001 /app" not in run_instruction(out, "useradd")


def test_a_build_tools_output_is_not_given_again():
    # npm ci filled /app before: giving it to the user would store node_modules twice
    out = run("""
        FROM node:20-alpine
        WORKDIR /app
        COPY . .
        RUN npm ci
        RUN node scripts/seed.js
        CMD ["node", "server.js"]
    """, select=ONLY).output
    assert "find /app" not in out and "chown -R" not in out


def test_a_run_that_cant_take_the_chown_is_refused():
    r = run("""
        FROM python:3.12-slim
        WORKDIR /app
        COPY . .
        RUN ["python", "manage.py", "migrate"]
        CMD ["gunicorn", "demo.wsgi"]
    """, select=ONLY)
    assert "USER" not in r.output
    assert any("line 4 runs the app's code in /app" in x for x in refusals(r))


# --- item 7: never a second user -----------------------------------------------

@pytest.mark.parametrize("argv, name", [
    ("useradd -ms /bin/bash app", "app"),
    ("useradd --uid=1000 --gid 1000 -d /home/app app", "app"),
    ("adduser -S -D -h /home/web -s /sbin/nologin web -G web", "web"),
    ("adduser --disabled-password --gecos '' --uid 5678 appuser", "appuser"),
    ("adduser -S app -G www-data", "app"),
    ("adduser app sudo", None),          # adds an existing user to a group
    ("useradd", None),
    ("usermod -aG docker app", None),
])
def test_created_user(argv, name):
    import shlex

    words = shlex.split(argv)
    assert created_user(words[0], words) == name


@pytest.mark.parametrize("argv, uid", [
    ("useradd -u 1000 app", "1000"), ("useradd -u1000 app", "1000"), ("adduser --uid=5678 app", "5678"),
    ("useradd --uid 1000 app", "1000"), ("useradd app", None), ("useradd -u $UID app", None),
])
def test_user_uid(argv, uid):
    assert user_uid(argv.split()) == uid


def test_a_user_the_file_creates_is_used_by_number_and_never_duplicated():
    r = run("""
        FROM python:3.12-alpine
        RUN addgroup -S web && adduser -S -D web -G web
        WORKDIR /home/web/app
        COPY --chown=web:web . .
        CMD ["python", "app.py"]
    """, select=ONLY)
    out = r.output
    assert out.count("adduser") == 1 and out.count("addgroup") == 1
    assert "adduser -u 10001 -S -D web -G web" in out and out.rstrip().endswith('USER 10001\nCMD ["python", "app.py"]')
    # the file's own UID is used as it is
    given = run("""
        FROM python:3.12-slim
        RUN useradd -m -u 1000 app
        CMD ["python", "app.py"]
    """, select=ONLY)
    assert "USER 1000\n" in given.output and given.output.count("useradd") == 1


# --- issue 8 item 8: images that must run as root -------------------------------

ACTION = """
    FROM python:3.12-slim
    COPY entrypoint.py /entrypoint.py
    ENTRYPOINT ["python", "/entrypoint.py"]
"""


@pytest.mark.parametrize("name, body, refused", [
    ("action.yml", "runs:\n  using: 'docker'\n  image: 'Dockerfile'\n", True),
    ("action.yaml", "runs:\n  using: Docker\n  image: Dockerfile\n", True),
    ("action.yml", "runs:\n  using: 'docker'\n  image: 'docker://alpine:3.20'\n", False),
    ("action.yml", "runs:\n  using: 'node20'\n  main: 'index.js'\n", False),
    ("action.yml", "runs: [this is: not valid\n", False),
    ("action.yml", "- a list\n", False),
])
def test_github_docker_action_stays_root(tmp_path, name, body, refused):
    (tmp_path / name).write_text(body, encoding="utf-8")
    r = run(ACTION, select=ONLY, context=BuildContext.at(tmp_path))
    assert ("USER" not in r.output) is refused
    assert any("GitHub Docker action" in x and name in x for x in refusals(r)) is refused


def test_no_context_decides_from_the_dockerfile_alone():
    assert github_docker_action(None) is None
    assert "USER 10001:10001" in run(ACTION, select=ONLY).output


# --- base images with a user or a command of their own (base-images.json) --------

AIRFLOW = """
    FROM apache/airflow:2.10.4
    COPY requirements.txt /requirements.txt
    RUN pip install --no-cache-dir -r /requirements.txt
    COPY dags/ /opt/airflow/dags/
"""


def test_the_base_images_own_user_is_kept_and_restored():
    # airflow runs as `airflow` (50000:0) and its entrypoint starts the app: nothing to add
    r = run(AIRFLOW, select=ONLY)
    assert r.output == r.original and not refusals(r)
    # a file that switches to root for apt and stays there goes back to the image's user, not a new one
    root = run(AIRFLOW + "    USER root\n    RUN apt-get update && apt-get install -y --no-install-recommends vim\n",
               select=ONLY)
    assert root.output.rstrip().endswith("USER 50000:0") and "useradd" not in root.output


def test_a_base_image_that_must_start_as_root_is_left_alone():
    r = run("""
        FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11
        COPY ./app /app/app
    """, select=ONLY)
    assert "USER" not in r.output
    assert any("base image tiangolo/uvicorn-gunicorn-fastapi:python3.11" in x and "port 80" in x for x in refusals(r))


def test_a_script_the_file_gives_to_its_user_keeps_its_mode():
    r = run("""
        FROM python:3.12-slim
        RUN useradd -m -u 1000 django
        COPY entrypoint.sh /entrypoint.sh
        RUN chmod u+x /entrypoint.sh
        RUN chown -R django:django /entrypoint.sh
        ENTRYPOINT ["/entrypoint.sh"]
    """, select=ONLY)
    assert "chmod u+x /entrypoint.sh" in r.output and "USER 1000" in r.output


# --- a service started from a shell script is still that service ---------------

@pytest.mark.parametrize("start", [
    """CMD (nginx -g 'daemon off;')""",
    """CMD sh -c "nginx -g 'daemon off;'\"""",
    """CMD ["/bin/sh", "-c", "envsubst < /tpl > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'"]""",
    """CMD ["bash", "-c", "(nginx -g 'daemon off;')"]""",
    """CMD exec nginx -g 'daemon off;'""",
    """ENTRYPOINT ["tini", "--", "nginx", "-g", "daemon off;"]""",
])
def test_nginx_started_through_a_shell_keeps_root(start):
    r = run(f"""
        FROM python:3.12-slim
        RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
        COPY . /srv
        {start}
    """)
    assert "USER 10001" not in r.output
    assert refusals(r) == [f"line 4: {start.split()[0]} starts nginx, which runs as root and drops privileges "
                           "itself; USER left to it"]


@pytest.mark.parametrize("start", ['CMD ["python", "serve.py", "--proxy", "nginx"]', "CMD echo nginx is next door",
                                   'CMD ["sh", "-c", "gunicorn app:app --name nginx-sidecar"]'])
def test_a_word_nginx_that_is_no_command_does_not_keep_root(start):
    r = run(f"""
        FROM python:3.12-slim
        COPY . /srv
        {start}
    """)
    assert "USER 10001:10001" in r.output and not refusals(r)


# --- review K: an interactive shell or REPL as CMD is a development image ---------

@pytest.mark.parametrize("cmd, program", [
    ('["bash"]', "bash"), ("bash", "bash"), ('["/bin/sh", "-l"]', "sh"), ("python", "python"),
    ('["python3"]', "python3"),
])
def test_an_interactive_shell_cmd_is_a_dev_image_left_root(cmd, program):
    r = run(BASE + f"CMD {cmd}\n", select=ONLY)
    assert "USER" not in r.output
    (reason,) = refusals(r)
    assert reason.startswith("line 5: CMD starts an interactive ") and program in reason


@pytest.mark.parametrize("tail", ['CMD ["bash", "run.sh"]', 'CMD ["python", "app.py"]',
                                  'ENTRYPOINT ["./start.sh"]\nCMD ["bash"]'])
def test_a_shell_running_a_script_or_an_entrypoint_argument_still_gets_the_user(tail):
    r = run(BASE + "COPY . .\n" + tail + "\n", select=ONLY)
    assert "USER 10001:10001" in r.output, r.refusals


# --- review L: yarn/pnpm/npm build of a "next build" script -----------------------

@pytest.mark.parametrize("build", ["yarn build", "pnpm build", "npm run build"])
def test_a_package_build_script_running_next_build_is_a_nextjs_build(tmp_path, build):
    (tmp_path / "package.json").write_text('{"scripts": {"build": "next build", "start": "next start"}}',
                                           encoding="utf-8")
    text = NEXT.replace("RUN npm run build", f"RUN {build}").format(cmd="npm start")
    r = run(text, select=ONLY, context=BuildContext.at(tmp_path))
    assert "chown -R 10001:10001 /app/.next" in run_instruction(r.output, build)
    # without the build context and without the word `next`, the tool can't tell
    plain = run(text, select=ONLY)
    assert ".next" not in plain.output and "USER 10001:10001" in plain.output


def test_next_build_in_a_run_is_a_nextjs_build_without_context():
    text = NEXT.replace("RUN npm run build", "RUN yarn next build").format(cmd="npm start")
    r = run(text, select=ONLY)
    assert "chown -R 10001:10001 /app/.next" in run_instruction(r.output, "yarn next build")

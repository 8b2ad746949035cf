"""healthcheck: a HEALTHCHECK in the runtime stage with the image's own HTTP client."""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading

import dockerfile
import pytest

from migrator.engine import migrate_text
from migrator.options import Options

URL = "http://127.0.0.1:8000/health"

PYTHON_APP = """\
FROM python:3.12-slim-bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# the API
EXPOSE 8000
CMD ["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]
"""


def run(text: str, url: str | None = URL, only: bool = False):
    if only:
        return migrate_text(text, Options(select=frozenset({"healthcheck"}), healthcheck_url=url))
    return migrate_text(text, Options(extend_select=frozenset({"healthcheck"}), healthcheck_url=url))


def healthchecks(output: str):
    """(stage index, flags, json, args) of each HEALTHCHECK, from BuildKit's parser."""
    stage, out = -1, []
    for cmd in dockerfile.parse_string(output):
        if cmd.cmd.upper() == "FROM":
            stage += 1
        elif cmd.cmd.upper() == "HEALTHCHECK":
            out.append((stage, cmd.flags, cmd.json, cmd.value))
    return out


def refusals(result) -> list[str]:
    return [r.reason for r in result.refusals if r.transform == "healthcheck"]


def test_off_by_default():
    result = migrate_text(PYTHON_APP, Options(healthcheck_url=URL))
    assert "HEALTHCHECK" not in result.output


def test_without_a_url_it_refuses_naming_the_option():
    result = run(PYTHON_APP, url=None)
    assert "HEALTHCHECK" not in result.output
    [reason] = refusals(result)
    assert "--healthcheck-url" in reason and "healthcheck-url" in reason.split("(")[1]


@pytest.mark.parametrize("url", ["localhost:8000/health", "ftp://host/x", "http://h/x'y", "http://h/a b"])
def test_a_url_it_cannot_write_safely_is_refused(url):
    result = run(PYTHON_APP, url=url)
    assert "HEALTHCHECK" not in result.output
    assert any(r.startswith(f"--healthcheck-url {url!r}") for r in refusals(result))


def test_python_runtime_probes_with_the_virtualenvs_python_in_the_final_stage_only():
    result = run(PYTHON_APP)
    assert result.status.value == "migrated"
    [(stage, flags, exec_form, args)] = healthchecks(result.output)
    assert stage == 1                       # the runtime stage, not the builder
    assert flags == ("--interval=30s", "--timeout=10s", "--start-period=5s", "--retries=3")
    assert exec_form and args[0] == "CMD"
    assert args[1:3] == ("/opt/venv/bin/python", "-c") and URL in args[3]
    # before the comment and EXPOSE/CMD block that ends the stage, as in seed 004
    tail = result.output.split("HEALTHCHECK", 1)[1]
    assert tail.index("# the API") < tail.index("EXPOSE 8000") < tail.index("CMD [\"gunicorn\"")


def test_a_file_with_a_healthcheck_is_left_alone():
    text = PYTHON_APP.replace("EXPOSE 8000", "HEALTHCHECK NONE\nEXPOSE 8000")
    result = run(text)
    assert len(healthchecks(result.output)) == 1
    assert any("already has a HEALTHCHECK" in n for n in result.notes)
    assert not refusals(result)


def test_single_stage_result_is_idempotent():
    text = "FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n"
    first = run(text, only=True)
    assert first.status.value == "migrated"
    [(_, _, _, args)] = healthchecks(first.output)
    assert args[1] == "/usr/local/bin/python"     # the image's own interpreter
    again = run(first.output, only=True)
    assert again.output == first.output


@pytest.mark.parametrize("base, client", [
    ("node:20-slim", "node"), ("node:hydrogen", "node"), ("node:lts-alpine", "node"),
    ("node:16-alpine", "wget"),         # no global fetch before Node 18; BusyBox wget
    ("golang:1.22", "curl"),            # buildpack-deps based: curl and wget
    ("alpine:3.20", "wget"),
])
def test_client_follows_what_the_runtime_has(base, client):
    text = f"FROM {base}\nCOPY app /app\nEXPOSE 8000\nCMD [\"/app\"]\n"
    [(_, _, exec_form, args)] = healthchecks(run(text, only=True).output)
    if client == "node":
        assert exec_form and args[1:3] == ("node", "-e")
    else:
        assert not exec_form and args[1].startswith(client + " ") and args[1].endswith("|| exit 1")


def test_curl_only_where_the_stage_installs_it():
    text = "FROM debian:bookworm-slim\nCOPY app /app\nCMD [\"/app\"]\n"
    result = run(text, only=True)
    assert "HEALTHCHECK" not in result.output
    [reason] = refusals(result)
    assert reason.startswith("line 1:") and "curl or wget" in reason
    with_curl = text.replace("COPY", "RUN apt-get update && apt-get install -y --no-install-recommends curl "
                                     "&& rm -rf /var/lib/apt/lists/*\nCOPY")
    [(_, _, _, args)] = healthchecks(run(with_curl, only=True).output)
    assert args[1].startswith("curl -fsS")


def test_a_port_the_file_does_not_expose_gets_a_note():
    result = run(PYTHON_APP, url="http://127.0.0.1:9000/health")
    assert any("9000" in n and "8000" in n for n in result.notes)


def test_node_probe_of_localhost_gets_a_note():
    text = "FROM node:20-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n"
    result = run(text, url="http://localhost:3000/", only=True)
    assert any("127.0.0.1" in n for n in result.notes)
    assert not run(text, url="http://127.0.0.1:3000/", only=True).notes


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200 if self.path == "/ok" else 500)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _probe(base: str, url: str) -> list[str]:
    text = f"FROM {base}\nCOPY app /app\nCMD [\"/app\"]\n"
    [(_, _, exec_form, args)] = healthchecks(run(text, url=url, only=True).output)
    assert exec_form
    return json.loads(json.dumps(list(args[1:])))


@pytest.mark.parametrize("base", ["python:3.12-slim", "node:20-slim"])
def test_the_probe_exits_0_when_healthy_and_1_otherwise(base, server):
    """Docker reads 0 as healthy and 1 as unhealthy (2 is reserved):
    run the generated probe against a live server, an error status and a
    closed port."""
    program = {"python:3.12-slim": sys.executable, "node:20-slim": shutil.which("node")}[base]
    if program is None:
        pytest.skip("node is not installed")
    closed = "http://127.0.0.1:9/"
    for path, want in ((server + "/ok", 0), (server + "/down", 1), (closed, 1)):
        argv = _probe(base, path)
        got = subprocess.run([program] + argv[1:], capture_output=True, timeout=20).returncode
        assert got == want, (path, argv)

"""Images on an archived Debian release (review 4: theUm, adeputraprimasuhendri).

An archived release (``debian_archived`` of ``base-images.json``: buster and
older) no longer answers ``apt-get update``. What users rely on: the release
the tool reads from a tag is the one docker-library built it on, and no
migrated image runs an ``apt-get update`` there unless the list it installs
is not empty (and then the reason says the build fails).
"""

from __future__ import annotations

import re
import textwrap

import pytest

from contexts import context as make_context
from migrator.analysis.packages import describe_base_image
from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options

CGO_MAIN = 'package main\n\n// #include <stdlib.h>\nimport "C"\n\nfunc main() { C.free(nil) }\n'
STATIC_MAIN = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("ok") }\n'


@pytest.mark.parametrize("tag, release, floating", [
    # docker-library/golang: 1.10 only ever had 1.10/stretch; buster from 1.11.12/1.12.7 (2019-07-17)
    ("golang:1.10.1", "stretch", False),
    ("golang:1.10", "stretch", False),
    ("golang:1.8", "jessie", False),
    ("golang:1.11.5", "stretch", False),
    ("golang:1.12", "buster", False),
    ("golang:1.16", "bullseye", False),
    # bookworm from 1.19.10 / 1.20.5 (cd60713, merged 2023-06-13): earlier 1.20 patch tags bullseye
    ("golang:1.20.0", "bullseye", False),
    ("golang:1.20.4", "bullseye", False),
    ("golang:1.20.5", "bookworm", False),
    ("golang:1.20", "bookworm", False),
    ("golang:1.19", "bookworm", False),
    # trixie from 1.24.6 (86aa8ce, merged 2025-08-12)
    ("golang:1.24.3", "bookworm", False),
    ("golang:1.24.6", "trixie", False),
    ("golang:1.24", "trixie", True),
    ("golang:latest", "trixie", True),
    ("golang:1.25.3", "trixie", False),
    # nodejs/docker-node versions.json debian-default at each major's last images
    ("node:12", "stretch", False),
    ("node:10", "stretch", False),
    ("node:14", "buster", False),
    ("node:16", "buster", False),
    ("node:17", "bullseye", False),
    ("node:18", "bookworm", False),
    ("node:19", "bullseye", False),
    # docker-node kept bookworm as the default of 20-25 after Debian 13; trixie from node 26
    ("node:20", "bookworm", False),
    ("node:22", "bookworm", False),
    ("node:24", "bookworm", False),
    ("node:26", "trixie", True),
    ("node:latest", "trixie", True),
])
def test_release_of_a_tag_that_names_none(tag, release, floating):
    base = describe_base_image(tag)
    assert (base.release, base.release_from_default, base.floating) == (release, True, floating)


def _migrate(tmp_path, text: str, files: dict[str, str], **kw):
    ctx = make_context(tmp_path, files)
    return migrate_text(textwrap.dedent(text), Options(context=ctx, **kw), "Dockerfile")


def _stages(output: str) -> list[str]:
    df = parse(output)
    return [output[s.from_instruction.start:(s.instructions[-1].end)] for s in df.stages]


def _unguarded_updates(stage_text: str) -> list[str]:
    """The RUN instructions of a stage that run apt-get update outside an ``if [ -s LIST ]`` guard."""
    runs = re.findall(r"^RUN (?:.*\\\n)*.*$", stage_text, re.MULTILINE)
    return [r for r in runs if "apt-get update" in r and not re.search(r"if \[ -s \S+ \]; then apt-get update", r)]


def test_go_cgo_on_archived_release_copies_files_instead_of_apt(tmp_path):
    result = _migrate(tmp_path, """\
        FROM golang:1.10.1
        WORKDIR /go/src/app
        COPY . .
        RUN go build -o /app/bin/svc .
        CMD ["/app/bin/svc"]
        """, {"main.go": CGO_MAIN}, unsafe=True)
    builder, runtime = _stages(result.output)
    assert runtime.startswith("FROM debian:stretch-slim")
    assert _unguarded_updates(runtime) == [] and _unguarded_updates(builder) == []
    assert "COPY --from=builder /tmp/go-runtime/rootfs/ /" in runtime
    for path in ("/etc/ssl/certs/ca-certificates.crt", "/usr/share/zoneinfo", "/etc/services", "/etc/protocols"):
        assert path in builder
    assert "chmod 755" in builder        # /etc and /usr keep Debian's mode when the folder is copied to /
    assert "if [ -s /tmp/go-runtime/.runtime-packages ]; then apt-get update" in runtime
    reason = next(c.reason for c in result.changes if c.transform == "go-runtime")
    assert "Debian stretch is archived" in reason and "stretch's archive is not reachable" in reason


def test_go_static_scratch_on_archived_release_installs_nothing(tmp_path):
    result = _migrate(tmp_path, """\
        FROM golang:1.11.5
        WORKDIR /src
        COPY . .
        RUN CGO_ENABLED=0 go build -o /usr/local/bin/svc .
        CMD ["svc"]
        """, {"main.go": STATIC_MAIN, "go.mod": "module example.com/svc\n\ngo 1.11\n"}, go_runtime="scratch")
    builder, runtime = _stages(result.output)
    instructions = "".join(line for line in result.output.splitlines(True) if not line.startswith("#"))
    assert "apt-get" not in instructions
    assert runtime.startswith("FROM scratch") and "COPY --from=builder /tmp/go-runtime/rootfs/ /" in runtime
    change = next(c for c in result.changes if c.transform == "go-runtime")
    assert change.applicability.value == "safe"


def test_go_cgo_on_served_release_keeps_its_apt_install(tmp_path):
    result = _migrate(tmp_path, """\
        FROM golang:1.20.3
        WORKDIR /src
        COPY . .
        RUN go build -o /usr/local/bin/web .
        CMD ["web"]
        """, {"main.go": CGO_MAIN, "go.mod": "module example.com/app\n\ngo 1.20\n"}, unsafe=True)
    _builder, runtime = _stages(result.output)
    assert runtime.startswith("FROM debian:bullseye-slim")
    assert "apt-get install -y --no-install-recommends ca-certificates tzdata netbase" in runtime
    assert "rootfs" not in result.output


def test_go_left_to_split_stages_on_archived_release_is_not_split(tmp_path):
    result = _migrate(tmp_path, """\
        FROM golang:1.10
        WORKDIR /go/src/app
        COPY . .
        RUN go build
        CMD ["./app"]
        """, {"main.go": STATIC_MAIN}, unsafe=True)
    assert len(parse(result.output).stages) == 1
    assert "apt-get" not in result.output


NODE12_PURE_JS = """\
FROM node:12
WORKDIR /app
COPY ./app/package.json /app
COPY ./app /app
RUN npm install
CMD ["npm", "start"]
"""


def test_node_full_to_slim_on_archived_release_is_unsafe_and_guarded():
    unsafe = migrate_text(NODE12_PURE_JS, Options(unsafe=True), "Dockerfile")
    _builder, runtime = _stages(unsafe.output)
    assert runtime.startswith("FROM node:12-slim")
    assert _unguarded_updates(runtime) == []
    assert "if [ -s /app/.runtime-packages ]; then apt-get update" in runtime
    move = next(c for c in unsafe.changes if c.transform == "build-deps")
    assert move.applicability.value == "unsafe"
    assert "stretch's archive is not reachable" in move.reason and "outside the slim image" in move.reason
    # by default the move is offered, not applied, and without it a split gains nothing
    default = migrate_text(NODE12_PURE_JS, Options(), "Dockerfile")
    assert len(parse(default.output).stages) == 1
    assert any("is unsafe" in n and "--unsafe makes it" in n for n in default.notes)


def test_python_full_to_slim_on_archived_release_is_unsafe_and_guarded():
    text = """\
FROM python:3.7-buster
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app"]
"""
    result = migrate_text(text, Options(unsafe=True), "Dockerfile")
    _builder, runtime = _stages(result.output)
    assert runtime.startswith("FROM python:3.7-slim-buster")
    assert _unguarded_updates(runtime) == []
    move = next(c for c in result.changes if c.transform == "build-deps")
    assert move.applicability.value == "unsafe" and "buster's archive is not reachable" in move.reason
    default = migrate_text(text, Options(), "Dockerfile")
    assert "FROM python:3.7-slim-buster" not in default.output
    # by default only pip's cache would leave (review 5 E3): no split, the note names the unsafe move
    assert len(parse(default.output).stages) == 1
    assert any(n.startswith("split-stages: no split:") and "its move to python:3.7-slim-buster is unsafe" in n
               and "--unsafe makes it" in n for n in default.notes), default.notes


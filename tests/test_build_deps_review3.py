"""build-deps after review 3: a slim move never surely fails (D2), a digest
pin is not dropped silently (D7), carried packages are not claimed as a
saving (D12), no apt-get update is added on an archived release."""

from __future__ import annotations

from migrator.engine import migrate_text
from migrator.model.dockerfile import parse
from migrator.options import Options
from migrator.model.results import Applicability
from transforms.build_deps import BuildDeps

TWO = """\
FROM {base} AS builder
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt

FROM {base} AS runtime
WORKDIR /app
{run}
COPY --from=builder /opt/venv /opt/venv
COPY . .
CMD ["/opt/venv/bin/python", "app.py"]
"""

SINGLE = """\
FROM python:3.12-bookworm
{run}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "app:app"]
"""


def slim_move(base: str, run: str = "", **kw):
    got = BuildDeps().run(parse(TWO.format(base=base, run=run)), Options(**kw))
    fixes = [f for f in got.fixes if "runtime stage moves" in f.reason]
    refusals = [r for r in got.refusals if "runtime stage moves" in r]
    return (fixes[0] if fixes else None), (refusals[0] if refusals else None)


def test_runtime_run_needing_curl_gets_curl_on_the_slim_image():
    fix, refused = slim_move("python:3.12-bookworm", "RUN curl -fsSLO https://example.com/tool.tar.gz && tar xzf tool.tar.gz")
    assert refused is None and fix.applicability is Applicability.SAFE
    assert "installs curl right after its FROM" in fix.reason
    out = migrate_text(SINGLE.format(run="RUN curl -fsSLO https://example.com/t.tgz"), Options(), "Dockerfile").output
    runtime = out.split("AS runtime", 1)[1]
    # the install comes before the RUN that needs it; python's slim image has ca-certificates already
    assert runtime.index("apt-get install -y --no-install-recommends curl") < runtime.index("RUN curl")
    assert "ca-certificates" not in runtime


def test_git_on_node_slim_brings_ca_certificates():
    fix, refused = slim_move("node:20-bookworm", "RUN git clone https://example.com/x.git /opt/x")
    assert refused is None and "installs ca-certificates, git" in fix.reason


def test_curl_pipeline_on_archived_buster_is_not_offered_even_unsafe():
    run = "RUN curl -sSL https://install.python-poetry.org | python3 - && /root/.local/bin/poetry --version"
    for unsafe in (False, True):
        fix, refused = slim_move("python:3.11-buster", run, unsafe=unsafe)
        assert fix is None
        assert "not offered" in refused and "buster is archived" in refused and "runs curl" in refused


def test_build_only_program_in_a_runtime_run_is_not_offered():
    fix, refused = slim_move("python:3.12-bookworm", "RUN make -C /app docs")
    assert fix is None and "runs make in a build step" in refused and "build-only" in refused


def test_digest_pinned_base_moves_only_as_unsafe_and_says_so():
    base = "python:3.12-bookworm@sha256:" + "a" * 64
    fix, refused = slim_move(base)
    assert refused is None and fix.applicability is Applicability.UNSAFE
    assert "pinned by digest" in fix.reason and "pin it again" in fix.reason
    # not applied by default, and a split onto the same pinned image frees nothing (review 4): no split
    got = migrate_text(SINGLE.replace("python:3.12-bookworm", base).format(run=""), Options(), "Dockerfile")
    assert got.output.count("FROM ") == 1 and f"FROM {base}" in got.output
    assert any("no split" in n and "by digest" in n for n in got.notes)


def test_archived_runtime_without_apt_gets_no_apt_get_update():
    # review 4: the library install is guarded by the recorded list (`if [ -s list ]`), so the move is offered
    # as unsafe: it fails at build time only if the build links a library outside the slim image
    fix, refused = slim_move("python:3.7-buster")
    assert refused is None and fix.applicability is Applicability.UNSAFE
    assert "buster is archived" in fix.reason and "outside the slim image" in fix.reason
    # bookworm: the same file moves, safe
    fix, refused = slim_move("python:3.12-bookworm")
    assert refused is None and fix.applicability is Applicability.SAFE


def test_single_stage_archived_full_image_counts_no_slim_gain():
    text = "FROM node:10-stretch\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/i.js\"]\n"
    result = migrate_text(text, Options(), "Dockerfile")
    assert "node:10-stretch-slim" not in result.output
    assert any("stretch is archived" in n and "--unsafe makes it" in n for n in result.notes)
    # review 4: with --unsafe the move is made, and apt-get update runs only for a recorded list that is not empty
    unsafe = migrate_text(text, Options(unsafe=True), "Dockerfile").output
    runtime = unsafe.split("FROM node:10-stretch-slim", 1)[1]
    assert "if [ -s /app/.runtime-packages ]; then apt-get update" in runtime
    assert runtime.count("apt-get update") == 1


def test_runtime_package_list_leaves_the_copied_folder():
    runtime = migrate_text(SINGLE.format(run=""), Options(), "Dockerfile").output.split("AS runtime", 1)[1]
    assert "< /opt/venv/.runtime-packages" in runtime
    assert "&& rm -f /opt/venv/.runtime-packages" in runtime

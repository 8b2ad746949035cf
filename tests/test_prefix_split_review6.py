"""Review 6 of the pip --prefix split (migrator/analysis/prefix_split.py,
transforms/split_stages.py): F1 the prefix folder exists whatever pip
installs, F2 a pip self-upgrade is replayed in the runtime stage, F4
requirement files decoded as pip decodes them."""

from __future__ import annotations

import codecs
import textwrap

from migrator.engine import migrate_text
from migrator.options import Options

SLIM = """
    FROM python:3.12-slim
    WORKDIR /app
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    COPY . .
    CMD ["python", "app.py"]
"""


def run(text: str, **kw):
    return migrate_text(textwrap.dedent(text).lstrip("\n"), Options(**kw))


def stages(output: str) -> tuple[str, str]:
    cut = output.rindex("\nFROM ") + 1
    return output[:cut], output[cut:]


# F1: pip creates --prefix only when it writes a file; the runtime's COPY needs the folder


def test_the_builder_makes_the_prefix_folder_before_the_install():
    builder, runtime = stages(run(SLIM).output)
    assert "RUN mkdir -p /install && pip install --prefix=/install --no-cache-dir -r requirements.txt\n" in builder
    assert "mkdir" not in runtime and "COPY --from=builder /install /usr/local\n" in runtime


def test_the_mkdir_goes_right_before_the_install_in_a_chain_with_continuations():
    r = run(SLIM.replace("RUN pip install --no-cache-dir -r requirements.txt",
                         "RUN set -eux; \\\n        pip install --no-cache-dir -r requirements.txt"))
    builder, _ = stages(r.output)
    assert "RUN set -eux; \\\n    mkdir -p /install && pip install --prefix=/install --no-cache-dir" in builder


def test_a_heredoc_install_gets_the_mkdir_inside_the_heredoc():
    r = run(SLIM.replace("RUN pip install --no-cache-dir -r requirements.txt",
                         "RUN <<EOT\nset -e\npip install --no-cache-dir -r requirements.txt\nEOT"))
    builder, _ = stages(r.output)
    assert "RUN <<EOT\nset -e\nmkdir -p /install && pip install --prefix=/install --no-cache-dir" in builder
    assert builder.count("mkdir") == 1


# F2: the install resolved against the builder's upgraded pip/setuptools/wheel, which pip left out of /install


def test_a_pip_upgrade_in_the_install_run_is_replayed_before_the_copy_of_install():
    r = run(SLIM.replace("RUN pip install --no-cache-dir", "RUN pip install --upgrade pip && pip install --no-cache-dir"))
    builder, runtime = stages(r.output)
    assert "RUN pip install --upgrade pip && mkdir -p /install && pip install --prefix=/install" in builder
    # as the original ran it: no --no-cache-dir added where it had none
    assert "WORKDIR /app\nRUN pip install --upgrade pip\nCOPY --from=builder /install /usr/local\n" in runtime
    (change,) = [c for c in r.changes if c.transform == "split-stages"]
    assert "the upgrade of pip (line 4) runs in the runtime stage too" in change.reason
    assert "did not put in /install" in change.reason


def test_a_separate_upgrade_run_keeps_its_options_and_mount_flags():
    text = SLIM.replace("FROM python:3.12-slim", "FROM python:3.11-slim").replace(
        "RUN pip install --no-cache-dir",
        "RUN --mount=type=cache,target=/root/.cache/pip PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip install "
        "--no-cache-dir -U \\\n        pip setuptools wheel\nRUN pip install --no-cache-dir")
    _builder, runtime = stages(run(text).output)
    assert ("RUN --mount=type=cache,target=/root/.cache/pip PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip install "
            "--no-cache-dir -U pip setuptools wheel\nCOPY --from=builder /install /usr/local\n") in runtime
    assert runtime.count("pip install") == 1


def test_no_upgrade_no_replay():
    _builder, runtime = stages(run(SLIM).output)
    assert "pip install" not in runtime


# F4: requirement files decoded as pip decodes them (pip/_internal/utils/encoding.py auto_decode)


def _context(tmp_path, raw: bytes):
    from migrator.context import BuildContext

    (tmp_path / "requirements.txt").write_bytes(raw)
    (tmp_path / "app.py").write_text("print('hi')\n")
    return BuildContext.at(tmp_path)


def _split_note(r) -> str:
    return next(n for n in r.notes if n.startswith("split-stages:"))


def test_a_utf16_requirements_file_naming_setuptools_stops_the_prefix_split(tmp_path):
    r = run(SLIM, context=_context(tmp_path, "flask==3.0.3\r\nsetuptools==75.1.0\r\n".encode("utf-16")))
    assert " AS runtime" not in r.output
    assert "requirements.txt names setuptools" in _split_note(r)


def test_a_utf16_big_endian_file_naming_only_apps_still_splits(tmp_path):
    raw = codecs.BOM_UTF16_BE + "flask==3.0.3\n".encode("utf-16-be")
    assert "COPY --from=builder /install /usr/local" in run(SLIM, context=_context(tmp_path, raw)).output


def test_a_file_pip_could_not_decode_stops_the_prefix_split_with_a_note(tmp_path):
    r = run(SLIM, context=_context(tmp_path, b"flask==3.0.3\n# caf\xe9\n"))    # Latin-1, no coding line
    assert " AS runtime" not in r.output
    assert "can't read requirements.txt" in _split_note(r)


def test_decode_follows_pip():
    from migrator.context.requirements import decode

    assert decode(codecs.BOM_UTF8 + b"flask\n") == "flask\n"
    assert decode("wheel\n".encode("utf-16")) == "wheel\n"
    assert decode(codecs.BOM_UTF32_BE + "pip\n".encode("utf-32-be")) == "pip\n"
    assert decode(b"# -*- coding: latin-1 -*-\nflask # caf\xe9\n") == "# -*- coding: latin-1 -*-\nflask # caf\xe9\n"
    assert decode(b"flask\n") == "flask\n"
    assert decode(b"caf\xe9\n") is None
    assert decode(b"# coding: no-such-codec\nflask\n") is None

"""Review 6 of the pip --prefix split (migrator/analysis/prefix_split.py,
transforms/split_stages.py): F1 the prefix folder exists whatever pip
installs, F2 a pip self-upgrade is replayed in the runtime stage, F4
requirement files decoded as pip decodes them."""

from __future__ import annotations

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

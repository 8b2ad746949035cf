"""batch: the build context of a Dockerfile is the ``build.context`` a Compose
file beside it (or above it, up to the batch root) names (issue 9 item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.batch import runner
from migrator.context.compose import compose_context
from migrator.options import Options

APP = """\
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y build-essential
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"""


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def context_of(root: Path, rel: str):
    root = Path(os.path.realpath(root))
    return compose_context(str(root), str(root / rel))


def test_no_compose_file_means_the_dockerfiles_folder(tmp_path):
    tree(tmp_path, {"api/Dockerfile": APP})
    got = context_of(tmp_path, "api/Dockerfile")
    assert got.folder == os.path.realpath(tmp_path / "api") and got.source is None and got.note is None


def test_mapping_form_in_a_parent_folder(tmp_path):
    tree(tmp_path, {
        "docker/api/Dockerfile": APP,
        "docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n"
                              "      dockerfile: docker/api/Dockerfile\n  db:\n    image: postgres:16\n",
    })
    got = context_of(tmp_path, "docker/api/Dockerfile")
    assert got.folder == os.path.realpath(tmp_path)
    assert got.source == "docker-compose.yml (service api)" and got.note is None


def test_string_form_beside_the_dockerfile(tmp_path):
    # `build: ./backend` from a compose.yaml at the root names backend/Dockerfile
    tree(tmp_path, {"backend/Dockerfile": APP, "compose.yaml": "services:\n  web:\n    build: ./backend\n"})
    got = context_of(tmp_path, "backend/Dockerfile")
    assert got.folder == os.path.realpath(tmp_path / "backend") and got.source == "compose.yaml (service web)"


def test_dockerfile_is_relative_to_the_context(tmp_path):
    tree(tmp_path, {
        "services/api/Dockerfile.prod": APP,
        "deploy/docker-compose.yaml": "services:\n  api:\n    build:\n      context: ../services\n"
                                      "      dockerfile: api/Dockerfile.prod\n",
    })
    # the Compose file is in a sibling folder, not above the Dockerfile: not looked at
    assert context_of(tmp_path, "services/api/Dockerfile.prod").source is None
    tree(tmp_path, {"services/docker-compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                                                    "      dockerfile: api/Dockerfile.prod\n"})
    got = context_of(tmp_path, "services/api/Dockerfile.prod")
    assert got.folder == os.path.realpath(tmp_path / "services")


def test_a_service_of_another_dockerfile_is_not_followed(tmp_path):
    tree(tmp_path, {"api/Dockerfile": APP, "api/Dockerfile.dev": APP,
                    "compose.yaml": "services:\n  api:\n    build:\n      context: .\n"
                                    "      dockerfile: api/Dockerfile.dev\n"})
    got = context_of(tmp_path, "api/Dockerfile")
    assert got.folder == os.path.realpath(tmp_path / "api") and got.source is None and got.note is None


@pytest.mark.parametrize("text, why", [
    ("services:\n  api: [unclosed\n", "not valid YAML at line"),
    ("- just\n- a list\n", "not a Compose file"),
    ("services: 3\n", "`services` is not a mapping"),
    ("services:\n  api:\n    build:\n      context: ..\n      dockerfile: repo/api/Dockerfile\n", "outside the batch root"),
    ("services:\n  api:\n    build:\n      context: ${CTX}\n      dockerfile: api/Dockerfile\n", "with a variable"),
    ("services:\n  a:\n    build: ./api\n  b:\n    build:\n      context: .\n      dockerfile: api/Dockerfile\n",
     "services a, b build this Dockerfile from different folders"),
])
def test_a_compose_file_that_cant_be_followed_falls_back_with_a_note(tmp_path, text, why):
    root = tmp_path / "repo"
    tree(root, {"api/Dockerfile": APP, "compose.yaml": text})
    got = context_of(root, "api/Dockerfile")
    assert got.folder == os.path.realpath(root / "api") and got.source is None
    assert got.note.startswith("build context: compose.yaml: ") and why in got.note, got.note
    assert got.note.endswith("the Dockerfile's folder is used")


def test_a_bad_compose_file_does_not_hide_a_good_one_higher_up(tmp_path):
    tree(tmp_path, {"api/Dockerfile": APP, "api/compose.yaml": "services: [\n",
                    "docker-compose.yml": "services:\n  api:\n    build:\n      dockerfile: api/Dockerfile\n"})
    got = context_of(tmp_path, "api/Dockerfile")
    assert got.folder == os.path.realpath(tmp_path) and "api/compose.yaml: not valid YAML" in got.note


def test_a_compose_file_linked_from_outside_the_root_is_not_read(tmp_path):
    outside = tree(tmp_path / "elsewhere", {"compose.yaml": "services:\n  api:\n    build:\n      "
                                                            "dockerfile: api/Dockerfile\n"})
    root = tree(tmp_path / "repo", {"api/Dockerfile": APP})
    (root / "compose.yaml").symlink_to(outside / "compose.yaml")
    got = context_of(root, "api/Dockerfile")
    assert got.source is None and "symbolic link out of the batch root" in got.note


def test_a_compose_file_too_large_is_not_read(tmp_path, monkeypatch):
    import migrator.context.compose as compose

    monkeypatch.setattr(compose, "MAX_BYTES", 64)
    tree(tmp_path, {"api/Dockerfile": APP, "compose.yaml": "services:\n  api:\n    build:\n      "
                                                           "dockerfile: api/Dockerfile\n" + "#" * 100 + "\n"})
    got = context_of(tmp_path, "api/Dockerfile")
    assert got.source is None and "not read" in got.note


def test_batch_migrates_with_the_compose_context(tmp_path):
    # The Dockerfile lives in docker/api/ but Compose builds it from the root, where the
    # requirements file and the app are: the .dockerignore goes there, layer-order reads
    # the root's requirements.txt, and the note says where the context came from.
    root = tree(tmp_path / "repo", {
        "docker/api/Dockerfile": APP,
        "requirements.txt": "flask\n",
        "app.py": "print('hi')\n",
        "docker-compose.yml": "services:\n  api:\n    build:\n      context: .\n"
                              "      dockerfile: docker/api/Dockerfile\n",
    })
    real = os.path.realpath(root)
    entry = runner.migrate_one(real, "docker/api/Dockerfile", Options(), True, False)
    result = entry.result
    assert result.status.value == "migrated", result.reason
    assert os.path.realpath(result.context_root) == real
    assert [shown for shown, _diff, _new in entry.context_diffs] == [".dockerignore"]
    assert "build context: ./, the build.context of docker-compose.yml (service api)" in result.notes
    # the manifest the root holds is copied first (layer-order read it in the Compose context)
    assert "COPY requirements.txt ./" in entry.diff or "COPY requirements.txt ." in entry.diff


def test_batch_without_compose_keeps_the_dockerfiles_folder(tmp_path):
    root = tree(tmp_path / "repo", {"api/Dockerfile": APP, "api/requirements.txt": "flask\n"})
    real = os.path.realpath(root)
    entry = runner.migrate_one(real, "api/Dockerfile", Options(), True, False)
    assert os.path.realpath(entry.result.context_root) == os.path.join(real, "api")
    assert not any(n.startswith("build context:") for n in entry.result.notes)


def test_batch_with_bad_compose_yaml_falls_back_with_a_note(tmp_path):
    root = tree(tmp_path / "repo", {"api/Dockerfile": APP, "api/requirements.txt": "flask\n",
                                    "docker-compose.yml": "services:\n\t- bad\n"})
    real = os.path.realpath(root)
    entry = runner.migrate_one(real, "api/Dockerfile", Options(), True, False)
    assert entry.result.status.value == "migrated"
    assert os.path.realpath(entry.result.context_root) == os.path.join(real, "api")
    assert any(n.startswith("build context: docker-compose.yml: not valid YAML") for n in entry.result.notes)

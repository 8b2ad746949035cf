"""Finding the console scripts the test extra installs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def installed_script(name: str) -> str | None:
    """Path of console script ``name`` of the interpreter running the tests.

    The README runs the tests as ``.venv/bin/python -m pytest`` without
    activating the virtualenv, so its ``bin/`` folder need not be on PATH:
    look next to ``sys.executable`` first, then on PATH.

    Returns:
        the path, or None when the script is installed in neither place.
    """
    local = Path(sys.executable).parent / name
    if local.is_file():
        return str(local)
    return shutil.which(name)

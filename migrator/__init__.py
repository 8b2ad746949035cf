"""dockerfile-migrator: turn single-stage Dockerfiles into lean multi-stage ones.

Library entry points::

    from migrator import parse, migrate_text
    df = parse(text)            # lossless model, str(df) == text
    result = migrate_text(text) # FileResult: status, output, changes, refusals
"""

from migrator.model import Dockerfile, ParseError, parse

__all__ = ["Dockerfile", "ParseError", "parse", "migrate_text"]


def migrate_text(text, options=None, path="-"):
    """Migrate one Dockerfile's text; see :func:`migrator.engine.migrate_text`."""
    from migrator.engine import migrate_text as _migrate

    return _migrate(text, options, path)

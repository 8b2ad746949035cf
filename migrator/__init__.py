"""dockerfile-migrator: turn single-stage Dockerfiles into lean multi-stage ones.

Library entry points::

    from migrator import parse, migrate_text
    df = parse(text)            # lossless model, str(df) == text
    result = migrate_text(text) # FileResult: status, output, changes, refusals

Names are loaded on first use, so importing a submodule (the CLI, a batch
worker) does not load BuildKit's Go parser before it is needed: Go's runtime
does not survive ``fork()``.
"""

__all__ = ["Dockerfile", "ParseError", "parse", "migrate_text"]


def __getattr__(name):
    if name in ("Dockerfile", "ParseError", "parse"):
        from migrator.model import dockerfile as model

        return getattr(model, name)
    if name == "migrate_text":
        from migrator.engine import migrate_text

        return migrate_text
    raise AttributeError(f"module 'migrator' has no attribute {name!r}")

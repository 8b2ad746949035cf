"""Build packages removed again: only a removal in the same RUN keeps them out of the image.

Each RUN is a layer (docs.docker.com/build/cache/), so `apk del` / `apt-get purge` in a later RUN
leaves the packages in the earlier layer: a split does take them out, and the migration must say so.
"""

from migrator.engine import migrate_text

LATER_RUN = """\
FROM python:3.11-alpine3.19
WORKDIR /app
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt && apk --purge del .build-deps
COPY . .
CMD ["python", "app.py"]
"""

SAME_RUN = """\
FROM python:3.11-alpine3.19
WORKDIR /app
COPY requirements.txt .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \\
    && pip install --no-cache-dir -r requirements.txt && apk --purge del .build-deps
COPY . .
CMD ["python", "app.py"]
"""


def _change(result, transform):
    return next((c for c in result.changes if c.transform == transform), None)


def test_packages_removed_in_a_later_run_are_a_gain():
    result = migrate_text(LATER_RUN)
    deps = _change(result, "build-deps")
    assert deps is not None and deps.bytes_saved > 50_000_000
    split = _change(result, "split-stages")
    assert "no size change" not in split.reason
    assert "COPY --from=builder /opt/venv /opt/venv" in result.output
    runtime = result.output.split("AS runtime", 1)[1]
    words = runtime.split()
    assert "gcc" not in words and "musl-dev" not in words and "postgresql-dev" not in words
    assert "libpq" in words          # the runtime library of postgresql-dev


def test_packages_removed_in_the_same_run_save_nothing():
    result = migrate_text(SAME_RUN)
    assert result.bytes_saved == 0
    split = _change(result, "split-stages")
    assert split is not None and "no size change" in split.reason

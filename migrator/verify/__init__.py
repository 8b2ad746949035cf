"""Prove a migration with real builds: ``dockerfile-migrator verify``.

The package is split so that the decision is testable without a builder:

* :mod:`migrator.verify.compare` — pure logic: given what was learnt about the
  original and the migrated image (:class:`~migrator.verify.compare.ImageFacts`),
  decide whether the migration is proven (:class:`~migrator.verify.compare.Verdict`).
* :mod:`migrator.verify.builders` — finds docker (with buildx), podman or
  buildah and drives it through subprocesses: build, inspect, run, remove.
* :mod:`migrator.verify.inspect` — turns builder answers into ``ImageFacts``
  (config, size, user and UID, files under WORKDIR, smoke command).
* :mod:`migrator.verify.report` — the rich table and the ``--json`` document.
* :mod:`migrator.verify.overlay` — the build context as the migration leaves
  it: a temporary copy (hard links) with the migration's context files applied.
* :mod:`migrator.verify.session` — one whole verification, from two
  Dockerfiles to a verdict, cleaning up its images and temporary files.
"""

"""Batch runs over a whole tree: :mod:`~migrator.batch.discovery` finds the
Dockerfiles, :mod:`~migrator.batch.runner` migrates them in worker
processes, :mod:`~migrator.batch.reports` writes the patch and the reports."""

"""The transforms, one module each; :func:`registry` gives them in run order.

Order matters: ``venv`` isolates Python installs so ``split-stages`` can copy
them, ``build-deps`` then rewrites the system installs of the runtime stage
``split-stages`` made, and ``non-root-user`` finishes the final stage.
``dockerignore`` comes last: it reads the finished file's COPY instructions
and writes only a build-context file.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def registry() -> tuple:
    """All transforms, in the order the engine runs them."""
    from transforms.build_deps import BuildDeps
    from transforms.cache_mounts import CacheMounts
    from transforms.dev_target import DevTarget
    from transforms.dockerignore import DockerIgnore
    from transforms.healthcheck import Healthcheck
    from transforms.layer_order import LayerOrder
    from transforms.non_root_user import NonRootUser
    from transforms.split_stages import SplitStages
    from transforms.venv import Venv

    return (LayerOrder(), Venv(), SplitStages(), BuildDeps(), NonRootUser(), DevTarget(), Healthcheck(), CacheMounts(),
            DockerIgnore())

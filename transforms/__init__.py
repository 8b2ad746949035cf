"""The transforms, one module each; :func:`registry` gives them in run order.

Order matters: ``venv`` isolates Python installs so ``split-stages`` can copy
them, ``build-deps`` then rewrites the system installs of the runtime stage
``split-stages`` made, and ``non-root-user`` finishes the final stage.
``dockerignore`` comes first: it writes only a build-context file, and the
engine lets the later transforms read the context as that file leaves it
(``layer-order`` may move a whole-context COPY once ``node_modules`` is
ignored), so one run gives what a second run would. ``frontend-stage`` follows
it: it moves a Python image's Node frontend build into a leading ``frontend``
stage, and the transforms after it work on the stages after that one
(:func:`migrator.analysis.stage.app_stages`); see its module docstring.
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
    from transforms.frontend_stage import FrontendStage
    from transforms.go_runtime import GoRuntime
    from transforms.healthcheck import Healthcheck
    from transforms.layer_order import LayerOrder
    from transforms.node_runtime import NodeRuntime
    from transforms.non_root_user import NonRootUser
    from transforms.split_stages import SplitStages
    from transforms.venv import Venv
    from transforms.version_file import VersionFile

    return (DockerIgnore(), FrontendStage(), LayerOrder(), Venv(), GoRuntime(), SplitStages(), NodeRuntime(), BuildDeps(), NonRootUser(), DevTarget(),
            Healthcheck(), CacheMounts(), VersionFile())

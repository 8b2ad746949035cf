"""Runtime libraries resolved from what the build produced, and the package
facts that do not need per-release data.

* :mod:`migrator.libraries.record`: the builder step that lists the packages
  owning the shared libraries the built artifacts load, and the runtime
  stage's install of that list;
* :mod:`migrator.libraries.names`: build-only packages recognised by name
  (``build-only-names.json``);
* :mod:`migrator.libraries.images`: what official base images carry, and the
  programs only a full image has.
"""

from migrator.libraries.images import (archived_release, buildpack_deps_packages, carried_packages,
                                       full_only_programs, needs_ca_certificates, on_buildpack_deps, programs_of,
                                       script_calls, script_words, tool_packages)
from migrator.libraries.names import NameIndex, ReleaseIndexWithNames, always_present, name_index, with_name_rules
from migrator.libraries.record import LIST_NAME, install_parts, list_path, record_lines, record_script

__all__ = [
    "LIST_NAME", "NameIndex", "ReleaseIndexWithNames", "always_present", "with_name_rules", "buildpack_deps_packages", "carried_packages",
    "full_only_programs", "install_parts", "on_buildpack_deps", "list_path", "name_index", "programs_of",
    "record_lines",
    "record_script", "script_calls", "script_words", "archived_release", "needs_ca_certificates", "tool_packages",
]

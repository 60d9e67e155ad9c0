"""Pure content → content updaters that write a new version into a file, keeping its format.

Each updater has release-please's Updater shape, ``update(content, version) -> str``. The
registry ``VERSION_FILES`` names the files each release type updates (missing files are
skipped by the plan); ``extra_file_updater`` covers ``extra-files`` entries.
"""

from __future__ import annotations

from collections.abc import Callable

from relkit.core.versions import Version

from release_pr.updaters import docker, generic, helm, node, python, simple

Updater = Callable[[str, Version], str]

# release type → (repo-relative path inside the package, updater); files that do not exist are
# skipped, except version.txt for ``simple`` which is created.
VERSION_FILES: dict[str, tuple[tuple[str, Updater], ...]] = {
    "simple": (("version.txt", simple.update_version_txt),),
    "python": (
        ("pyproject.toml", python.update_pyproject),
        ("setup.cfg", python.update_setup_cfg),
        ("setup.py", python.update_setup_py),
    ),
    "node": (
        ("package.json", node.update_package_json),
        ("package-lock.json", node.update_package_lock),
        ("npm-shrinkwrap.json", node.update_package_lock),
    ),
    "helm": (("Chart.yaml", helm.update_chart_yaml),),
}

CREATED_FILES = frozenset({("simple", "version.txt")})

__all__ = ["CREATED_FILES", "VERSION_FILES", "Updater", "docker", "generic", "python"]

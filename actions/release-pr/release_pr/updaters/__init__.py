"""Pure content → content updaters that write a new version into a file, keeping its format.

Each updater has release-please's Updater shape, ``update(content, version) -> str``.
``version_files`` names the files a release type updates (missing files are skipped by the plan,
except version.txt for ``simple`` which is created); it imports only that type's updater module,
so a run loads the one it uses. ``extra-files`` entries go through ``generic`` (and ``docker``
for ``action.yml``), imported by the plan when a package has any.
"""

from __future__ import annotations

from collections.abc import Callable

from relkit.core.versions import Version

Updater = Callable[[str, Version], str]
VersionFiles = tuple[tuple[str, Updater], ...]  # (repo-relative path in the package, updater)


def _simple() -> VersionFiles:
    from release_pr.updaters import simple  # noqa: PLC0415 - one release type's module

    return (("version.txt", simple.update_version_txt),)


def _python() -> VersionFiles:
    from release_pr.updaters import python  # noqa: PLC0415 - one release type's module

    return (
        ("pyproject.toml", python.update_pyproject),
        ("setup.cfg", python.update_setup_cfg),
        ("setup.py", python.update_setup_py),
    )


def _node() -> VersionFiles:
    from release_pr.updaters import node  # noqa: PLC0415 - one release type's module

    return (
        ("package.json", node.update_package_json),
        ("package-lock.json", node.update_package_lock),
        ("npm-shrinkwrap.json", node.update_package_lock),
    )


def _helm() -> VersionFiles:
    from release_pr.updaters import helm  # noqa: PLC0415 - one release type's module

    return (("Chart.yaml", helm.update_chart_yaml),)


# release type → its files and updaters (the registry; other types update no version file)
VERSION_FILES: dict[str, Callable[[], VersionFiles]] = {
    "simple": _simple,
    "python": _python,
    "node": _node,
    "helm": _helm,
}

CREATED_FILES = frozenset({("simple", "version.txt")})


def version_files(release_type: str) -> VersionFiles:
    """The files ``release_type`` keeps its version in, with their updaters."""
    load = VERSION_FILES.get(release_type)
    return load() if load is not None else ()


__all__ = ["CREATED_FILES", "VERSION_FILES", "Updater", "VersionFiles", "version_files"]

"""Pure content → content updaters that write a new version into a file, keeping its format.

Each updater has release-please's Updater shape, ``update(content, version) -> str``.
``version_files`` names the files a release type updates (missing files are skipped by the plan,
except version.txt for ``simple`` which is created); it imports only that type's updater module,
so a run loads the one it uses. Types whose files depend on the package (``ruby``'s
``lib/<name>/version.rb``, ``rust``'s workspace members, the ``pom.xml`` / ``*.opam`` /
``versions.tf`` files ``maven``, ``ocaml`` and ``terraform-module`` find in the package) add a
``discover`` step that reads and lists files through callbacks (the plan passes its reads and
``git ls-files``); ``package_files`` joins both, with release-please's ``version-file``.
``extra-files`` entries go through ``generic`` (and ``docker`` for ``action.yml``), imported by
the plan when a package has any.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from relkit.core.versions import Version

Updater = Callable[[str, Version], str]
VersionFiles = tuple[tuple[str, Updater], ...]  # (repo-relative path in the package, updater)
Reader = Callable[[str], str | None]  # a path in the package → its content, None when missing


class Found(NamedTuple):
    """What a ``discover`` step found: the files to update and what to tell the user."""

    files: VersionFiles = ()
    warnings: tuple[str, ...] = ()


Listing = Callable[[], tuple[str, ...]]  # the package's tracked files, by path in the package


def no_files() -> tuple[str, ...]:
    return ()


class Package(NamedTuple):
    """What a ``discover`` step sees of a package."""

    name: str | None  # ``component`` or ``package-name``
    read: Reader
    listing: Listing = no_files
    version_file: str | None = None  # release-please's ``version-file``


# a package → its files that depend on its name or contents
Discover = Callable[[Package], Found]


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


def _dart() -> VersionFiles:
    from release_pr.updaters import dart  # noqa: PLC0415 - one release type's module

    return (("pubspec.yaml", dart.update_pubspec_yaml),)


def _elixir() -> VersionFiles:
    from release_pr.updaters import elixir  # noqa: PLC0415 - one release type's module

    return (("mix.exs", elixir.update_mix_exs),)


def _php() -> VersionFiles:
    from release_pr.updaters import php  # noqa: PLC0415 - one release type's module

    return (("composer.json", php.update_composer_json), ("VERSION", php.update_version_file))


def _bazel() -> VersionFiles:
    from release_pr.updaters import bazel  # noqa: PLC0415 - one release type's module

    return (("MODULE.bazel", bazel.update_module_bazel),)


def _julia() -> VersionFiles:
    from release_pr.updaters import julia  # noqa: PLC0415 - one release type's module

    return (
        ("Project.toml", julia.update_project_toml),
        ("JuliaProject.toml", julia.update_project_toml),
    )


def _r() -> VersionFiles:
    from release_pr.updaters import r  # noqa: PLC0415 - one release type's module

    return (("DESCRIPTION", r.update_description),)


def _sfdx() -> VersionFiles:
    from release_pr.updaters import sfdx  # noqa: PLC0415 - one release type's module

    return (("sfdx-project.json", sfdx.update_sfdx_project_json),)


def _none() -> VersionFiles:
    return ()  # release-please's go strategy writes CHANGELOG.md only


# release type → its files and updaters (the registry; other types update no version file)
VERSION_FILES: dict[str, Callable[[], VersionFiles]] = {
    "simple": _simple,
    "python": _python,
    "node": _node,
    "expo": _node,
    "helm": _helm,
    "go": _none,
    "dart": _dart,
    "elixir": _elixir,
    "php": _php,
    "bazel": _bazel,
    "julia": _julia,
    "r": _r,
    "sfdx": _sfdx,
    "salesforce": _sfdx,
}


def _ruby() -> Discover:
    from release_pr.updaters import ruby  # noqa: PLC0415 - one release type's module

    return ruby.discover


def _rust() -> Discover:
    from release_pr.updaters import rust  # noqa: PLC0415 - one release type's module

    return rust.discover


def _expo() -> Discover:
    from release_pr.updaters import expo  # noqa: PLC0415 - one release type's module

    return expo.discover


def _ocaml() -> Discover:
    from release_pr.updaters import ocaml  # noqa: PLC0415 - one release type's module

    return ocaml.discover


def _java() -> Discover:
    from release_pr.updaters import maven  # noqa: PLC0415 - one release type's module

    return maven.discover_java


def _maven() -> Discover:
    from release_pr.updaters import maven  # noqa: PLC0415 - one release type's module

    return maven.discover_maven


def _terraform() -> Discover:
    from release_pr.updaters import terraform  # noqa: PLC0415 - one release type's module

    return terraform.discover


# release type → the step finding the files that depend on the package's name or contents
DISCOVER: dict[str, Callable[[], Discover]] = {
    "ruby": _ruby,
    "rust": _rust,
    "terraform-module": _terraform,
    "expo": _expo,  # node's files (VERSION_FILES) and app.json
    "ocaml": _ocaml,
    "java": _java,
    "maven": _maven,
}

CREATED_FILES = frozenset({("simple", "version.txt")})


def version_files(release_type: str) -> VersionFiles:
    """The files ``release_type`` keeps its version in, with their updaters."""
    load = VERSION_FILES.get(release_type)
    return load() if load is not None else ()


def _simple_version_file() -> tuple[str | None, Updater]:
    from release_pr.updaters import simple  # noqa: PLC0415 - one release type's module

    return "version.txt", simple.update_version_file


def _go_version_file() -> tuple[str | None, Updater]:
    from release_pr.updaters import go  # noqa: PLC0415 - one release type's module

    return None, go.update_version_go


def _bazel_version_file() -> tuple[str | None, Updater]:
    from release_pr.updaters import bazel  # noqa: PLC0415 - one release type's module

    return "MODULE.bazel", bazel.update_module_bazel


# release type → (the fixed file a ``version-file`` replaces, the updater it gets); ``ruby``
# reads ``Package.version_file`` in its discover step, other types ignore the setting
VERSION_FILE: dict[str, Callable[[], tuple[str | None, Updater]]] = {
    "simple": _simple_version_file,
    "go": _go_version_file,
    "bazel": _bazel_version_file,
}


def package_files(
    release_type: str,
    name: str | None,
    read: Reader,
    listing: Listing = no_files,
    version_file: str | None = None,
) -> Found:
    """Every file ``release_type`` updates in a package named ``name`` (``read`` and ``listing``
    see its files, by path in the package): the fixed ones, then the discovered ones."""
    fixed = version_files(release_type)
    custom = VERSION_FILE.get(release_type) if version_file else None
    if version_file and custom is not None:
        replaced, updater = custom()
        fixed = (*((p, u) for p, u in fixed if p != replaced), (version_file, updater))
    load = DISCOVER.get(release_type)
    if load is None:
        return Found(fixed)
    found = load()(Package(name, read, listing, version_file))
    return Found((*fixed, *found.files), found.warnings)


__all__ = [
    "CREATED_FILES",
    "DISCOVER",
    "VERSION_FILE",
    "VERSION_FILES",
    "Discover",
    "Found",
    "Listing",
    "Package",
    "Reader",
    "Updater",
    "VersionFiles",
    "package_files",
    "version_files",
]

"""Pure content → content updaters that write a new version into a file, keeping its format.

Each updater has release-please's Updater shape, ``update(content, version) -> str``. Each
release type's record (``release_pr.strategies.RELEASE_TYPES``) points at a loader here that
imports only that type's updater module, so a run loads the one it uses, and returns a typed
:class:`TypeFiles`: the fixed files (missing ones are skipped, except ``simple``'s version.txt,
which is created), a ``discover`` step for files that depend on the package (``ruby``'s
``lib/<name>/version.rb``, ``rust``'s workspace members, every ``version.py`` of a python
package, …; it reads and lists files through callbacks) and release-please's ``version-file``.
``extra-files`` entries go through :mod:`release_pr.updaters.extra_files`.
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


class TypeFiles(NamedTuple):
    """Where one release type keeps its version: typed, so mypy checks every updater."""

    fixed: VersionFiles = ()  # (file in the package, updater); missing files are skipped
    discover: Discover | None = None  # files that depend on the package's name or contents
    created: frozenset[str] = frozenset()  # fixed files created when missing (version.txt)
    # release-please's ``version-file``: (the fixed file it replaces, the updater it gets)
    version_file: tuple[str | None, Updater] | None = None


# Each loader imports its release type's updater module when a run needs it (so a run loads
# only the one it uses) and names the functions directly: no strings, no ``Any``.


def _simple() -> TypeFiles:
    from release_pr.updaters import simple  # noqa: PLC0415

    return TypeFiles(
        (("version.txt", simple.update_version_txt),),
        created=frozenset({"version.txt"}),
        version_file=("version.txt", simple.update_version_file),
    )


def _python() -> TypeFiles:
    from release_pr.updaters import python  # noqa: PLC0415

    return TypeFiles(
        (
            ("pyproject.toml", python.update_pyproject),
            ("setup.cfg", python.update_setup_cfg),
            ("setup.py", python.update_setup_py),
        ),
        discover=python.discover,
    )


def _node() -> TypeFiles:
    from release_pr.updaters import node  # noqa: PLC0415

    return TypeFiles(
        (
            ("package.json", node.update_package_json),
            ("package-lock.json", node.update_package_lock),
            ("npm-shrinkwrap.json", node.update_package_lock),
        ),
        discover=node.discover,
    )


def _expo() -> TypeFiles:
    from release_pr.updaters import expo  # noqa: PLC0415 - node's files, plus app.json

    return _node()._replace(discover=expo.discover)


def _helm() -> TypeFiles:
    from release_pr.updaters import helm  # noqa: PLC0415

    return TypeFiles((("Chart.yaml", helm.update_chart_yaml),))


def _go() -> TypeFiles:
    from release_pr.updaters import go  # noqa: PLC0415 - release-please's go writes no file

    return TypeFiles(version_file=(None, go.update_version_go))


def _dart() -> TypeFiles:
    from release_pr.updaters import dart  # noqa: PLC0415

    return TypeFiles((("pubspec.yaml", dart.update_pubspec_yaml),))


def _elixir() -> TypeFiles:
    from release_pr.updaters import elixir  # noqa: PLC0415

    return TypeFiles((("mix.exs", elixir.update_mix_exs),))


def _php() -> TypeFiles:
    from release_pr.updaters import php  # noqa: PLC0415

    return TypeFiles(
        (("composer.json", php.update_composer_json), ("VERSION", php.update_version_file))
    )


def _bazel() -> TypeFiles:
    from release_pr.updaters import bazel  # noqa: PLC0415

    return TypeFiles(
        (("MODULE.bazel", bazel.update_module_bazel),),
        version_file=("MODULE.bazel", bazel.update_module_bazel),
    )


def _julia() -> TypeFiles:
    from release_pr.updaters import julia  # noqa: PLC0415

    return TypeFiles(
        (
            ("Project.toml", julia.update_project_toml),
            ("JuliaProject.toml", julia.update_project_toml),
        )
    )


def _r() -> TypeFiles:
    from release_pr.updaters import r  # noqa: PLC0415

    return TypeFiles((("DESCRIPTION", r.update_description),))


def _sfdx() -> TypeFiles:
    from release_pr.updaters import sfdx  # noqa: PLC0415

    return TypeFiles((("sfdx-project.json", sfdx.update_sfdx_project_json),))


def _ruby() -> TypeFiles:
    from release_pr.updaters import ruby  # noqa: PLC0415 - reads Package.version_file itself

    return TypeFiles(discover=ruby.discover)


def _rust() -> TypeFiles:
    from release_pr.updaters import rust  # noqa: PLC0415

    return TypeFiles(discover=rust.discover)


def _terraform() -> TypeFiles:
    from release_pr.updaters import terraform  # noqa: PLC0415

    return TypeFiles(discover=terraform.discover)


def _ocaml() -> TypeFiles:
    from release_pr.updaters import ocaml  # noqa: PLC0415

    return TypeFiles(discover=ocaml.discover)


def _java() -> TypeFiles:
    from release_pr.updaters import maven  # noqa: PLC0415

    return TypeFiles(discover=maven.discover_java)


def _maven() -> TypeFiles:
    from release_pr.updaters import maven  # noqa: PLC0415

    return TypeFiles(discover=maven.discover_maven)


def no_version_files() -> TypeFiles:
    """release-please's types relkit updates no version file for (a warning says so)."""
    return TypeFiles()


# release type → the loader of its version files (``release_pr.strategies.RELEASE_TYPES`` holds
# each type's record and points here)
TYPE_FILES: dict[str, Callable[[], TypeFiles]] = {
    "simple": _simple,
    "python": _python,
    "node": _node,
    "helm": _helm,
    "go": _go,
    "dart": _dart,
    "elixir": _elixir,
    "php": _php,
    "bazel": _bazel,
    "julia": _julia,
    "r": _r,
    "sfdx": _sfdx,
    "salesforce": _sfdx,
    "expo": _expo,
    "ruby": _ruby,
    "rust": _rust,
    "terraform-module": _terraform,
    "ocaml": _ocaml,
    "java": _java,
    "maven": _maven,
}


def type_files(release_type: str) -> TypeFiles:
    """The version files of ``release_type`` (its record in ``release_pr.strategies``)."""
    from release_pr.strategies import RELEASE_TYPES  # noqa: PLC0415 - it imports this module

    record = RELEASE_TYPES.get(release_type)
    return record.files() if record is not None else TypeFiles()


def version_files(release_type: str) -> VersionFiles:
    """The files ``release_type`` keeps its version in, with their updaters."""
    return type_files(release_type).fixed


def is_created(release_type: str, name: str) -> bool:
    """Whether ``name`` of a ``release_type`` package is created when missing."""
    return name in type_files(release_type).created


def package_files(
    release_type: str,
    name: str | None,
    read: Reader,
    listing: Listing = no_files,
    version_file: str | None = None,
) -> Found:
    """Every file ``release_type`` updates in a package named ``name`` (``read`` and ``listing``
    see its files, by path in the package): the fixed ones, then the discovered ones."""
    kind = type_files(release_type)
    fixed = kind.fixed
    if version_file and kind.version_file is not None:
        replaced, updater = kind.version_file
        fixed = (*((p, u) for p, u in fixed if p != replaced), (version_file, updater))
    if kind.discover is None:
        return Found(fixed)
    found = kind.discover(Package(name, read, listing, version_file))
    return Found((*fixed, *found.files), found.warnings)


__all__ = [
    "TYPE_FILES",
    "Discover",
    "Found",
    "Listing",
    "Package",
    "Reader",
    "TypeFiles",
    "Updater",
    "VersionFiles",
    "is_created",
    "package_files",
    "type_files",
    "version_files",
]

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

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

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


def _load(module: str, name: str) -> Any:
    """``release_pr.updaters.<module>.<name>``, imported now: a run loads only its type's module."""
    return getattr(importlib.import_module(f"release_pr.updaters.{module}"), name)


# release type → (updater module, ((file in the package, updater function), …)); other types
# update no version file (release-please's go strategy writes CHANGELOG.md only)
VERSION_FILES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "simple": ("simple", (("version.txt", "update_version_txt"),)),
    "python": (
        "python",
        (
            ("pyproject.toml", "update_pyproject"),
            ("setup.cfg", "update_setup_cfg"),
            ("setup.py", "update_setup_py"),
        ),
    ),
    "node": (
        "node",
        (
            ("package.json", "update_package_json"),
            ("package-lock.json", "update_package_lock"),
            ("npm-shrinkwrap.json", "update_package_lock"),
        ),
    ),
    "helm": ("helm", (("Chart.yaml", "update_chart_yaml"),)),
    "go": ("go", ()),
    "dart": ("dart", (("pubspec.yaml", "update_pubspec_yaml"),)),
    "elixir": ("elixir", (("mix.exs", "update_mix_exs"),)),
    "php": ("php", (("composer.json", "update_composer_json"), ("VERSION", "update_version_file"))),
    "bazel": ("bazel", (("MODULE.bazel", "update_module_bazel"),)),
    "julia": (
        "julia",
        (("Project.toml", "update_project_toml"), ("JuliaProject.toml", "update_project_toml")),
    ),
    "r": ("r", (("DESCRIPTION", "update_description"),)),
    "sfdx": ("sfdx", (("sfdx-project.json", "update_sfdx_project_json"),)),
}
VERSION_FILES["expo"] = VERSION_FILES["node"]  # plus app.json, found by its discover step
VERSION_FILES["salesforce"] = VERSION_FILES["sfdx"]

# release type → (module, discover step) finding the files that depend on the package's name
# or contents
DISCOVER: dict[str, tuple[str, str]] = {
    "node": ("node", "discover"),
    "python": ("python", "discover"),
    "ruby": ("ruby", "discover"),
    "rust": ("rust", "discover"),
    "terraform-module": ("terraform", "discover"),
    "expo": ("expo", "discover"),
    "ocaml": ("ocaml", "discover"),
    "java": ("maven", "discover_java"),
    "maven": ("maven", "discover_maven"),
}

CREATED_FILES = frozenset({("simple", "version.txt")})

# release type → (module, the fixed file a ``version-file`` replaces, the updater it gets);
# ``ruby`` reads ``Package.version_file`` in its discover step, other types ignore the setting
VERSION_FILE: dict[str, tuple[str, str | None, str]] = {
    "simple": ("simple", "version.txt", "update_version_file"),
    "go": ("go", None, "update_version_go"),
    "bazel": ("bazel", "MODULE.bazel", "update_module_bazel"),
}


def version_files(release_type: str) -> VersionFiles:
    """The files ``release_type`` keeps its version in, with their updaters."""
    module, files = VERSION_FILES.get(release_type, ("", ()))
    return tuple((path, _load(module, name)) for path, name in files)


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
        module, replaced, updater = custom
        fixed = (
            *((p, u) for p, u in fixed if p != replaced),
            (version_file, _load(module, updater)),
        )
    step = DISCOVER.get(release_type)
    if step is None:
        return Found(fixed)
    discover: Discover = _load(*step)
    found = discover(Package(name, read, listing, version_file))
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

"""Versioning strategies and release types (release-please's). Pure.

A versioning strategy turns the previous version and the commits since it into the next version;
a release type fixes the first version, the default changelog sections and which files carry the
version. Both are explicit registries: a new strategy is one class plus one dict line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from relkit.core.changelog import DEFAULT_SECTIONS, HIDDEN_SECTIONS, ChangelogSection
from relkit.core.versions import (
    BumpLevel,
    Version,
    VersionError,
    adjust_pre_major,
    bump,
    bump_prerelease_number,
    parse_loose,
)

from release_pr.commit_parser import ReleaseCommit
from release_pr.updaters import TYPE_FILES, TypeFiles, no_version_files


class VersioningStrategy(Protocol):
    def next_version(self, previous: Version, commits: Sequence[ReleaseCommit]) -> Version: ...


def commit_level(commits: Sequence[ReleaseCommit]) -> BumpLevel:
    """Breaking → major, ``feat`` / ``feature`` → minor, anything else → patch."""
    if any(commit.breaking for commit in commits):
        return BumpLevel.MAJOR
    if any(commit.type in ("feat", "feature") for commit in commits):
        return BumpLevel.MINOR
    return BumpLevel.PATCH


def release_as_commit(commits: Sequence[ReleaseCommit]) -> Version | None:
    """The newest ``Release-As:`` footer that names a version (commits are newest first)."""
    for commit in commits:
        text = commit.release_as
        if text is not None:
            try:
                return parse_loose(text)
            except VersionError:
                continue
    return None


class DefaultVersioning(NamedTuple):
    bump_minor_pre_major: bool = False
    bump_patch_for_minor_pre_major: bool = False

    def level(self, previous: Version, commits: Sequence[ReleaseCommit]) -> BumpLevel:
        return adjust_pre_major(
            previous,
            commit_level(commits),
            bump_minor_pre_major=self.bump_minor_pre_major,
            bump_patch_for_minor_pre_major=self.bump_patch_for_minor_pre_major,
        )

    def next_version(self, previous: Version, commits: Sequence[ReleaseCommit]) -> Version:
        forced = release_as_commit(commits)
        if forced is not None:
            return forced
        return bump(previous, self.level(previous, commits))


class AlwaysBump(NamedTuple):
    bump_level: BumpLevel

    def next_version(self, previous: Version, commits: Sequence[ReleaseCommit]) -> Version:
        forced = release_as_commit(commits)
        return forced if forced is not None else bump(previous, self.bump_level)


class PrereleaseVersioning(NamedTuple):
    """A bump at or below the pending prerelease only counts up its number (padding kept)."""

    prerelease_type: str = ""
    bump_minor_pre_major: bool = False
    bump_patch_for_minor_pre_major: bool = False

    def next_version(self, previous: Version, commits: Sequence[ReleaseCommit]) -> Version:
        forced = release_as_commit(commits)
        if forced is not None:
            return forced
        level = DefaultVersioning(
            self.bump_minor_pre_major, self.bump_patch_for_minor_pre_major
        ).level(previous, commits)
        if previous.prerelease:
            pending = (
                (level is BumpLevel.PATCH)
                or (level is BumpLevel.MINOR and previous.patch == 0)
                or (level is BumpLevel.MAJOR and previous.patch == 0 and previous.minor == 0)
            )
            if pending:
                return previous.with_prerelease(bump_prerelease_number(previous.prerelease))
            return bump(previous, level)
        return bump(previous, level, keep_suffix=False).with_prerelease(self.prerelease_type)


class StrategyOptions(NamedTuple):
    """The package settings a versioning strategy may read."""

    bump_minor_pre_major: bool = False
    bump_patch_for_minor_pre_major: bool = False
    prerelease_type: str = ""


# versioning strategy name → its constructor (release-please's ``versioning`` values)
STRATEGIES: dict[str, Callable[[StrategyOptions], VersioningStrategy]] = {
    "default": lambda o: DefaultVersioning(
        o.bump_minor_pre_major, o.bump_patch_for_minor_pre_major
    ),
    "always-bump-patch": lambda _o: AlwaysBump(BumpLevel.PATCH),
    "always-bump-minor": lambda _o: AlwaysBump(BumpLevel.MINOR),
    "always-bump-major": lambda _o: AlwaysBump(BumpLevel.MAJOR),
    "prerelease": lambda o: PrereleaseVersioning(
        o.prerelease_type, o.bump_minor_pre_major, o.bump_patch_for_minor_pre_major
    ),
}
STRATEGY_NAMES = tuple(STRATEGIES)


def build_strategy(
    name: str | None,
    *,
    bump_minor_pre_major: bool = False,
    bump_patch_for_minor_pre_major: bool = False,
    prerelease_type: str | None = None,
) -> VersioningStrategy:
    """The registry's strategy; unknown names fall back to ``default`` (config validation warns)."""
    options = StrategyOptions(
        bump_minor_pre_major, bump_patch_for_minor_pre_major, prerelease_type or ""
    )
    return STRATEGIES.get(name or "default", STRATEGIES["default"])(options)


def graduate(version: Version) -> Version:
    """``prerelease: false`` on a prerelease line: drop the suffix."""
    return Version(version.major, version.minor, version.patch, "", version.build)


PYTHON_SECTIONS: tuple[ChangelogSection, ...] = (
    ChangelogSection("feat", "Features"),
    ChangelogSection("fix", "Bug Fixes"),
    ChangelogSection("perf", "Performance Improvements"),
    ChangelogSection("deps", "Dependencies"),
    ChangelogSection("revert", "Reverts"),
    ChangelogSection("docs", "Documentation"),  # visible, unlike the default preset
    *HIDDEN_SECTIONS,
)


# php's preset: chores shown, docs hidden (release-please's php strategy)
PHP_SECTIONS: tuple[ChangelogSection, ...] = (
    ChangelogSection("feat", "Features"),
    ChangelogSection("fix", "Bug Fixes"),
    ChangelogSection("perf", "Performance Improvements"),
    ChangelogSection("revert", "Reverts"),
    ChangelogSection("chore", "Miscellaneous Chores"),
    ChangelogSection("docs", "Documentation", hidden=True),
    ChangelogSection("style", "Styles", hidden=True),
    ChangelogSection("refactor", "Code Refactoring", hidden=True),
    ChangelogSection("test", "Tests", hidden=True),
    ChangelogSection("build", "Build System", hidden=True),
    ChangelogSection("ci", "Continuous Integration", hidden=True),
)


class ReleaseType(NamedTuple):
    """One release type: its first version, its changelog preset and (loaded when a run needs
    them) the files that carry its version."""

    name: str
    initial_version: Version
    sections: tuple[ChangelogSection, ...]
    files: Callable[[], TypeFiles] = no_version_files


# the release types relkit builds: first version and changelog preset as release-please's
# strategy of that name (its ``initialReleaseVersion`` and ``CHANGELOG_SECTIONS``)
RELEASE_TYPES: dict[str, ReleaseType] = {
    "simple": ReleaseType("simple", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["simple"]),
    "node": ReleaseType("node", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["node"]),
    "python": ReleaseType("python", Version(0, 1, 0), PYTHON_SECTIONS, TYPE_FILES["python"]),
    "helm": ReleaseType("helm", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["helm"]),
    "go": ReleaseType("go", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["go"]),
    "rust": ReleaseType("rust", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["rust"]),
    "ruby": ReleaseType("ruby", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["ruby"]),
    "dart": ReleaseType("dart", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["dart"]),
    "elixir": ReleaseType("elixir", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["elixir"]),
    "php": ReleaseType("php", Version(1, 0, 0), PHP_SECTIONS, TYPE_FILES["php"]),
    "bazel": ReleaseType("bazel", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["bazel"]),
    "julia": ReleaseType("julia", Version(0, 1, 0), PYTHON_SECTIONS, TYPE_FILES["julia"]),
    "r": ReleaseType("r", Version(0, 1, 0), PYTHON_SECTIONS, TYPE_FILES["r"]),
    "terraform-module": ReleaseType(
        "terraform-module", Version(0, 1, 0), DEFAULT_SECTIONS, TYPE_FILES["terraform-module"]
    ),
    "expo": ReleaseType("expo", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["expo"]),
    "ocaml": ReleaseType("ocaml", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["ocaml"]),
    "java": ReleaseType("java", Version(1, 0, 0), PYTHON_SECTIONS, TYPE_FILES["java"]),
    "maven": ReleaseType("maven", Version(1, 0, 0), PYTHON_SECTIONS, TYPE_FILES["maven"]),
    "sfdx": ReleaseType("sfdx", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["sfdx"]),
    "salesforce": ReleaseType(
        "salesforce", Version(1, 0, 0), DEFAULT_SECTIONS, TYPE_FILES["salesforce"]
    ),
}

# release-please's other release types (its ``src/factory.ts`` registry and ``src/strategies/``):
# accepted, but relkit updates no version file for them (config validation warns)
UNBUILT_RELEASE_TYPES = (
    "crystal",
    "deno",
    "dotnet",
    "dotnet-yoshi",
    "go-yoshi",
    "java-backport",
    "java-bom",
    "java-lts",
    "java-yoshi",
    "java-yoshi-mono-repo",
    "krm-blueprint",
    "mediawiki-extension",
    "mediawiki-skin",
    "php-yoshi",
    "ruby-yoshi",
)
KNOWN_RELEASE_TYPES = tuple(sorted({*RELEASE_TYPES, *UNBUILT_RELEASE_TYPES}))


def release_type(name: str | None) -> ReleaseType:
    """Built types; others (config validation rejects unknown ones) behave like ``simple``."""
    return RELEASE_TYPES.get(name or "simple", RELEASE_TYPES["simple"])


def parse_sections(raw: object) -> tuple[ChangelogSection, ...] | None:
    """``changelog-sections`` JSON (a list of ``{type, section, hidden?, scope?}``)."""
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            out.append(
                ChangelogSection(
                    type=item["type"],
                    section=str(item.get("section") or item["type"]),
                    hidden=bool(item.get("hidden", False)),
                    scope=item.get("scope") if isinstance(item.get("scope"), str) else None,
                )
            )
    return tuple(out)

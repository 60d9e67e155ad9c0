"""A configured package's names: component, tag format, paths, and the way back from a merged
release PR to the package it released. Pure functions (over ``release_pr.config`` values).
"""

from __future__ import annotations

import re

from relkit.core.versions import Version, parse_loose

from release_pr.compute import TagFormat
from release_pr.config import PackageConfig, ReleaseConfig
from release_pr.pull_request import ReleasedPackage, component_from_branch


def package_for_release(
    config: ReleaseConfig, released: ReleasedPackage, branch: str | None = None
) -> PackageConfig | None:
    """The configured package a merged release PR released (by component, then by the PR's
    branch, then the only package); None when nothing matches."""
    component = released.component or (component_from_branch(branch) if branch else None)
    if component is not None:
        for package in config.packages:
            if component_of(package) == component:
                return package
        return None
    return config.packages[0] if len(config.packages) == 1 else None


def release_tag(package: PackageConfig, version: Version) -> str:
    """The tag a release of ``package`` gets: ``v1.3.0``, ``pkg-a-v1.3.0`` …"""
    return tag_format(package).tag(version)


def release_name(package: PackageConfig, version: Version) -> str:
    """release-please's GitHub Release name: ``v1.3.0`` or ``component: v1.3.0``."""
    tag = f"{'v' if package.include_v_in_tag else ''}{version}"
    component = component_of(package)
    return f"{component}: {tag}" if component and package.include_component_in_tag else tag


def github_prerelease(package: PackageConfig, version: Version) -> bool:
    """Whether the GitHub Release is marked pre-release: release-please's ``buildReleases``
    (``src/manifest.ts``) sets ``config.prerelease && (version.preRelease || major === 0)`` —
    the package's ``prerelease`` option decides, the version only narrows it. A ``-rc.1``
    version without the option is a normal release."""
    return bool(package.prerelease) and (version.is_prerelease or version.major == 0)


def join_path(package_path: str, path: str) -> str:
    if path.startswith("/"):
        return path.lstrip("/")
    return path if package_path in (".", "") else f"{package_path.rstrip('/')}/{path}"


def component_of(package: PackageConfig) -> str | None:
    if package.component:
        return package.component
    if package.package_name:
        return package.package_name
    return None if package.path == "." else package.path.rsplit("/", 1)[-1]


def tag_format(package: PackageConfig) -> TagFormat:
    component = component_of(package) if package.include_component_in_tag else None
    return TagFormat(component, package.include_v_in_tag, package.tag_separator)


_TAG_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def tag_version(tag: str, fmt: TagFormat) -> Version | None:
    rest = tag
    if fmt.component:
        prefix = f"{fmt.component}{fmt.separator}"
        if not tag.startswith(prefix):
            return None
        rest = tag[len(prefix) :]
    if not _TAG_VERSION.match(rest):
        return None
    return parse_loose(rest)

"""A package's last release: the manifest's version when a tag has it, else the highest tag of
the package's shape, else the manifest alone; and a merged release PR not tagged yet. No I/O:
the plan passes in the tags and commits it read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from relkit.core.versions import Version, VersionError, parse_loose

from release_pr.commit_parser import RawCommit
from release_pr.config import PackageConfig, ReleaseConfig
from release_pr.packages import component_of, tag_format, tag_version
from release_pr.pull_request import group_title, pull_request_title

if TYPE_CHECKING:
    from release_pr import history


class Previous(NamedTuple):
    version: Version | None
    tag: str | None
    since: str | None


def previous_release(
    package: PackageConfig, config: ReleaseConfig, tags: Sequence[history.Tag]
) -> Previous:
    """The last release by tag: the manifest's version when tagged, else the highest tag."""
    fmt = tag_format(package)
    manifest = manifest_version(config, package)
    found = [(v, t) for t in tags if (v := tag_version(t.name, fmt)) is not None]
    if manifest is not None:
        for found_version, tag in found:
            if found_version == manifest:
                return Previous(manifest, tag.name, tag.sha)
    if found:
        version, tag = max(found, key=lambda item: item[0].precedence_key())
        return Previous(version, tag.name, tag.sha)
    if manifest is not None:
        since = config.last_release_sha or config.bootstrap_sha
        return Previous(manifest, fmt.tag(manifest), since)
    return Previous(None, None, config.last_release_sha or config.bootstrap_sha)


def manifest_version(config: ReleaseConfig, package: PackageConfig) -> Version | None:
    text = config.manifest.get(package.path)
    try:
        return parse_loose(text) if text else None
    except VersionError:
        return None


def release_titles(
    package: PackageConfig, config: ReleaseConfig, target_branch: str, version: Version
) -> tuple[str, ...]:
    """The titles a release PR for ``version`` of ``package`` may have had (squash merges keep
    the title as the commit header)."""
    titles = {
        pull_request_title(
            package.pull_request_title_pattern, target_branch, component, str(version)
        )
        for component in {None, component_of(package)}
    }
    titles.add(group_title(config.group_pull_request_title_pattern, target_branch))
    return tuple(titles)


def untagged_release(
    package: PackageConfig,
    config: ReleaseConfig,
    target_branch: str,
    previous: Previous,
    commits: Sequence[RawCommit],
) -> tuple[Previous, int] | None:
    """A merged release PR not tagged yet: the manifest is ahead of the last tag and a commit
    since that tag carries the release PR's title. Its commits were released already."""
    manifest = manifest_version(config, package)
    if manifest is None or (
        previous.version is not None
        and manifest.precedence_key() <= previous.version.precedence_key()
    ):
        return None
    titles = release_titles(package, config, target_branch, manifest)
    for index, commit in enumerate(commits):
        header = commit.message.split("\n", 1)[0].strip()
        if header.startswith(titles):
            return Previous(manifest, tag_format(package).tag(manifest), commit.sha), index
    return None

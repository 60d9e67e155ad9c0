"""release-please's custom version: a person edits the version in the open release PR's title,
and the next run releases that version instead of the computed one."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from release_pr.github_flow import file_text, open_pull, release_branch
from release_pr.packages import component_of
from release_pr.pull_request import title_version

if TYPE_CHECKING:
    from release_pr.config import PackageConfig, ReleaseConfig
    from release_pr.github_ops import ReleaseGitHub

log = logging.getLogger("relkit.release_pr")

CUSTOM_VERSION = "autorelease: custom version"


def edited_version(
    gh: ReleaseGitHub,
    package: PackageConfig,
    *,
    target_branch: str,
    manifest_path: str | None,
) -> str | None:
    """release-please's custom version: someone edited the version in the open release PR's
    title. The label ``autorelease: custom version`` keeps it; without the label, a title that
    disagrees with the manifest on the PR branch is taken (and labelled). None: keep computing."""
    branch = release_branch(target_branch)
    pull = open_pull(gh, branch, target_branch)
    if pull is None:
        return None
    component = component_of(package) if package.path != "." else None
    wanted = title_version(pull.title, package.pull_request_title_pattern, target_branch, component)
    if wanted is None:
        return None
    if CUSTOM_VERSION not in pull.labels:
        text = file_text(gh, manifest_path, branch) if manifest_path else None
        try:
            manifest = json.loads(text) if text else {}
        except json.JSONDecodeError:
            manifest = {}
        planned = manifest.get(package.path) if isinstance(manifest, dict) else None
        if planned is None or planned == str(wanted):
            return None
        gh.add_labels(pull.number, [CUSTOM_VERSION])
        log.info(
            "release PR #%d: the title was edited to %s; that version is kept", pull.number, wanted
        )
    return str(wanted)


def with_edited_version(
    gh: ReleaseGitHub, config: ReleaseConfig, *, target_branch: str
) -> ReleaseConfig:
    """``config`` with the edited title's version as ``release-as`` of its one package (a PR of
    several packages has no version in its title)."""
    if len(config.packages) != 1:
        return config
    (package,) = config.packages
    version = edited_version(
        gh, package, target_branch=target_branch, manifest_path=config.manifest_path
    )
    if version is None:
        return config
    return config._replace(packages=(package._replace(release_as=version),))

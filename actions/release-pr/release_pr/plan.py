"""The release plan: the seam between release-pr's computation and its GitHub lifecycle.

``plan_release`` reads git and the working tree (through ``release_pr.history``) and answers
what a release PR would carry: per package the previous and next version, tag and changelog
section, every file update (version files, CHANGELOGs, the manifest) and the pull request(s).
``parse_release_pr_body`` reads a merged release PR's body back into what it released, so the
lifecycle can tag and publish after the merge. Everything except ``plan_release`` is pure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import NamedTuple

from relkit.adapters.git import HeadState
from relkit.core.changelog import update_changelog
from relkit.core.versions import Version, parse_loose

from release_pr import history
from release_pr.commit_parser import RawCommit
from release_pr.compute import Outcome, compute_release, sentence_case
from release_pr.config import PackageConfig, ReleaseConfig, load_config
from release_pr.conventions import read_commits
from release_pr.history import CommitOverrides, RangeReader, StrPath
from release_pr.packages import (
    component_of,
    github_prerelease,
    join_path,
    package_for_release,
    release_name,
    release_tag,
    tag_format,
)
from release_pr.previous import previous_release, untagged_release
from release_pr.pull_request import (
    ReleasedPackage,
    branch_name,
    component_from_branch,
    group_title,
    parse_release_pr_body,
    pull_request_body,
    pull_request_title,
)
from release_pr.strategies import build_strategy, release_type
from release_pr.version_files import Files, write_version_files

__all__ = [
    "CommitOverrides",
    "PackageRelease",
    "ReleasePlan",
    "ReleasePullRequest",
    "ReleasedPackage",
    "branch_name",
    "component_from_branch",
    "github_prerelease",
    "load_config",
    "package_for_release",
    "parse_release_pr_body",
    "parse_repo_url",
    "plan_release",
    "pull_request_body",
    "pull_request_title",
    "release_name",
    "release_tag",
]


class PackageRelease(NamedTuple):
    path: str  # "." for the root package
    component: str | None  # component used in tags/branches, None for single
    package_name: str | None
    previous_version: Version | None
    version: Version
    previous_tag: str | None
    tag: str  # e.g. "v1.3.0", "pkg-a-v1.3.0"
    changelog_entry: str  # the Markdown section = release notes
    changelog_path: str  # repo-relative
    draft: bool
    prerelease: bool
    skip_github_release: bool


class ReleasePullRequest(NamedTuple):
    branch: str  # release-please--branches--main[--components--pkg-a]
    title: str  # "chore(main): release 1.3.0"
    body: str
    packages: tuple[PackageRelease, ...]
    file_updates: tuple[tuple[str, str], ...]
    draft: bool = False  # `draft-pull-request` (a grouped PR: when every package asks for it)
    labels: tuple[str, ...] = ()  # the packages' `extra-label`s
    signoff: str | None = None  # `signoff`: the release commit's Signed-off-by trailer


# GitHub's release-note generator: (tag, target branch, previous tag or None) → Markdown body
ReleaseNotes = Callable[[str, str, str | None], str]


class ReleasePlan(NamedTuple):
    target_branch: str
    packages: tuple[PackageRelease, ...]  # only packages with something to release
    file_updates: tuple[tuple[str, str], ...]  # (repo-relative path, new full content)
    pull_requests: tuple[ReleasePullRequest, ...]
    warnings: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- pure helpers


def parse_repo_url(url: str) -> tuple[str, str, str]:
    """``https://github.com/o/r.git`` / ``git@github.com:o/r.git`` / ``o/r`` → (host URL,
    owner, repo); owner and repo are empty when ``url`` names no repository (a local path)."""
    url = url.strip()
    if re.match(r"^[\w.-]+/[\w.-]+$", url) and not url.startswith("."):
        owner, _, name = url.partition("/")
        return ("https://github.com", owner, name.removesuffix(".git"))
    if url.startswith(("/", ".", "file:")) or re.match(r"^[A-Za-z]:[\\/]", url):
        return ("https://github.com", "", "")
    match = re.match(r"^(?:ssh://)?git@([^:/]+)[:/](.+?)/([^/]+?)(?:\.git)?/?$", url) or re.match(
        r"^(https?://)?(?:[^@/]+@)?([^/]+)/(.+?)/([^/]+?)(?:\.git)?/?$", url
    )
    if not match:
        return ("https://github.com", "", "")
    groups = match.groups()
    if len(groups) == 3:
        return (f"https://{groups[0]}", groups[1], groups[2])
    scheme = groups[0] or "https://"
    return (f"{scheme}{groups[1]}", groups[2], groups[3])


def _touches(commit: RawCommit, package: PackageConfig) -> bool:
    """release-please's commit split: the root package sees every commit, another package the
    commits touching a file under its path, and commits without files (merges) go everywhere."""
    files = commit.files
    if package.exclude_paths and files:
        excluded = tuple(
            join_path(package.path, p).rstrip("/") + "/" for p in package.exclude_paths
        )
        files = tuple(f for f in files if not f.startswith(excluded))
        if not files:
            return False
    if package.path == "." or not files:
        return True
    prefix = package.path.rstrip("/") + "/"
    return any(f.startswith(prefix) for f in files)


# ----------------------------------------------------------------------------- the plan


def plan_release(
    workspace: StrPath,
    config: ReleaseConfig,
    *,
    target_branch: str,
    now: datetime,
    repo_url: str,
    ref: str = "HEAD",
    tags: Callable[[], list[history.Tag]] | None = None,
    head: HeadState | None = None,
    release_notes: ReleaseNotes | None = None,
    overrides: CommitOverrides | None = None,
) -> ReleasePlan:
    """What the release PR(s) for ``ref`` would carry; packages with nothing to release are left
    out (a plan with no packages means "no release PR"). ``tags``: the reachable tags of ``ref``
    when a caller started reading them already (:func:`history.start_reachable_tags`); ``head``:
    the state :func:`history.start_head_state` read, when ``ref`` is HEAD and the caller has it.
    ``release_notes``: GitHub's note generator, for packages with ``changelog-type: github``
    (a dry run has none: it shows relkit's notes and says so). ``overrides``: the merged pull
    requests' override blocks (none: a plan whose commits came from pull requests says that
    their bodies were not read)."""
    host, owner, repository = parse_repo_url(repo_url)
    # no commits yet: nothing to release; a shallow clone hides history (a warning below)
    born, shallow = (
        (True, head.shallow)
        if head is not None and ref == "HEAD"
        else history.head_and_shallow(workspace, ref)
    )
    if not born:
        tags_found = []
    elif tags is not None:
        tags_found = tags()
    else:
        tags_found = history.reachable_tags(workspace, ref)
    files = Files(workspace)
    notes_warnings: list[str] = []
    releases: list[tuple[PackageRelease, list[str]]] = []
    manifest = dict(config.manifest)
    commits_since = RangeReader(
        workspace,
        ref,
        born=born,
        # files touched are only needed to split commits between packages
        with_files=any(p.path != "." or p.exclude_paths for p in config.packages),
        overrides=overrides,
    )
    file_warnings: list[str] = []
    for package in config.packages:
        previous = previous_release(package, config, tags_found)
        since_tag = commits_since(previous.since)
        untagged = untagged_release(package, config, target_branch, previous, since_tag)
        if untagged is not None:
            previous, cut = untagged
            since_tag = since_tag[:cut]
        raw = [c for c in since_tag if _touches(c, package)]
        kind = release_type(package.release_type)
        fmt = tag_format(package)
        commits = read_commits(raw, config.plugins)
        if "sentence-case" in config.plugins:
            commits = sentence_case(commits)
        outcome = compute_release(
            commits,
            previous=previous.version,
            previous_tag=previous.tag,
            strategy=build_strategy(
                package.versioning,
                bump_minor_pre_major=package.bump_minor_pre_major,
                bump_patch_for_minor_pre_major=package.bump_patch_for_minor_pre_major,
                prerelease_type=package.prerelease_type,
            ),
            initial_version=(
                parse_loose(package.initial_version)
                if package.initial_version
                else kind.initial_version
            ),
            sections=package.changelog_sections or kind.sections,
            tag_format=fmt,
            date=now.astimezone(UTC).strftime("%Y-%m-%d"),
            owner=owner,
            repository=repository,
            host=(package.changelog_host or host).rstrip("/"),
            release_as=package.release_as,
            prerelease=package.prerelease,
            # conventional-changelog's template lists every mentioned issue as ", closes #N"
            reference_word="closes" if "conventional-changelog" in config.plugins else "refs",
        )
        if outcome is None:
            continue
        outcome, warnings = _notes(
            outcome,
            package,
            tag=fmt.tag(outcome.version),
            previous_tag=previous.tag,
            target_branch=target_branch,
            now=now,
            release_notes=release_notes,
        )
        notes_warnings += warnings
        touched: list[str] = []
        changelog_path = join_path(package.path, package.changelog_path)
        if not package.skip_changelog:
            files.write(
                changelog_path,
                update_changelog(files.read(changelog_path) or "", outcome.changelog_entry),
            )
            touched.append(changelog_path)
        file_warnings += write_version_files(package, outcome.version, files, touched)
        manifest[package.path] = str(outcome.version)
        releases.append(
            (
                PackageRelease(
                    path=package.path,
                    component=component_of(package),
                    package_name=package.package_name,
                    previous_version=previous.version,
                    version=outcome.version,
                    previous_tag=previous.tag,
                    tag=fmt.tag(outcome.version),
                    changelog_entry=outcome.changelog_entry,
                    changelog_path=changelog_path,
                    draft=package.draft,
                    prerelease=github_prerelease(package, outcome.version),
                    skip_github_release=package.skip_github_release,
                ),
                touched,
            )
        )
    if releases and config.manifest_path:
        files.write(
            config.manifest_path, _manifest_text(files.read(config.manifest_path), manifest)
        )
    plan = _assemble(config, target_branch, releases, files)
    plan = plan._replace(
        warnings=(
            *plan.warnings,
            *notes_warnings,
            *dict.fromkeys(file_warnings),
            *commits_since.notices(),
        )
    )
    if born and shallow:
        warning = (
            "the checkout is shallow, so earlier commits and release tags are missing; "
            "check out with fetch-depth: 0 (actions/checkout) for a correct release"
        )
        plan = plan._replace(warnings=(*plan.warnings, warning))
    return plan


def _notes(
    outcome: Outcome,
    package: PackageConfig,
    *,
    tag: str,
    previous_tag: str | None,
    target_branch: str,
    now: datetime,
    release_notes: ReleaseNotes | None,
) -> tuple[Outcome, list[str]]:
    """The release notes: relkit's, or with ``changelog-type: github`` GitHub's generated notes
    under a ``## 1.3.0 (date)`` heading (release-please's GitHub notes). A dry run has no GitHub
    and keeps relkit's, saying so."""
    if package.changelog_type != "github":
        return outcome, []
    if release_notes is None:
        warning = (
            f"package {package.path!r}: changelog-type github: GitHub writes the notes in a"
            " live run; this dry run shows relkit's"
        )
        return outcome, [warning]
    body = release_notes(tag, target_branch, previous_tag).strip()
    day = now.astimezone(UTC).strftime("%Y-%m-%d")
    return outcome._replace(changelog_entry=f"## {outcome.version} ({day})\n\n{body}".strip()), []


def _manifest_text(current: str | None, versions: Mapping[str, str]) -> str:
    try:
        data = json.loads(current) if current else {}
    except json.JSONDecodeError:
        data = {}
    data = {str(k).strip("/") or ".": v for k, v in data.items()} if isinstance(data, dict) else {}
    data.update(versions)
    return json.dumps(data, indent=2) + "\n"


def _assemble(
    config: ReleaseConfig,
    target_branch: str,
    releases: list[tuple[PackageRelease, list[str]]],
    files: Files,
) -> ReleasePlan:
    packages = tuple(p for p, _ in releases)
    all_updates = tuple(sorted(files.updates.items()))
    by_path = {
        pkg.path: pkg_cfg
        for pkg_cfg in config.packages
        for pkg in packages
        if pkg.path == pkg_cfg.path
    }
    pulls: list[ReleasePullRequest] = []
    if not packages:
        return ReleasePlan(target_branch, (), (), (), config.warnings)
    if config.separate_pull_requests and len(packages) > 1:
        for package, touched in releases:
            cfg = by_path[package.path]
            paths = [*touched, *([config.manifest_path] if config.manifest_path else [])]
            updates = tuple((p, files.updates[p]) for p in sorted(set(paths)) if p in files.updates)
            pulls.append(
                ReleasePullRequest(
                    branch=branch_name(target_branch, package.component),
                    title=pull_request_title(
                        cfg.pull_request_title_pattern,
                        target_branch,
                        package.component,
                        str(package.version),
                    ),
                    body=pull_request_body(
                        [package], header=cfg.pull_request_header, footer=cfg.pull_request_footer
                    ),
                    packages=(package,),
                    file_updates=updates,
                    draft=cfg.draft_pull_request,
                    labels=cfg.extra_labels,
                    signoff=config.signoff,
                )
            )
    else:
        first = config.packages[0]
        if len(packages) == 1:
            only = packages[0]
            component = only.component if only.path != "." else None
            title = pull_request_title(
                by_path[only.path].pull_request_title_pattern,
                target_branch,
                component,
                str(only.version),
            )
        else:
            title = group_title(config.group_pull_request_title_pattern, target_branch)
        pulls.append(
            ReleasePullRequest(
                branch=branch_name(target_branch),
                title=title,
                body=pull_request_body(
                    packages, header=first.pull_request_header, footer=first.pull_request_footer
                ),
                packages=packages,
                file_updates=all_updates,
                draft=all(by_path[p.path].draft_pull_request for p in packages),
                labels=tuple(
                    dict.fromkeys(label for p in packages for label in by_path[p.path].extra_labels)
                ),
                signoff=config.signoff,
            )
        )
    return ReleasePlan(target_branch, packages, all_updates, tuple(pulls), config.warnings)

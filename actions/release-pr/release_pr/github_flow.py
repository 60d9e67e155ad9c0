"""The release PR lifecycle on GitHub: open or refresh the release PR, then tag and release.

Mirrors release-please's manifest flow (``createPullRequests`` / ``createReleases``):

* :func:`sync_release_pull` force-updates ``release-please--branches--<branch>[--components--x]``
  to one commit on top of the target branch carrying the plan's file updates, then creates or
  updates the PR (title, body, label ``autorelease: pending``). Nothing changes when the branch
  files, title and body already match.
* :func:`publish_merged_releases` finds merged PRs still labelled ``autorelease: pending``, creates
  each tag and GitHub Release (looking before creating, so a re-run after a partial failure
  finishes the job without duplicates) and swaps the label to ``autorelease: tagged``. A draft
  release gets no tag ref (GitHub tags it on publishing) unless ``force-tag-creation`` is set;
  re-runs find the draft by listing releases.

Only :class:`release_pr.github_ops.ReleaseGitHub` is called: no HTTP here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from release_pr.github_ops import (
    AlreadyExists,
    GitHubError,
    PullRequest,
    Release,
    ReleaseGitHub,
    TreeEntry,
    git_blob_sha,
)
from release_pr.pull_request import (
    RELEASE_NOTES_FILENAME,
    body_overflows,
    overflow_body,
    overflow_branch,
    overflow_notes_branch,
)

log = logging.getLogger("relkit.release_pr")

PENDING = "autorelease: pending"
TAGGED = "autorelease: tagged"
BRANCH_PREFIX = "release-please--branches--"


class PullRequestPlan(Protocol):
    """The shape of ``release_pr.plan.ReleasePullRequest`` this module reads."""

    @property
    def branch(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def file_updates(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def draft(self) -> bool: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def signoff(self) -> str | None: ...


PullAction = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class PullResult:
    pull: PullRequest
    action: PullAction
    files: tuple[str, ...]


def release_branch(target_branch: str, component: str | None = None) -> str:
    branch = f"{BRANCH_PREFIX}{target_branch}"
    return f"{branch}--components--{component}" if component else branch


# --- what the lifecycle asks of GitHub beyond one client call --------------------------------


def open_pull(gh: ReleaseGitHub, head: str, base: str) -> PullRequest | None:
    """The open PR from branch ``head`` of this repository into ``base`` (a fork's branch of the
    same name is not it)."""
    found = gh.find_open_pull(head, base)
    return found if found is not None and found.head_ref == head else None


def file_text(gh: ReleaseGitHub, path: str, ref: str) -> str | None:
    found = gh.get_file(path, ref)
    return None if found is None else found.text


def release_by_tag(gh: ReleaseGitHub, tag: str) -> Release | None:
    """The release for ``tag``, drafts included (a draft has no tag yet, so GitHub's lookup by
    tag does not find it: the newest releases are listed)."""
    found = gh.get_release_by_tag(tag)
    if found is not None:
        return found
    return next((r for r in gh.list_releases(limit=100) if r.tag_name == tag), None)


def web_url(api_url: str) -> str:
    """The web host of a REST API base: ``https://api.github.com`` → ``https://github.com``,
    GitHub Enterprise Server's ``https://ghe.example/api/v3`` → ``https://ghe.example``."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    parts = urlsplit(api_url.rstrip("/"))
    host = parts.netloc.removeprefix("api.")
    path = parts.path.removesuffix("/api/v3")
    return f"{parts.scheme}://{host}{path}"


def blob_url(gh: ReleaseGitHub, branch: str, path: str) -> str:
    """The web URL of ``path`` on ``branch`` (``https://github.com/o/r/blob/<branch>/…``)."""
    return f"{web_url(gh.api_url)}/{gh.repository}/blob/{branch}/{path}"


def _branch_is_current(gh: ReleaseGitHub, branch: str, files: Sequence[tuple[str, str]]) -> bool:
    if gh.peel_ref(f"heads/{branch}") is None:
        return False
    for path, text in files:
        found = gh.get_file(path, branch)
        if found is None or found.sha != git_blob_sha(text):
            return False
    return True


def _write_branch(gh: ReleaseGitHub, plan: PullRequestPlan, base_sha: str) -> str:
    message = plan.title
    if plan.signoff:
        message += f"\n\nSigned-off-by: {plan.signoff}"
    return _write_files(gh, plan.branch, message, plan.file_updates, base_sha)


def _write_files(
    gh: ReleaseGitHub,
    branch: str,
    message: str,
    files: Sequence[tuple[str, str]],
    base_sha: str,
) -> str:
    """Force ``branch`` to one commit on top of ``base_sha`` carrying ``files``."""
    base = gh.get_commit(base_sha)
    tree = gh.create_tree(base.tree_sha, [TreeEntry(path, text) for path, text in files])
    commit = gh.create_commit(message, tree, [base_sha])
    ref = f"heads/{branch}"
    if gh.peel_ref(ref) is None:
        try:
            gh.create_ref(f"refs/{ref}", commit)
        except AlreadyExists:
            gh.update_ref(ref, commit, force=True)
    else:
        gh.update_ref(ref, commit, force=True)
    return commit


def sync_release_pull(
    gh: ReleaseGitHub,
    plan: PullRequestPlan,
    *,
    target_branch: str,
    labels: Sequence[str] = (PENDING,),
) -> PullResult:
    """Create or update the release PR for ``plan``; never a duplicate, no-op when current."""
    base_sha = gh.peel_ref(f"heads/{target_branch}")
    if base_sha is None:
        raise GitHubError(
            f"target branch {target_branch!r} does not exist on GitHub; "
            "set the 'target-branch' input to an existing branch"
        )
    existing = open_pull(gh, plan.branch, target_branch)
    if existing is not None and "BEGIN_COMMIT_OVERRIDE" in existing.body:
        log.warning(
            "release PR #%d holds a BEGIN_COMMIT_OVERRIDE block, which is read only from merged "
            "pull requests and is now overwritten: put it in the body of the merged pull request "
            "whose commit message it replaces",
            existing.number,
        )
    files_current = _branch_is_current(gh, plan.branch, plan.file_updates)
    paths = tuple(path for path, _ in plan.file_updates)
    if not files_current:
        _write_branch(gh, plan, base_sha)
    body = _fitting_body(gh, plan, base_sha)
    action: PullAction
    if existing is None:
        try:
            pull = gh.create_pull(
                title=plan.title, head=plan.branch, base=target_branch, body=body, draft=plan.draft
            )
            action = "created"
        except AlreadyExists:
            found = open_pull(gh, plan.branch, target_branch)
            if found is None:
                raise
            pull, action = _update_if_needed(gh, found, plan.title, body, files_current)
    else:
        pull, action = _update_if_needed(gh, existing, plan.title, body, files_current)
    wanted = dict.fromkeys((*labels, *plan.labels)) if labels else {}
    missing = [label for label in wanted if label not in pull.labels]
    if missing:
        gh.add_labels(pull.number, missing)
        pull = _with_labels(pull, (*pull.labels, *missing))
        if action == "unchanged":
            action = "updated"
    log.info("release PR #%d %s: %s", pull.number, action, pull.html_url)
    return PullResult(pull, action, paths)


def _fitting_body(gh: ReleaseGitHub, plan: PullRequestPlan, base_sha: str) -> str:
    """The PR body, or (over GitHub's 65,536 characters) release-please's overflow body: the full
    body goes to ``release-notes.md`` on ``<release branch>--release-notes`` (a commit on the
    target branch, rewritten only when the notes changed) and the PR links to it."""
    if not body_overflows(plan.body):
        return plan.body
    branch = overflow_branch(plan.branch)
    notes = ((RELEASE_NOTES_FILENAME, plan.body),)
    if not _branch_is_current(gh, branch, notes):
        _write_files(gh, branch, f"{plan.title} (release notes)", notes, base_sha)
        log.info("release PR body too long: full notes written to %s", branch)
    return overflow_body(blob_url(gh, branch, RELEASE_NOTES_FILENAME))


def _update_if_needed(
    gh: ReleaseGitHub, pull: PullRequest, title: str, body: str, files_current: bool
) -> tuple[PullRequest, PullAction]:
    if pull.title != title or pull.body != body:
        return gh.update_pull(pull.number, title=title, body=body), "updated"
    return pull, "unchanged" if files_current else "updated"


def _with_labels(pull: PullRequest, labels: tuple[str, ...]) -> PullRequest:
    return replace(pull, labels=labels)


# --- after the merge ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReleaseTarget:
    """Where one released version goes: resolved from the config for a (component, version)."""

    path: str
    tag: str
    name: str
    draft: bool = False
    prerelease: bool = False
    skip_github_release: bool = False
    force_tag_creation: bool = False


@dataclass(frozen=True, slots=True)
class ReleaseItem:
    """One version a merged release PR released: read from its body, placed by the config."""

    version: str
    notes: str
    target: ReleaseTarget


# A merged release PR → what it released (release-core's parse_release_pr_body +
# package_for_release); raises ConfigError when its body names no configured package.
ReleaseReader = Callable[[PullRequest], Sequence[ReleaseItem]]


@dataclass(frozen=True, slots=True)
class CreatedRelease:
    """One published version; the fields of release-please's ``CreatedRelease``."""

    path: str
    version: str
    tag_name: str
    name: str
    sha: str
    notes: str
    pr_number: int
    release: Release
    # the tag was there, the GitHub Release was not: an earlier run stopped in between
    resumed: bool = False

    @property
    def major(self) -> int:
        return _version_part(self.version, 0)

    @property
    def minor(self) -> int:
        return _version_part(self.version, 1)

    @property
    def patch(self) -> int:
        return _version_part(self.version, 2)


def _version_part(version: str, index: int) -> int:
    match = re.match(r"v?(\d+)\.(\d+)\.(\d+)", version)
    return int(match.group(index + 1)) if match else 0


def is_release_branch(head_branch: str, target_branch: str) -> bool:
    branch = release_branch(target_branch)
    return head_branch == branch or head_branch.startswith(f"{branch}--components--")


def find_merged_release_pulls(
    gh: ReleaseGitHub, target_branch: str, sha: str | None, *, pending: str = PENDING
) -> list[PullRequest]:
    """Merged release PRs into ``target_branch`` still labelled pending, oldest first."""
    seen: dict[int, PullRequest] = {}
    candidates = [
        *(gh.pulls_for_commit(sha) if sha else []),
        *gh.list_merged_pulls(target_branch, limit=100),
    ]
    for pull in candidates:
        if (
            pull.merged
            and pull.base_ref == target_branch
            and pending in pull.labels
            and is_release_branch(pull.head_ref, target_branch)
            and pull.number not in seen
        ):
            seen[pull.number] = pull
    return sorted(seen.values(), key=lambda pull: pull.number)


def _stray_tag(tag: str, existing: str | None, sha: str) -> GitHubError:
    return GitHubError(
        f"tag {tag!r} already exists at {existing}, not at the release PR's merge commit "
        f"{sha}; delete the stray tag or bump the version"
    )


def _ensure_tag(gh: ReleaseGitHub, tag: str, sha: str) -> bool:
    """Tag ``sha``; True when the tag was already there (made by an earlier run)."""
    existing = gh.peel_ref(f"tags/{tag}")
    if existing is None:
        try:
            gh.create_ref(f"refs/tags/{tag}", sha)
            log.info("created tag %s at %s", tag, sha[:12])
            return False
        except AlreadyExists:
            existing = gh.peel_ref(f"tags/{tag}")
    if existing != sha:
        raise _stray_tag(tag, existing, sha)
    log.info("tag %s already at %s", tag, sha[:12])
    return True


def _check_stray_tag(gh: ReleaseGitHub, tag: str, sha: str) -> None:
    """A draft release leaves the tag to GitHub (made when the draft is published, at the
    release's target commit); a tag already elsewhere would make that release point at it."""
    existing = gh.peel_ref(f"tags/{tag}")
    if existing is not None and existing != sha:
        raise _stray_tag(tag, existing, sha)


def _ensure_release(
    gh: ReleaseGitHub, target: ReleaseTarget, notes: str, sha: str
) -> tuple[Release, bool]:
    """The tag's GitHub Release, created unless it exists; True when this call created it."""
    found = release_by_tag(gh, target.tag)
    if found is not None:
        log.info("release %s already exists: %s", target.tag, found.html_url)
        return found, False
    try:
        release = gh.create_release(
            target.tag,
            name=target.name,
            body=notes,
            target=sha,
            draft=target.draft,
            prerelease=target.prerelease,
        )
    except AlreadyExists:
        # the first attempt succeeded but its answer was lost: verify, then accept it
        again = release_by_tag(gh, target.tag)
        if again is None:
            raise
        return again, False
    log.info("created release %s: %s", target.tag, release.html_url)
    return release, True


def _with_full_body(gh: ReleaseGitHub, pull: PullRequest) -> PullRequest:
    """An overflowing release PR's body read back from its ``release-notes.md`` (release-please's
    ``parseOverflow``); the body as it is when it is not one, or the file is gone."""
    branch = overflow_notes_branch(pull.body)
    if branch is None:
        return pull
    text = file_text(gh, RELEASE_NOTES_FILENAME, branch)
    if text is None:
        log.warning(
            "release PR #%d links its notes to %s, which is gone; reading its body",
            pull.number,
            branch,
        )
        return pull
    return replace(pull, body=text)


def publish_pull(
    gh: ReleaseGitHub,
    pull: PullRequest,
    read: ReleaseReader,
    *,
    pending: str = PENDING,
    tagged: str = TAGGED,
) -> list[CreatedRelease]:
    """Tag and release everything one merged release PR carries, then mark it tagged."""
    sha = pull.merge_commit_sha
    if not sha:
        raise GitHubError(f"release PR #{pull.number} is merged but has no merge commit sha")
    items = read(_with_full_body(gh, pull))
    if not items:
        raise GitHubError(
            f"release PR #{pull.number} has no release notes in its body; restore the body "
            f"release-pr wrote, or remove the label {pending!r} to skip it"
        )
    created: list[CreatedRelease] = []
    for item in items:
        target = item.target
        if target.skip_github_release:  # release-please leaves tag and release to another tool
            log.info("skip-github-release: not tagging %s", target.tag)
            continue
        if target.draft and not target.force_tag_creation:
            # release-please creates a draft with target_commitish and no tag ref: GitHub makes
            # the tag when the draft is published (``force-tag-creation`` makes it now)
            _check_stray_tag(gh, target.tag, sha)
            tag_existed = False
        else:
            tag_existed = _ensure_tag(gh, target.tag, sha)
        release, made = _ensure_release(gh, target, item.notes, sha)
        if tag_existed and made:
            log.info("finished %s: an earlier run made its tag, not its release", target.tag)
        created.append(
            CreatedRelease(
                path=target.path,
                version=item.version,
                tag_name=target.tag,
                name=target.name,
                sha=sha,
                notes=item.notes,
                pr_number=pull.number,
                release=release,
                resumed=tag_existed and made,
            )
        )
    if tagged not in pull.labels:
        gh.add_labels(pull.number, [tagged])
    gh.remove_label(pull.number, pending)
    return created


def publish_merged_releases(
    gh: ReleaseGitHub,
    *,
    target_branch: str,
    sha: str | None,
    read: ReleaseReader,
    pending: str = PENDING,
    tagged: str = TAGGED,
) -> list[CreatedRelease]:
    """Tag and release every merged release PR still labelled ``pending`` (oldest first)."""
    created: list[CreatedRelease] = []
    for pull in find_merged_release_pulls(gh, target_branch, sha, pending=pending):
        created.extend(publish_pull(gh, pull, read, pending=pending, tagged=tagged))
    return created

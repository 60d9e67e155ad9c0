"""The GitHub operations release-pr needs, as a Protocol, and the values they return.

:mod:`release_pr.github_adapter` implements :class:`ReleaseGitHub` on ``relkit.adapters.github``;
:mod:`release_pr.github_flow` only talks to this Protocol, so the lifecycle can be tested with any
implementation and the HTTP details (retries, rate limits, permission advice) stay in the adapter.

The values (:class:`PullRequest`, :class:`Release`, :class:`GitCommit`) are the shared adapter's
own, re-exported here so the lifecycle names them through its seam.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from relkit.adapters.github_models import GitCommit, PullRequest, Release
from relkit.errors import ExternalError

__all__ = [
    "PERMISSIONS_HINT",
    "AlreadyExists",
    "GitCommit",
    "GitHubError",
    "PullRequest",
    "Release",
    "ReleaseGitHub",
    "git_blob_sha",
]

PERMISSIONS_HINT = "permissions: contents: write, pull-requests: write"


class GitHubError(ExternalError):
    """A GitHub call failed after retries; the message names the endpoint."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AlreadyExists(GitHubError):
    """422 ``already_exists`` (or "A pull request already exists"): look, then treat as done."""


class ReleaseGitHub(Protocol):
    """Every GitHub call of the release-pr lifecycle (one repository, one token)."""

    def find_open_pull(self, head_branch: str, base_branch: str) -> PullRequest | None: ...

    def list_merged_pulls(self, base_branch: str) -> list[PullRequest]:
        """Recently closed, merged pull requests into ``base_branch``, newest first."""
        ...

    def pulls_for_commit(self, sha: str) -> list[PullRequest]: ...

    def create_pull(
        self, head_branch: str, base_branch: str, title: str, body: str, *, draft: bool = False
    ) -> PullRequest:
        """Raises :class:`AlreadyExists` when an open PR for the head branch exists."""
        ...

    def update_pull(self, number: int, title: str, body: str) -> PullRequest: ...

    def add_labels(self, number: int, labels: Sequence[str]) -> None: ...

    def remove_label(self, number: int, label: str) -> None:
        """Removing a label the PR does not carry is not an error."""
        ...

    def get_ref(self, ref: str) -> str | None:
        """The commit sha of ``heads/<branch>`` or ``tags/<tag>`` (peeled), or None."""
        ...

    def create_ref(self, ref: str, sha: str) -> None:
        """``ref`` is ``refs/heads/…`` or ``refs/tags/…``; raises :class:`AlreadyExists`."""
        ...

    def update_ref(self, ref: str, sha: str, *, force: bool) -> None: ...

    def get_commit(self, sha: str) -> GitCommit: ...

    def get_file_sha(self, path: str, ref: str) -> str | None:
        """The git blob sha of ``path`` at ``ref``, or None when the file does not exist."""
        ...

    def get_file_text(self, path: str, ref: str) -> str | None:
        """The UTF-8 text of ``path`` at ``ref``, or None when the file or ref does not exist."""
        ...

    def blob_url(self, branch: str, path: str) -> str:
        """The web URL of ``path`` on ``branch`` (``https://github.com/o/r/blob/<branch>/…``)."""
        ...

    def create_tree(self, base_tree: str, files: Sequence[tuple[str, str]]) -> str: ...

    def create_commit(self, message: str, tree_sha: str, parents: Sequence[str]) -> str: ...

    def generate_release_notes(self, tag: str, target: str, previous_tag: str | None) -> str:
        """GitHub's notes for ``tag`` (merged pull requests since ``previous_tag``)."""
        ...

    def get_release_by_tag(self, tag: str) -> Release | None:
        """The release for ``tag``, drafts included, or None."""
        ...

    def create_release(
        self,
        *,
        tag: str,
        name: str,
        body: str,
        draft: bool,
        prerelease: bool,
        target_sha: str,
    ) -> Release:
        """Raises :class:`AlreadyExists` when a release for ``tag`` exists."""
        ...


def git_blob_sha(content: str) -> str:
    """The sha git (and GitHub's contents API) gives a file with this UTF-8 content."""
    data = content.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()

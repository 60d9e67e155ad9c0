"""The GitHub operations release-pr needs, as a Protocol, and the values they return.

The shared ``relkit.adapters.github.GitHubClient`` satisfies :class:`ReleaseGitHub` directly;
:mod:`release_pr.github_flow` only talks to this Protocol, so the lifecycle can be tested with any
implementation and the HTTP details (retries, rate limits, permission advice) stay in the client.

The values (:class:`PullRequest`, :class:`Release`, :class:`GitCommit`) are the shared adapter's
own, re-exported here so the lifecycle names them through its seam.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from relkit.adapters.github_base import AlreadyExists
from relkit.adapters.github_models import (
    FileContent,
    GitCommit,
    PullRequest,
    Ref,
    Release,
    TreeEntry,
)
from relkit.errors import ExternalError

__all__ = [
    "PERMISSIONS_HINT",
    "AlreadyExists",
    "GitCommit",
    "GitHubError",
    "PullRequest",
    "Ref",
    "Release",
    "ReleaseGitHub",
    "TreeEntry",
    "git_blob_sha",
]

PERMISSIONS_HINT = "permissions: contents: write, pull-requests: write"


class GitHubError(ExternalError):
    """A GitHub call failed after retries; the message names the endpoint."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ReleaseGitHub(Protocol):
    """Every GitHub call of the release-pr lifecycle (one repository, one token): the shared
    :class:`relkit.adapters.github.GitHubClient` satisfies it as it is. ``create_*`` raise
    :class:`AlreadyExists` (422 ``already_exists``), which the lifecycle verifies."""

    repository: str  # owner/name
    api_url: str

    def find_open_pull(self, head: str, base: str | None = None) -> PullRequest | None: ...

    def list_merged_pulls(self, base: str, *, limit: int = 100) -> list[PullRequest]:
        """Recently closed, merged pull requests into ``base``, newest first."""
        ...

    def pulls_for_commit(self, sha: str) -> list[PullRequest]: ...

    def create_pull(
        self, *, title: str, head: str, base: str, body: str = "", draft: bool = False
    ) -> PullRequest: ...

    def update_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        base: str | None = None,
    ) -> PullRequest: ...

    def add_labels(self, number: int, labels: Sequence[str]) -> tuple[str, ...]: ...

    def remove_label(self, number: int, label: str) -> bool:
        """Removing a label the PR does not carry is not an error."""
        ...

    def peel_ref(self, ref: str) -> str | None:
        """The commit sha of ``heads/<branch>`` or ``tags/<tag>`` (peeled), or None."""
        ...

    def create_ref(self, ref: str, sha: str) -> Ref: ...

    def update_ref(self, ref: str, sha: str, *, force: bool = False) -> Ref: ...

    def get_commit(self, sha: str) -> GitCommit: ...

    def get_file(self, path: str, ref: str) -> FileContent | None:
        """``path`` at ``ref`` (its blob sha and UTF-8 text), or None when either is missing."""
        ...

    def create_tree(self, base_tree: str | None, entries: Sequence[TreeEntry]) -> str: ...

    def create_commit(
        self,
        message: str,
        tree: str,
        parents: Sequence[str],
        *,
        author: tuple[str, str] | None = None,
    ) -> str: ...

    def generate_release_notes(
        self, tag: str, *, target: str | None = None, previous_tag: str | None = None
    ) -> str:
        """GitHub's notes for ``tag`` (merged pull requests since ``previous_tag``)."""
        ...

    def get_release_by_tag(self, tag: str) -> Release | None:
        """The published release for ``tag`` (drafts have no tag yet), or None."""
        ...

    def list_releases(self, *, limit: int = 100) -> list[Release]: ...

    def create_release(
        self,
        tag: str,
        *,
        name: str | None = None,
        body: str = "",
        target: str | None = None,
        draft: bool = False,
        prerelease: bool = False,
        make_latest: bool | None = None,
    ) -> Release: ...


def git_blob_sha(content: str) -> str:
    """The sha git (and GitHub's contents API) gives a file with this UTF-8 content."""
    data = content.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()

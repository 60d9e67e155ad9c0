"""The values the GitHub adapter returns: small frozen dataclasses, never PyGithub objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relkit.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Repository:
    full_name: str
    default_branch: str
    html_url: str
    private: bool


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    title: str
    body: str
    state: str  # open | closed
    draft: bool
    merged: bool
    head_ref: str
    head_sha: str
    base_ref: str
    html_url: str
    labels: tuple[str, ...]
    merge_commit_sha: str | None
    author: str

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> PullRequest:
        return PullRequest(
            number=int(data["number"]),
            title=str(data.get("title") or ""),
            body=str(data.get("body") or ""),
            state=str(data.get("state") or ""),
            draft=bool(data.get("draft")),
            merged=bool(data.get("merged") or data.get("merged_at")),
            head_ref=str((data.get("head") or {}).get("ref") or ""),
            head_sha=str((data.get("head") or {}).get("sha") or ""),
            base_ref=str((data.get("base") or {}).get("ref") or ""),
            html_url=str(data.get("html_url") or ""),
            labels=tuple(str(label["name"]) for label in data.get("labels") or ()),
            merge_commit_sha=data.get("merge_commit_sha"),
            author=str((data.get("user") or {}).get("login") or ""),
        )


@dataclass(frozen=True, slots=True)
class PullCommit:
    sha: str
    message: str
    author_name: str
    author_email: str
    author_login: str | None


@dataclass(frozen=True, slots=True)
class Ref:
    ref: str  # refs/heads/main
    sha: str
    object_type: str  # commit | tag


@dataclass(frozen=True, slots=True)
class FileContent:
    path: str
    sha: str  # blob sha
    content: bytes

    @property
    def text(self) -> str:
        try:
            return self.content.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{self.path} is not UTF-8 text") from None


@dataclass(frozen=True, slots=True)
class Release:
    id: int
    tag_name: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    html_url: str
    target_commitish: str
    upload_url: str = ""

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Release:
        return Release(
            id=int(data["id"]),
            tag_name=str(data.get("tag_name") or ""),
            name=str(data.get("name") or ""),
            body=str(data.get("body") or ""),
            draft=bool(data.get("draft")),
            prerelease=bool(data.get("prerelease")),
            html_url=str(data.get("html_url") or ""),
            target_commitish=str(data.get("target_commitish") or ""),
            upload_url=str(data.get("upload_url") or ""),
        )


@dataclass(frozen=True, slots=True)
class GitCommit:
    """A commit object of the git data API."""

    sha: str
    tree_sha: str
    parents: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class Comparison:
    status: str  # ahead | behind | identical | diverged
    ahead_by: int
    behind_by: int
    merge_base_sha: str
    commits: tuple[str, ...]  # oldest first (GitHub lists at most 250)
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    body: str
    html_url: str


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """A file for :meth:`GitHubClient.create_tree`; ``content=None`` deletes the path."""

    path: str
    content: str | bytes | None
    mode: str = "100644"


@dataclass(frozen=True, slots=True)
class Deployment:
    id: int
    sha: str
    ref: str
    environment: str
    created_at: str  # ISO 8601, as GitHub gives it
    description: str = ""


@dataclass(frozen=True, slots=True)
class DeploymentStatus:
    state: str  # success | failure | error | inactive | in_progress | queued | pending
    created_at: str


@dataclass(frozen=True, slots=True)
class WorkflowRun:
    id: int
    name: str
    head_sha: str
    head_branch: str
    event: str
    status: str
    conclusion: str | None
    created_at: str
    updated_at: str
    html_url: str


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    title: str
    body: str
    state: str
    labels: tuple[str, ...]
    created_at: str
    closed_at: str | None


@dataclass(frozen=True, slots=True)
class ComparedCommit:
    """A commit of a comparison, with its times (ISO 8601) and message."""

    sha: str
    message: str
    authored_at: str
    committed_at: str

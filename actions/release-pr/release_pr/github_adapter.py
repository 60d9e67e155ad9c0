""":class:`release_pr.github_ops.ReleaseGitHub` on top of ``relkit.adapters.github``.

The shared adapter does the HTTP (PyGithub's requester, retries, rate limits, permission advice)
and its values are the Protocol's values; this maps its calls to the lifecycle's Protocol, peels
annotated tags, finds draft releases and turns GitHub's 422 "already exists" answers into
:class:`release_pr.github_ops.AlreadyExists`, which the lifecycle verifies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from release_pr.github_ops import AlreadyExists

if TYPE_CHECKING:
    from relkit.adapters import github

    from release_pr.github_ops import GitCommit, PullRequest, Release


@contextmanager
def _already_exists() -> Iterator[None]:
    from relkit.adapters.github import GitHubApiError  # noqa: PLC0415

    try:
        yield
    except GitHubApiError as exc:
        if exc.status == 422 and "already" in str(exc).lower():
            raise AlreadyExists(str(exc), status=422) from exc
        raise


def web_url(api_url: str) -> str:
    """The web host of a REST API base: ``https://api.github.com`` → ``https://github.com``,
    GitHub Enterprise Server's ``https://ghe.example/api/v3`` → ``https://ghe.example``."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    parts = urlsplit(api_url.rstrip("/"))
    host = parts.netloc.removeprefix("api.")
    path = parts.path.removesuffix("/api/v3")
    return f"{parts.scheme}://{host}{path}"


class AdapterGitHub:
    """The release-pr operations through one :class:`relkit.adapters.github.GitHubClient`."""

    def __init__(self, client: github.GitHubClient) -> None:
        self.client = client

    def find_open_pull(self, head_branch: str, base_branch: str) -> PullRequest | None:
        found = self.client.find_open_pull(head_branch, base_branch)
        return found if found is not None and found.head_ref == head_branch else None

    def list_merged_pulls(self, base_branch: str) -> list[PullRequest]:
        return self.client.list_merged_pulls(base_branch, limit=100)

    def pulls_for_commit(self, sha: str) -> list[PullRequest]:
        return self.client.pulls_for_commit(sha)

    def create_pull(
        self, head_branch: str, base_branch: str, title: str, body: str, *, draft: bool = False
    ) -> PullRequest:
        with _already_exists():
            return self.client.create_pull(
                title=title, head=head_branch, base=base_branch, body=body, draft=draft
            )

    def update_pull(self, number: int, title: str, body: str) -> PullRequest:
        return self.client.update_pull(number, title=title, body=body)

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        self.client.add_labels(number, labels)

    def remove_label(self, number: int, label: str) -> None:
        self.client.remove_label(number, label)

    def get_ref(self, ref: str) -> str | None:
        found = self.client.get_ref(ref)
        if found is None:
            return None
        sha, kind = found.sha, found.object_type
        while kind == "tag":  # an annotated tag: peel it to its commit
            data = self.client.request("GET", f"/repos/{self.client.repository}/git/tags/{sha}")
            sha, kind = str(data["object"]["sha"]), str(data["object"]["type"])
        return sha

    def create_ref(self, ref: str, sha: str) -> None:
        with _already_exists():
            self.client.create_ref(ref, sha)

    def update_ref(self, ref: str, sha: str, *, force: bool) -> None:
        self.client.update_ref(ref, sha, force=force)

    def get_commit(self, sha: str) -> GitCommit:
        return self.client.get_commit(sha)

    def get_file_sha(self, path: str, ref: str) -> str | None:
        found = self.client.get_file(path, ref)
        return None if found is None else found.sha

    def get_file_text(self, path: str, ref: str) -> str | None:
        found = self.client.get_file(path, ref)
        return None if found is None else found.text

    def blob_url(self, branch: str, path: str) -> str:
        return f"{web_url(self.client.api_url)}/{self.client.repository}/blob/{branch}/{path}"

    def create_tree(self, base_tree: str, files: Sequence[tuple[str, str]]) -> str:
        from relkit.adapters.github import TreeEntry  # noqa: PLC0415

        return self.client.create_tree(base_tree, [TreeEntry(path, text) for path, text in files])

    def create_commit(self, message: str, tree_sha: str, parents: Sequence[str]) -> str:
        return self.client.create_commit(message, tree_sha, parents)

    def generate_release_notes(self, tag: str, target: str, previous_tag: str | None) -> str:
        return self.client.generate_release_notes(tag, target=target, previous_tag=previous_tag)

    def get_release_by_tag(self, tag: str) -> Release | None:
        found = self.client.get_release_by_tag(tag)
        if found is not None:
            return found
        for release in self.client.list_releases(limit=100):  # drafts have no tag yet
            if release.tag_name == tag:
                return release
        return None

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
        with _already_exists():
            return self.client.create_release(
                tag, name=name, body=body, target=target_sha, draft=draft, prerelease=prerelease
            )

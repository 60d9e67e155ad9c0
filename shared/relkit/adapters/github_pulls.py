"""GitHubClient's repository, pull request, label and comment calls (a mixin of the client)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from relkit.adapters.github_base import MISSING, ApiBase
from relkit.adapters.github_models import (
    Comment,
    PullCommit,
    PullRequest,
    Repository,
)


class PullsApi(ApiBase):
    """The repository, its pull requests, labels and comments."""

    # --- repository ---------------------------------------------------------------------------

    def get_repository(self) -> Repository:
        data = self.request("GET", self._repo_path)
        return Repository(
            full_name=str(data["full_name"]),
            default_branch=str(data["default_branch"]),
            html_url=str(data.get("html_url") or ""),
            private=bool(data.get("private")),
        )

    def default_branch(self) -> str:
        return self.get_repository().default_branch

    # --- pull requests ------------------------------------------------------------------------

    def list_pulls(
        self,
        *,
        state: str = "open",
        label: str | None = None,
        base: str | None = None,
        head: str | None = None,
        limit: int = 1000,
    ) -> list[PullRequest]:
        """Pull requests, newest first; ``head`` is a branch of this repository; ``label``
        filters on our side (the REST list has no label filter)."""
        params: dict[str, Any] = {"state": state, "sort": "created", "direction": "desc"}
        if base:
            params["base"] = base
        if head:
            params["head"] = f"{self.repository.split('/')[0]}:{head}"
        pulls = (
            PullRequest.from_json(d)
            for d in self._paginate(f"{self._repo_path}/pulls", params, limit=limit)
        )
        return [p for p in pulls if label is None or label in p.labels]

    def list_merged_pulls(self, base: str, *, limit: int = 100) -> list[PullRequest]:
        """Recently closed pull requests into ``base`` that were merged, newest first."""
        params = {"state": "closed", "base": base, "sort": "updated", "direction": "desc"}
        path = f"{self._repo_path}/pulls"
        pulls = (PullRequest.from_json(d) for d in self._paginate(path, params, limit=limit))
        return [p for p in pulls if p.merged]

    def iter_closed_pulls(self, base: str, *, limit: int = 1000) -> Iterator[PullRequest]:
        """Closed pull requests into ``base``, newest first (by number), with their bodies;
        read a page (100) at a time as the caller goes on, so stopping early saves requests."""
        params = {"state": "closed", "base": base, "sort": "created", "direction": "desc"}
        for data in self._paginate(f"{self._repo_path}/pulls", params, limit=limit):
            yield PullRequest.from_json(data)

    def find_open_pull(self, head: str, base: str | None = None) -> PullRequest | None:
        """The open pull request from branch ``head`` (of this repository), if any."""
        pulls = self.list_pulls(state="open", head=head, base=base, limit=100)
        return pulls[0] if pulls else None

    def get_pull(self, number: int) -> PullRequest | None:
        """One pull request with its full body; None when the repository has none of that
        number (a 404: an issue's number, or another repository's)."""
        data = self.request("GET", f"{self._repo_path}/pulls/{int(number)}", missing_ok=True)
        return None if data is MISSING else PullRequest.from_json(data)

    def pulls_for_commit(self, sha: str) -> list[PullRequest]:
        path = f"{self._repo_path}/commits/{quote(sha, safe='')}/pulls"
        return [PullRequest.from_json(d) for d in self._paginate(path, limit=100)]

    def create_pull(
        self, *, title: str, head: str, base: str, body: str = "", draft: bool = False
    ) -> PullRequest:
        data = self.request(
            "POST",
            f"{self._repo_path}/pulls",
            body={"title": title, "head": head, "base": base, "body": body, "draft": draft},
        )
        return PullRequest.from_json(data)

    def update_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
        base: str | None = None,
    ) -> PullRequest:
        fields = {"title": title, "body": body, "state": state, "base": base}
        payload = {key: value for key, value in fields.items() if value is not None}
        data = self.request("PATCH", f"{self._repo_path}/pulls/{int(number)}", body=payload)
        return PullRequest.from_json(data)

    def list_pull_commits(self, number: int) -> list[PullCommit]:
        """Commits of a pull request, oldest first (GitHub returns at most 250)."""
        path = f"{self._repo_path}/pulls/{int(number)}/commits"
        commits = []
        for data in self._paginate(path, limit=250):
            author = (data.get("commit") or {}).get("author") or {}
            commits.append(
                PullCommit(
                    sha=str(data["sha"]),
                    message=str((data.get("commit") or {}).get("message") or ""),
                    author_name=str(author.get("name") or ""),
                    author_email=str(author.get("email") or ""),
                    author_login=(data.get("author") or {}).get("login"),
                )
            )
        return commits

    # --- labels and comments ------------------------------------------------------------------

    def add_labels(self, number: int, labels: Sequence[str]) -> tuple[str, ...]:
        data = self.request(
            "POST", f"{self._repo_path}/issues/{int(number)}/labels", body={"labels": list(labels)}
        )
        return tuple(str(label["name"]) for label in data or ())

    def remove_label(self, number: int, label: str) -> bool:
        """Remove a label from an issue or PR; False when it was not there."""
        path = f"{self._repo_path}/issues/{int(number)}/labels/{quote(label, safe='')}"
        return self.request("DELETE", path, missing_ok=True) is not MISSING

    def create_comment(self, number: int, body: str) -> Comment:
        data = self.request(
            "POST", f"{self._repo_path}/issues/{int(number)}/comments", body={"body": body}
        )
        return Comment(
            int(data["id"]), str(data.get("body") or ""), str(data.get("html_url") or "")
        )

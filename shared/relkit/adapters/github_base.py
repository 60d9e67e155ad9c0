"""What the endpoint groups of :class:`relkit.adapters.github.GitHubClient` need of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from relkit.errors import ExternalError

MISSING: Any = object()  # what request(missing_ok=True) returns for a 404


class GitHubApiError(ExternalError):
    """A GitHub API call failed after retries. ``status`` is 0 for network failures."""

    def __init__(self, message: str, *, status: int, endpoint: str) -> None:
        super().__init__(message)
        self.status = status
        self.endpoint = endpoint


class AlreadyExists(GitHubApiError):
    """422 ``already_exists`` (a ref, label, release or open pull request is already there):
    a re-run or a retried create; look it up and carry on."""


class ApiBase:
    """The base of the client's endpoint groups (``github_pulls``, ``github_git``,
    ``github_activity``): they call the transport that ``GitHubClient`` implements, declared
    here for the type checker only."""

    repository: str

    if TYPE_CHECKING:

        @property
        def _repo_path(self) -> str: ...

        def request(
            self,
            verb: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Mapping[str, Any] | None = None,
            missing_ok: bool = False,
        ) -> Any: ...

        def _paginate(
            self, path: str, params: Mapping[str, Any] | None = None, *, limit: int = 1000
        ) -> Iterator[Any]: ...

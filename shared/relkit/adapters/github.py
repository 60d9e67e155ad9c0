"""The GitHub REST API: every relkit call to GitHub goes through :class:`GitHubClient`.

Built on PyGithub's ``Requester`` (auth, base URL incl. GitHub Enterprise Server
``https://host/api/v3``, timeouts, connection pooling, error classes), imported lazily. Each
operation is one known REST call returning a small frozen dataclass, so no PyGithub object (and
no hidden lazy request) leaks out, and errors can name the endpoint.

Retries are done here rather than by urllib3 (PyGithub's ``retry=`` / ``GithubRetry`` sleep inside
urllib3, which tests cannot replace): 5xx, timeouts and connection errors back off exponentially
with jitter; primary rate limits (403/429 with ``x-ratelimit-remaining: 0``) wait until
``x-ratelimit-reset``; secondary limits honour ``Retry-After`` (at least a minute without it).
Waits are capped in total; ``sleep``, ``clock`` and ``jitter`` are injectable. Writes are retried
too: callers look up before they create (``find_open_pull`` before ``create_pull``), so a re-run
converges, and a create that already happened answers 422, which callers handle.

The token is never put into a message. Mask it with ``gha.add_mask`` right after reading it.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from relkit.adapters.github_activity import ActivityApi
from relkit.adapters.github_base import MISSING, AlreadyExists, GitHubApiError
from relkit.adapters.github_git import GitDataApi
from relkit.adapters.github_models import (
    Comment,
    ComparedCommit,
    Comparison,
    Deployment,
    DeploymentStatus,
    FileContent,
    GitCommit,
    Issue,
    PullCommit,
    PullRequest,
    Ref,
    Release,
    Repository,
    TreeEntry,
    WorkflowRun,
)
from relkit.adapters.github_pulls import PullsApi
from relkit.errors import ConfigError

if TYPE_CHECKING:
    from github.Requester import Requester

__all__ = [
    "DEFAULT_API_URL",
    "MISSING",
    "AlreadyExists",
    "Comment",
    "ComparedCommit",
    "Comparison",
    "Deployment",
    "DeploymentStatus",
    "FileContent",
    "GitCommit",
    "GitHubApiError",
    "GitHubClient",
    "Issue",
    "PullCommit",
    "PullRequest",
    "Ref",
    "Release",
    "Repository",
    "RetryPolicy",
    "TreeEntry",
    "WorkflowRun",
    "permission_for",
]

DEFAULT_API_URL = "https://api.github.com"
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_base: float = 1.0  # seconds, doubled each attempt
    backoff_max: float = 30.0
    secondary_min_wait: float = 60.0  # GitHub: wait at least a minute without Retry-After
    max_total_wait: float = 600.0  # never sleep more than this in one call


# --- errors -----------------------------------------------------------------------------------

_PERMISSIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/pulls"), "pull-requests: write"),
    (re.compile(r"/issues/\d+/labels"), "issues: write (or pull-requests: write on a PR)"),
    (re.compile(r"/issues|/labels"), "issues: write"),
    (re.compile(r"/deployments"), "deployments: write"),
    (re.compile(r"/statuses"), "statuses: write"),
    (re.compile(r"/actions/"), "actions: write"),
)


def permission_for(verb: str, path: str) -> str:
    """The ``permissions:`` entry a GITHUB_TOKEN needs for ``verb path``."""
    reading = verb in {"GET", "HEAD"}
    for pattern, permission in _PERMISSIONS:
        if pattern.search(path):
            return permission.replace("write", "read") if reading else permission
    return "contents: read" if reading else "contents: write"


def _accepted_permissions(headers: Mapping[str, str]) -> str | None:
    raw = headers.get("x-accepted-github-permissions")
    if not raw:
        return None
    parts = [p.strip().replace("=", ": ").replace("_", "-") for p in raw.split(";") if p.strip()]
    return " or ".join(parts) or None


def _github_message(data: object) -> str:
    if not isinstance(data, Mapping):
        return ""
    message = str(data.get("message") or "")
    details = []
    for error in data.get("errors") or ():
        if isinstance(error, Mapping):
            details.append(str(error.get("message") or error.get("code") or ""))
        else:
            details.append(str(error))
    text = "; ".join(part for part in [message, *details] if part)
    return " ".join(text.split())[:300]


def _lower(headers: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (headers or {}).items()}


# --- the client -------------------------------------------------------------------------------


@dataclass
class GitHubClient(PullsApi, GitDataApi, ActivityApi):
    """A token and a repository; the only stateful object of the GitHub adapter. The transport
    (retries, errors, pages) is here; the calls, grouped, come from the three endpoint mixins."""

    token: str = field(repr=False)
    repository: str
    api_url: str = DEFAULT_API_URL
    timeout: float = 30.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)
    _requester: Requester | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.token:
            raise ConfigError(
                "input 'token' is empty: keep its default ${{ github.token }} or pass a token "
                "(locally: set GITHUB_TOKEN)"
            )
        if not _REPOSITORY.match(self.repository):
            raise ConfigError(f"repository must be 'owner/name', got {self.repository!r}")
        self.api_url = (self.api_url or DEFAULT_API_URL).rstrip("/")
        if not self.api_url.startswith(("https://", "http://")):
            raise ConfigError(f"GITHUB_API_URL must be an http(s) URL, got {self.api_url!r}")

    @classmethod
    def from_env(
        cls, token: str, env: Mapping[str, str], *, repository: str | None = None, **options: Any
    ) -> GitHubClient:
        """``GITHUB_API_URL`` (GHES) and ``GITHUB_REPOSITORY`` from the runner's environment."""
        repo = repository or env.get("GITHUB_REPOSITORY", "")
        if not repo:
            raise ConfigError(
                "no repository: set GITHUB_REPOSITORY or pass --repository owner/name"
            )
        api_url = env.get("GITHUB_API_URL") or DEFAULT_API_URL
        return cls(token, repo, api_url=api_url, **options)

    # --- transport ----------------------------------------------------------------------------

    def _get_requester(self) -> Requester:
        if self._requester is None:
            from github import Auth, Github  # noqa: PLC0415 - heavy, imported on first call

            client = Github(
                auth=Auth.Token(self.token),
                base_url=self.api_url,
                timeout=math.ceil(self.timeout),
                retry=None,
                per_page=100,
                seconds_between_requests=None,
                seconds_between_writes=None,
                user_agent="relkit",
            )
            self._requester = client.requester
        return self._requester

    @property
    def _repo_path(self) -> str:
        return f"/repos/{self.repository}"

    def request(
        self,
        verb: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        missing_ok: bool = False,
    ) -> Any:
        """One REST call with retries. Returns the JSON (``None`` for 204), or :data:`MISSING` for a
        404 when ``missing_ok``. Raises :class:`GitHubApiError` / :class:`ConfigError`."""
        import requests  # noqa: PLC0415 - heavy
        from github.GithubException import GithubException  # noqa: PLC0415 - heavy

        endpoint = f"{verb} {path}"
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                _, data = self._get_requester().requestJsonAndCheck(
                    verb,
                    path,
                    parameters=dict(params) if params else None,
                    input=dict(body) if body is not None else None,
                )
                return data
            except GithubException as exc:
                headers = _lower(exc.headers)
                if missing_ok and exc.status == 404:
                    return MISSING
                delay = self._delay(exc.status, headers, exc.data, attempt)
                failure: Exception = self._failure(verb, path, exc.status, headers, exc.data)
            except (
                requests.exceptions.Timeout,
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                kind = "timed out" if isinstance(exc, requests.exceptions.Timeout) else "failed"
                delay = self._backoff(attempt)
                failure = GitHubApiError(
                    f"GitHub API {endpoint} {kind} ({type(exc).__name__}) after {attempt} "
                    f"attempt(s): check GITHUB_API_URL ({self.api_url}) and the network",
                    status=0,
                    endpoint=endpoint,
                )
            if delay is None or attempt >= self.policy.max_attempts:
                raise failure
            if waited + delay > self.policy.max_total_wait:
                raise GitHubApiError(
                    f"{failure} (gave up: waiting {delay:.0f}s more would exceed the "
                    f"{self.policy.max_total_wait:.0f}s retry budget; re-run the job later)",
                    status=getattr(failure, "status", 0),
                    endpoint=endpoint,
                )
            self.sleep(delay)
            waited += delay

    def _backoff(self, attempt: int) -> float:
        policy = self.policy
        ceiling = min(policy.backoff_max, policy.backoff_base * 2.0 ** (attempt - 1))
        return ceiling * (0.5 + self.jitter() / 2)

    def _delay(
        self, status: int, headers: Mapping[str, str], data: object, attempt: int
    ) -> float | None:
        """Seconds to wait before retrying, or None when the error is final."""
        if status in (403, 429):
            return self._rate_limit_delay(status, headers, data, attempt)
        if status >= 500:
            return self._backoff(attempt)
        return None

    def _rate_limit_delay(
        self, status: int, headers: Mapping[str, str], data: object, attempt: int
    ) -> float | None:
        retry_after = headers.get("retry-after", "").strip()
        if retry_after.isdigit():
            return float(retry_after)
        reset = headers.get("x-ratelimit-reset", "").strip()
        if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
            return max(0.0, float(reset) - self.clock()) + 1.0
        message = _github_message(data).lower()
        if "secondary rate limit" in message or message.endswith("try again later."):
            return max(self.policy.secondary_min_wait, self._backoff(attempt))
        return self._backoff(attempt) if status == 429 else None

    def _failure(
        self, verb: str, path: str, status: int, headers: Mapping[str, str], data: object
    ) -> Exception:
        endpoint = f"{verb} {path}"
        message = _github_message(data)
        said = f": {message}" if message else ""
        if status == 401:
            return ConfigError(
                f"GitHub rejected the token (401{said}) on {endpoint}: check the 'token' input "
                "(expired, revoked, or for another GitHub host?)"
            )
        rate_limited = (
            headers.get("x-ratelimit-remaining") == "0" or "rate limit" in message.lower()
        )
        if status in (403, 429) and rate_limited:
            reset = headers.get("x-ratelimit-reset", "")
            when = ""
            if reset.isdigit():
                when = f" until {datetime.fromtimestamp(int(reset), UTC):%H:%M:%S} UTC"
            return GitHubApiError(
                f"GitHub API rate limit reached on {endpoint}{when}{said}: re-run the job later",
                status=status,
                endpoint=endpoint,
            )
        if status in (403, 404):
            if "not permitted to create or approve pull requests" in message:
                return GitHubApiError(
                    f"GitHub API {endpoint} returned {status}{said}: enable 'Allow GitHub Actions "
                    "to create and approve pull requests' in the repository (or organisation) "
                    "settings, or pass a token of a GitHub App or user",
                    status=status,
                    endpoint=endpoint,
                )
            permission = _accepted_permissions(headers) or permission_for(verb, path)
            what = "not found" if status == 404 else "forbidden"
            return GitHubApiError(
                f"GitHub API {endpoint} returned {status} ({what}{said}): the token needs "
                f"'{permission}' (add it under the job's 'permissions:') and access to "
                f"{self.repository}",
                status=status,
                endpoint=endpoint,
            )
        cls = GitHubApiError
        if status == 422 and ("already_exists" in repr(data) or "already exist" in message.lower()):
            cls = AlreadyExists
        return cls(
            f"GitHub API {endpoint} failed with {status}{said}", status=status, endpoint=endpoint
        )

    def _paginate(
        self, path: str, params: Mapping[str, Any] | None = None, *, limit: int = 1000
    ) -> Iterator[Any]:
        """Items of a list endpoint, page by page (100 a page), at most ``limit``."""
        page, count = 1, 0
        while count < limit:
            items = self.request(
                "GET", path, params={**(params or {}), "per_page": 100, "page": page}
            )
            if isinstance(items, Mapping):  # search-like envelopes
                items = next((v for v in items.values() if isinstance(v, list)), [])
            for item in items or ():
                if count >= limit:
                    return
                count += 1
                yield item
            if not items or len(items) < 100:
                return
            page += 1

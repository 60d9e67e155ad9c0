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

import base64
import math
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from relkit.adapters.github_models import (
    Comment,
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
from relkit.errors import ConfigError, ExternalError

if TYPE_CHECKING:
    from github.Requester import Requester

__all__ = [
    "DEFAULT_API_URL",
    "MISSING",
    "AlreadyExists",
    "Comment",
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
class GitHubClient:
    """A token and a repository; the only stateful object of the GitHub adapter."""

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

    def get_pull(self, number: int) -> PullRequest | None:
        data = self.request("GET", f"{self._repo_path}/pulls/{int(number)}", missing_ok=True)
        return None if data is MISSING else PullRequest.from_json(data)

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

    def find_open_pull(self, head: str, base: str | None = None) -> PullRequest | None:
        """The open pull request from branch ``head`` (of this repository), if any."""
        pulls = self.list_pulls(state="open", head=head, base=base, limit=100)
        return pulls[0] if pulls else None

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

    def ensure_label(self, name: str, *, color: str = "ededed", description: str = "") -> bool:
        """Create the label unless it exists. Returns True when it was created."""
        path = f"{self._repo_path}/labels/{quote(name, safe='')}"
        if self.request("GET", path, missing_ok=True) is not MISSING:
            return False
        try:
            self.request(
                "POST",
                f"{self._repo_path}/labels",
                body={"name": name, "color": color.lstrip("#"), "description": description},
            )
        except GitHubApiError as exc:
            if exc.status == 422:  # created meanwhile (a concurrent run or a retried POST)
                return False
            raise
        return True

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

    # --- refs ---------------------------------------------------------------------------------

    @staticmethod
    def _short_ref(ref: str) -> str:
        short = ref.removeprefix("refs/")
        if not short.startswith(("heads/", "tags/")) or short.endswith("/"):
            raise ConfigError(f"ref must be heads/<branch> or tags/<tag>, got {ref!r}")
        return short

    def get_ref(self, ref: str) -> Ref | None:
        """``heads/main`` or ``tags/v1.0.0`` (``refs/`` optional); None when it does not exist."""
        short = self._short_ref(ref)
        data = self.request("GET", f"{self._repo_path}/git/ref/{quote(short)}", missing_ok=True)
        if data is MISSING or not isinstance(data, Mapping):
            return None  # a list answer means only prefixes matched
        obj = data.get("object") or {}
        return Ref(str(data["ref"]), str(obj.get("sha")), str(obj.get("type") or "commit"))

    def create_ref(self, ref: str, sha: str) -> Ref:
        short = self._short_ref(ref)
        data = self.request(
            "POST", f"{self._repo_path}/git/refs", body={"ref": f"refs/{short}", "sha": sha}
        )
        return Ref(str(data["ref"]), str(data["object"]["sha"]), str(data["object"]["type"]))

    def update_ref(self, ref: str, sha: str, *, force: bool = False) -> Ref:
        short = self._short_ref(ref)
        data = self.request(
            "PATCH",
            f"{self._repo_path}/git/refs/{quote(short)}",
            body={"sha": sha, "force": force},
        )
        return Ref(str(data["ref"]), str(data["object"]["sha"]), str(data["object"]["type"]))

    def delete_ref(self, ref: str) -> bool:
        """Delete a branch or tag; False when it did not exist."""
        short = self._short_ref(ref)
        path = f"{self._repo_path}/git/refs/{quote(short)}"
        try:
            return self.request("DELETE", path, missing_ok=True) is not MISSING
        except GitHubApiError as exc:
            if exc.status == 422:  # "Reference does not exist"
                return False
            raise

    def set_branch(self, branch: str, sha: str, *, force: bool = True) -> Ref:
        """Point ``branch`` at ``sha``, creating it when missing (idempotent)."""
        ref = f"heads/{branch}"
        if self.get_ref(ref) is None:
            try:
                return self.create_ref(ref, sha)
            except GitHubApiError as exc:
                if exc.status != 422:  # 422: created meanwhile → update it below
                    raise
        return self.update_ref(ref, sha, force=force)

    # --- git data -----------------------------------------------------------------------------

    def create_blob(self, content: str | bytes) -> str:
        data = content.encode("utf-8") if isinstance(content, str) else content
        answer = self.request(
            "POST",
            f"{self._repo_path}/git/blobs",
            body={"content": base64.b64encode(data).decode("ascii"), "encoding": "base64"},
        )
        return str(answer["sha"])

    def get_commit(self, sha: str) -> GitCommit:
        """A commit object (git data API): its tree and parents."""
        data = self.request("GET", f"{self._repo_path}/git/commits/{quote(sha, safe='')}")
        return GitCommit(
            sha=str(data["sha"]),
            tree_sha=str(data["tree"]["sha"]),
            parents=tuple(str(p["sha"]) for p in data.get("parents") or ()),
            message=str(data.get("message") or ""),
        )

    def get_commit_tree(self, sha: str) -> str:
        return self.get_commit(sha).tree_sha

    def create_tree(self, base_tree: str | None, entries: Sequence[TreeEntry]) -> str:
        tree: list[dict[str, Any]] = []
        for entry in entries:
            item: dict[str, Any] = {
                "path": entry.path.lstrip("/"),
                "mode": entry.mode,
                "type": "blob",
            }
            if entry.content is None:
                item["sha"] = None
            elif isinstance(entry.content, str):
                item["content"] = entry.content
            else:
                item["sha"] = self.create_blob(entry.content)
            tree.append(item)
        body: dict[str, Any] = {"tree": tree}
        if base_tree:
            body["base_tree"] = base_tree
        return str(self.request("POST", f"{self._repo_path}/git/trees", body=body)["sha"])

    def create_commit(
        self,
        message: str,
        tree: str,
        parents: Sequence[str],
        *,
        author: tuple[str, str] | None = None,
    ) -> str:
        body: dict[str, Any] = {"message": message, "tree": tree, "parents": list(parents)}
        if author:
            body["author"] = {"name": author[0], "email": author[1]}
        return str(self.request("POST", f"{self._repo_path}/git/commits", body=body)["sha"])

    def commit_files(
        self, base_sha: str, files: Mapping[str, str | bytes | None], message: str
    ) -> str:
        """A new commit on top of ``base_sha`` with ``files`` (path → content, None deletes).
        Returns its sha; point a branch at it with :meth:`set_branch`."""
        tree = self.create_tree(
            self.get_commit_tree(base_sha),
            [TreeEntry(path, content) for path, content in sorted(files.items())],
        )
        return self.create_commit(message, tree, [base_sha])

    # --- contents -----------------------------------------------------------------------------

    def get_file(self, path: str, ref: str) -> FileContent | None:
        """A file at ``ref``, or None when missing. Files over 1 MB come through the blob API."""
        clean = path.strip("/")
        data = self.request(
            "GET",
            f"{self._repo_path}/contents/{quote(clean)}",
            params={"ref": ref},
            missing_ok=True,
        )
        if data is MISSING:
            return None
        if not isinstance(data, Mapping) or data.get("type") != "file":
            raise ConfigError(f"{clean} at {ref} is not a file")
        raw = data.get("content") or ""
        if data.get("encoding") == "base64" and (raw or int(data.get("size") or 0) == 0):
            return FileContent(clean, str(data["sha"]), base64.b64decode(raw))
        blob = self.request("GET", f"{self._repo_path}/git/blobs/{data['sha']}")
        return FileContent(clean, str(data["sha"]), base64.b64decode(blob.get("content") or ""))

    # --- releases -----------------------------------------------------------------------------

    def get_release_by_tag(self, tag: str) -> Release | None:
        path = f"{self._repo_path}/releases/tags/{quote(tag, safe='')}"
        data = self.request("GET", path, missing_ok=True)
        return None if data is MISSING else Release.from_json(data)

    def list_releases(self, *, limit: int = 100) -> list[Release]:
        path = f"{self._repo_path}/releases"
        return [Release.from_json(d) for d in self._paginate(path, limit=limit)]

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
    ) -> Release:
        payload: dict[str, Any] = {
            "tag_name": tag,
            "name": name if name is not None else tag,
            "body": body,
            "draft": draft,
            "prerelease": prerelease,
        }
        if target:
            payload["target_commitish"] = target
        if make_latest is not None:
            payload["make_latest"] = "true" if make_latest else "false"
        return Release.from_json(self.request("POST", f"{self._repo_path}/releases", body=payload))

    def generate_release_notes(
        self, tag: str, *, target: str | None = None, previous_tag: str | None = None
    ) -> str:
        """The notes GitHub writes for ``tag`` (pull requests merged since ``previous_tag``).

        Needs ``contents: write`` although it changes nothing.
        """
        payload: dict[str, Any] = {"tag_name": tag}
        if target:
            payload["target_commitish"] = target
        if previous_tag:
            payload["previous_tag_name"] = previous_tag
        data = self.request("POST", f"{self._repo_path}/releases/generate-notes", body=payload)
        return str(data.get("body") or "")

    # --- commits ------------------------------------------------------------------------------

    def compare(self, base: str, head: str) -> Comparison:
        spec = f"{quote(base, safe='')}...{quote(head, safe='')}"
        data = self.request("GET", f"{self._repo_path}/compare/{spec}")
        return Comparison(
            status=str(data.get("status") or ""),
            ahead_by=int(data.get("ahead_by") or 0),
            behind_by=int(data.get("behind_by") or 0),
            merge_base_sha=str((data.get("merge_base_commit") or {}).get("sha") or ""),
            commits=tuple(str(c["sha"]) for c in data.get("commits") or ()),
            files=tuple(str(f["filename"]) for f in data.get("files") or ()),
        )

    # --- deployments, workflow runs, issues (read-only, for metrics) --------------------------

    def list_deployments(
        self, *, environment: str | None = None, limit: int = 1000
    ) -> list[Deployment]:
        """Deployments, newest first."""
        params = {"environment": environment} if environment else {}
        return [
            Deployment(
                id=int(d["id"]),
                sha=str(d.get("sha") or ""),
                ref=str(d.get("ref") or ""),
                environment=str(d.get("environment") or ""),
                created_at=str(d.get("created_at") or ""),
            )
            for d in self._paginate(f"{self._repo_path}/deployments", params, limit=limit)
        ]

    def list_deployment_statuses(self, deployment_id: int) -> list[DeploymentStatus]:
        """Statuses of one deployment, newest first."""
        path = f"{self._repo_path}/deployments/{int(deployment_id)}/statuses"
        return [
            DeploymentStatus(str(d.get("state") or ""), str(d.get("created_at") or ""))
            for d in self._paginate(path, limit=100)
        ]

    def list_workflow_runs(
        self,
        workflow: str,
        *,
        branch: str | None = None,
        status: str | None = None,
        created: str | None = None,
        limit: int = 1000,
    ) -> list[WorkflowRun]:
        """Runs of one workflow (file name like ``deploy.yml`` or id), newest first; ``created``
        is GitHub's date filter (``>=2024-01-01``)."""
        fields = {"branch": branch, "status": status, "created": created}
        params = {key: value for key, value in fields.items() if value}
        path = f"{self._repo_path}/actions/workflows/{quote(workflow, safe='')}/runs"
        return [
            WorkflowRun(
                id=int(d["id"]),
                name=str(d.get("name") or ""),
                head_sha=str(d.get("head_sha") or ""),
                head_branch=str(d.get("head_branch") or ""),
                event=str(d.get("event") or ""),
                status=str(d.get("status") or ""),
                conclusion=d.get("conclusion"),
                created_at=str(d.get("created_at") or ""),
                updated_at=str(d.get("updated_at") or ""),
                html_url=str(d.get("html_url") or ""),
            )
            for d in self._paginate(path, params, limit=limit)
        ]

    def list_issues(
        self,
        *,
        labels: Sequence[str] = (),
        state: str = "all",
        since: str | None = None,
        limit: int = 1000,
    ) -> list[Issue]:
        """Issues (pull requests left out), newest first; ``since`` is ISO 8601."""
        params: dict[str, Any] = {"state": state}
        if labels:
            params["labels"] = ",".join(labels)
        if since:
            params["since"] = since
        issues = []
        for d in self._paginate(f"{self._repo_path}/issues", params, limit=limit):
            if "pull_request" in d:
                continue
            issues.append(
                Issue(
                    number=int(d["number"]),
                    title=str(d.get("title") or ""),
                    body=str(d.get("body") or ""),
                    state=str(d.get("state") or ""),
                    labels=tuple(str(label["name"]) for label in d.get("labels") or ()),
                    created_at=str(d.get("created_at") or ""),
                    closed_at=d.get("closed_at"),
                )
            )
        return issues

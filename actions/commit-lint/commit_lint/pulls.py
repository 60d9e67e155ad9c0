"""A pull request's commits from the GitHub REST API, when the clone lacks them.

An action-local adapter (stdlib ``urllib``, retries with backoff) until ``relkit.adapters.github``
offers the same. ``GET /repos/{owner}/{repo}/pulls/{number}/commits`` returns at most 250 commits.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from relkit.errors import ExternalError

from commit_lint.gitlog import RawCommit, decode_message

PER_PAGE = 100
MAX_PAGES = 3  # the endpoint stops at 250 commits
RETRIES = 3


def _get(url: str, token: str, sleep: Callable[[float], None]) -> object:
    request = urllib.request.Request(  # noqa: S310 - the API URL comes from GITHUB_API_URL
        url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "User-Agent": "relkit-commit-lint",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    last = ""
    for attempt in range(RETRIES):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if exc.code < 500 and exc.code != 429:
                break
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
            last = str(exc)
        if attempt + 1 < RETRIES:
            sleep(2**attempt)
    raise ExternalError(f"GitHub API {url} failed: {last}")


def pull_request_commits(
    api_url: str,
    repository: str,
    number: int,
    token: str,
    sleep: Callable[[float], None] = time.sleep,
) -> list[RawCommit]:
    """The pull request's commits, oldest first, with their full messages."""
    commits: list[RawCommit] = []
    for page in range(1, MAX_PAGES + 1):
        url = (
            f"{api_url.rstrip('/')}/repos/{repository}/pulls/{number}/commits"
            f"?per_page={PER_PAGE}&page={page}"
        )
        data = _get(url, token, sleep)
        if not isinstance(data, list):
            raise ExternalError(f"GitHub API {url} returned {type(data).__name__}, not a list")
        for item in data:
            sha = str(item.get("sha", "")) if isinstance(item, dict) else ""
            commit = item.get("commit") if isinstance(item, dict) else None
            message = commit.get("message") if isinstance(commit, dict) else None
            if not sha or not isinstance(message, str):
                raise ExternalError(f"GitHub API {url} returned a commit without sha/message")
            commits.append(RawCommit(sha, decode_message(sha, message.encode("utf-8"))))
        if len(data) < PER_PAGE:
            break
    return commits

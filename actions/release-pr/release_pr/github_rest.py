"""A small GitHub REST client implementing :class:`release_pr.github_ops.ReleaseGitHub`.

An action-local adapter (``requests``, imported lazily) until ``relkit.adapters.github`` offers
every operation: one place for the base URL (``GITHUB_API_URL``), the token, timeouts, and the
retry policy: 5xx, 429 and secondary rate limits are retried with backoff, honouring
``Retry-After`` and ``x-ratelimit-reset``; errors name the endpoint and the permission to grant.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from release_pr.github_ops import (
    PERMISSIONS_HINT,
    AlreadyExists,
    GitCommit,
    GitHubError,
    PullRequest,
    Release,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger("relkit.release_pr")

RETRY_STATUS = frozenset({500, 502, 503, 504})
MAX_WAIT = 60.0


def _pull(data: Mapping[str, Any]) -> PullRequest:
    return PullRequest(
        number=int(data["number"]),
        title=data.get("title") or "",
        body=data.get("body") or "",
        head_branch=data["head"]["ref"],
        base_branch=data["base"]["ref"],
        labels=tuple(label["name"] for label in data.get("labels") or ()),
        html_url=data.get("html_url") or "",
        head_sha=data["head"]["sha"],
        merged=bool(data.get("merged_at")),
        merge_commit_sha=data.get("merge_commit_sha"),
    )


def _release(data: Mapping[str, Any]) -> Release:
    return Release(
        id=int(data["id"]),
        tag_name=data["tag_name"],
        name=data.get("name") or "",
        body=data.get("body") or "",
        draft=bool(data.get("draft")),
        prerelease=bool(data.get("prerelease")),
        html_url=data.get("html_url") or "",
        upload_url=data.get("upload_url") or "",
    )


def _already_exists(status: int, payload: Any) -> bool:
    if status != 422 or not isinstance(payload, dict):
        return False
    if "already exists" in str(payload.get("message", "")).lower():
        return True
    for error in payload.get("errors") or ():
        if isinstance(error, dict) and (
            error.get("code") == "already_exists"
            or "already exists" in str(error.get("message", "")).lower()
        ):
            return True
    return False


class RestGitHub:
    """GitHub REST for one repository (``owner/name``)."""

    def __init__(
        self,
        token: str,
        repository: str,
        api_url: str = "https://api.github.com",
        *,
        attempts: int = 4,
        timeout: float = 30.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import requests  # noqa: PLC0415 - heavy, only when GitHub is called

        self.repository = repository
        self.owner = repository.split("/", 1)[0]
        self.base = api_url.rstrip("/") + f"/repos/{repository}"
        self.attempts = attempts
        self.timeout = timeout
        self.sleep = time.sleep if sleep is None else sleep
        self.clock = time.time if clock is None else clock
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "relkit-release-pr",
            }
        )

    # --- transport ------------------------------------------------------------------------

    def _wait(self, response: requests.Response | None, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the answer is final."""
        if response is None:
            return float(2**attempt)
        status = response.status_code
        headers = response.headers
        limited = status == 429 or (
            status == 403
            and (
                headers.get("x-ratelimit-remaining") == "0" or "rate limit" in response.text.lower()
            )
        )
        if status not in RETRY_STATUS and not limited:
            return None
        if headers.get("Retry-After", "").strip().isdigit():
            return float(headers["Retry-After"])
        if limited and headers.get("x-ratelimit-reset", "").isdigit():
            return max(1.0, float(headers["x-ratelimit-reset"]) - self.clock())
        return float(2**attempt)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        missing_ok: bool = False,
    ) -> Any:
        import requests  # noqa: PLC0415

        endpoint = f"{method} /repos/{self.repository}{path}"
        response: requests.Response | None = None
        for attempt in range(self.attempts):
            try:
                response = self.session.request(
                    method, self.base + path, params=params, json=body, timeout=self.timeout
                )
                failure = f"HTTP {response.status_code}"
            except (requests.Timeout, requests.ConnectionError) as exc:
                response, failure = None, f"{type(exc).__name__}: {exc}"
            wait = self._wait(response, attempt)
            if wait is None:
                break
            if attempt + 1 < self.attempts:
                if wait > MAX_WAIT:
                    raise GitHubError(
                        f"{endpoint}: rate limited for {wait:.0f}s more; re-run the job later",
                        status=response.status_code if response is not None else None,
                    )
                log.warning("%s: %s, retrying in %.0fs", endpoint, failure, wait)
                self.sleep(wait)
        if response is None:
            raise GitHubError(f"{endpoint}: {failure} after {self.attempts} attempts")
        return self._decode(endpoint, response, missing_ok=missing_ok)

    def _decode(self, endpoint: str, response: requests.Response, *, missing_ok: bool) -> Any:
        status = response.status_code
        try:
            payload: Any = response.json() if response.content else None
        except ValueError:
            payload = None
        if status < 300:
            return payload
        if status == 404 and missing_ok:
            return None
        message = payload.get("message", "") if isinstance(payload, dict) else response.text[:200]
        if _already_exists(status, payload):
            raise AlreadyExists(f"{endpoint}: already exists ({message})", status=status)
        if status == 401:
            hint = "the token was rejected; check the 'token' input"
        elif status in {403, 404}:
            hint = f"the token may lack access; grant the workflow {PERMISSIONS_HINT}"
        elif status in RETRY_STATUS or status == 429:
            hint = f"still failing after {self.attempts} attempts; re-run the job"
        else:
            hint = "GitHub refused the request"
        raise GitHubError(f"{endpoint}: HTTP {status} {message}: {hint}", status=status)

    # --- pull requests ----------------------------------------------------------------------

    def find_open_pull(self, head_branch: str, base_branch: str) -> PullRequest | None:
        params = {"state": "open", "head": f"{self.owner}:{head_branch}", "base": base_branch}
        pulls = self._call("GET", "/pulls", params=params) or []
        for data in pulls:
            if data["head"]["ref"] == head_branch:
                return _pull(data)
        return None

    def list_merged_pulls(self, base_branch: str) -> list[PullRequest]:
        params: dict[str, str | int] = {
            "state": "closed",
            "base": base_branch,
            "sort": "updated",
            "direction": "desc",
            "per_page": 50,
        }
        pulls = self._call("GET", "/pulls", params=params) or []
        return [_pull(data) for data in pulls if data.get("merged_at")]

    def pulls_for_commit(self, sha: str) -> list[PullRequest]:
        pulls = self._call("GET", f"/commits/{sha}/pulls", missing_ok=True) or []
        return [_pull(data) for data in pulls]

    def create_pull(self, head_branch: str, base_branch: str, title: str, body: str) -> PullRequest:
        payload = {"title": title, "head": head_branch, "base": base_branch, "body": body}
        return _pull(self._call("POST", "/pulls", body=payload))

    def update_pull(self, number: int, title: str, body: str) -> PullRequest:
        return _pull(self._call("PATCH", f"/pulls/{number}", body={"title": title, "body": body}))

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        self._call("POST", f"/issues/{number}/labels", body={"labels": list(labels)})

    def remove_label(self, number: int, label: str) -> None:
        self._call("DELETE", f"/issues/{number}/labels/{quote(label, safe='')}", missing_ok=True)

    # --- git data ---------------------------------------------------------------------------

    def get_ref(self, ref: str) -> str | None:
        data = self._call("GET", f"/git/ref/{quote(ref, safe='/')}", missing_ok=True)
        if not isinstance(data, dict):  # a list means a prefix match, not this ref
            return None
        target = data["object"]
        while target["type"] == "tag":  # an annotated tag: peel to the commit
            target = self._call("GET", f"/git/tags/{target['sha']}")["object"]
        sha: str = target["sha"]
        return sha

    def create_ref(self, ref: str, sha: str) -> None:
        self._call("POST", "/git/refs", body={"ref": ref, "sha": sha})

    def update_ref(self, ref: str, sha: str, *, force: bool) -> None:
        self._call("PATCH", f"/git/refs/{quote(ref, safe='/')}", body={"sha": sha, "force": force})

    def get_commit(self, sha: str) -> GitCommit:
        data = self._call("GET", f"/git/commits/{sha}")
        return GitCommit(
            sha=data["sha"],
            tree_sha=data["tree"]["sha"],
            parents=tuple(parent["sha"] for parent in data["parents"]),
        )

    def get_file_sha(self, path: str, ref: str) -> str | None:
        data = self._call(
            "GET", f"/contents/{quote(path, safe='/')}", params={"ref": ref}, missing_ok=True
        )
        if isinstance(data, dict) and data.get("type") == "file":
            sha: str = data["sha"]
            return sha
        return None

    def create_tree(self, base_tree: str, files: Sequence[tuple[str, str]]) -> str:
        entries = [
            {"path": path, "mode": "100644", "type": "blob", "content": content}
            for path, content in files
        ]
        data = self._call("POST", "/git/trees", body={"base_tree": base_tree, "tree": entries})
        sha: str = data["sha"]
        return sha

    def create_commit(self, message: str, tree_sha: str, parents: Sequence[str]) -> str:
        body = {"message": message, "tree": tree_sha, "parents": list(parents)}
        sha: str = self._call("POST", "/git/commits", body=body)["sha"]
        return sha

    # --- releases ---------------------------------------------------------------------------

    def get_release_by_tag(self, tag: str) -> Release | None:
        data = self._call("GET", f"/releases/tags/{quote(tag, safe='')}", missing_ok=True)
        if isinstance(data, dict):
            return _release(data)
        # drafts have no tag yet, so the by-tag lookup misses them
        for item in self._call("GET", "/releases", params={"per_page": 100}) or []:
            if item.get("tag_name") == tag:
                return _release(item)
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
        payload = {
            "tag_name": tag,
            "target_commitish": target_sha,
            "name": name,
            "body": body,
            "draft": draft,
            "prerelease": prerelease,
        }
        return _release(self._call("POST", "/releases", body=payload))

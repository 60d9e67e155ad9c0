"""relkit.adapters.github through `responses`: request bodies, GitHub-shaped JSON, faults."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from typing import Any

import pytest
import requests
import responses
from relkit.adapters.github import (
    AlreadyExists,
    GitCommit,
    GitHubApiError,
    GitHubClient,
    Ref,
    RetryPolicy,
    TreeEntry,
    permission_for,
)
from relkit.errors import ConfigError
from responses import matchers

API = "https://api.github.com"
# PyGithub's connection class puts the port into the URL it requests
REPO = "https://api.github.com:443/repos/octo-org/octo-repo"
TOKEN = "ghs_secretTokenValue123"
NOW = 1_700_000_000.0


class Sleeper:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeper() -> Sleeper:
    return Sleeper()


@pytest.fixture
def client(sleeper: Sleeper) -> GitHubClient:
    return GitHubClient(
        TOKEN,
        "octo-org/octo-repo",
        sleep=sleeper,
        clock=lambda: NOW,
        jitter=lambda: 1.0,  # backoff = its ceiling: 1, 2, 4, …
        policy=RetryPolicy(max_attempts=4, max_total_wait=200),
    )


def pull_json(number: int = 7, head: str = "release-please--main", **extra: Any) -> dict[str, Any]:
    data = {
        "number": number,
        "title": "chore(main): release 1.2.0",
        "body": "notes",
        "state": "open",
        "draft": False,
        "merged_at": None,
        "head": {"ref": head, "sha": "a" * 40},
        "base": {"ref": "main", "sha": "b" * 40},
        "html_url": f"https://github.com/octo-org/octo-repo/pull/{number}",
        "labels": [{"name": "autorelease: pending"}],
        "merge_commit_sha": None,
        "user": {"login": "github-actions[bot]"},
    }
    data.update(extra)
    return data


def body_of(call: Any) -> Any:
    return json.loads(call.request.body)


# --- construction -----------------------------------------------------------------------------


def test_missing_token_names_the_input() -> None:
    with pytest.raises(ConfigError, match="input 'token' is empty"):
        GitHubClient("", "o/r")


@pytest.mark.parametrize("repository", ["", "owner", "o/r/x", "o /r"])
def test_bad_repository(repository: str) -> None:
    with pytest.raises(ConfigError, match="owner/name"):
        GitHubClient(TOKEN, repository)


def test_from_env_reads_api_url_and_repository() -> None:
    env = {"GITHUB_API_URL": "https://ghe.example.com/api/v3/", "GITHUB_REPOSITORY": "a/b"}
    client = GitHubClient.from_env(TOKEN, env)
    assert (client.api_url, client.repository) == ("https://ghe.example.com/api/v3", "a/b")
    assert TOKEN not in repr(client)
    assert GitHubClient.from_env(TOKEN, {}, repository="c/d").api_url == API
    with pytest.raises(ConfigError, match="GITHUB_REPOSITORY"):
        GitHubClient.from_env(TOKEN, {})
    with pytest.raises(ConfigError, match="http"):
        GitHubClient.from_env(TOKEN, {"GITHUB_API_URL": "ftp://x"}, repository="a/b")


def test_importing_the_adapter_loads_no_http_library() -> None:
    code = (
        "import sys, relkit.adapters.github as g; "
        "print(sorted(m for m in ('github', 'requests', 'urllib3') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@responses.activate
def test_ghes_base_url_and_auth_header(sleeper: Sleeper) -> None:
    responses.get(
        "https://ghe.example.com:443/api/v3/repos/o/r",
        json={"full_name": "o/r", "default_branch": "trunk", "html_url": "h", "private": True},
    )
    client = GitHubClient(TOKEN, "o/r", api_url="https://ghe.example.com/api/v3", sleep=sleeper)
    assert client.default_branch() == "trunk"
    request = responses.calls[0].request
    assert request.headers["Authorization"].endswith(TOKEN)
    assert request.headers["User-Agent"] == "relkit"
    assert sleeper.calls == []


# --- retries ----------------------------------------------------------------------------------


@responses.activate
def test_502_then_200(client: GitHubClient, sleeper: Sleeper) -> None:
    responses.get(REPO, status=502, body="<html>Bad gateway</html>")
    responses.get(REPO, status=503, json={"message": "unavailable"})
    responses.get(REPO, json={"full_name": "octo-org/octo-repo", "default_branch": "main"})
    assert client.default_branch() == "main"
    assert sleeper.calls == [1.0, 2.0]


@responses.activate
def test_backoff_has_jitter_and_a_ceiling(sleeper: Sleeper) -> None:
    for _ in range(6):
        responses.get(REPO, status=500, json={"message": "boom"})
    client = GitHubClient(
        TOKEN,
        "octo-org/octo-repo",
        sleep=sleeper,
        jitter=lambda: 0.0,
        policy=RetryPolicy(max_attempts=6, backoff_base=1, backoff_max=4),
    )
    with pytest.raises(GitHubApiError, match="GET /repos/octo-org/octo-repo failed with 500: boom"):
        client.get_repository()
    assert sleeper.calls == [0.5, 1.0, 2.0, 2.0, 2.0]


@responses.activate
def test_429_honours_retry_after(client: GitHubClient, sleeper: Sleeper) -> None:
    responses.get(REPO, status=429, headers={"Retry-After": "7"}, json={"message": "slow down"})
    responses.get(REPO, json={"full_name": "octo-org/octo-repo", "default_branch": "main"})
    assert client.default_branch() == "main"
    assert sleeper.calls == [7.0]


@responses.activate
def test_403_secondary_rate_limit(client: GitHubClient, sleeper: Sleeper) -> None:
    message = (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    )
    responses.post(f"{REPO}/pulls", status=403, json={"message": message})
    responses.post(f"{REPO}/pulls", status=201, json=pull_json())
    pull = client.create_pull(title="t", head="h", base="main")
    assert pull.number == 7
    assert sleeper.calls == [60.0]
    assert len(responses.calls) == 2


@responses.activate
def test_403_primary_rate_limit_waits_until_reset(client: GitHubClient, sleeper: Sleeper) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)}
    responses.get(REPO, status=403, headers=headers, json={"message": "API rate limit exceeded"})
    responses.get(REPO, json={"full_name": "octo-org/octo-repo", "default_branch": "main"})
    assert client.default_branch() == "main"
    assert sleeper.calls == [31.0]


@responses.activate
def test_rate_limit_reset_beyond_the_budget_fails_fast(
    client: GitHubClient, sleeper: Sleeper
) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3000)}
    responses.get(REPO, status=403, headers=headers, json={"message": "API rate limit exceeded"})
    with pytest.raises(GitHubApiError, match=r"rate limit reached.*retry budget") as info:
        client.get_repository()
    assert sleeper.calls == []
    assert info.value.status == 403


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(requests.exceptions.ConnectTimeout("connect"), id="connect-timeout"),
        pytest.param(requests.exceptions.ReadTimeout("read"), id="read-timeout"),
        pytest.param(requests.exceptions.ConnectionError("refused"), id="connection-error"),
    ],
)
@responses.activate
def test_network_fault_then_success(
    client: GitHubClient, sleeper: Sleeper, fault: Exception
) -> None:
    responses.get(REPO, body=fault)
    responses.get(REPO, json={"full_name": "octo-org/octo-repo", "default_branch": "main"})
    assert client.default_branch() == "main"
    assert sleeper.calls == [1.0]


@responses.activate
def test_timeouts_until_attempts_run_out(client: GitHubClient, sleeper: Sleeper) -> None:
    for _ in range(4):
        responses.get(REPO, body=requests.exceptions.ReadTimeout("read"))
    with pytest.raises(
        GitHubApiError, match=r"GET /repos/octo-org/octo-repo timed out \(ReadTimeout\) after 4"
    ):
        client.get_repository()
    assert sleeper.calls == [1.0, 2.0, 4.0]


# --- errors -----------------------------------------------------------------------------------


@responses.activate
def test_403_on_write_names_endpoint_and_permission(client: GitHubClient, sleeper: Sleeper) -> None:
    responses.post(
        f"{REPO}/pulls", status=403, json={"message": "Resource not accessible by integration"}
    )
    with pytest.raises(GitHubApiError) as info:
        client.create_pull(title="t", head="h", base="main")
    text = str(info.value)
    assert "POST /repos/octo-org/octo-repo/pulls returned 403" in text
    assert "Resource not accessible by integration" in text
    assert "'pull-requests: write'" in text
    assert TOKEN not in text
    assert sleeper.calls == []


@responses.activate
def test_accepted_permissions_header_wins(client: GitHubClient) -> None:
    responses.post(
        f"{REPO}/git/refs",
        status=403,
        headers={"X-Accepted-GitHub-Permissions": "contents=write; workflows=write"},
        json={"message": "Resource not accessible by integration"},
    )
    with pytest.raises(GitHubApiError, match="'contents: write or workflows: write'"):
        client.create_ref("heads/x", "a" * 40)


@responses.activate
def test_actions_may_not_create_pull_requests(client: GitHubClient) -> None:
    message = "GitHub Actions is not permitted to create or approve pull requests."
    responses.post(f"{REPO}/pulls", status=403, json={"message": message})
    with pytest.raises(GitHubApiError, match="Allow GitHub Actions to create and approve"):
        client.create_pull(title="t", head="h", base="main")


@responses.activate
def test_401_is_a_bad_token(client: GitHubClient) -> None:
    responses.get(REPO, status=401, json={"message": "Bad credentials"})
    with pytest.raises(ConfigError, match=r"GitHub rejected the token.*'token' input") as info:
        client.get_repository()
    assert TOKEN not in str(info.value)


@responses.activate
def test_422_carries_github_details(client: GitHubClient) -> None:
    responses.post(
        f"{REPO}/git/refs",
        status=422,
        json={"message": "Validation Failed", "errors": [{"message": "Reference already exists"}]},
    )
    with pytest.raises(
        GitHubApiError, match="failed with 422: Validation Failed; Reference already"
    ) as info:
        client.create_ref("refs/heads/x", "a" * 40)
    assert info.value.status == 422
    assert info.value.endpoint == "POST /repos/octo-org/octo-repo/git/refs"
    assert isinstance(info.value, AlreadyExists)


@responses.activate
def test_422_already_exists_for_a_pull_and_other_422s(client: GitHubClient) -> None:
    responses.post(
        f"{REPO}/pulls",
        status=422,
        json={
            "message": "Validation Failed",
            "errors": [
                {
                    "resource": "PullRequest",
                    "code": "custom",
                    "message": "A pull request already exists for octo-org:rel.",
                }
            ],
        },
    )
    with pytest.raises(AlreadyExists):
        client.create_pull(title="t", head="rel", base="main")
    responses.post(
        f"{REPO}/releases",
        status=422,
        json={"message": "Validation Failed", "errors": [{"code": "invalid"}]},
    )
    with pytest.raises(GitHubApiError) as info:
        client.create_release("v1")
    assert not isinstance(info.value, AlreadyExists)


@pytest.mark.parametrize(
    ("verb", "path", "permission"),
    [
        pytest.param("GET", "/repos/o/r/git/refs/heads/main", "contents: read", id="read"),
        pytest.param("GET", "/repos/o/r/pulls/3/commits", "pull-requests: read", id="read-pulls"),
        pytest.param("GET", "/repos/o/r/deployments", "deployments: read", id="read-deploys"),
        pytest.param("PATCH", "/repos/o/r/pulls/1", "pull-requests: write", id="pulls"),
        pytest.param("POST", "/repos/o/r/issues/1/comments", "issues: write", id="comments"),
        pytest.param("POST", "/repos/o/r/labels", "issues: write", id="labels"),
        pytest.param("POST", "/repos/o/r/releases", "contents: write", id="releases"),
        pytest.param("POST", "/repos/o/r/deployments", "deployments: write", id="deployments"),
    ],
)
def test_permission_for(verb: str, path: str, permission: str) -> None:
    assert permission_for(verb, path) == permission


@responses.activate
def test_404_on_read_and_bad_refs(client: GitHubClient) -> None:
    responses.get(f"{REPO}/compare/a...b", status=404, json={"message": "Not Found"})
    with pytest.raises(
        GitHubApiError, match=r"GET /repos/octo-org/octo-repo/compare/a\.\.\.b returned 404"
    ):
        client.compare("a", "b")
    with pytest.raises(ConfigError, match="heads/<branch>"):
        client.get_ref("main")


# --- pull requests ----------------------------------------------------------------------------


@responses.activate
def test_create_and_update_pull(client: GitHubClient) -> None:
    responses.post(f"{REPO}/pulls", status=201, json=pull_json())
    responses.patch(f"{REPO}/pulls/7", json=pull_json(title="new", state="closed"))
    pull = client.create_pull(title="chore: release", head="rel", base="main", body="b", draft=True)
    assert body_of(responses.calls[0]) == {
        "title": "chore: release",
        "head": "rel",
        "base": "main",
        "body": "b",
        "draft": True,
    }
    assert (pull.head_ref, pull.labels, pull.author) == (
        "release-please--main",
        ("autorelease: pending",),
        "github-actions[bot]",
    )
    updated = client.update_pull(7, title="new", state="closed")
    assert body_of(responses.calls[1]) == {"title": "new", "state": "closed"}
    assert (updated.title, updated.state) == ("new", "closed")


@responses.activate
def test_list_pulls_paginates_and_filters_labels(client: GitHubClient) -> None:
    page1 = [pull_json(n, labels=[{"name": "x"}] if n % 2 else []) for n in range(100, 0, -1)]
    responses.get(
        f"{REPO}/pulls",
        json=page1,
        match=[
            matchers.query_param_matcher(
                {
                    "state": "closed",
                    "sort": "created",
                    "direction": "desc",
                    "per_page": "100",
                    "page": "1",
                }
            )
        ],
    )
    responses.get(
        f"{REPO}/pulls",
        json=[pull_json(0, labels=[{"name": "x"}])],
        match=[
            matchers.query_param_matcher(
                {
                    "state": "closed",
                    "sort": "created",
                    "direction": "desc",
                    "per_page": "100",
                    "page": "2",
                }
            )
        ],
    )
    pulls = client.list_pulls(state="closed", label="x")
    assert len(pulls) == 51
    assert pulls[-1].number == 0
    assert len(client.list_pulls(state="closed", limit=5)) == 5


@responses.activate
def test_find_open_pull_by_head_branch(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/pulls",
        json=[pull_json()],
        match=[
            matchers.query_param_matcher(
                {"state": "open", "head": "octo-org:release-please--main", "base": "main"},
                strict_match=False,
            )
        ],
    )
    pull = client.find_open_pull("release-please--main", base="main")
    assert pull is not None
    assert pull.number == 7
    responses.get(f"{REPO}/pulls", json=[])
    assert client.find_open_pull("other") is None


@responses.activate
def test_pulls_for_commit_and_pull_commits(client: GitHubClient) -> None:
    responses.get(f"{REPO}/commits/{'c' * 40}/pulls", json=[pull_json(3)])
    responses.get(
        f"{REPO}/pulls/3/commits",
        json=[
            {
                "sha": "d" * 40,
                "commit": {"message": "feat: x\n\nbody", "author": {"name": "A", "email": "a@x"}},
                "author": {"login": "ada"},
            },
            {"sha": "e" * 40, "commit": {"message": "fix: y"}, "author": None},
        ],
    )
    assert [p.number for p in client.pulls_for_commit("c" * 40)] == [3]
    commits = client.list_pull_commits(3)
    assert commits[0].message == "feat: x\n\nbody"
    assert (commits[0].author_login, commits[1].author_login) == ("ada", None)


# --- labels and comments ------------------------------------------------------------------------


@responses.activate
def test_add_remove_labels_and_comment(client: GitHubClient) -> None:
    responses.post(f"{REPO}/issues/7/labels", json=[{"name": "a"}, {"name": "b"}])
    responses.delete(f"{REPO}/issues/7/labels/a", json=[])
    responses.delete(
        f"{REPO}/issues/7/labels/gone", status=404, json={"message": "Label does not exist"}
    )
    responses.post(
        f"{REPO}/issues/7/comments", status=201, json={"id": 5, "body": "hi", "html_url": "u"}
    )
    assert client.add_labels(7, ["a", "b"]) == ("a", "b")
    assert body_of(responses.calls[0]) == {"labels": ["a", "b"]}
    assert client.remove_label(7, "a") is True
    assert client.remove_label(7, "gone") is False
    assert client.create_comment(7, "hi").id == 5
    assert body_of(responses.calls[-1]) == {"body": "hi"}


# --- refs and git data --------------------------------------------------------------------------


@responses.activate
def test_refs(client: GitHubClient) -> None:
    ref_json = {"ref": "refs/heads/rel", "object": {"sha": "a" * 40, "type": "commit"}}
    responses.get(f"{REPO}/git/ref/heads/rel", json=ref_json)
    responses.get(f"{REPO}/git/ref/tags/v1", status=404, json={"message": "Not Found"})
    responses.patch(f"{REPO}/git/refs/heads/rel", json=ref_json)
    responses.delete(f"{REPO}/git/refs/heads/rel", status=204)
    responses.delete(
        f"{REPO}/git/refs/tags/v1", status=422, json={"message": "Reference does not exist"}
    )
    assert client.get_ref("refs/heads/rel") == Ref("refs/heads/rel", "a" * 40, "commit")
    assert client.get_ref("tags/v1") is None
    client.update_ref("heads/rel", "a" * 40, force=True)
    assert body_of(responses.calls[2]) == {"sha": "a" * 40, "force": True}
    assert client.delete_ref("heads/rel") is True
    assert client.delete_ref("tags/v1") is False


@responses.activate
def test_set_branch_creates_or_updates(client: GitHubClient) -> None:
    responses.get(f"{REPO}/git/ref/heads/new", status=404, json={"message": "Not Found"})
    responses.post(
        f"{REPO}/git/refs",
        status=201,
        json={"ref": "refs/heads/new", "object": {"sha": "b" * 40, "type": "commit"}},
    )
    assert client.set_branch("new", "b" * 40).sha == "b" * 40
    assert body_of(responses.calls[1]) == {"ref": "refs/heads/new", "sha": "b" * 40}
    responses.get(
        f"{REPO}/git/ref/heads/old",
        json={"ref": "refs/heads/old", "object": {"sha": "a" * 40, "type": "commit"}},
    )
    responses.patch(
        f"{REPO}/git/refs/heads/old",
        json={"ref": "refs/heads/old", "object": {"sha": "c" * 40, "type": "commit"}},
    )
    assert client.set_branch("old", "c" * 40).sha == "c" * 40
    assert body_of(responses.calls[-1]) == {"sha": "c" * 40, "force": True}


@responses.activate
def test_commit_files_on_top_of_a_base(client: GitHubClient) -> None:
    base = "b" * 40
    responses.get(
        f"{REPO}/git/commits/{base}",
        json={
            "sha": base,
            "tree": {"sha": "t" * 40},
            "parents": [{"sha": "p" * 40}],
            "message": "m",
        },
    )
    responses.post(f"{REPO}/git/blobs", status=201, json={"sha": "1" * 40})
    responses.post(f"{REPO}/git/trees", status=201, json={"sha": "2" * 40})
    responses.post(f"{REPO}/git/commits", status=201, json={"sha": "3" * 40})
    sha = client.commit_files(
        base,
        {"CHANGELOG.md": "# 1.2.0\n", "logo.png": b"\x89PNG", "old.txt": None},
        "chore(main): release 1.2.0",
    )
    assert sha == "3" * 40
    assert body_of(responses.calls[1]) == {
        "content": base64.b64encode(b"\x89PNG").decode(),
        "encoding": "base64",
    }
    assert body_of(responses.calls[2]) == {
        "base_tree": "t" * 40,
        "tree": [
            {"path": "CHANGELOG.md", "mode": "100644", "type": "blob", "content": "# 1.2.0\n"},
            {"path": "logo.png", "mode": "100644", "type": "blob", "sha": "1" * 40},
            {"path": "old.txt", "mode": "100644", "type": "blob", "sha": None},
        ],
    }
    assert body_of(responses.calls[3]) == {
        "message": "chore(main): release 1.2.0",
        "tree": "2" * 40,
        "parents": [base],
    }
    client.create_commit("m", "2" * 40, [], author=("A", "a@x"))
    assert body_of(responses.calls[-1])["author"] == {"name": "A", "email": "a@x"}
    assert client.create_tree(None, [TreeEntry("x", "y")]) == "2" * 40


# --- contents, releases, compare ---------------------------------------------------------------


@responses.activate
def test_get_file(client: GitHubClient) -> None:
    text = "version = 1.2.0\n"
    responses.get(
        f"{REPO}/contents/pkg/pyproject.toml",
        json={
            "type": "file",
            "encoding": "base64",
            "sha": "f" * 40,
            "size": len(text),
            "content": base64.encodebytes(text.encode()).decode(),
        },
        match=[matchers.query_param_matcher({"ref": "main"})],
    )
    responses.get(f"{REPO}/contents/missing", status=404, json={"message": "Not Found"})
    responses.get(f"{REPO}/contents/dir", json=[{"type": "file"}])
    responses.get(
        f"{REPO}/contents/big.json",
        json={
            "type": "file",
            "encoding": "none",
            "content": "",
            "sha": "9" * 40,
            "size": 2_000_000,
        },
    )
    responses.get(
        f"{REPO}/git/blobs/{'9' * 40}", json={"content": base64.b64encode(b"{}").decode()}
    )
    found = client.get_file("/pkg/pyproject.toml", "main")
    assert found is not None
    assert found.text == text
    assert client.get_file("missing", "main") is None
    with pytest.raises(ConfigError, match="is not a file"):
        client.get_file("dir", "main")
    big = client.get_file("big.json", "main")
    assert big is not None
    assert big.content == b"{}"


@responses.activate
def test_releases(client: GitHubClient) -> None:
    release = {
        "id": 1,
        "tag_name": "v1.2.0",
        "name": "v1.2.0",
        "body": "notes",
        "draft": False,
        "prerelease": False,
        "html_url": "u",
        "target_commitish": "main",
        "upload_url": "https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}",
    }
    responses.get(f"{REPO}/releases/tags/v1.2.0", json=release)
    responses.get(f"{REPO}/releases/tags/v9", status=404, json={"message": "Not Found"})
    responses.post(f"{REPO}/releases", status=201, json=release)
    responses.get(f"{REPO}/releases", json=[release])
    found = client.get_release_by_tag("v1.2.0")
    assert found is not None
    assert found.body == "notes"
    assert found.upload_url.startswith("https://uploads.github.com/")
    assert client.get_release_by_tag("v9") is None
    client.create_release(
        "v1.2.0", body="notes", target="a" * 40, prerelease=True, make_latest=False
    )
    assert body_of(responses.calls[2]) == {
        "tag_name": "v1.2.0",
        "name": "v1.2.0",
        "body": "notes",
        "draft": False,
        "prerelease": True,
        "target_commitish": "a" * 40,
        "make_latest": "false",
    }
    assert [r.tag_name for r in client.list_releases()] == ["v1.2.0"]


@responses.activate
def test_generate_release_notes(client: GitHubClient) -> None:
    notes = {"name": "v1.3.0", "body": "## What's Changed\n* x"}
    responses.post(f"{REPO}/releases/generate-notes", json=notes)
    assert client.generate_release_notes("v1.3.0") == "## What's Changed\n* x"
    assert client.generate_release_notes("v1.3.0", target="main", previous_tag="v1.2.0")
    assert body_of(responses.calls[0]) == {"tag_name": "v1.3.0"}
    assert body_of(responses.calls[1]) == {
        "tag_name": "v1.3.0",
        "target_commitish": "main",
        "previous_tag_name": "v1.2.0",
    }


@responses.activate
def test_compare(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/compare/v1.0.0...main",
        json={
            "status": "ahead",
            "ahead_by": 2,
            "behind_by": 0,
            "merge_base_commit": {"sha": "m" * 40},
            "commits": [{"sha": "1" * 40}, {"sha": "2" * 40}],
            "files": [{"filename": "a.py"}],
        },
    )
    comparison = client.compare("v1.0.0", "main")
    assert (comparison.status, comparison.ahead_by, comparison.commits[-1], comparison.files) == (
        "ahead",
        2,
        "2" * 40,
        ("a.py",),
    )


@responses.activate
def test_get_commit(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/git/commits/{'a' * 40}",
        json={
            "sha": "a" * 40,
            "tree": {"sha": "t" * 40},
            "parents": [{"sha": "p" * 40}],
            "message": "feat: x\n",
        },
    )
    assert client.get_commit("a" * 40) == GitCommit("a" * 40, "t" * 40, ("p" * 40,), "feat: x\n")


@responses.activate
def test_list_merged_pulls(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/pulls",
        json=[
            pull_json(2, merged_at="2024-01-02T00:00:00Z", state="closed"),
            pull_json(1, state="closed"),
        ],
        match=[
            matchers.query_param_matcher({"state": "closed", "base": "main"}, strict_match=False)
        ],
    )
    assert [p.number for p in client.list_merged_pulls("main")] == [2]


@responses.activate
def test_deployments_and_statuses(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/deployments",
        json=[
            {
                "id": 9,
                "sha": "a" * 40,
                "ref": "main",
                "environment": "production",
                "created_at": "2024-01-02T00:00:00Z",
            }
        ],
        match=[matchers.query_param_matcher({"environment": "production"}, strict_match=False)],
    )
    responses.get(
        f"{REPO}/deployments/9/statuses",
        json=[{"state": "success", "created_at": "2024-01-02T00:05:00Z"}],
    )
    [deployment] = client.list_deployments(environment="production")
    assert (deployment.id, deployment.environment) == (9, "production")
    assert client.list_deployment_statuses(9)[0].state == "success"


@responses.activate
def test_workflow_runs_envelope(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/actions/workflows/deploy.yml/runs",
        json={
            "total_count": 1,
            "workflow_runs": [
                {
                    "id": 5,
                    "name": "Deploy",
                    "head_sha": "b" * 40,
                    "head_branch": "main",
                    "event": "push",
                    "status": "completed",
                    "conclusion": "success",
                    "created_at": "c",
                    "updated_at": "u",
                    "html_url": "h",
                }
            ],
        },
        match=[
            matchers.query_param_matcher(
                {"status": "success", "branch": "main"}, strict_match=False
            )
        ],
    )
    [run] = client.list_workflow_runs("deploy.yml", branch="main", status="success")
    assert (run.id, run.conclusion, run.head_sha) == (5, "success", "b" * 40)


@responses.activate
def test_list_issues_leaves_out_pull_requests(client: GitHubClient) -> None:
    responses.get(
        f"{REPO}/issues",
        json=[
            {
                "number": 1,
                "title": "outage",
                "body": "root cause: abc",
                "state": "closed",
                "labels": [{"name": "Incident"}],
                "created_at": "c",
                "closed_at": "d",
            },
            {"number": 2, "title": "a PR", "pull_request": {}, "labels": []},
        ],
        match=[
            matchers.query_param_matcher(
                {"labels": "Incident", "state": "all", "since": "2024-01-01T00:00:00Z"},
                strict_match=False,
            )
        ],
    )
    [issue] = client.list_issues(labels=["Incident"], since="2024-01-01T00:00:00Z")
    assert (issue.number, issue.labels, issue.closed_at) == (1, ("Incident",), "d")

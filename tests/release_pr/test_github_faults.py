"""Fault injection (502, 429 + Retry-After, lost answers, timeouts), then a converging re-run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from github_api_fake import FakeGitHub
from release_pr.github_flow import TAGGED, publish_merged_releases, sync_release_pull
from release_pr_plans import make_client, single_plan, single_reader
from relkit.adapters.github import GitHubClient
from relkit.errors import ExternalError


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        gh = FakeGitHub(rsps)
        gh.push("main", {"version.txt": "1.2.3\n"}, "feat: add a thing")
        yield gh


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps: Sleeps) -> GitHubClient:
    return make_client(sleep=sleeps)


def test_502_is_retried_and_one_pr_is_created(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.fault("pulls/create", status=502, times=2)

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "created"
    assert len(fake.pulls) == 1
    assert sleeps == [1.0, 2.0]


def test_429_honours_retry_after(fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps) -> None:
    fake.fault("git/create-tree", status=429, headers={"Retry-After": "7"})

    sync_release_pull(client, single_plan(), target_branch="main")

    assert sleeps == [7.0]
    assert len(fake.writes("git/create-tree")) == 1


def test_secondary_rate_limit_waits_for_the_reset(
    fake: FakeGitHub, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.fault(
        "pulls/list",
        status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000012"},
        body={"message": "API rate limit exceeded"},
    )

    sync_release_pull(client, single_plan(), target_branch="main")

    assert sleeps == [13.0]  # until x-ratelimit-reset, plus a second


def test_a_long_rate_limit_fails_with_advice(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.fault("pulls/list", status=429, headers={"Retry-After": "3600"})

    with pytest.raises(
        ExternalError,
        match=r"GET /repos/octo/demo/pulls failed with 429.*3600s.*re-run the job later",
    ):
        sync_release_pull(client, single_plan(), target_branch="main")


def test_persistent_502_names_the_endpoint(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.fault("pulls/create", status=502, times=10)

    with pytest.raises(
        ExternalError, match=r"GitHub API POST /repos/octo/demo/pulls failed with 502"
    ):
        sync_release_pull(client, single_plan(), target_branch="main")


def test_forbidden_names_the_permissions(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.fault(
        "git/create-ref",
        status=403,
        body={"message": "Resource not accessible by integration"},
    )

    with pytest.raises(ExternalError) as caught:
        sync_release_pull(client, single_plan(), target_branch="main")

    message = str(caught.value)
    assert "POST /repos/octo/demo/git/refs returned 403" in message
    assert "Resource not accessible by integration" in message
    assert "the token needs 'contents: write'" in message
    assert caught.value.exit_code == 1


def test_lost_answer_on_pr_create_converges(fake: FakeGitHub, client: GitHubClient) -> None:
    fake.fault("pulls/create", timeout=True, apply=True)

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert len(fake.pulls) == 1
    assert result.pull.number in fake.pulls


def test_timeout_between_tag_and_release_then_rerun_converges(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    sha = fake.merge(number)
    fake.fault("repos/create-release", timeout=True, times=6)

    with pytest.raises(
        ExternalError, match=r"POST /repos/octo/demo/releases timed out.*after 6 attempt"
    ):
        publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)
    assert fake.refs["refs/tags/v1.3.0"] == sha
    assert fake.releases == []

    publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert len(fake.releases) == 1
    assert len(fake.writes("git/create-ref")) == 2  # the branch, then the tag once
    assert fake.pulls[number]["labels"] == [TAGGED]
    assert len(fake.pulls) == 1


def test_release_created_but_answer_lost_is_verified_not_duplicated(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    sha = fake.merge(number)
    fake.fault("repos/create-release", timeout=True, apply=True)

    [created] = publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert created.release.tag_name == "v1.3.0"
    assert len(fake.releases) == 1


def test_tag_created_but_answer_lost_is_verified(fake: FakeGitHub, client: GitHubClient) -> None:
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    sha = fake.merge(number)
    fake.fault("git/create-ref", status=502, apply=True)

    publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert fake.refs["refs/tags/v1.3.0"] == sha
    assert len(fake.releases) == 1


def test_branch_created_but_answer_lost_is_then_updated(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    fake.fault("git/create-ref", status=502, apply=True)

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "created"
    assert len(fake.writes("git/update-ref")) == 1
    assert fake.files_at("release-please--branches--main")["version.txt"] == "1.3.0\n"

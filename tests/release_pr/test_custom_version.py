"""release-please's custom version: the version a person writes into the release PR's title."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from github_api_fake import FakeGitHub
from release_pr.config import PackageConfig, ReleaseConfig
from release_pr.custom_version import CUSTOM_VERSION, edited_version, with_edited_version
from release_pr.github_flow import sync_release_pull
from release_pr_plans import FakePullPlan, make_client, single_plan
from relkit.adapters.github import GitHubClient

MANIFEST = ".release-please-manifest.json"
ROOT = PackageConfig()


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        gh = FakeGitHub(rsps)
        gh.push("main", {"version.txt": "1.2.3\n"})
        yield gh


def open_pull(fake: FakeGitHub, manifest: str, title: str) -> tuple[GitHubClient, int]:
    client = make_client()
    plan = single_plan()
    plan = FakePullPlan(
        plan.branch, plan.title, plan.body, (*plan.file_updates, (MANIFEST, manifest))
    )
    number = sync_release_pull(client, plan, target_branch="main").pull.number
    fake.pulls[number]["title"] = title
    return client, number


def edited(client: GitHubClient, package: PackageConfig = ROOT) -> str | None:
    return edited_version(client, package, target_branch="main", manifest_path=MANIFEST)


@pytest.mark.parametrize(
    ("manifest", "title", "expected"),
    [
        pytest.param('{".": "1.3.0"}', "chore(main): release 2.0.0", "2.0.0", id="edited"),
        pytest.param('{".": "1.3.0"}', "chore(main): release 1.3.0", None, id="as-planned"),
        pytest.param('{".": "1.3.0"}', "chore(main): release soon", None, id="no-version"),
        pytest.param("not json", "chore(main): release 2.0.0", None, id="manifest-not-json"),
        pytest.param('["1.3.0"]', "chore(main): release 2.0.0", None, id="manifest-not-a-map"),
    ],
)
def test_edited_version(fake: FakeGitHub, manifest: str, title: str, expected: str | None) -> None:
    client, number = open_pull(fake, manifest, title)
    assert edited(client) == expected
    assert (CUSTOM_VERSION in fake.pulls[number]["labels"]) is (expected is not None)


def test_the_label_keeps_the_title_version(fake: FakeGitHub) -> None:
    client, number = open_pull(fake, '{".": "2.0.0"}', "chore(main): release 2.0.0")
    fake.pulls[number]["labels"].append(CUSTOM_VERSION)
    assert edited(client) == "2.0.0"  # the manifest agrees now; the label is what keeps it


def test_no_release_pr_no_edit(fake: FakeGitHub) -> None:
    assert edited(make_client()) is None


def test_a_grouped_pr_has_no_version_to_edit(fake: FakeGitHub) -> None:
    client, _ = open_pull(fake, '{"a": "1.0.0"}', "chore(main): release 2.0.0")
    config = ReleaseConfig(
        packages=(PackageConfig("a"), PackageConfig("b")), manifest_path=MANIFEST
    )
    assert with_edited_version(client, config, target_branch="main") is config
    single = ReleaseConfig(packages=(PackageConfig(),), manifest_path=MANIFEST)
    assert with_edited_version(client, single, target_branch="main") is single  # manifest: no "."

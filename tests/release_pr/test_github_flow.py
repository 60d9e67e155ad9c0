"""The release PR lifecycle against an OpenAPI-validated fake GitHub (``responses``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import responses
from github_api_fake import FakeGitHub
from release_pr.github_flow import (
    PENDING,
    TAGGED,
    ReleaseTarget,
    is_release_branch,
    publish_merged_releases,
    release_branch,
    sync_release_pull,
    web_url,
)
from release_pr.github_ops import GitHubError
from release_pr_plans import (
    FOOTER,
    HEADER,
    SECTION,
    FakePullPlan,
    make_client,
    reader,
    single_plan,
    single_reader,
)
from relkit.adapters.github import GitHubClient
from relkit.errors import ExternalError


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        gh = FakeGitHub(rsps)
        gh.push("main", {"version.txt": "1.2.3\n", "README.md": "hi\n"}, "feat: add a thing")
        yield gh


@pytest.fixture
def client() -> GitHubClient:
    return make_client()


def test_first_run_opens_the_release_pr(fake: FakeGitHub, client: GitHubClient) -> None:
    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "created"
    pull = fake.pulls[result.pull.number]
    assert pull["title"] == "chore(main): release 1.3.0"
    assert pull["labels"] == [PENDING]
    assert pull["head"] == "release-please--branches--main"
    files = fake.files_at("release-please--branches--main")
    assert files["version.txt"] == "1.3.0\n"
    assert files["README.md"] == "hi\n"
    assert files["CHANGELOG.md"].startswith("# Changelog\n\n## [1.3.0]")
    branch_head = fake.commits[fake.refs["refs/heads/release-please--branches--main"]]
    assert branch_head["parents"] == [fake.refs["refs/heads/main"]]


def test_rerun_with_nothing_new_writes_nothing(fake: FakeGitHub, client: GitHubClient) -> None:
    sync_release_pull(client, single_plan(), target_branch="main")
    before = len(fake.writes())

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "unchanged"
    assert len(fake.writes()) == before
    assert len(fake.pulls) == 1


def test_new_commits_update_the_same_pr(fake: FakeGitHub, client: GitHubClient) -> None:
    first = sync_release_pull(client, single_plan(), target_branch="main")
    fake.push("main", {"version.txt": "1.2.3\n", "README.md": "more\n"}, "feat!: break")

    second = sync_release_pull(client, single_plan("2.0.0"), target_branch="main")

    assert second.action == "updated"
    assert second.pull.number == first.pull.number
    assert len(fake.pulls) == 1
    assert fake.pulls[first.pull.number]["title"] == "chore(main): release 2.0.0"
    files = fake.files_at("release-please--branches--main")
    assert files["version.txt"] == "2.0.0\n"
    assert files["README.md"] == "more\n"
    assert len(fake.writes("pulls/update")) == 1
    assert fake.writes("git/update-ref")[0].body["force"] is True


def test_override_block_in_the_release_pr_is_named_before_it_is_overwritten(
    fake: FakeGitHub,
    client: GitHubClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an earlier test's run may have installed the workflow-command handler (no propagation)
    monkeypatch.setattr(logging.getLogger("relkit"), "propagate", True)
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    fake.pulls[number]["body"] += "\nBEGIN_COMMIT_OVERRIDE\nfeat: x\nEND_COMMIT_OVERRIDE\n"

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "updated"
    assert "BEGIN_COMMIT_OVERRIDE" not in fake.pulls[number]["body"]
    found = {(r.levelname, r.getMessage()) for r in caplog.records if "OVERRIDE" in r.getMessage()}
    ((level, message),) = found
    assert level == "WARNING"
    assert f"release PR #{number} holds" in message
    assert "merged pull request" in message


def test_stale_branch_content_is_rewritten_without_touching_the_pr(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    sync_release_pull(client, single_plan(), target_branch="main")
    branch = "release-please--branches--main"
    fake.push(branch, {**fake.files_at(branch), "version.txt": "9.9.9\n"}, "someone pushed")

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "updated"
    assert fake.files_at(branch)["version.txt"] == "1.3.0\n"
    assert fake.writes("pulls/update") == []


def test_separate_pull_requests_per_component(fake: FakeGitHub, client: GitHubClient) -> None:
    plans = [
        FakePullPlan(
            branch=release_branch("main", name),
            title=f"chore(main): release {name} 0.2.0",
            body=HEADER + "## 0.2.0 (2026-07-28)" + FOOTER,
            file_updates=((f"{name}/version.txt", "0.2.0\n"),),
        )
        for name in ("pkg-a", "pkg-b")
    ]
    numbers = {sync_release_pull(client, plan, target_branch="main").pull.number for plan in plans}

    assert len(numbers) == 2
    heads = sorted(pull["head"] for pull in fake.pulls.values())
    assert heads == [
        "release-please--branches--main--components--pkg-a",
        "release-please--branches--main--components--pkg-b",
    ]


def test_missing_target_branch_is_one_clear_error(client: GitHubClient, fake: FakeGitHub) -> None:
    with pytest.raises(GitHubError, match="target branch 'trunk' does not exist"):
        sync_release_pull(client, single_plan(), target_branch="trunk")


def open_and_merge(fake: FakeGitHub, client: GitHubClient, plan: FakePullPlan) -> str:
    number = sync_release_pull(client, plan, target_branch="main").pull.number
    return fake.merge(number)


def test_merged_release_pr_is_tagged_and_released(fake: FakeGitHub, client: GitHubClient) -> None:
    sha = open_and_merge(fake, client, single_plan())

    created = publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert [(c.tag_name, c.version, c.sha, c.path) for c in created] == [
        ("v1.3.0", "1.3.0", sha, ".")
    ]
    assert (created[0].major, created[0].minor, created[0].patch) == (1, 3, 0)
    assert fake.refs["refs/tags/v1.3.0"] == sha
    [release] = fake.releases
    assert release["body"] == SECTION
    assert release["name"] == "v1.3.0"
    assert release["target_commitish"] == sha
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_rerun_after_release_changes_nothing(fake: FakeGitHub, client: GitHubClient) -> None:
    sha = open_and_merge(fake, client, single_plan())
    publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)
    before = len(fake.writes())

    again = publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert again == []
    assert len(fake.writes()) == before


def test_unmerged_or_unlabelled_prs_are_not_released(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    created = publish_merged_releases(client, target_branch="main", sha=None, read=single_reader)
    assert created == []
    fake.pulls[number]["labels"] = []
    sha = fake.merge(number)
    assert publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader) == []
    assert fake.releases == []


def test_components_get_one_tag_and_release_each(fake: FakeGitHub, client: GitHubClient) -> None:
    blocks = "\n\n".join(
        f"<details><summary>{name}: {version}</summary>\n\n## {version} (2026-07-28)\n\n\n"
        f"### Bug Fixes\n\n* fix {name}\n</details>"
        for name, version in (("pkg-a", "1.0.1"), ("pkg-b", "0.3.0"))
    )
    plan = FakePullPlan(
        branch="release-please--branches--main",
        title="chore: release main",
        body=HEADER + blocks + FOOTER,
        file_updates=(("pkg-a/version.txt", "1.0.1\n"), ("pkg-b/version.txt", "0.3.0\n")),
    )
    sha = open_and_merge(fake, client, plan)

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        assert component is not None
        return ReleaseTarget(
            path=f"packages/{component}",
            tag=f"{component}-v{version}",
            name=f"{component}: v{version}",
            prerelease=component == "pkg-b",
        )

    created = publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert [c.tag_name for c in created] == ["pkg-a-v1.0.1", "pkg-b-v0.3.0"]
    assert [r["prerelease"] for r in fake.releases] == [False, True]
    assert fake.releases[0]["body"].startswith("## 1.0.1 (2026-07-28)")
    assert fake.releases[1]["name"] == "pkg-b: v0.3.0"


def test_skip_github_release_leaves_tag_and_release_alone(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    sha = open_and_merge(fake, client, single_plan())

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", skip_github_release=True)

    created = publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert created == []
    assert "refs/tags/v1.3.0" not in fake.refs
    assert fake.releases == []
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_draft_release_is_found_again_on_rerun(fake: FakeGitHub, client: GitHubClient) -> None:
    sha = open_and_merge(fake, client, single_plan())

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", draft=True)

    publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))
    [pull] = fake.pulls.values()
    pull["labels"] = [PENDING]  # as if the label swap had failed

    [again] = publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert len(fake.releases) == 1
    assert again.release.draft
    assert len(fake.writes("repos/create-release")) == 1


def test_draft_release_creates_no_tag_ref(fake: FakeGitHub, client: GitHubClient) -> None:
    """release-please creates the draft with ``target_commitish`` and no tag: GitHub makes the
    tag when the draft is published."""
    sha = open_and_merge(fake, client, single_plan())

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", draft=True)

    [created] = publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert "refs/tags/v1.3.0" not in fake.refs
    assert all("refs/tags/" not in str(call.body) for call in fake.writes("git/create-ref"))
    [release] = fake.releases
    assert (release["tag_name"], release["draft"]) == ("v1.3.0", True)
    assert release["target_commitish"] == sha
    assert created.release.draft
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_draft_rerun_without_tag_converges(fake: FakeGitHub, client: GitHubClient) -> None:
    sha = open_and_merge(fake, client, single_plan())

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", draft=True)

    fake.fault("issues/remove-label", status=502, times=10)  # the label swap fails
    with pytest.raises(ExternalError, match="502"):
        publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))
    fake.faults.clear()

    [again] = publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert len(fake.releases) == 1
    assert "refs/tags/v1.3.0" not in fake.refs
    assert again.release.draft
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_draft_with_force_tag_creation_tags_now(fake: FakeGitHub, client: GitHubClient) -> None:
    sha = open_and_merge(fake, client, single_plan())

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", draft=True, force_tag_creation=True)

    publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))

    assert fake.refs["refs/tags/v1.3.0"] == sha
    [release] = fake.releases
    assert release["draft"]


def test_draft_refuses_a_stray_tag(fake: FakeGitHub, client: GitHubClient) -> None:
    old = fake.refs["refs/heads/main"]
    sha = open_and_merge(fake, client, single_plan())
    fake.refs["refs/tags/v1.3.0"] = old

    def resolve(component: str | None, version: str) -> ReleaseTarget:
        return ReleaseTarget(".", f"v{version}", f"v{version}", draft=True)

    with pytest.raises(GitHubError, match=r"tag 'v1\.3\.0' already exists at"):
        publish_merged_releases(client, target_branch="main", sha=sha, read=reader(resolve))
    assert fake.releases == []


def test_tag_at_another_commit_is_refused(fake: FakeGitHub, client: GitHubClient) -> None:
    old = fake.refs["refs/heads/main"]
    sha = open_and_merge(fake, client, single_plan())
    fake.refs["refs/tags/v1.3.0"] = old

    with pytest.raises(GitHubError, match=r"tag 'v1\.3\.0' already exists at"):
        publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)
    assert fake.releases == []


def test_release_pr_without_notes_is_an_error(fake: FakeGitHub, client: GitHubClient) -> None:
    plan = FakePullPlan("release-please--branches--main", "chore: release", "edited by hand", ())
    number = sync_release_pull(client, plan, target_branch="main").pull.number
    sha = fake.merge(number)

    with pytest.raises(GitHubError, match="has no release notes in its body"):
        publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)


def test_a_removed_pending_label_is_put_back(fake: FakeGitHub, client: GitHubClient) -> None:
    number = sync_release_pull(client, single_plan(), target_branch="main").pull.number
    fake.pulls[number]["labels"] = []

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "updated"
    assert fake.pulls[number]["labels"] == [PENDING]
    assert fake.writes("pulls/update") == []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param("release-please--branches--main", True, id="single"),
        pytest.param("release-please--branches--main--components--api", True, id="component"),
        pytest.param("release-please--branches--main-2", False, id="other-branch"),
        pytest.param("release-please--branches--maint", False, id="prefix-only"),
        pytest.param("feature/x", False, id="feature"),
    ],
)
def test_is_release_branch(head: str, expected: bool) -> None:
    assert is_release_branch(head, "main") is expected


def test_custom_labels_from_the_config(fake: FakeGitHub, client: GitHubClient) -> None:
    number = sync_release_pull(
        client, single_plan(), target_branch="main", labels=("release: pending",)
    ).pull.number
    sha = fake.merge(number)

    publish_merged_releases(
        client,
        target_branch="main",
        sha=sha,
        read=single_reader,
        pending="release: pending",
        tagged="release: done",
    )

    assert fake.pulls[number]["labels"] == ["release: done"]
    assert len(fake.releases) == 1


def test_an_annotated_tag_at_the_merge_commit_is_accepted(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    sha = open_and_merge(fake, client, single_plan())
    tag_object = fake.annotated_tag("v1.3.0", sha)  # someone tagged by hand: git tag -a

    [created] = publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    assert created.release.tag_name == "v1.3.0"
    assert fake.refs["refs/tags/v1.3.0"] == tag_object
    assert len(fake.writes("git/create-ref")) == 1  # the release branch; the tag was there


def huge_plan() -> FakePullPlan:
    """A release PR whose notes are over GitHub's 65,536-character body limit."""
    bullets = "\n".join(f"* change number {i} ([abc{i:04}](https://x/c/{i}))" for i in range(2000))
    return single_plan(section=f"{SECTION}\n{bullets}")


NOTES_BRANCH = "release-please--branches--main--release-notes"


def test_overflowing_body_goes_to_a_notes_file(fake: FakeGitHub, client: GitHubClient) -> None:
    plan = huge_plan()
    assert len(plan.body) > 65536

    result = sync_release_pull(client, plan, target_branch="main")

    pull = fake.pulls[result.pull.number]
    url = f"https://github.test/octo/demo/blob/{NOTES_BRANCH}/release-notes.md"
    assert pull["body"] == (
        "This release is too large to preview in the pull request body. "
        f"View the full release notes here: {url}"
    )
    notes = fake.files_at(NOTES_BRANCH)
    assert notes["release-notes.md"] == plan.body
    assert notes["README.md"] == "hi\n"  # a commit on the target branch, as release-please
    head = fake.commits[fake.refs[f"refs/heads/{NOTES_BRANCH}"]]
    assert head["parents"] == [fake.refs["refs/heads/main"]]
    assert fake.files_at("release-please--branches--main")["version.txt"] == "1.3.0\n"


def test_overflowing_body_rerun_writes_nothing(fake: FakeGitHub, client: GitHubClient) -> None:
    sync_release_pull(client, huge_plan(), target_branch="main")
    before = len(fake.writes())

    result = sync_release_pull(client, huge_plan(), target_branch="main")

    assert result.action == "unchanged"
    assert len(fake.writes()) == before


def test_shrinking_body_goes_back_inline(fake: FakeGitHub, client: GitHubClient) -> None:
    sync_release_pull(client, huge_plan(), target_branch="main")

    result = sync_release_pull(client, single_plan(), target_branch="main")

    assert result.action == "updated"
    assert fake.pulls[result.pull.number]["body"] == single_plan().body


def test_merged_overflowing_pr_is_released_with_the_full_notes(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    plan = huge_plan()
    sha = open_and_merge(fake, client, plan)

    [created] = publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)

    [release] = fake.releases
    assert release["body"] == plan.body.split("\n---\n")[1].strip()
    assert release["body"].endswith("* change number 1999 ([abc1999](https://x/c/1999))")
    assert created.notes == release["body"]
    assert fake.refs["refs/tags/v1.3.0"] == sha


def test_merged_overflowing_pr_with_its_notes_gone_is_an_error(
    fake: FakeGitHub, client: GitHubClient
) -> None:
    sha = open_and_merge(fake, client, huge_plan())
    del fake.refs[f"refs/heads/{NOTES_BRANCH}"]

    with pytest.raises(GitHubError, match="has no release notes in its body"):
        publish_merged_releases(client, target_branch="main", sha=sha, read=single_reader)
    assert fake.releases == []


@pytest.mark.parametrize(
    ("api", "web"),
    [
        pytest.param("https://api.github.com", "https://github.com", id="github-com"),
        pytest.param("https://ghe.example/api/v3/", "https://ghe.example", id="ghes"),
        pytest.param("https://api.acme.ghe.com", "https://acme.ghe.com", id="ghe-cloud"),
    ],
)
def test_web_url(api: str, web: str) -> None:
    assert web_url(api) == web

"""``BEGIN_COMMIT_OVERRIDE`` in merged pull requests: which pull request counts, what the block
does to the version and changelog, and what happens when GitHub cannot be read. Real git
repositories and the OpenAPI-validated fake GitHub (``responses``)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from github_api_fake import API, FakeGitHub
from gitrepo import GitRepo, make_git_repo
from release_pr import entry, pull_overrides
from release_pr.commit_parser import RawCommit, pull_number
from release_pr.pull_overrides import PullOverrides, override_for
from release_pr_plans import make_client
from relkit.adapters.github_models import PullRequest

OVERRIDE = (
    "Fixes the parser.\n\n"
    "BEGIN_COMMIT_OVERRIDE\n"
    "feat: add ability to override commit messages\n"
    "fix(parser): handle empty scopes\n"
    "END_COMMIT_OVERRIDE\n"
)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeGitHub(rsps)


@pytest.fixture
def released(tmp_path: Path) -> GitRepo:
    """v1.0.0 tagged; the commits under test come after it."""
    repo = make_git_repo(tmp_path / "ws")
    repo.commit("chore: start", {"version.txt": "1.0.0\n"})
    repo.tag("v1.0.0")
    return repo


def merged_pull(
    fake: FakeGitHub,
    number: int,
    sha: str,
    body: str,
    *,
    head: str = "topic",
    labels: tuple[str, ...] = (),
) -> None:
    """A pull request into main merged as commit ``sha`` (squash or merge button)."""
    fake.pulls[number] = {
        "number": number,
        "title": f"change {number}",
        "body": body,
        "head": head,
        "base": "main",
        "head_sha": "f" * 40,
        "labels": list(labels),
        "state": "closed",
        "merged_at": "2026-01-02T00:00:00Z",
        "merge_commit_sha": sha,
    }


def dry_run(repo: GitRepo, capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    argv = ["--dry-run", "--json", "--release-type=simple", f"--workspace={repo.path}"]
    argv += ["--repo-url=octo/demo", f"--github-api-url={API}", *flags]
    assert entry.main(argv, {}) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def with_token(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return dry_run(repo, capsys, "--token=ghs_fakeTokenValue")


def pull_gets(fake: FakeGitHub) -> list[str]:
    return [call.path for call in fake.calls if call.op == "pulls/get"]


# ----------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param("fix: tweak (#12)", 12, id="squash"),
        pytest.param("fix: tweak (#12)\n\nbody (#13)", 12, id="only-the-subject"),
        pytest.param("Merge pull request #7 from octo/topic\n\nfix: x", 7, id="merge-button"),
        pytest.param("Merge pull request #7", 7, id="merge-button-bare"),
        pytest.param("fix: tweak (#12) again", None, id="not-at-the-end"),
        pytest.param("fix: closes #12", None, id="a-mention"),
        pytest.param("Merge branch 'main' into topic", None, id="merge-branch"),
        pytest.param("Merge pull request #7x", None, id="not-a-number"),
        pytest.param("fix: tweak (#12)  ", 12, id="trailing-space"),
    ],
)
def test_pull_number(message: str, expected: int | None) -> None:
    assert pull_number(message) == expected


def pull(**changes: Any) -> PullRequest:
    fields: dict[str, Any] = {
        "number": 5,
        "title": "t",
        "body": OVERRIDE,
        "state": "closed",
        "draft": False,
        "merged": True,
        "head_ref": "topic",
        "head_sha": "f" * 40,
        "base_ref": "main",
        "html_url": "",
        "labels": (),
        "merge_commit_sha": "a" * 40,
        "author": "",
    }
    fields.update(changes)
    return PullRequest(**fields)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(
            pull(),
            "feat: add ability to override commit messages\nfix(parser): handle empty scopes",
            id="merged-as-this-commit",
        ),
        pytest.param(None, None, id="no-pull-request"),
        pytest.param(pull(merged=False), None, id="closed-unmerged"),
        pytest.param(pull(merge_commit_sha="b" * 40), None, id="merged-as-another-commit"),
        pytest.param(pull(merge_commit_sha=None), None, id="no-merge-commit"),
        pytest.param(pull(body="just a description"), None, id="no-markers"),
        pytest.param(
            pull(body="BEGIN_COMMIT_OVERRIDE\n \nEND_COMMIT_OVERRIDE"), None, id="empty-block"
        ),
        pytest.param(
            pull(head_ref="release-please--branches--main"), None, id="release-pr-by-branch"
        ),
        pytest.param(pull(labels=("autorelease: tagged",)), None, id="release-pr-by-label"),
        pytest.param(
            pull(
                body="BEGIN_COMMIT_OVERRIDE\nfeat: first\nEND_COMMIT_OVERRIDE\n"
                "BEGIN_COMMIT_OVERRIDE\nfix: second\nEND_COMMIT_OVERRIDE"
            ),
            "feat: first",
            id="several-blocks-the-first-wins",
        ),
        pytest.param(
            pull(body="BEGIN_COMMIT_OVERRIDE\nfeat: unterminated\n"),
            "feat: unterminated",
            id="no-end-marker",
        ),
    ],
)
def test_override_for(given: PullRequest | None, expected: str | None) -> None:
    commit = RawCommit(sha="a" * 40, message="fix: tweak (#5)")
    assert override_for(commit, given) == expected


# ----------------------------------------------------------------------------- the dry run


def test_override_changes_version_and_changelog(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    merged_pull(fake, 5, sha, OVERRIDE)

    data = with_token(released, capsys)

    (release,) = data["releases"]
    assert release["version"] == "1.1.0"  # the fix became a feature: minor, not patch
    changelog = release["changelog"]
    assert "* add ability to override commit messages ([" in changelog
    assert "* **parser:** handle empty scopes ([" in changelog
    assert "tweak the parser" not in changelog
    assert changelog.index("### Features") < changelog.index("### Bug Fixes")
    assert data["warnings"] == []
    assert pull_gets(fake) == ["/repos/octo/demo/pulls/5"]


def test_without_override_the_commit_is_read_as_written(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    merged_pull(fake, 5, sha, "Fixes the parser.\n\nRelease-As: 9.0.0 is only prose here")
    released.commit("fix: no pull request at all", {"b.txt": "b\n"})

    data = with_token(released, capsys)

    (release,) = data["releases"]
    assert release["version"] == "1.0.1"
    assert (
        "* tweak the parser ([#5](https://github.com/octo/demo/issues/5))" in (release["changelog"])
    )
    assert "* no pull request at all" in release["changelog"]
    assert pull_gets(fake) == ["/repos/octo/demo/pulls/5"]  # one lookup: one named PR


def test_release_as_inside_an_override_sets_the_version(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("chore: bump deps (#6)", {"a.txt": "a\n"})
    body = "BEGIN_COMMIT_OVERRIDE\nfeat: new engine\n\nRelease-As: 3.0.0\nEND_COMMIT_OVERRIDE"
    merged_pull(fake, 6, sha, body)

    (release,) = with_token(released, capsys)["releases"]

    assert release["version"] == "3.0.0"
    assert "* new engine ([" in release["changelog"]


def test_override_makes_a_release_out_of_hidden_commits(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("chore: misc (#8)", {"a.txt": "a\n"})
    merged_pull(fake, 8, sha, "BEGIN_COMMIT_OVERRIDE\nfix: a real fix\nEND_COMMIT_OVERRIDE")

    without = dry_run(released, capsys)
    assert without["releases"] == []
    (release,) = with_token(released, capsys)["releases"]
    assert release["version"] == "1.0.1"


def test_merge_button_commit_takes_the_override_and_branch_commits_stay(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain merge: the merge commit (which release-please drops) gets the override; the
    branch's own commits are still read, as release-please's README warns."""
    released.git("checkout", "-q", "-b", "topic")
    released.commit("fix: on the branch", {"a.txt": "a\n"})
    released.git("checkout", "-q", "main")
    released.git("merge", "-q", "--no-ff", "topic", "-m", "Merge pull request #9 from octo/topic")
    sha = released.git("rev-parse", "HEAD").strip()
    merged_pull(
        fake, 9, sha, "BEGIN_COMMIT_OVERRIDE\nfeat: from the pull request\nEND_COMMIT_OVERRIDE"
    )

    (release,) = with_token(released, capsys)["releases"]

    assert release["version"] == "1.1.0"
    assert "* from the pull request ([" in release["changelog"]
    assert "* on the branch ([" in release["changelog"]


def test_pull_request_merged_as_another_commit_is_not_read_into_this_one(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cherry-pick keeps the "(#5)" of the squash subject: the override belongs to the
    commit the pull request merged as, not to its copy on this branch."""
    released.commit("fix: backported (#5)", {"a.txt": "a\n"})
    merged_pull(fake, 5, "c" * 40, OVERRIDE)

    (release,) = with_token(released, capsys)["releases"]

    assert release["version"] == "1.0.1"
    assert "* backported ([" in release["changelog"]


def test_release_pr_override_is_not_read(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("chore(main): release 1.0.1 (#4)", {"a.txt": "a\n"})
    body = "BEGIN_COMMIT_OVERRIDE\nfeat!: not from a release PR\nEND_COMMIT_OVERRIDE"
    merged_pull(fake, 4, sha, body, head="release-please--branches--main")
    released.commit("fix: after it", {"b.txt": "b\n"})

    (release,) = with_token(released, capsys)["releases"]

    assert release["version"] == "1.0.1"
    assert "not from a release PR" not in release["changelog"]


def test_absent_pull_request_leaves_the_commit_alone(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    released.commit("fix: upstream change (#4242)", {"a.txt": "a\n"})  # no such PR here

    data = with_token(released, capsys)

    assert data["releases"][0]["version"] == "1.0.1"
    assert data["warnings"] == []
    assert pull_gets(fake) == ["/repos/octo/demo/pulls/4242"]


def test_failing_lookup_is_reported_and_the_run_goes_on(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = released.commit("fix: one (#5)", {"a.txt": "a\n"})
    second = released.commit("fix: two (#6)", {"b.txt": "b\n"})
    merged_pull(fake, 5, first, OVERRIDE)
    merged_pull(fake, 6, second, OVERRIDE)
    fake.fault("pulls/get", status=403, body={"message": "Resource not accessible"}, times=5)

    data = with_token(released, capsys)

    (release,) = data["releases"]
    assert release["version"] == "1.0.1"  # both commits as written
    (warning,) = data["warnings"]
    assert warning.startswith("reading pull requests failed (GitHub API GET /repos/octo/demo/")
    assert "403" in warning
    assert "BEGIN_COMMIT_OVERRIDE blocks of #6, #5 were not applied" in warning
    assert len(pull_gets(fake)) == 1  # the first failure stops the lookups


def test_after_a_failure_later_ranges_are_not_read_either(fake: FakeGitHub) -> None:
    fake.fault("pulls/get", status=403, body={"message": "Resource not accessible"}, times=5)
    overrides = PullOverrides(make_client(), "main")
    first = RawCommit(sha="a" * 40, message="fix: x (#5)")
    second = RawCommit(sha="b" * 40, message="fix: y (#6)")

    assert overrides([first]).warnings
    rewritten = overrides([second, first])

    assert rewritten.commits == [second, first]
    (warning,) = rewritten.warnings
    assert "blocks of #6, #5 were not applied" in warning
    assert len(pull_gets(fake)) == 1


def test_dry_run_on_a_runner_masks_the_token(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    merged_pull(fake, 5, sha, OVERRIDE)
    argv = ["--dry-run", "--release-type=simple", f"--workspace={released.path}"]
    argv += ["--repo-url=octo/demo", f"--github-api-url={API}", "--token=ghs_fakeTokenValue"]

    assert entry.main(argv, {"GITHUB_ACTIONS": "true"}) == 0

    out = capsys.readouterr().out
    assert out.startswith("::add-mask::ghs_fakeTokenValue\n")
    assert "-> 1.1.0" in out


def test_dry_run_with_a_token_but_no_repository_reads_nothing(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    argv = ["--dry-run", "--release-type=simple", f"--workspace={released.path}"]

    assert entry.main([*argv, "--token=ghs_fakeTokenValue"], {}) == 0

    err = capsys.readouterr().err
    assert "BEGIN_COMMIT_OVERRIDE blocks of merged pull requests were not read" in err
    assert "--repo-url" in err
    assert fake.calls == []


def test_retries_then_reports(fake: FakeGitHub) -> None:
    fake.fault("pulls/get", status=502, times=10)
    sleeps: list[float] = []
    client = make_client(sleep=sleeps.append)
    commit = RawCommit(sha="a" * 40, message="fix: x (#5)")

    rewritten = PullOverrides(client, "main")([commit])

    assert rewritten.commits == [commit]
    assert len(sleeps) == client.policy.max_attempts - 1
    (warning,) = rewritten.warnings
    assert "#5" in warning
    assert "502" in warning


def squash_history(fake: FakeGitHub, count: int) -> list[RawCommit]:
    """``count`` squash commits, newest first, each from a merged PR #1…#count whose body
    overrides it with ``feat: override <n>``; PR #1000 is open and PR #999 went elsewhere."""
    commits = []
    for number in range(1, count + 1):
        sha = f"{number:040x}"
        body = f"BEGIN_COMMIT_OVERRIDE\nfeat: override {number}\nEND_COMMIT_OVERRIDE"
        merged_pull(fake, number, sha, body)
        commits.insert(0, RawCommit(sha=sha, message=f"fix: change {number} (#{number})"))
    merged_pull(fake, 999, "9" * 40, "BEGIN_COMMIT_OVERRIDE\nfeat!: no\nEND_COMMIT_OVERRIDE")
    fake.pulls[999]["base"] = "develop"
    merged_pull(fake, 1000, "", "open")
    fake.pulls[1000].update(state="open", merged_at=None, merge_commit_sha=None)
    return commits


def test_many_pull_requests_are_read_by_listing(fake: FakeGitHub) -> None:
    commits = squash_history(fake, 12)
    commits.insert(0, RawCommit(sha="9" * 40, message="fix: merged into develop (#999)"))

    rewritten = PullOverrides(make_client(), "main")(commits)

    assert [c.message for c in rewritten.commits[1:]] == [
        f"feat: override {n}" for n in range(12, 0, -1)
    ]
    assert rewritten.commits[0] == commits[0]  # not a pull request into main
    assert rewritten.warnings == ()
    lists = [c for c in fake.calls if c.op == "pulls/list"]
    assert len(lists) == 1
    assert pull_gets(fake) == []


def test_listing_stops_at_its_limit_and_says_so(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pull_overrides, "LIST_LIMIT", 5)
    commits = squash_history(fake, 12)
    overrides = PullOverrides(make_client(), "main")

    rewritten = overrides(commits)

    messages = [c.message for c in rewritten.commits]
    assert messages[:5] == [f"feat: override {n}" for n in range(12, 7, -1)]
    assert messages[5:] == [f"fix: change {n} (#{n})" for n in range(7, 0, -1)]
    (warning,) = rewritten.warnings
    assert warning.startswith("only the newest 5 pull requests are read;")
    assert "#7, #6, #5, #4, #3, #2, #1 were not applied" in warning
    calls = len(fake.calls)
    assert overrides(commits[5:]) == (commits[5:], rewritten.warnings)  # not asked again
    assert len(fake.calls) == calls


def test_failing_listing_is_reported(fake: FakeGitHub) -> None:
    commits = squash_history(fake, 12)
    fake.fault("pulls/list", status=403, body={"message": "Resource not accessible"}, times=5)

    rewritten = PullOverrides(make_client(), "main")(commits)

    assert rewritten.commits == commits
    (warning,) = rewritten.warnings
    assert warning.startswith("reading pull requests failed (GitHub API GET /repos/octo/demo/pulls")


def test_each_pull_request_is_read_and_told_once_per_run(fake: FakeGitHub) -> None:
    commit = RawCommit(sha="a" * 40, message="fix: x (#5)")
    merged_pull(fake, 5, "a" * 40, OVERRIDE)
    told: list[str] = []
    overrides = PullOverrides(make_client(), "main", tell=told.append)

    first = overrides([commit])
    again = overrides([commit])

    assert first == again
    assert first.commits[0].message.startswith("feat: add ability")
    assert len(pull_gets(fake)) == 1
    assert told == ["commit aaaaaaa: message from #5's BEGIN_COMMIT_OVERRIDE"]


def test_dry_run_without_token_says_overrides_were_not_read(
    fake: FakeGitHub, released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    merged_pull(fake, 5, sha, OVERRIDE)

    argv = ["--dry-run", "--release-type=simple", f"--workspace={released.path}"]
    assert entry.main([*argv, "--repo-url=octo/demo"], {}) == 0

    captured = capsys.readouterr()
    assert captured.err.count("BEGIN_COMMIT_OVERRIDE") == 1
    assert "not read (1 named by commits: #5)" in captured.err
    assert "pass --token" in captured.err
    assert "-> 1.0.1" in captured.out  # the commit as written
    assert fake.calls == []  # no network


def test_dry_run_without_pull_request_commits_says_nothing(
    released: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    released.commit("fix: direct push", {"a.txt": "a\n"})

    argv = ["--dry-run", "--release-type=simple", f"--workspace={released.path}"]
    assert entry.main([*argv, "--repo-url=octo/demo"], {}) == 0

    assert "BEGIN_COMMIT_OVERRIDE" not in capsys.readouterr().err


# ----------------------------------------------------------------------------- the action


def action_env(fake: FakeGitHub, workspace: GitRepo, tmp_path: Path) -> dict[str, str]:
    """A push to main as the runner hands it to the action."""
    (tmp_path / "out").write_text("")
    return {
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SHA": fake.refs["refs/heads/main"],
        "GITHUB_API_URL": API,
        "GITHUB_WORKSPACE": str(workspace.path),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "INPUT_TOKEN": "ghs_fakeTokenValue",
        "INPUT_RELEASE-TYPE": "simple",
    }


def test_action_opens_the_release_pr_with_the_override(
    fake: FakeGitHub,
    released: GitRepo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level("INFO", logger="relkit.release_pr")
    # an earlier test's run may have installed the workflow-command handler (no propagation)
    monkeypatch.setattr(logging.getLogger("relkit"), "propagate", True)
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    fake.push("main", {"version.txt": "1.0.0\n", "a.txt": "a\n"}, "fix: tweak the parser (#5)")
    merged_pull(fake, 5, sha, OVERRIDE)

    assert entry.main([], action_env(fake, released, tmp_path)) == 0

    told = f"commit {sha[:7]}: message from #5's BEGIN_COMMIT_OVERRIDE"
    assert told in [r.getMessage() for r in caplog.records]
    (release_pr,) = [p for p in fake.pulls.values() if p["state"] == "open"]
    assert release_pr["title"] == "chore(main): release 1.1.0"
    assert "* **parser:** handle empty scopes" in release_pr["body"]
    changelog = fake.files_at("release-please--branches--main")["CHANGELOG.md"]
    assert "* add ability to override commit messages" in changelog


def test_action_reports_a_failed_lookup_and_still_opens_the_release_pr(
    fake: FakeGitHub,
    released: GitRepo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logging.getLogger("relkit"), "propagate", True)
    sha = released.commit("fix: tweak the parser (#5)", {"a.txt": "a\n"})
    fake.push("main", {"version.txt": "1.0.0\n", "a.txt": "a\n"}, "fix: tweak the parser (#5)")
    merged_pull(fake, 5, sha, OVERRIDE)
    fake.fault("pulls/get", status=403, body={"message": "Resource not accessible"}, times=5)

    assert entry.main([], action_env(fake, released, tmp_path)) == 0

    warnings = {r.getMessage() for r in caplog.records if r.levelname == "WARNING"}
    assert any("the BEGIN_COMMIT_OVERRIDE blocks of #5 were not applied" in w for w in warnings)
    (release_pr,) = [p for p in fake.pulls.values() if p["state"] == "open"]
    assert release_pr["title"] == "chore(main): release 1.0.1"

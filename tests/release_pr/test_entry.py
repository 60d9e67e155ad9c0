"""``release_pr.entry.main(argv, env)`` end to end against the fake GitHub (in-process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from github_api_fake import API, FakeGitHub
from gitrepo import GitRepo, make_git_repo
from release_pr import entry
from release_pr.github_flow import PENDING, TAGGED, sync_release_pull
from release_pr_plans import FOOTER, HEADER, SECTION, FakePullPlan, make_client, single_plan
from relkit import cli
from relkit.actionspec import parse_args

SLACK = "https://hooks.slack.test/services/T000/B000/s3cr3t"


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        gh = FakeGitHub(rsps)
        gh.push("main", {"version.txt": "1.2.3\n"}, "feat: add a thing")
        yield gh


def parse_outputs(path: Path) -> dict[str, str]:
    """The runner's heredoc parser for GITHUB_OUTPUT (name<<delimiter … delimiter)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    outputs: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1 : end])
            index = end
        index += 1
    return outputs


@pytest.fixture
def workspace(tmp_path: Path) -> GitRepo:
    """The checkout: v1.2.3 tagged, then one feature."""
    repo = make_git_repo(tmp_path / "ws")
    repo.commit("chore: start", {"version.txt": "1.2.3\n"})
    repo.tag("v1.2.3")
    repo.commit("feat: add a thing", {"src.txt": "x\n"})
    return repo


@pytest.fixture
def runner_env(tmp_path: Path, fake: FakeGitHub, workspace: GitRepo) -> dict[str, str]:
    (tmp_path / "out").write_text("")
    (tmp_path / "summary").write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "octo/demo",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SHA": fake.refs["refs/heads/main"],
        "GITHUB_API_URL": API,
        "GITHUB_WORKSPACE": str(workspace.path),
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "INPUT_TOKEN": "ghs_fakeTokenValue",
        "INPUT_RELEASE-TYPE": "simple",
    }


@pytest.fixture
def releases_only(runner_env: dict[str, str]) -> dict[str, str]:
    runner_env["INPUT_SKIP-GITHUB-PULL-REQUEST"] = "true"
    return runner_env


def merged_release(fake: FakeGitHub, plan: FakePullPlan | None = None) -> str:
    client = make_client()
    number = sync_release_pull(client, plan or single_plan(), target_branch="main").pull.number
    return fake.merge(number)


def run(env: dict[str, str], *argv: str) -> int:
    return cli.main(["release-pr", *argv], env)


def test_missing_token_is_one_clear_error(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["INPUT_TOKEN"] = ""

    assert run(runner_env) == 2

    out = capsys.readouterr().out
    assert "input 'token' is empty" in out
    assert "contents: write, pull-requests: write" in out
    assert "Traceback" not in out


def test_token_is_masked_first(
    releases_only: dict[str, str], fake: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(releases_only) == 0

    out = capsys.readouterr().out
    assert out.startswith("::add-mask::ghs_fakeTokenValue\n")
    assert out.count("ghs_fakeTokenValue") == 1


def test_merged_release_pr_sets_v4_outputs(
    releases_only: dict[str, str], fake: FakeGitHub, tmp_path: Path
) -> None:
    sha = merged_release(fake)
    releases_only["GITHUB_SHA"] = sha

    assert run(releases_only) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["releases_created"] == "true"
    assert out["release_created"] == "true"
    assert out["tag_name"] == "v1.3.0"
    assert out["name"] == "v1.3.0"
    assert out["version"] == "1.3.0"
    assert (out["major"], out["minor"], out["patch"]) == ("1", "3", "0")
    assert out["sha"] == sha
    assert out["body"] == SECTION
    assert out["html_url"] == "https://github.test/octo/demo/releases/tag/v1.3.0"
    assert out["upload_url"].startswith("https://uploads.github.test/repos/octo/demo/releases/")
    assert out["paths_released"] == '["."]'
    assert "prs_created" not in out
    assert "| `.` | `v1.3.0` |" in (tmp_path / "summary").read_text()
    [pull] = fake.pulls.values()
    assert pull["labels"] == [TAGGED]


def test_nothing_to_do_sets_false_outputs(
    runner_env: dict[str, str], tmp_path: Path, fake: FakeGitHub, workspace: GitRepo
) -> None:
    workspace.tag("v1.3.0")  # everything is released

    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out == {"releases_created": "false", "paths_released": "[]", "prs_created": "false"}
    assert fake.writes() == []
    assert "Nothing to release." in (tmp_path / "summary").read_text()


def test_manifest_mode_sets_path_prefixed_outputs(
    releases_only: dict[str, str], fake: FakeGitHub, tmp_path: Path, workspace: GitRepo
) -> None:
    del releases_only["INPUT_RELEASE-TYPE"]
    config = {
        "packages": {
            "packages/api": {"component": "api"},
            "packages/web": {"component": "web", "prerelease": True},
        }
    }
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    blocks = "\n\n".join(
        f"<details><summary>{name}: {version}</summary>\n\n## {version} (2026-07-28)\n</details>"
        for name, version in (("api", "2.0.0"), ("web", "0.4.0"))
    )
    plan = FakePullPlan(
        "release-please--branches--main",
        "chore: release main",
        HEADER + blocks + FOOTER,
        (("packages/api/version.txt", "2.0.0\n"),),
    )
    releases_only["GITHUB_SHA"] = merged_release(fake, plan)

    assert run(releases_only) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["packages/api--tag_name"] == "api-v2.0.0"
    assert out["packages/api--name"] == "api: v2.0.0"
    assert out["packages/web--tag_name"] == "web-v0.4.0"
    assert out["packages/web--release_created"] == "true"
    assert "release_created" not in out
    assert json.loads(out["paths_released"]) == ["packages/api", "packages/web"]
    assert [rel["prerelease"] for rel in fake.releases] == [False, True]


def test_unknown_component_in_a_merged_pr_is_a_config_error(
    releases_only: dict[str, str],
    fake: FakeGitHub,
    workspace: GitRepo,
    capsys: pytest.CaptureFixture[str],
) -> None:
    del releases_only["INPUT_RELEASE-TYPE"]
    (workspace.path / "release-please-config.json").write_text(
        json.dumps({"packages": {"a": {}, "b": {}}})
    )
    body = HEADER + "<details><summary>zed: 1.0.0</summary>\n\n## 1.0.0\n</details>" + FOOTER
    plan = FakePullPlan("release-please--branches--main", "chore: release main", body, ())
    releases_only["GITHUB_SHA"] = merged_release(fake, plan)

    assert run(releases_only) == 2

    assert "released zed 1.0.0, which no package" in capsys.readouterr().out
    assert fake.releases == []


def test_release_cycle_open_merge_release(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path, workspace: GitRepo
) -> None:
    """Push → release PR; re-push → unchanged; merge → tag + release, and no new PR."""
    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["prs_created"] == "true"
    pr = json.loads(out["pr"])
    assert pr["headBranchName"] == "release-please--branches--main"
    assert pr["baseBranchName"] == "main"
    assert pr["title"] == "chore(main): release 1.3.0"
    assert pr["labels"] == [PENDING]
    assert sorted(pr["files"]) == ["CHANGELOG.md", "version.txt"]
    assert json.loads(out["prs"]) == [pr]
    branch = fake.files_at("release-please--branches--main")
    assert branch["version.txt"] == "1.3.0\n"
    assert "### Features\n\n* add a thing" in branch["CHANGELOG.md"]

    before = len(fake.writes())
    (tmp_path / "out").write_text("")
    assert run(runner_env) == 0
    assert len(fake.writes()) == before
    assert parse_outputs(tmp_path / "out")["prs_created"] == "false"  # the PR is unchanged

    # the merge lands in the checkout (a squash merge keeps the PR title as the header)
    local = workspace.commit("chore(main): release 1.3.0", {p: branch[p] for p in pr["files"]})
    merge_sha = fake.merge(pr["number"], sha=local)
    (tmp_path / "out").write_text("")
    runner_env["GITHUB_SHA"] = merge_sha

    assert run(runner_env) == 0

    out = parse_outputs(tmp_path / "out")
    assert out["tag_name"] == "v1.3.0"
    assert out["body"].startswith(
        "## [1.3.0](https://github.com/octo/demo/compare/v1.2.3...v1.3.0)"
    )
    assert out["prs_created"] == "false"
    assert fake.refs["refs/tags/v1.3.0"] == merge_sha
    assert len(fake.pulls) == 1
    assert len(fake.releases) == 1
    assert workspace.git("tag", "--points-at", "HEAD").split() == ["v1.3.0"]


def test_skip_labeling_and_skip_release(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path
) -> None:
    runner_env["INPUT_SKIP-LABELING"] = "true"
    runner_env["INPUT_SKIP-GITHUB-RELEASE"] = "true"

    assert run(runner_env) == 0

    [pull] = fake.pulls.values()
    assert pull["labels"] == []
    assert "releases_created" not in parse_outputs(tmp_path / "out")


def test_skipping_both_phases_does_nothing(releases_only: dict[str, str], fake: FakeGitHub) -> None:
    releases_only["INPUT_SKIP-GITHUB-RELEASE"] = "true"

    assert run(releases_only) == 0
    assert fake.calls == []


def test_webhook_announces_the_release(
    releases_only: dict[str, str],
    fake: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner_env = releases_only
    runner_env["GITHUB_SHA"] = merged_release(fake)
    runner_env["INPUT_WEBHOOK-URL"] = SLACK
    seen: list[Any] = []

    def slack(request: Any) -> tuple[int, dict[str, str], str]:
        seen.append(json.loads(request.body))
        return 200, {}, "ok"

    fake.rsps.add(responses.POST, SLACK, status=503)
    fake.rsps.add_callback(responses.POST, SLACK, callback=slack)
    sleeps: list[float] = []
    monkeypatch.setattr("time.sleep", sleeps.append)

    assert run(runner_env) == 0

    assert sleeps == [1.0]
    [payload] = seen
    assert payload["text"] == "Released octo/demo v1.3.0"
    assert payload["blocks"][0]["type"] == "header"
    assert "*Features*" in payload["blocks"][1]["text"]["text"]
    out = capsys.readouterr().out
    assert f"::add-mask::{SLACK}" in out
    assert out.count(SLACK) == 1


def test_bad_repo_url_exits_2(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["INPUT_REPO-URL"] = "not a repo"

    assert run(runner_env) == 2
    assert "input 'repo-url' must be owner/name" in capsys.readouterr().out


def test_settings_from_a_url_and_target_branch(runner_env: dict[str, str]) -> None:
    runner_env["INPUT_REPO-URL"] = "https://github.com/octo/other.git"
    runner_env["INPUT_TARGET-BRANCH"] = "1.x"
    _ns, inputs = parse_args(entry.SPEC, [], runner_env)

    settings = entry.read_settings(inputs, runner_env)

    assert (settings.repository, settings.target_branch) == ("octo/other", "1.x")


def test_failed_webhook_only_warns(
    releases_only: dict[str, str],
    fake: FakeGitHub,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner_env = releases_only
    runner_env["GITHUB_SHA"] = merged_release(fake)
    runner_env["INPUT_WEBHOOK-URL"] = SLACK
    fake.rsps.add(responses.POST, SLACK, status=404)
    monkeypatch.setattr("time.sleep", lambda _s: None)

    assert run(runner_env) == 0

    out = capsys.readouterr().out
    assert (
        "::warning::release announcement failed: the 'webhook-url' endpoint failed (HTTP 404)"
        in out
    )
    assert len(fake.releases) == 1


def merged_on_a_loopback_github(
    runner_env: dict[str, str], fake: FakeGitHub, **env: str
) -> tuple[FakeGitHub, str, subprocess.CompletedProcess[str]]:
    """The container path: a merged release PR on a GitHub served on 127.0.0.1, then
    ``relkit release-pr`` in a subprocess (``env``: what this run adds; ``{url}`` is the server)."""
    from github_api_fake import serve  # noqa: PLC0415

    github = FakeGitHub(None)
    github.push("main", {"version.txt": "1.2.3\n"})
    with serve(github) as url:
        assert fake.rsps is not None
        fake.rsps.add_passthru(url)  # this test's own calls go to the loopback server
        number = sync_release_pull(make_client(url), single_plan(), target_branch="main")
        sha = github.merge(number.pull.number)
        run_env = {
            **runner_env,
            "PATH": os.environ["PATH"],
            "GITHUB_API_URL": url,
            "GITHUB_SHA": sha,
            "INPUT_SKIP-GITHUB-PULL-REQUEST": "true",
            **{k: v.format(url=url) for k, v in env.items()},
        }
        relkit = Path(sys.executable).with_name("relkit")
        done = subprocess.run(
            [str(relkit), "release-pr"], env=run_env, capture_output=True, text=True, check=False
        )
    return github, sha, done


def test_entrypoint_as_a_process_against_a_loopback_github(
    runner_env: dict[str, str], tmp_path: Path, fake: FakeGitHub
) -> None:
    github, sha, done = merged_on_a_loopback_github(runner_env, fake)
    assert done.returncode == 0, done.stdout + done.stderr
    assert parse_outputs(tmp_path / "out")["tag_name"] == "v1.3.0"
    assert github.refs["refs/tags/v1.3.0"] == sha
    assert "ghs_fakeTokenValue" not in done.stdout.replace("::add-mask::ghs_fakeTokenValue", "")


def test_no_config_and_no_release_type_exits_2(
    runner_env: dict[str, str], fake: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]

    assert run(runner_env) == 2

    out = capsys.readouterr().out
    assert "no release-please-config.json" in out
    assert fake.calls == []


def test_missing_target_branch_outside_a_branch_push(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["GITHUB_REF"] = "refs/tags/v1.0.0"

    assert run(runner_env) == 2
    assert "input 'target-branch' is not set" in capsys.readouterr().out


def test_single_package_component_in_tag_on_request(
    releases_only: dict[str, str], fake: FakeGitHub, tmp_path: Path
) -> None:
    releases_only["INPUT_PACKAGE-NAME"] = "demo"
    releases_only["INPUT_INCLUDE-COMPONENT-IN-TAG"] = "true"
    releases_only["GITHUB_SHA"] = merged_release(fake)

    assert run(releases_only) == 0

    out = parse_outputs(tmp_path / "out")
    assert (out["tag_name"], out["name"]) == ("demo-v1.3.0", "demo: v1.3.0")


@pytest.mark.parametrize(
    "case",
    [
        pytest.param((None, "1.3.0-rc.1", False), id="rc-without-option-is-a-normal-release"),
        pytest.param((True, "1.3.0-rc.1", True), id="rc-with-option"),
        pytest.param((True, "1.3.0", False), id="stable-with-option"),
        pytest.param((True, "0.4.0", True), id="pre-major-with-option"),
    ],
)
def test_github_prerelease_flag_follows_the_prerelease_option(
    releases_only: dict[str, str],
    fake: FakeGitHub,
    workspace: GitRepo,
    case: tuple[bool | None, str, bool],
) -> None:
    """release-please: ``config.prerelease && (version.preRelease || major === 0)``."""
    option, version, expected = case
    del releases_only["INPUT_RELEASE-TYPE"]
    package: dict[str, Any] = {} if option is None else {"prerelease": option}
    config = {"release-type": "simple", "packages": {".": package}}
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    section = f"## {version} (2026-07-28)\n\n### Features\n\n* a thing"
    plan = FakePullPlan(
        "release-please--branches--main",
        f"chore(main): release {version}",
        HEADER + section + FOOTER,
        (("version.txt", f"{version}\n"),),
    )
    releases_only["GITHUB_SHA"] = merged_release(fake, plan)

    assert run(releases_only) == 0

    [release] = fake.releases
    assert (release["tag_name"], release["prerelease"]) == (f"v{version}", expected)


@pytest.mark.parametrize(
    ("force", "tagged"),
    [
        pytest.param(False, False, id="draft-leaves-tag-to-publishing"),
        pytest.param(True, True, id="force-tag-creation"),
    ],
)
def test_draft_config_creates_a_draft_release(
    releases_only: dict[str, str], fake: FakeGitHub, workspace: GitRepo, force: bool, tagged: bool
) -> None:
    del releases_only["INPUT_RELEASE-TYPE"]
    package = {"draft": True, "force-tag-creation": force}
    config = {"release-type": "simple", "packages": {".": package}}
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    sha = merged_release(fake)
    releases_only["GITHUB_SHA"] = sha

    assert run(releases_only) == 0
    assert run(releases_only) == 0  # a re-run finds the draft: no second release

    [release] = fake.releases
    assert (release["draft"], release["target_commitish"]) == (True, sha)
    assert ("refs/tags/v1.3.0" in fake.refs) is tagged


def test_config_warnings_are_logged_once(
    runner_env: dict[str, str], workspace: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]
    config = {"release-type": "simple", "relese-label": "typo"}
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    (workspace.path / ".release-please-manifest.json").write_text('{".": "1.2.3"}')
    assert run(runner_env) == 0
    out = capsys.readouterr().out
    assert out.count("relese-label") == 1
    assert "::warning::release-please-config.json: unknown key 'relese-label' ignored" in out


def test_draft_labels_and_signoff_from_the_config(
    runner_env: dict[str, str], fake: FakeGitHub, workspace: GitRepo
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]
    config = {
        "release-type": "simple",
        "signoff": "Release Bot <bot@example.com>",
        "packages": {".": {"draft-pull-request": True, "extra-label": "team: web,needs-qa"}},
    }
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    (workspace.path / ".release-please-manifest.json").write_text('{".": "1.2.3"}')
    assert run(runner_env) == 0
    (pull,) = fake.pulls.values()
    assert pull["draft"] is True
    assert pull["labels"] == [PENDING, "team: web", "needs-qa"]
    head = fake.commits[fake.refs["refs/heads/release-please--branches--main"]]
    assert head["message"] == (
        "chore(main): release 1.3.0\n\nSigned-off-by: Release Bot <bot@example.com>"
    )
    assert run(runner_env) == 0  # a re-run converges: the same PR, labels not added twice
    assert list(fake.pulls) == [pull["number"]]
    assert fake.pulls[pull["number"]]["labels"] == [PENDING, "team: web", "needs-qa"]


def test_changelog_type_github_asks_github_for_the_notes(
    runner_env: dict[str, str], fake: FakeGitHub, workspace: GitRepo, tmp_path: Path
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]
    config = {"release-type": "simple", "changelog-type": "github"}
    (workspace.path / "release-please-config.json").write_text(json.dumps(config))
    (workspace.path / ".release-please-manifest.json").write_text('{".": "1.2.3"}')
    assert run(runner_env) == 0
    assert fake.generated_notes == [
        {"tag_name": "v1.3.0", "target_commitish": "main", "previous_tag_name": "v1.2.3"}
    ]
    (pull,) = fake.pulls.values()
    assert "## 1.3.0 (" in pull["body"]
    assert "## What's Changed" in pull["body"]
    assert "compare/v1.2.3...v1.3.0" in pull["body"]
    changelog = fake.files_at("release-please--branches--main")["CHANGELOG.md"]
    assert "## What's Changed" in changelog

    # the merge: the GitHub Release carries the generated notes
    branch = fake.files_at("release-please--branches--main")
    local = workspace.commit("chore(main): release 1.3.0", {p: branch[p] for p in branch})
    runner_env["GITHUB_SHA"] = fake.merge(pull["number"], sha=local)
    assert run(runner_env) == 0
    (release,) = fake.releases
    assert release["tag_name"] == "v1.3.0"
    assert "## What's Changed" in release["body"]


def test_proxy_server_carries_the_github_calls(
    runner_env: dict[str, str], fake: FakeGitHub
) -> None:
    """``proxy-server``: the API host does not resolve; only the proxy on 127.0.0.1 reaches it."""
    github, sha, done = merged_on_a_loopback_github(
        runner_env,
        fake,
        GITHUB_API_URL="http://api.github.invalid",
        **{"INPUT_PROXY-SERVER": "{url}"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert github.refs["refs/tags/v1.3.0"] == sha
    assert "POST api.github.invalid:80/repos/octo/demo/git/refs" in github.proxied


def test_fork_mode_is_refused(
    runner_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    runner_env["INPUT_FORK"] = "true"
    assert run(runner_env) == 2
    out = capsys.readouterr().out
    assert "input 'fork' is true" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("server", "url"),
    [
        pytest.param("proxy.corp:3128", "http://proxy.corp:3128", id="host-port"),
        pytest.param("https://proxy.corp", "https://proxy.corp", id="url"),
    ],
)
def test_use_proxy_sets_what_requests_reads(
    server: str, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from release_pr.entry import use_proxy  # noqa: PLC0415

    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, "unset")  # monkeypatch puts the old state back afterwards
    use_proxy(server)
    assert os.environ["HTTPS_PROXY"] == os.environ["http_proxy"] == url


def test_an_edited_release_pr_title_sets_the_version(
    runner_env: dict[str, str], fake: FakeGitHub, workspace: GitRepo
) -> None:
    del runner_env["INPUT_RELEASE-TYPE"]
    (workspace.path / "release-please-config.json").write_text('{"release-type": "simple"}')
    (workspace.path / ".release-please-manifest.json").write_text('{".": "1.2.3"}')
    assert run(runner_env) == 0
    (number,) = fake.pulls
    fake.pulls[number]["title"] = "chore(main): release 2.0.0"  # a person edits the title

    assert run(runner_env) == 0
    pull = fake.pulls[number]
    assert pull["title"] == "chore(main): release 2.0.0"
    assert pull["labels"] == [PENDING, "autorelease: custom version"]
    branch = fake.files_at("release-please--branches--main")
    assert branch["version.txt"] == "2.0.0\n"
    assert json.loads(branch[".release-please-manifest.json"]) == {".": "2.0.0"}
    assert "## [2.0.0](https://github.com/octo/demo/compare/v1.2.3...v2.0.0)" in pull["body"]

    before = len(fake.writes())
    assert run(runner_env) == 0  # the label keeps the version; nothing to write
    assert len(fake.writes()) == before


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(
            {"GITHUB_REF": "refs/heads/main", "INPUT_SKIP-GITHUB-PULL-REQUEST": "true"}, id="push"
        ),
        pytest.param(
            {
                "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_REF": "refs/pull/7/merge",
                "GITHUB_BASE_REF": "main",
            },
            id="pull-request",
        ),
        pytest.param(
            {"GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/v0.1.0", "EVENT": "main"},
            id="tag-push",
        ),
    ],
)
def test_a_tag_without_its_release_is_finished_by_the_next_run_of_any_trigger(
    runner_env: dict[str, str], fake: FakeGitHub, tmp_path: Path, event: dict[str, str]
) -> None:
    sha = merged_release(fake)
    fake.refs["refs/tags/v1.3.0"] = sha  # the job was killed after the tag, before the release
    del runner_env["GITHUB_REF"]
    runner_env["GITHUB_SHA"] = "0" * 40  # not the merge: found among the recent merged PRs
    if event.pop("EVENT", None):
        payload = tmp_path / "event.json"
        payload.write_text(json.dumps({"repository": {"default_branch": "main"}}))
        runner_env["GITHUB_EVENT_PATH"] = str(payload)
    runner_env.update(event)

    assert run(runner_env) == 0

    assert [r["tag_name"] for r in fake.releases] == ["v1.3.0"]
    [pull] = fake.pulls.values()  # off the target branch's tip: no release PR is planned
    assert pull["labels"] == [TAGGED]
    summary = (tmp_path / "summary").read_text()
    assert (
        f"- finished v1.3.0 of release PR #{pull['number']}: its tag was made by an earlier "
        "run that stopped before the GitHub Release" in summary
    )

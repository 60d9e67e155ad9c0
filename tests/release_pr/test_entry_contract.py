"""The container contract: ``workflows-examples/release.yml``'s step run as the runner would.

Through ``tests/harness.py`` (INPUT_* with action.yml defaults, file commands, workflow-command
scanning, masks) against the fake GitHub on a loopback port, with a real git checkout.
"""

from __future__ import annotations

import json
from pathlib import Path

from github_api_fake import FakeGitHub, serve
from gitrepo import GitRepo, make_git_repo
from harness import FAKE_TOKEN, REPO_ROOT, run_workflow_step

WORKFLOW = REPO_ROOT / "workflows-examples" / "release.yml"
WEBHOOK = "https://hooks.slack.test/services/T0/B0/secret"


def checkout(path: Path) -> GitRepo:
    repo = make_git_repo(path)
    repo.commit(
        "chore: start",
        {
            "release-please-config.json": json.dumps({"packages": {".": {}}}),
            ".release-please-manifest.json": json.dumps({".": "1.2.3"}),
            "version.txt": "1.2.3\n",
        },
    )
    repo.tag("v1.2.3")
    repo.commit("fix: handle <empty> input (#7)", {"src.txt": "x\n"})
    return repo


def test_release_workflow_step_opens_the_release_pr(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "ws")
    github = FakeGitHub()
    github.push("main", {"version.txt": "1.2.3\n"})
    with serve(github) as url:
        run = run_workflow_step(
            WORKFLOW,
            "release-pr",
            1,
            workspace=repo.path,
            tmp_path=tmp_path,
            github={"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "octo/demo"},
            context={"secrets.RELEASE_WEBHOOK_URL": WEBHOOK},
        )

    assert not run.failed, run.stdout + run.stderr
    assert run.file_command_errors == []
    assert run.errors == []
    assert run.outputs["releases_created"] == "false"
    assert run.outputs["prs_created"] == "true"
    pr = json.loads(run.outputs["pr"])
    assert pr["title"] == "chore(main): release 1.2.4"
    assert sorted(pr["files"]) == [".release-please-manifest.json", "CHANGELOG.md", "version.txt"]
    [pull] = github.pulls.values()
    assert pull["labels"] == ["autorelease: pending"]
    assert "handle &lt;empty&gt; input" in pull["body"]
    files = github.files_at("release-please--branches--main")
    assert json.loads(files[".release-please-manifest.json"]) == {".": "1.2.4"}
    assert FAKE_TOKEN in run.masks
    assert WEBHOOK in run.masks
    assert run.leaks(FAKE_TOKEN) == []
    assert run.leaks(WEBHOOK) == []
    assert "release PR #" in run.summary


def test_release_workflow_step_without_permissions_fails_with_advice(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "ws")
    github = FakeGitHub()
    github.push("main", {"version.txt": "1.2.3\n"})
    github.fault(
        "git/create-tree",
        status=403,
        body={"message": "Resource not accessible by integration"},
    )
    with serve(github) as url:
        run = run_workflow_step(
            WORKFLOW,
            "release-pr",
            1,
            workspace=repo.path,
            tmp_path=tmp_path,
            github={"GITHUB_API_URL": url, "GITHUB_REPOSITORY": "octo/demo"},
            context={"secrets.RELEASE_WEBHOOK_URL": ""},
        )

    assert run.exit_code == 1
    [error] = run.errors
    assert error.properties["title"] == "release-pr"
    assert "POST /repos/octo/demo/git/trees returned 403" in error.data
    assert "contents: write" in error.data
    assert github.pulls == {}

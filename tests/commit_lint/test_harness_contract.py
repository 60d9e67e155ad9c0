"""commit-lint run the way the GitHub runner runs it (tests/harness.py), on real repositories."""

from __future__ import annotations

import json
from pathlib import Path

from gitrepo import GitRepo  # type: ignore[import-not-found]
from harness import FAKE_TOKEN, run_action, run_workflow_step  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[2]


def pr_event(base: str, head: str, title: str) -> dict[str, object]:
    return {
        "pull_request": {
            "number": 12,
            "title": title,
            "base": {"sha": base},
            "head": {"sha": head},
        },
        "repository": {"full_name": "octo-org/octo-repo", "default_branch": "main"},
    }


def test_pull_request_with_good_and_bad_commits(workspace: GitRepo, tmp_path: Path):
    base = workspace.head()
    good = workspace.commit("feat(api): add the endpoint\n\nWhy it helps.\n")
    bad = workspace.commit("Fix: Broken Thing.\n\n::add-mask::oops\n")
    run = run_action(
        "commit-lint",
        {"lint-pr-title": "true"},
        workspace=workspace.path,
        tmp_path=tmp_path,
        event=pr_event(base, bad, "Update things"),
        event_name="pull_request",
    )
    assert run.exit_code == 1
    assert not run.file_command_errors
    assert run.outputs["valid"] == "false"
    assert run.outputs["error-count"] == "6"  # 4 on the bad commit, 2 on the PR title
    assert run.outputs["warning-count"] == "0"
    report = json.loads(Path(run.outputs["report"]).read_text())
    assert [item["sha"] for item in report["results"]] == [bad, good, None]
    titles = sorted(command.properties.get("title", "") for command in run.errors)
    assert titles == sorted(
        [
            f"{bad[:7]} {rule}"
            for rule in ("subject-case", "subject-full-stop", "type-case", "type-enum")
        ]
        + ["PR title subject-empty", "PR title type-empty"]
    )
    assert "| commit | header | errors | warnings |" in run.summary
    assert "Fix: Broken Thing." in run.summary
    assert run.masks == [FAKE_TOKEN]  # the token only: the commit's ::add-mask:: never ran
    assert run.leaks(FAKE_TOKEN) == []


def test_push_of_good_commits(workspace: GitRepo, tmp_path: Path):
    before = workspace.head()
    after = workspace.commits("fix: one", "docs: two")[-1]
    run = run_action(
        "commit-lint",
        workspace=workspace.path,
        tmp_path=tmp_path,
        event={"before": before, "after": after, "ref": "refs/heads/main"},
        event_name="push",
    )
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.outputs["valid"] == "true"
    assert run.outputs["error-count"] == "0"
    assert run.errors == []


def test_workflow_example_step(workspace: GitRepo, tmp_path: Path):
    base = workspace.head()
    head = workspace.commit("feat: a good one")
    run = run_workflow_step(
        ROOT / "workflows-examples" / "commit-lint.yml",
        "commit-lint",
        1,
        workspace=workspace.path,
        tmp_path=tmp_path,
        event=pr_event(base, head, "feat: a good title"),
    )
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.outputs["valid"] == "true"

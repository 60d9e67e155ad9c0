"""promote-env run the way the GitHub runner runs it (tests/harness.py): promote (pull request
against the fake GitHub), drift and rollback, on the sample repository with a bare origin."""

from __future__ import annotations

import json
from pathlib import Path

from github_api_fake import FakeGitHub, serve  # type: ignore[import-not-found]
from gitrepo import GitRepo  # type: ignore[import-not-found]
from harness import FAKE_TOKEN, run_action, run_workflow_step  # type: ignore[import-not-found]
from promote_samples import (  # type: ignore[import-not-found]
    PROD_FILE,
    PRODUCTION,
    STAGING,
    BareRefs,
    git_in,
)

OVERLAYS = {"source": STAGING, "target": PRODUCTION}
WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows-examples"


def origin(repo: GitRepo) -> Path:
    return Path(repo.git("remote", "get-url", "origin").strip())


def test_promote_opens_a_pull_request(gitops: GitRepo, tmp_path: Path) -> None:
    fake = FakeGitHub(None, repository="octo-org/octo-repo")
    fake.refs = BareRefs(origin(gitops))
    with serve(fake) as url:
        run = run_action(
            "promote-env",
            OVERLAYS,
            workspace=gitops.path,
            tmp_path=tmp_path,
            github={"GITHUB_API_URL": url},
        )
    assert run.exit_code == 0, run.stderr + run.stdout
    assert not run.file_command_errors
    assert run.outputs["changed"] == "true"
    number = int(run.outputs["pull-request-number"])
    assert fake.pulls[number]["head"] == "relkit/promote/production"
    assert (
        run.outputs["commit-sha"]
        == git_in(origin(gitops), "rev-parse", "refs/heads/relkit/promote/production").strip()
    )
    assert [item["name"] for item in json.loads(run.outputs["images"])] == [
        "registry.example/app",
        "registry.example/worker",
        "registry.example/proxy",
    ]
    assert "| image | from | to | digest pinned? |" in run.summary
    assert run.masks == [FAKE_TOKEN]
    assert run.leaks(FAKE_TOKEN) == []
    assert run.errors == []


def test_drift_report(gitops: GitRepo, tmp_path: Path) -> None:
    run = run_action(
        "promote-env",
        {**OVERLAYS, "mode": "drift", "render": "false", "fail-on-drift": "true"},
        workspace=gitops.path,
        tmp_path=tmp_path,
    )
    assert run.exit_code == 1
    assert not run.file_command_errors
    assert len(json.loads(run.outputs["drift"])) == 3
    assert [e.properties.get("title") for e in run.errors] == ["promote-env"]
    assert "Image drift:" in run.summary


def test_rollback_pushes_to_the_base_branch(gitops: GitRepo, tmp_path: Path) -> None:
    original = (gitops.path / PROD_FILE).read_text()
    promote = run_action(
        "promote-env",
        {**OVERLAYS, "pull-request": "false", "render": "false"},
        workspace=gitops.path,
        tmp_path=tmp_path / "one",
    )
    assert promote.exit_code == 0, promote.stderr + promote.stdout
    gitops.git("pull", "--quiet", "--ff-only", "origin", "main")  # the next job's checkout
    run = run_action(
        "promote-env",
        {"mode": "rollback", "target": PRODUCTION, "pull-request": "false"},
        workspace=gitops.path,
        tmp_path=tmp_path / "two",
    )
    assert run.exit_code == 0, run.stderr + run.stdout
    tip = git_in(origin(gitops), "rev-parse", "refs/heads/main").strip()
    assert run.outputs["commit-sha"] == tip
    assert git_in(origin(gitops), "show", f"{tip}:{PROD_FILE}") == original
    message = git_in(origin(gitops), "log", "-1", "--format=%B", tip)
    assert f"Rolled-Back-From: {promote.outputs['commit-sha']}\n" in message


def test_the_example_workflows_rollback_step(gitops: GitRepo, tmp_path: Path) -> None:
    original = (gitops.path / PROD_FILE).read_text()
    promote = run_action(
        "promote-env",
        {**OVERLAYS, "pull-request": "false", "render": "false"},
        workspace=gitops.path,
        tmp_path=tmp_path / "one",
    )
    assert promote.exit_code == 0, promote.stderr + promote.stdout
    gitops.git("pull", "--quiet", "--ff-only", "origin", "main")
    run = run_workflow_step(
        WORKFLOWS / "promote.yml",
        "rollback",
        1,
        workspace=gitops.path,
        tmp_path=tmp_path / "two",
        context={"inputs.environment": "production", "inputs.to": ""},
    )
    assert run.exit_code == 0, run.stderr + run.stdout
    tip = git_in(origin(gitops), "rev-parse", "refs/heads/main").strip()
    assert git_in(origin(gitops), "show", f"{tip}:{PROD_FILE}") == original


def test_untrusted_names_never_run_as_workflow_commands(gitops: GitRepo, tmp_path: Path) -> None:
    staging = gitops.path / STAGING / "kustomization.yaml"
    hostile = "::set-output name=changed::hacked"
    text = staging.read_text() + f'  - name: "{hostile}"\n    newTag: "1"\n'
    gitops.commit("chore: a hostile name", {f"{STAGING}/kustomization.yaml": text})
    run = run_action(
        "promote-env",
        {**OVERLAYS, "mode": "drift", "render": "false"},
        workspace=gitops.path,
        tmp_path=tmp_path,
    )
    assert run.exit_code == 0, run.stderr + run.stdout
    assert hostile in run.stdout
    assert [c.name for c in run.commands if c.name == "set-output"] == []
    assert run.outputs["changed"] == "false"
    assert hostile in run.outputs["drift"]

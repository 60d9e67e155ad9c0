"""Defects found by trying promote-env as a new user (issue 9's QA pass), each pinned here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from github_api_fake import FakeGitHub, serve  # type: ignore[import-not-found]
from gitrepo import GitRepo  # type: ignore[import-not-found]
from harness import run_action  # type: ignore[import-not-found]
from promote_env.sample import PRODUCTION as PROD_TEXT
from promote_samples import (  # type: ignore[import-not-found]
    PROD_FILE,
    PRODUCTION,
    STAGING,
    BareRefs,
    git_in,
    needs_kubectl,
)
from relkit import cli

PROMOTE = ["promote-env", "--source", STAGING, "--target", PRODUCTION, "--no-pull-request"]


def local_env(repo: GitRepo, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    return {**env, "GITHUB_WORKSPACE": str(repo.path)}


def origin(repo: GitRepo) -> Path:
    return Path(repo.git("remote", "get-url", "origin").strip())


def test_uncommitted_edit_of_the_target_is_refused_not_committed(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = PROD_TEXT + "# a local edit, not meant for the promotion\n"
    (gitops.path / PROD_FILE).write_text(edited)
    head = gitops.head()
    assert cli.main([*PROMOTE, "--no-render"], local_env(gitops, tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"{PROD_FILE} has uncommitted changes" in err
    assert err.count("\n") == 1
    assert gitops.head() == head
    assert (gitops.path / PROD_FILE).read_text() == edited  # the user's edit is left alone


def test_dry_run_with_an_uncommitted_target_still_previews(gitops: GitRepo, tmp_path: Path) -> None:
    (gitops.path / PROD_FILE).write_text(PROD_TEXT + "# local\n")
    assert cli.main([*PROMOTE, "--no-render", "--dry-run"], local_env(gitops, tmp_path)) == 0


def test_a_yaml_error_is_one_line(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gitops.commit("chore: binary", {PROD_FILE: "\x00\x01 not yaml\n"})
    assert cli.main([*PROMOTE, "--no-render"], local_env(gitops, tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"{PROD_FILE}" in err
    assert "invalid YAML" in err
    assert err.count("\n") == 1


def test_a_closed_stdout_pipe_is_quiet(gitops: GitRepo, tmp_path: Path) -> None:
    """``relkit promote-env --dry-run | head -1``: the reader is gone, no traceback."""
    read, write = os.pipe()
    os.close(read)  # the reader has already stopped: the first write gets EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "relkit", *PROMOTE, "--no-render", "--dry-run"],
            stdout=write,
            stderr=subprocess.PIPE,
            env=local_env(gitops, tmp_path),
            check=False,
            text=True,
        )
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr
    assert "Logging error" not in done.stderr
    assert done.stderr == ""
    assert done.returncode == 141  # as a process killed by SIGPIPE, like git or head


def test_a_rerun_in_actions_does_not_push_the_promotion_twice(
    gitops: GitRepo, tmp_path: Path
) -> None:
    """A re-run of the job checks out the same (older) commit again: the base branch already
    has the promotion, so nothing is committed or pushed a second time."""
    inputs = {"source": STAGING, "target": PRODUCTION, "pull-request": "false", "render": "false"}
    first = run_action("promote-env", inputs, workspace=gitops.path, tmp_path=tmp_path / "one")
    assert first.exit_code == 0, first.stderr + first.stdout
    tip = git_in(origin(gitops), "rev-parse", "refs/heads/main").strip()
    assert first.outputs["commit-sha"] == tip
    again = run_action("promote-env", inputs, workspace=gitops.path, tmp_path=tmp_path / "two")
    assert again.exit_code == 0, again.stderr + again.stdout
    assert git_in(origin(gitops), "rev-parse", "refs/heads/main").strip() == tip
    assert again.outputs["changed"] == "false"
    assert again.outputs["commit-sha"] == ""
    assert "already has these images" in again.stdout


def test_a_rerun_after_the_push_opens_no_empty_pull_request(
    gitops: GitRepo, tmp_path: Path
) -> None:
    inputs = {"source": STAGING, "target": PRODUCTION, "render": "false"}
    first = run_action(
        "promote-env",
        {**inputs, "pull-request": "false"},
        workspace=gitops.path,
        tmp_path=tmp_path / "one",
    )
    assert first.exit_code == 0, first.stderr + first.stdout
    fake = FakeGitHub(None, repository="octo-org/octo-repo")
    fake.refs = BareRefs(origin(gitops))
    with serve(fake) as url:
        again = run_action(
            "promote-env",
            inputs,
            workspace=gitops.path,
            tmp_path=tmp_path / "two",
            github={"GITHUB_API_URL": url},
        )
    assert again.exit_code == 0, again.stderr + again.stdout
    assert fake.pulls == {}
    assert again.outputs["changed"] == "false"
    assert again.outputs["pull-request-number"] == ""


def test_a_commit_on_a_detached_head_warns_how_to_keep_it(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gitops.git("checkout", "--quiet", "--detach")
    assert cli.main([*PROMOTE, "--no-render"], local_env(gitops, tmp_path)) == 0
    sha = gitops.head()
    captured = capsys.readouterr()
    assert f"HEAD is detached: commit {sha} is on no branch" in captured.out + captured.err
    assert f"git branch <name> {sha}" in captured.out + captured.err


def test_a_commit_on_a_branch_does_not_warn(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*PROMOTE, "--no-render"], local_env(gitops, tmp_path)) == 0
    captured = capsys.readouterr()
    assert "detached" not in captured.out + captured.err


@needs_kubectl
def test_a_render_error_names_repository_paths_not_the_scratch_copy(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "k8s/environments/broken"
    gitops.commit("chore: broken", {f"{broken}/kustomization.yaml": "resources:\n- missing.yaml\n"})
    argv = ["promote-env", "--source", STAGING, "--target", broken, "--no-pull-request"]
    assert cli.main(argv, local_env(gitops, tmp_path)) == 1
    err = capsys.readouterr().err
    assert f"'{broken}/missing.yaml'" in err
    assert "relkit-render-" not in err  # the scratch copy means nothing to the user
    assert "run.go" not in err  # nor kubectl's log header
    assert err.count("\n") == 1

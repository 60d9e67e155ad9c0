"""Defects found by trying promote-env as a new user (issue 9's QA pass), each pinned here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo  # type: ignore[import-not-found]
from promote_env.sample import PRODUCTION as PROD_TEXT
from promote_samples import PROD_FILE, PRODUCTION, STAGING  # type: ignore[import-not-found]
from relkit import cli

PROMOTE = ["promote-env", "--source", STAGING, "--target", PRODUCTION, "--no-pull-request"]


def local_env(repo: GitRepo, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    return {**env, "GITHUB_WORKSPACE": str(repo.path)}


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

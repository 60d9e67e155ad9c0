"""Fixtures for commit-lint: a real git repository (tests/gitrepo.py) and a runner's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gitrepo import PINNED_GIT_ENV, GitRepo, make_git_repo

# the one pinned identity and date of tests/gitrepo.py, without any user or system git config
GIT_ENV = {**PINNED_GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A repository with one commit; ``repo.shas`` lists the commits made through it."""
    return make_git_repo(tmp_path / "repo", ["chore: initial commit"])


@pytest.fixture
def actions_env(tmp_path: Path) -> dict[str, str]:
    """The runner's file commands in tmp_path (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP)."""
    files = tmp_path / "runner"
    files.mkdir()
    output = files / "output"
    summary = files / "summary"
    output.touch()
    summary.touch()
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(files),
        "PATH": os.environ["PATH"],
        **GIT_ENV,
    }

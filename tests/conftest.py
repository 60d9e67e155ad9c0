"""Shared fixtures: a hermetic environment and real git repositories in ``tmp_path``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from fakeserver import FakeServer, serve
from gitrepo import PINNED_GIT_ENV, GitRepo, make_git_repo

# Variables from a surrounding runner or shell that would change what the code under test sees.
_HOST_PREFIXES = ("INPUT_", "GITHUB_", "RUNNER_", "STATE_", "ACTIONS_", "GIT_")


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test runs as on a fresh machine: no GITHUB_*/INPUT_*/RUNNER_* from the host (tests
    also run inside GitHub Actions), git identity and dates pinned, no user or system git
    config (a user's ``commit.gpgsign`` must not break commits)."""
    for name in list(os.environ):
        if name.startswith(_HOST_PREFIXES) or name in {"CI", "GH_TOKEN"}:
            monkeypatch.delenv(name, raising=False)
    for name, value in PINNED_GIT_ENV.items():
        monkeypatch.setenv(name, value)
    global_config = tmp_path_factory.getbasetemp() / "gitconfig"
    if not global_config.exists():
        global_config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


GitRepoFactory = Callable[..., GitRepo]


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepoFactory:
    """Factory: ``git_repo(["feat: a", "fix: b"])`` → a :class:`harness.GitRepo` with those
    commits (``name=`` for a second repository, ``branch=`` for the initial branch)."""
    counter = iter(range(1_000))

    def make(
        messages: Sequence[str] = (), *, name: str | None = None, branch: str = "main"
    ) -> GitRepo:
        folder = tmp_path / (name or f"repo{next(counter)}")
        return make_git_repo(folder, messages, branch=branch)

    return make


@pytest.fixture
def workspace(git_repo: GitRepoFactory) -> GitRepo:
    """A repository with one commit, usable as ``GITHUB_WORKSPACE``."""
    return git_repo(["chore: initial commit"], name="workspace")


@pytest.fixture
def http_server() -> Iterator[FakeServer]:
    """A loopback HTTP server with scripted answers (see tests/fakeserver.py); its ``url`` can be
    ``GITHUB_API_URL`` for an action run through the harness."""
    yield from serve()

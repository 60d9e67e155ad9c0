"""Real git repositories in tmp_path, with pinned identities and dates."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from gitrepo import PINNED_GIT_ENV, GitRepo, make_git_repo

# the one pinned identity and date of tests/gitrepo.py, without any user or system git config
GIT_ENV = {**PINNED_GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@dataclass(slots=True)
class Repo(GitRepo):
    """tests/gitrepo.py's repository, committing exact raw messages (bad encodings, NUL bytes)
    through ``commit-tree``; git's answers come back stripped."""

    shas: list[str] = field(default_factory=list)

    def git(self, *args: str, data: bytes | None = None) -> str:  # type: ignore[override]
        proc = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=data,
            capture_output=True,
            check=True,
            env={**os.environ, **GIT_ENV},
        )
        return proc.stdout.decode().strip()

    def commit(self, message: str | bytes) -> str:  # type: ignore[override]
        """Commit with this exact raw message (bytes allowed: bad encodings, NUL)."""
        raw = message.encode() if isinstance(message, str) else message
        tree = self.git("write-tree")
        parents = ["-p", self.shas[-1]] if self.shas else []
        sha = self.git("commit-tree", tree, *parents, data=raw)
        self.git("update-ref", "refs/heads/main", sha)
        self.shas.append(sha)
        return sha


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    path = tmp_path / "repo"
    make_git_repo(path)
    created = Repo(path)
    created.commit("chore: initial commit")
    return created


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

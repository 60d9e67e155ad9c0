"""Fixtures for release-pr: real git repositories with pinned identities and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from gitrepo import PINNED_GIT_ENV

# the one pinned identity and date of tests/gitrepo.py, without any user or system git config
GIT_ENV = {**PINNED_GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def shared_dir() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (
        os.environ.get("RELKIT_SHARED_DIR"),
        str(here.parents[2] / ".." / "shared"),
        "/work/shared",
    ):
        if candidate and (Path(candidate) / "conformance").is_dir():
            return Path(candidate)
    return None


@pytest.fixture
def shared() -> Path:
    """The read-only shared folder (conformance corpora), or skip."""
    found = shared_dir()
    if found is None:
        pytest.skip("the shared conformance corpus is not available")
    return found


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = {**os.environ, **GIT_ENV}
        self.count = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def commit(self, message: str, files: dict[str, str] | None = None) -> str:
        self.count += 1
        for name, content in (files or {f"file{self.count}.txt": message}).items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            self.git("add", name)
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def tag(self, name: str) -> None:
        self.git("tag", name)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    return Repo(tmp_path)

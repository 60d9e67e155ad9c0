"""Fixtures for release-pr: real git repositories with pinned identities and dates."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from gitrepo import PINNED_GIT_ENV, GitRepo, make_git_repo

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


@dataclass(slots=True)
class Repo(GitRepo):
    """tests/gitrepo.py's repository, where a commit without files touches a file of its own
    (``file<N>.txt``): monorepo plans split commits by the files they touch."""

    count: int = 0

    def commit(  # type: ignore[override]
        self, message: str, files: Mapping[str, str | bytes] | None = None, *, date: str = ""
    ) -> str:
        self.count += 1
        files = files or {f"file{self.count}.txt": message}
        return GitRepo.commit(self, message, files, date=date or None)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    make_git_repo(tmp_path)
    return Repo(tmp_path)

"""Fixtures for release-pr: real git repositories (tests/gitrepo.py) and the shared corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gitrepo import GitRepo, make_git_repo


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


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """An empty repository where a commit given no files touches a file of its own
    (``file<N>.txt``): monorepo plans split commits by the files they touch."""
    return make_git_repo(tmp_path, own_files=True)

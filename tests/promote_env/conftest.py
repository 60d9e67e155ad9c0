"""Fixtures of the promote-env tests (helpers in tests/promote_samples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import GitRepo  # type: ignore[import-not-found]
from promote_samples import make_gitops, make_no_kubectl_path  # type: ignore[import-not-found]


@pytest.fixture
def gitops(tmp_path: Path) -> GitRepo:
    """The sample repository, pushed to a bare ``origin`` (branch main)."""
    return make_gitops(tmp_path)


@pytest.fixture
def no_kubectl_path(tmp_path: Path) -> str:
    """A PATH with git but without kubectl."""
    return make_no_kubectl_path(tmp_path)

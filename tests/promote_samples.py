"""promote-env tests: the sample GitOps repository (promote_env.sample) in real git repos."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitrepo import GitRepo, make_git_repo  # type: ignore[import-not-found]
from promote_env.sample import FILES

STAGING = "k8s/environments/staging"
PRODUCTION = "k8s/environments/production"
PROD_FILE = f"{PRODUCTION}/kustomization.yaml"
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl is not on PATH: the render checks cannot run here"
)


def make_gitops(tmp_path: Path) -> GitRepo:
    """The sample repository, pushed to a bare ``origin`` (branch main)."""
    origin = make_git_repo(tmp_path / "origin.git", bare=True)
    repo = make_git_repo(tmp_path / "gitops")
    repo.commit("chore: the sample overlays", dict(FILES))
    repo.git("remote", "add", "origin", str(origin.path))
    repo.git("push", "--quiet", "origin", "main")
    return repo


def git_in(path: Path, *args: str) -> str:
    """git's stdout in ``path`` (a bare origin, say): tests/gitrepo.py's runner."""
    return GitRepo(path).git(*args)


def make_no_kubectl_path(tmp_path: Path) -> str:
    """A PATH with git but without kubectl."""
    folder = tmp_path / "bin-without-kubectl"
    folder.mkdir()
    git = shutil.which("git")
    assert git is not None
    (folder / "git").symlink_to(git)
    return str(folder)


class BareRefs(dict[str, str]):
    """The fake's refs, read from the bare ``origin`` the action pushes to."""

    def __init__(self, bare: Path) -> None:
        super().__init__()
        self.bare = bare

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        out = git_in(self.bare, "for-each-ref", "--format=%(objectname)", key).strip()
        return out or default

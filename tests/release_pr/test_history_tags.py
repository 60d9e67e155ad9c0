"""The previous release is found whatever its commit's tree: a tag on an empty root commit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from release_pr import entry, history

Repo = Any  # the `repo` fixture of conftest.py


def test_a_tag_on_an_empty_root_commit_is_found(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("commit", "-q", "--allow-empty", "-m", "chore: root")
    repo.tag("v1.2.3")
    root = repo.git("rev-parse", "HEAD").strip()
    repo.commit("feat: more")
    tip = repo.commit("fix: tip")
    repo.tag("not-a-release")
    assert history.reachable_tags(repo.path) == [
        history.Tag("not-a-release", tip),
        history.Tag("v1.2.3", root),
    ]
    argv = ["--dry-run", "--json", "--release-type=simple", "--repo-url=o/r"]
    assert entry.main([*argv, f"--workspace={repo.path}"], {}) == 0
    (release,) = json.loads(capsys.readouterr().out)["releases"]
    assert (release["previous_tag"], release["version"]) == ("v1.2.3", "1.3.0")

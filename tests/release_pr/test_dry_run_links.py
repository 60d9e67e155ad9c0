"""The dry run's changelog links name the repository: ``owner/name``, a changelog host, a clone
whose ``origin`` is a local path (never ``https://github.com///compare/…``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from release_pr import entry
from relkit.errors import ConfigError

Repo = Any  # the `repo` fixture of conftest.py


def _released(repo: Repo) -> Repo:
    repo.commit("chore: init", {"version.txt": "0.9.0\n"})
    repo.tag("v0.9.0")
    repo.commit("feat: shiny (#4)")
    return repo


def _changelog(repo: Repo, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    base = ["--dry-run", "--json", "--release-type=simple", f"--workspace={repo.path}"]
    assert entry.main([*base, *argv], {}) == 0
    out = capsys.readouterr().out
    data: dict[str, Any] = json.loads(out[out.index("{") :])  # after any annotation lines
    return data


@pytest.mark.parametrize(
    ("argv", "origin", "base"),
    [
        pytest.param(["--repo-url", "o/r"], None, "https://github.com/o/r", id="owner-name"),
        pytest.param(
            ["--repo-url", "o/r", "--changelog-host", "https://ghe.example.com/"],
            None,
            "https://ghe.example.com/o/r",
            id="changelog-host",
        ),
        pytest.param(
            ["--changelog-host", "https://ghe.example.com"],
            "git@github.com:o/r.git",
            "https://ghe.example.com/o/r",
            id="changelog-host-with-origin",
        ),
        pytest.param([], "https://github.com/o/r.git", "https://github.com/o/r", id="origin"),
    ],
)
def test_links_name_the_repository(
    repo: Repo,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    origin: str | None,
    base: str,
) -> None:
    _released(repo)
    if origin:
        repo.git("remote", "add", "origin", origin)
    data = _changelog(repo, capsys, *argv)
    changelog = data["releases"][0]["changelog"]
    assert f"({base}/compare/v0.9.0...v0.10.0)" in changelog
    assert f"[#4]({base}/issues/4)" in changelog


def test_an_origin_on_a_local_path_links_a_placeholder_and_says_so(
    repo: Repo, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    _released(repo)
    repo.git("remote", "add", "origin", str(tmp_path / "upstream.git"))
    data = _changelog(repo, capsys, "--changelog-host", "https://ghe.example.com")
    changelog = data["releases"][0]["changelog"]
    assert "///" not in changelog
    assert "(https://ghe.example.com/OWNER/REPO/compare/v0.9.0...v0.10.0)" in changelog
    assert any("pass --repo-url owner/name" in w for w in data["warnings"])


def test_a_repo_url_that_names_no_repository_is_refused(repo: Repo) -> None:
    _released(repo)
    with pytest.raises(ConfigError, match=r"--repo-url must be owner/name .*got 'nothing'"):
        entry.main(
            [
                "--dry-run",
                "--release-type=simple",
                f"--workspace={repo.path}",
                "--repo-url",
                "nothing",
            ],
            {},
        )

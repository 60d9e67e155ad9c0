"""release-please-action v4 outputs from created releases and release PRs."""

from __future__ import annotations

import json

from release_pr.github_flow import CreatedRelease, PullResult
from release_pr.github_ops import PullRequest, Release
from release_pr.outputs import pull_outputs, release_outputs


def created(path: str, version: str, tag: str, *, draft: bool = False) -> CreatedRelease:
    release = Release(
        id=7,
        tag_name=tag,
        name=f"v{version}",
        body="notes",
        draft=draft,
        prerelease=False,
        html_url=f"https://h/{tag}",
        target_commitish="abc",
        upload_url="https://u",
    )
    return CreatedRelease(path, version, tag, f"v{version}", "abc", "notes", 12, release)


def test_root_release_sets_bare_outputs() -> None:
    out = release_outputs([created(".", "1.3.0", "v1.3.0")])

    assert out == {
        "releases_created": "true",
        "release_created": "true",
        "id": "7",
        "name": "v1.3.0",
        "tag_name": "v1.3.0",
        "sha": "abc",
        "body": "notes",
        "html_url": "https://h/v1.3.0",
        "draft": "false",
        "upload_url": "https://u",
        "path": ".",
        "version": "1.3.0",
        "major": "1",
        "minor": "3",
        "patch": "0",
        "prNumber": "12",
        "paths_released": '["."]',
    }


def test_package_releases_are_path_prefixed() -> None:
    out = release_outputs(
        [created("pkg/a", "0.2.0-rc.1", "a-v0.2.0-rc.1", draft=True), created(".", "2.0.0", "v2")]
    )

    assert out["pkg/a--release_created"] == "true"
    assert out["pkg/a--draft"] == "true"
    assert (out["pkg/a--major"], out["pkg/a--minor"], out["pkg/a--patch"]) == ("0", "2", "0")
    assert out["release_created"] == "true"
    assert json.loads(out["paths_released"]) == ["pkg/a", "."]


def test_no_release() -> None:
    assert release_outputs([]) == {"releases_created": "false", "paths_released": "[]"}


def test_pull_outputs() -> None:
    pull = PullRequest(
        number=5,
        title="t",
        body="b",
        state="open",
        draft=False,
        merged=False,
        head_ref="rp--main",
        head_sha="s",
        base_ref="main",
        html_url="u",
        labels=("autorelease: pending",),
        merge_commit_sha=None,
        author="bot",
    )

    out = pull_outputs([PullResult(pull, "created", ("CHANGELOG.md",))])

    assert out["prs_created"] == "true"
    assert json.loads(out["pr"]) == {
        "headBranchName": "rp--main",
        "baseBranchName": "main",
        "number": 5,
        "title": "t",
        "body": "b",
        "labels": ["autorelease: pending"],
        "files": ["CHANGELOG.md"],
    }
    assert json.loads(out["prs"]) == [json.loads(out["pr"])]
    assert pull_outputs([]) == {"prs_created": "false"}
    updated = pull_outputs([PullResult(pull, "updated", ())])
    assert (updated["prs_created"], json.loads(updated["prs"])[0]["number"]) == ("true", 5)
    # release-please-action v4 leaves out a PR the run left as it was
    assert pull_outputs([PullResult(pull, "unchanged", ())]) == {"prs_created": "false"}

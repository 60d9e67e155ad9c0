"""release-please's pull-request overflow handling: pure helpers of ``release_pr.pull_request``."""

from __future__ import annotations

import pytest
from release_pr.pull_request import (
    MAX_BODY_SIZE,
    OVERFLOW_MESSAGE,
    body_overflows,
    overflow_body,
    overflow_branch,
    overflow_notes_branch,
    title_version,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("x" * MAX_BODY_SIZE, False, id="at-the-limit"),
        pytest.param("x" * (MAX_BODY_SIZE + 1), True, id="one-over"),
        pytest.param("🎉" * (MAX_BODY_SIZE // 2), False, id="astral-at-the-limit"),
        pytest.param("🎉" * (MAX_BODY_SIZE // 2) + "x", True, id="astral-counts-twice"),
        pytest.param("é" * MAX_BODY_SIZE, False, id="bmp-counts-once"),
    ],
)
def test_body_overflows_counts_like_javascript(body: str, expected: bool) -> None:
    assert body_overflows(body) is expected


@pytest.mark.parametrize(
    ("body", "branch"),
    [
        pytest.param(
            f"{OVERFLOW_MESSAGE} https://github.com/o/r/blob/release-please--branches--main"
            "--release-notes/release-notes.md",
            "release-please--branches--main--release-notes",
            id="github-com",
        ),
        pytest.param(
            f"{OVERFLOW_MESSAGE} https://ghe.example/o/r/blob/rp--branches--dev--components--api"
            "--release-notes/release-notes.md\r\n",
            "rp--branches--dev--components--api--release-notes",
            id="ghes-crlf",
        ),
        pytest.param(f"{OVERFLOW_MESSAGE} https://github.com/o/r/pull/3", None, id="no-blob"),
        pytest.param(":robot: I have created a release *beep* *boop*", None, id="normal-body"),
    ],
)
def test_overflow_notes_branch(body: str, branch: str | None) -> None:
    assert overflow_notes_branch(body) == branch


def test_overflow_body_round_trips() -> None:
    branch = overflow_branch("release-please--branches--main")
    url = f"https://github.com/o/r/blob/{branch}/release-notes.md"

    body = overflow_body(url)

    assert body == (
        "This release is too large to preview in the pull request body. "
        f"View the full release notes here: {url}"
    )
    assert overflow_notes_branch(body) == "release-please--branches--main--release-notes"


@pytest.mark.parametrize(
    ("title", "pattern", "component", "expected"),
    [
        pytest.param("chore(main): release 2.0.0", None, None, "2.0.0", id="default"),
        pytest.param("chore: release 2.0.0", None, None, "2.0.0", id="no-scope"),
        pytest.param(
            "chore(main): release web 1.4.0-rc.1", None, "web", "1.4.0-rc.1", id="component"
        ),
        pytest.param(
            "release v3.1.0 on main",
            "release v${version} on ${branch}",
            None,
            "3.1.0",
            id="pattern",
        ),
        pytest.param("chore(main): release next", None, None, None, id="not-a-version"),
        pytest.param("fix: something else", None, None, None, id="other-title"),
        pytest.param(
            "chore(main): release",
            "chore${scope}: release${component}",
            None,
            None,
            id="no-version-in-pattern",
        ),
    ],
)
def test_title_version(
    title: str, pattern: str | None, component: str | None, expected: str | None
) -> None:
    found = title_version(title, pattern, "main", component)
    assert (str(found) if found else None) == expected

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

"""The relkit commit-reading plugins: gitmoji and conventional-changelog."""

from __future__ import annotations

import pytest
from release_pr.commit_parser import RawCommit
from release_pr.conventions import read_commits


def read(message: str, *plugins: str) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    return [
        (c.type, c.subject, c.breaking, tuple(r.issue for r in c.references))
        for c in read_commits([RawCommit("a" * 40, message)], set(plugins))
    ]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(
            ":sparkles: Add noop mode\n\nFixes #4\n",
            ("feat", "Add noop mode", False),
            id="shortcode-feature",
        ),
        pytest.param("✨ add a thing", ("feat", "add a thing", False), id="emoji-feature"),
        pytest.param(":bug: Fix get_commit_log", ("fix", "Fix get_commit_log", False), id="bug"),
        pytest.param(
            "🚑️ hotfix the login",
            ("fix", "hotfix the login", False),
            id="emoji-with-variation-selector",
        ),
        pytest.param("⚡ faster", ("perf", "faster", False), id="perf"),
        pytest.param(
            ":boom: Restructure helpers", ("feat", "Restructure helpers", True), id="breaking"
        ),
        pytest.param(":memo: docs", ("docs", "docs", False), id="docs"),
    ],
)
def test_gitmoji_reads_the_intent(message: str, expected: tuple[str, str, bool]) -> None:
    ((kind, subject, breaking, _),) = read(message, "gitmoji")
    assert (kind, subject, breaking) == expected


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(":unknown_code: something", id="unknown-shortcode"),
        pytest.param(":sparkles:", id="no-subject"),
        pytest.param("Add a thing", id="no-gitmoji"),
        pytest.param("🦉 Updates from OwlBot", id="emoji-without-intent"),
    ],
)
def test_gitmoji_leaves_other_messages_alone(message: str) -> None:
    assert read(message, "gitmoji") == []


def test_conventional_commits_win_over_gitmoji() -> None:
    assert read("fix: ✨ sparkle less", "gitmoji") == [("fix", "✨ sparkle less", False, ())]


def test_plugins_are_off_by_default() -> None:
    assert read(":sparkles: Add noop mode") == []
    # release-please lists only footer references
    assert read("fix(format): add new line (#518)\n\n#504") == [
        ("fix", "add new line (#518)", False, ())
    ]


def test_conventional_changelog_lists_every_mentioned_issue() -> None:
    message = (
        "feat: check stage (#495)\n\n* check stage before prompt #51\r\n\r\nCloses #103 (#175)"
    )
    assert read(message, "conventional-changelog") == [
        ("feat", "check stage (#495)", False, ("495", "51", "103", "175"))
    ]


def test_conventional_changelog_reads_breaking_change_anywhere_in_the_body() -> None:
    message = "feat(rules): update ruleset\n\n*  BREAKING CHANGE: fix: remove revert type\n"
    assert read(message, "conventional-changelog") == [("feat", "update ruleset", True, ())]
    assert read(message) == [("feat", "update ruleset", False, ())]


def test_conventional_changelog_counts_the_note_of_a_non_conventional_header() -> None:
    message = (
        "support multiple scopes (#2806)\n\n* feat: x\r\n\r\nBREAKING CHANGE: add settings\r\n"
    )
    ((kind, subject, breaking, refs),) = read(message, "conventional-changelog")
    assert (kind, subject, breaking, refs) == (
        "",
        "support multiple scopes (#2806)",
        True,
        ("2806",),
    )
    assert read("just words\n\nsee #3", "conventional-changelog") == []


def test_both_plugins_together() -> None:
    assert read(
        ":sparkles: Add publish command, fixes #6", "gitmoji", "conventional-changelog"
    ) == [("feat", "Add publish command, fixes #6", False, ("6",))]

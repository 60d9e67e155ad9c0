"""The Conventional Commits parser against conventional-commits-parser 6.4.0 behaviour.

Each expected value below was checked against the JavaScript parser with commitlint's options.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relkit.core.commits import (
    DEFAULT_OPTIONS,
    GITHUB_MERGE_PATTERN,
    ConventionalCommit,
    JsPattern,
    Note,
    ParserOptions,
    Reference,
    Revert,
    is_fixup,
    parse_message,
)


@pytest.mark.parametrize(
    ("message", "type_", "scope", "subject", "bang"),
    [
        pytest.param("feat: add x", "feat", None, "add x", False, id="plain"),
        pytest.param("fix(api): y\n", "fix", "api", "y", False, id="scope"),
        pytest.param("feat(api)!: drop z", "feat", "api", "drop z", True, id="bang-scope"),
        pytest.param("chore!: x", "chore", None, "x", True, id="bang"),
        pytest.param("feat(a,b): x", "feat", "a,b", "x", False, id="scope-list"),
        pytest.param("feat(): x", "feat", None, "x", False, id="empty-scope-is-none"),
        pytest.param("Feat: X", "Feat", None, "X", False, id="case-kept"),
        pytest.param("feat:  two", "feat", None, " two", False, id="two-spaces"),
        pytest.param("feat (api): x", None, None, None, False, id="space-before-scope"),
        pytest.param("feat:no space", None, None, None, False, id="no-space"),
        pytest.param(":sparkles: feat: x", None, None, None, False, id="gitmoji"),
        pytest.param("\u2728 feat: x", None, None, None, False, id="emoji"),
        pytest.param(" feat: x", None, None, None, False, id="leading-space"),
        pytest.param("feat: ", "feat", None, None, False, id="empty-subject"),
        pytest.param(": x", None, None, "x", False, id="empty-type"),
        pytest.param("feat: a\rb", None, None, None, False, id="lone-cr-breaks-dot"),
        pytest.param("Merge pull request #7 from o/b", None, None, None, False, id="merge"),
        pytest.param("féat: x", None, None, None, False, id="ascii-word-type"),
    ],
)
def test_header(
    message: str, type_: str | None, scope: str | None, subject: str | None, bang: bool
):
    commit = parse_message(message)
    assert (commit.type, commit.scope, commit.subject, commit.bang) == (type_, scope, subject, bang)
    assert commit.header == message.split("\n", maxsplit=1)[0]


@pytest.mark.parametrize(
    ("message", "body", "footer"),
    [
        pytest.param("feat: x", None, None, id="header-only"),
        pytest.param("feat: x\n\nbody\n", "body", None, id="body"),
        pytest.param("feat: x\n\n\n\nbody\n\n", "body", None, id="leading-blank-lines-dropped"),
        pytest.param("feat: x\r\n\r\na\r\n\r\nb\r\n", "a\n\nb", None, id="crlf"),
        pytest.param("feat: x\n\na\n\nCloses #1", "a", "Closes #1", id="closes-footer"),
        pytest.param("feat: x\n\nsee #1\nmore", "", "see #1\nmore", id="reference-starts-footer"),
        pytest.param("feat: x\n\n#1", "", "#1", id="empty-body-string"),
        pytest.param(
            "feat: x\n\nbody\n\nSigned-off-by: A <a@b.c>",
            "body\n\nSigned-off-by: A <a@b.c>",
            None,
            id="signed-off-by-is-body",
        ),
        pytest.param("feat: x\ngpg: sig\n\nbody", "body", None, id="gpg-lines-dropped"),
        pytest.param("feat: x\n \nbody", " \nbody", None, id="whitespace-line-kept"),
    ],
)
def test_body_and_footer(message: str, body: str | None, footer: str | None):
    commit = parse_message(message)
    assert (commit.body, commit.footer) == (body, footer)


@pytest.mark.parametrize(
    ("message", "notes", "footer"),
    [
        pytest.param(
            "feat: x\n\nBREAKING CHANGE: gone\nmore\n\ntext",
            (Note("BREAKING CHANGE", "gone\nmore\n\ntext"),),
            "BREAKING CHANGE: gone\nmore\n\ntext",
            id="multi-paragraph",
        ),
        pytest.param(
            "feat: x\n\nBREAKING-CHANGE: a\nBREAKING CHANGE: b",
            (Note("BREAKING-CHANGE", "a"), Note("BREAKING CHANGE", "b")),
            "BREAKING-CHANGE: a\nBREAKING CHANGE: b",
            id="two-notes",
        ),
        pytest.param(
            "feat: x\n\nbreaking change: lower",
            (Note("breaking change", "lower"),),
            "breaking change: lower",
            id="case-insensitive",
        ),
        pytest.param(
            "feat: x\n\n * BREAKING CHANGE  spaced",
            (Note("BREAKING CHANGE", "spaced"),),
            " * BREAKING CHANGE  spaced",
            id="bullet-and-space",
        ),
        pytest.param(
            "feat: x\n\nBREAKING CHANGE: a\nfixes #3\nafter",
            (Note("BREAKING CHANGE", "a"),),
            "BREAKING CHANGE: a\nfixes #3\nafter",
            id="reference-ends-note",
        ),
        pytest.param(
            "feat!: drop node 14", (Note("BREAKING CHANGE", "drop node 14"),), None, id="bang-note"
        ),
        pytest.param(
            "feat!: x\n\nBREAKING CHANGE: real",
            (Note("BREAKING CHANGE", "real"),),
            "BREAKING CHANGE: real",
            id="bang-with-footer-note",
        ),
    ],
)
def test_notes(message: str, notes: tuple[Note, ...], footer: str | None):
    commit = parse_message(message)
    assert commit.notes == notes
    assert commit.footer == footer
    assert commit.breaking


@pytest.mark.parametrize(
    ("message", "references"),
    [
        pytest.param(
            "fix: x (#12)", (Reference(None, None, None, "12", "fix: x (#12", "#"),), id="header-pr"
        ),
        pytest.param(
            "fix: x\n\nCloses #34, #35",
            (
                Reference("Closes", None, None, "34", "#34", "#"),
                Reference("Closes", None, None, "35", ", #35", "#"),
            ),
            id="closes-list",
        ),
        pytest.param(
            "fix: x\n\nfixes owner/repo#1",
            (Reference("fixes", "owner", "repo", "1", "owner/repo#1", "#"),),
            id="owner-repo",
        ),
        pytest.param(
            "fix: x\n\nrefs repo#2",
            (Reference(None, None, "repo", "2", "refs repo#2", "#"),),
            id="repository-only",
        ),
        pytest.param("fix: x\n\nsee https://h/x#1", (), id="url-is-not-a-reference"),
        pytest.param(
            "fix: x\n\nCloses #1\ncloses #1",
            (Reference("Closes", None, None, "1", "#1", "#"),),
            id="deduplicated",
        ),
        pytest.param(
            "fix: x\n\na #1\rb #2",
            (
                Reference(None, None, None, "1", "a #1", "#"),
                Reference(None, None, None, "2", "b #2", "#"),
            ),
            id="lone-cr-splits-sentences",
        ),
        pytest.param(
            "fix: x\n\nissue #12abc-x",
            (Reference(None, None, None, "12abc-x", "issue #12abc-x", "#"),),
            id="word-issue",
        ),
        pytest.param("fix: x\n\nno ref #", (), id="bare-hash"),
    ],
)
def test_references(message: str, references: tuple[Reference, ...]):
    assert parse_message(message).references == references


def test_reference_with_line_terminator_in_sentence_uses_search():
    # an action sentence cannot contain a line terminator, but a custom pattern may see one
    commit = parse_message("fix: x\n\ncloses a\u2028 #5")
    assert [ref.issue for ref in commit.references] == ["5"]


@pytest.mark.parametrize(
    ("message", "revert"),
    [
        pytest.param(
            'Revert "feat: x"\n\nThis reverts commit abc123.',
            Revert("feat: x", "abc123"),
            id="github",
        ),
        pytest.param(
            "revert: feat: x\n\nThis reverts commit 0f0f.\n",
            Revert("feat: x", "0f0f"),
            id="type",
        ),
        pytest.param('Revert "feat: x"', None, id="no-hash-line"),
    ],
)
def test_revert(message: str, revert: Revert | None):
    assert parse_message(message).revert == revert


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("", id="empty"),
        pytest.param("  \n\r\n\t", id="whitespace"),
        pytest.param("\u2028", id="line-separator"),
    ],
)
def test_blank_messages_are_empty(message: str):
    commit = parse_message(message)
    assert commit.header == ""
    assert commit.is_empty
    assert not commit.breaking
    assert commit.raw == message


def test_only_gpg_lines_is_empty():
    commit = parse_message("gpg: Signature made\n  gpg: Good signature")
    assert commit.is_empty


def test_mentions_and_raw():
    message = "feat: thank @alice and @bob-2\n"
    commit = parse_message(message)
    assert commit.mentions == ("alice", "bob-2")
    assert commit.raw == message


@pytest.mark.parametrize(
    ("message", "trailers"),
    [
        pytest.param(
            "feat: x\n\nbody\n\nSigned-off-by: A <a@b>\nCo-authored-by: B <b@c>",
            (("Signed-off-by", "A <a@b>"), ("Co-authored-by", "B <b@c>")),
            id="two",
        ),
        pytest.param(
            "feat: x\n\nReviewed-by: A\n  continued\r\n",
            (("Reviewed-by", "A continued"),),
            id="continuation-crlf",
        ),
        pytest.param("feat: x\n\nbody\n\nnot a trailer\nA: b", (), id="mixed-paragraph"),
        pytest.param("Token: value", (), id="header-is-not-a-trailer"),
        pytest.param("feat: x\n\n  indented first", (), id="continuation-without-trailer"),
        pytest.param(
            "feat: x\n\nSigned-off-by: A <a@b>\nnot a trailer",
            (("Signed-off-by", "A <a@b>"),),
            id="git-generated-quarter-rule",
        ),
        pytest.param(
            "t\n\n(cherry picked from commit abcdef1)\nx\ny\nz", (), id="cherry-pick-too-few"
        ),
        pytest.param("t\n\nA: b\n# comment\nC: d", (("A", "b"), ("C", "d")), id="comment-inside"),
        pytest.param("t\n\nA: b\n---\nB: c", (("A", "b"),), id="patch-divider"),
        # git reads "---" then a newline as a divider, a "---" ending the message as text
        pytest.param("t\n\nA: b\n---\n", (("A", "b"),), id="patch-divider-last-line"),
        pytest.param("t\n\nA: b\n---\n\n", (("A", "b"),), id="patch-divider-then-blank"),
        pytest.param("t\n\nA: b\n---", (), id="dashes-ending-the-message"),
        # a message that starts with a blank line has an empty title paragraph (checked on git)
        pytest.param(
            "\nchore: x\nSigned-off-by: A <a@b>",
            (("chore", "x"), ("Signed-off-by", "A <a@b>")),
            id="blank-first-line",
        ),
        pytest.param("\r\nt: x\nA: b", (("t", "x"), ("A", "b")), id="crlf-first-line"),
        pytest.param("\rt: x\nA: b", (), id="cr-is-not-a-blank-line"),
        pytest.param("t\n\nA: b\n\nConflicts:\n\tx.py\n", (("A", "b"),), id="conflicts-block"),
        pytest.param("t\n\nA: b\n\n#c\n\n", (("A", "b"),), id="trailing-comment"),
        pytest.param("t\n\nA:\n  folded\n", (("A", "folded"),), id="unfold-empty-value"),
        pytest.param("t\n\n\n  \nA: b", (("A", "b"),), id="blank-lines-before"),
        pytest.param(
            "t\n\nA: b\nConflicts:\nC: d",
            (("A", "b"), ("Conflicts", ""), ("C", "d")),
            id="conflicts-not-at-end",
        ),
        pytest.param("t\n\nx\n\tA: b", (), id="only-non-trailers"),
        pytest.param("t\n\nA: b\n  ", (("A", "b"),), id="whitespace-last-line"),
    ],
)
def test_trailers(message: str, trailers: tuple[tuple[str, str], ...]):
    assert parse_message(message).trailers == trailers


@pytest.mark.parametrize(
    ("message", "release_as"),
    [
        pytest.param("chore: x\n\nRelease-As: 2.0.0", "2.0.0", id="footer"),
        pytest.param("chore: x\n\nrelease as:1.2.3\n", "1.2.3", id="lower-no-space"),
        pytest.param("Release-As: 3.0.0", None, id="header-ignored"),
        pytest.param("chore: x\n\nbody", None, id="none"),
        pytest.param("chore: x\n\nsee release-as: 1.0.0", None, id="not-at-line-start"),
    ],
)
def test_release_as(message: str, release_as: str | None):
    assert parse_message(message).release_as == release_as


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("fixup! feat: x", True, id="fixup"),
        pytest.param("squash! x", True, id="squash"),
        pytest.param("amend! x", True, id="amend"),
        pytest.param("feat: fixup! x", False, id="not-prefix"),
    ],
)
def test_is_fixup(header: str, expected: bool):
    assert is_fixup(header) is expected


def test_merge_pattern_reads_header_after_merge_line():
    options = ParserOptions(merge_pattern=GITHUB_MERGE_PATTERN)
    commit = parse_message("Merge pull request #7 from o/b\n\n\nfeat: x\n\nbody", options)
    assert commit.merge == "Merge pull request #7 from o/b"
    assert (commit.type, commit.subject, commit.body) == ("feat", "x", "body")
    assert parse_message("feat: y", options).merge is None
    assert parse_message("Merge pull request #7 from o/b", DEFAULT_OPTIONS).merge is None


def test_comment_char_and_scissors():
    options = ParserOptions(comment_char="#")
    message = (
        "feat: x\n# a comment\nbody\n# ------------------------ >8 ------------------------\ndiff"
    )
    commit = parse_message(message, options)
    assert commit.body == "body"
    assert parse_message("feat: x\n#comment\n\nbody", options).body == "body"


def test_named_groups_and_short_patterns():
    named = ParserOptions(
        header_pattern=JsPattern(r"^(?<type>\w+): (?<subject>.*)$"),
        breaking_header_pattern=None,
        revert_pattern=JsPattern(r"^undo (?<header>.*)$"),
    )
    commit = parse_message("feat: x", named)
    assert (commit.type, commit.scope, commit.subject, commit.bang) == ("feat", None, "x", False)
    assert parse_message("undo it", named).revert == Revert("it", None)
    short = ParserOptions(
        header_pattern=JsPattern(r"^(\w+)!?:"),
        breaking_header_pattern=JsPattern(r"^(\w+)!:"),
        revert_pattern=None,
    )
    commit = parse_message("feat!: x", short)
    assert (commit.type, commit.subject, commit.bang) == ("feat", None, True)
    assert commit.notes == (Note("BREAKING CHANGE", ""),)
    assert parse_message('Revert "x"\n\nThis reverts commit a.', short).revert is None


def test_options_without_keywords_actions_or_prefixes():
    bare = ParserOptions(note_keywords=(), reference_actions=(), issue_prefixes=())
    commit = parse_message("feat: x (#1)\n\nBREAKING CHANGE: y\ncloses #2", bare)
    assert commit.notes == ()
    assert commit.references == ()
    assert commit.body == "BREAKING CHANGE: y\ncloses #2"


def test_case_sensitive_prefixes():
    options = ParserOptions(issue_prefixes=("GH-",), issue_prefixes_case_sensitive=True)
    commit = parse_message("fix: x\n\nsee GH-12 and gh-13", options)
    assert [(ref.prefix, ref.issue) for ref in commit.references] == [("GH-", "12")]
    commit = parse_message("fix: x\n\nsee o/rGH-7", options)
    assert [(r.owner, r.repository, r.issue) for r in commit.references] == [("o", "r", "7")]


def test_many_option_sets_are_compiled_and_cached():
    for width in range(70):
        options = ParserOptions(issue_prefixes=("#", f"X{width}-"))
        assert parse_message(f"fix: y X{width}-1", options).references[0].issue == "1"


def test_details_false_skips_extras():
    message = 'Revert "x"\n\nThis reverts commit ab.\n@me #1\n\nRelease-As: 1.0.0\nA-b: c'
    full = parse_message(message)
    assert full.revert is not None
    assert full.mentions == ("me",)
    assert full.release_as == "1.0.0"
    lite = parse_message("feat: x (#2)\n\n" + message, details=False)
    assert (lite.revert, lite.mentions, lite.trailers, lite.release_as) == (None, (), (), None)
    assert [ref.issue for ref in lite.references] == ["1"]  # body references decide the footer


def test_values_are_frozen():
    commit = parse_message("feat: x")
    assert isinstance(commit, ConventionalCommit)
    with pytest.raises(AttributeError):
        commit.header = "y"  # type: ignore[misc]


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(message: str):
    commit = parse_message(message)
    assert commit.raw == message
    assert "\n" not in commit.header


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "feat",
                "(x)",
                "!",
                ": ",
                "\n",
                "\r\n",
                "\r",
                "#1",
                "closes ",
                "BREAKING CHANGE: ",
                "o/r#2",
                "@me",
                "gpg: s",
                'Revert "',
                "This reverts commit ab.",
                "http://a/#3",
                " ",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_never_raises_on_commit_shaped_text(message: str):
    commit = parse_message(message)
    if "!" not in message and "BREAKING CHANGE" not in message:
        assert not commit.breaking  # nothing in the text marks it
    if commit.type is not None and re.match(r"^feat(?:\(x\))?!: ", message):
        assert commit.breaking  # a header with ``!`` before the colon


@pytest.mark.parametrize(
    ("message", "breaking"),
    [
        pytest.param("feat!: drop node 16", True, id="bang"),
        pytest.param("feat(api)!: drop v1", True, id="scope-bang"),
        pytest.param("feat: x\n\nBREAKING CHANGE: the API changed", True, id="footer"),
        pytest.param("feat: x\n\nBREAKING-CHANGE: the API changed", True, id="footer-hyphen"),
        pytest.param("fix: x\n\nbody\n\nBREAKING CHANGE: y\nRefs: #1", True, id="footer-among"),
        pytest.param("fix: handle the ! key", False, id="bang-in-subject"),
        pytest.param("fix: x\n\nwe avoided a breaking change here", False, id="prose"),
        pytest.param("chore: deps", False, id="plain"),
        pytest.param("Update README", False, id="not-conventional"),
    ],
)
def test_breaking(message: str, breaking: bool):
    assert parse_message(message).breaking is breaking


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(
            'Revert "feat: x"\n\nThis reverts commit abc.', ("feat: x", "abc"), id="revert-0"
        ),
        pytest.param('Revert "This reverts commit abc.', ('"', "abc"), id="revert-1"),
        pytest.param("revert: x This reverts commit .", ("x", None), id="revert-2"),
        pytest.param('REVERT:  "a"  \n this REVERTS commit a1b2.', (' "a', "a1b2"), id="revert-3"),
        pytest.param(
            'Revert "a" This reverts commit a This reverts commit b.',
            ('a" This reverts commit a', "b"),
            id="revert-4",
        ),
        pytest.param("Revert x", None, id="revert-5"),
        pytest.param("revert:x This reverts commit a.", None, id="revert-6"),
        pytest.param('Revert ""This reverts commit a.', ('"', "a"), id="revert-7"),
        pytest.param('Revert \t"x"\t\tThis reverts commit ab_c.d', ('\t"x', "ab_c"), id="revert-8"),
        pytest.param('Revert "x"This reverts commit', None, id="revert-9"),
        pytest.param('Revert "İx" This reverts commit ab.', ("İx", "ab"), id="revert-10"),
        pytest.param("Revert   This reverts commit a.", (" ", "a"), id="revert-11"),
        pytest.param('Revert "\nThis reverts commit z.', ("\n", "z"), id="revert-12"),
        pytest.param("revert: This reverts commit q.", None, id="revert-13"),
    ],
)
def test_revert_matches_the_javascript_pattern(
    message: str, expected: tuple[str | None, str | None] | None
):
    """Expected: conventional-commits-parser with the conventionalcommits revertPattern."""
    revert = parse_message(message).revert
    assert (revert.header, revert.hash) == expected if revert else expected is None


def test_revert_is_linear_on_long_whitespace():
    message = 'Revert "' + " " * 200_000 + "x"
    assert parse_message(message).revert is None
    found = parse_message('Revert "' + " " * 200_000 + "x\nThis reverts commit abc.").revert
    assert found is not None
    assert found.hash == "abc"


def test_long_word_before_a_hash_is_linear():
    commit = parse_message("fix: x\n\n" + "a" * 500_000 + "#")
    assert commit.references == ()
    assert commit.body is not None


def test_several_prefixes_without_word_characters():
    options = ParserOptions(issue_prefixes=("#", "!"))
    commit = parse_message("fix: x\n\nsee o/r!5 and #6", options)
    assert [(r.owner, r.repository, r.issue, r.raw, r.prefix) for r in commit.references] == [
        ("o", "r", "5", "see o/r!5", "!"),
        (None, None, "6", " and #6", "#"),
    ]

"""release-please's reading of commit messages (@conventional-commits/parser + commit.ts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from release_pr import commit_parser
from release_pr.cc_grammar import GrammarError, parse_tree
from release_pr.commit_parser import (
    Note,
    RawCommit,
    Reference,
    ReleaseCommit,
    apply_commit_override,
    parse_commits,
    parse_message,
    split_messages,
)


def shape(message: str) -> list[tuple[str, str | None, str, bool]]:
    return [(c.type, c.scope, c.subject, c.breaking) for c in parse_message(message)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(
            "feat(api): add x (#12)", [("feat", "api", "add x (#12)", False)], id="scoped"
        ),
        pytest.param("fix!: drop y", [("fix", None, "drop y", True)], id="bang"),
        pytest.param("feat:no space", [("feat", None, "no space", False)], id="no-space"),
        pytest.param("feat(): x", [], id="empty-scope"),
        pytest.param("feat(scope: x", [], id="unclosed-scope"),
        pytest.param(
            "Merge pull request #7 from o/b\n\nfeat: x",
            [("feat", None, "x", False)],
            id="merge-body",
        ),
        pytest.param('Revert "feat: x"\n\nThis reverts commit abc.', [], id="github-revert"),
        pytest.param("update readme", [], id="not-conventional"),
        pytest.param("", [], id="empty"),
        pytest.param("  \n ", [], id="blank"),
        pytest.param(
            "feat: a\n\n* fix: b\n* docs: c", [("feat", None, "a", False)], id="bullets-stay"
        ),
        pytest.param(
            "feat: a\n\nfix(core): b\n\nchore: c",
            [("feat", None, "a", False), ("fix", "core", "b", False), ("chore", None, "c", False)],
            id="squash-split",
        ),
        pytest.param(
            "feat: outer\n\nBEGIN_NESTED_COMMIT\nfix(core): inner\nEND_NESTED_COMMIT\ntrailing",
            [("feat", None, "outer", False), ("fix", "core", "inner", False)],
            id="nested",
        ),
        pytest.param(
            "chore: release 1.2.0\n\nSigned-off-by: A <a@b>",
            [("Signed-off-by", None, "A <a@b>", False), ("chore", None, "release 1.2.0", False)],
            id="trailer-pseudo-commit",
        ),
        pytest.param(
            "fix: a\n\nsome text\nCo-authored-by: B <b@c>",
            [("Co-authored-by", None, "B <b@c>", False), ("fix", None, "a", False)],
            id="footer-after-body-line",
        ),
        pytest.param(
            "docs: a\n\nfeat(x)!: hidden break",
            [("feat", "x", "hidden break", True), ("docs", None, "a", False)],
            id="footer-commit-with-bang",
        ),
    ],
)
def test_commits_read_from_a_message(
    message: str, expected: list[tuple[str, str | None, str, bool]]
) -> None:
    assert shape(message) == expected


@pytest.mark.parametrize(
    ("message", "note"),
    [
        pytest.param("feat(a)!: the subject", "the subject", id="bang-subject"),
        pytest.param(
            "feat: a\n\nBREAKING CHANGE: first\nBREAKING CHANGE: second", "second", id="last-wins"
        ),
        pytest.param("feat: a\n\nBREAKING-CHANGE: dash form", "dash form", id="dash"),
        pytest.param("feat: a\r\n\r\nBREAKING CHANGE: crlf\r\n", "crlf", id="crlf"),
        pytest.param(
            "fix: a\n\nBREAKING CHANGE: first\n  second", "second", id="continuation-last-text"
        ),
        pytest.param(
            "feat: a\n\nBREAKING CHANGE: line one\nline two\n\nmore text",
            "line one line two",
            id="body-paragraph",
        ),
        pytest.param(
            "feat: a\n\nBREAKING CHANGE: desc\n- item 1\n- item 2",
            "desc\n    - item 1\n    - item 2",
            id="extended-context",
        ),
        pytest.param(
            "feat!: x\n\nBREAKING CHANGE: footer wins", "footer wins", id="footer-over-bang"
        ),
    ],
)
def test_breaking_change_note(message: str, note: str) -> None:
    head = parse_message(message)[-1]
    assert head.breaking
    assert [n.text for n in head.notes if n.title == "BREAKING CHANGE"] == [note]


def test_release_as_footer_is_a_note_and_a_pseudo_commit() -> None:
    commits = parse_message("fix: a\n\nRelease-As: 2.0.0")
    assert [c.type for c in commits] == ["Release-As", "fix"]
    assert commits[-1].release_as == "2.0.0"
    assert Note("RELEASE AS", "2.0.0") in commits[-1].notes
    assert commits[0].release_as is None


def test_references_from_footers() -> None:
    head = parse_message("feat: a (#1)\n\nFixes #12\nRefs: #13\nCloses: #14, #15\nSee: v8:8940")[-1]
    assert head.references == (Reference("Fixes", "12"), Reference("Refs", "13"))


def test_split_messages_keeps_text_around_nested_blocks() -> None:
    assert split_messages("a\nBEGIN_NESTED_COMMIT\nb\nEND_NESTED_COMMIT\nc") == ["a\n\nc", "\nb\n"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(None, "feat: original", id="no-pr"),
        pytest.param("text only", "feat: original", id="no-block"),
        pytest.param(
            "x\nBEGIN_COMMIT_OVERRIDE\n  \nEND_COMMIT_OVERRIDE", "feat: original", id="empty"
        ),
        pytest.param(
            "BEGIN_COMMIT_OVERRIDE\nfix: new\nEND_COMMIT_OVERRIDE", "fix: new", id="override"
        ),
    ],
)
def test_commit_override(body: str | None, expected: str) -> None:
    assert apply_commit_override("feat: original", body) == expected


def test_parse_commits_keeps_sha_and_files_and_order() -> None:
    raw = [RawCommit("b" * 40, "fix: two", ("x.py",)), RawCommit("a" * 40, "feat: one")]
    commits = parse_commits(raw)
    assert [(c.sha[0], c.subject, c.files) for c in commits] == [
        ("b", "two", ("x.py",)),
        ("a", "one", ()),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:!() #\n\r\t-BREAKINGCHANGEfeat")), max_size=80))
def test_never_raises(message: str) -> None:
    for commit in parse_message(message):
        assert isinstance(commit.header, str)


def test_agrees_with_release_please_on_the_public_corpus(shared: Path) -> None:
    """The number of commits release-please parsed in each of the 1,017 public ranges."""
    corpus = shared / "conformance" / "commits" / "release-public.jsonl"
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    disagreements = [
        row["id"]
        for row in rows
        if len(parse_commits(RawCommit(c["sha"], c["message"]) for c in row["commits"]))
        != row["anchors"]["release_please"]["commits_parsed"]
    ]
    assert disagreements == []


def test_huge_footer_like_bodies_parse_in_linear_time() -> None:
    """20,000 ``Key: value`` lines then prose: every line is body (no footer block at the end).
    Without memoisation this re-parses the tail at each line and takes minutes."""
    body = "\n".join(f"Key{i}: value" for i in range(20_000))
    (commit,) = parse_message(f"feat: x\n\n{body}\nnot a footer")
    assert commit.subject == "x"


# --- the simple-shape reader agrees with the grammar -------------------------------------------


def grammar_commits(piece: str) -> list[ReleaseCommit] | None:
    """What the grammar and post-processing read from one piece (None: the piece is dropped)."""
    try:
        drafts = commit_parser._to_changelog_format(parse_tree(piece))
    except GrammarError:
        return None
    return [commit_parser._commit(draft, "", ()) for draft in drafts]


def simple_commits(piece: str) -> list[ReleaseCommit] | None:
    drafts = commit_parser._read_simple(piece)
    return None if drafts is None else [commit_parser._commit(d, "", ()) for d in drafts]


def assert_simple_agrees(message: str) -> bool:
    """Each piece the simple reader takes reads exactly as through the grammar; True when the
    simple reader took at least one piece."""
    took = False
    for piece in split_messages(message):
        simple = simple_commits(piece)
        if simple is not None:
            took = True
            assert simple == grammar_commits(piece), piece
    return took


@pytest.mark.parametrize(
    ("message", "simple"),
    [
        pytest.param("feat: add x", True, id="header"),
        pytest.param("feat(api)!: drop y\n\nwhy it goes\r\nmore prose", True, id="bang-body"),
        pytest.param("fix:\u00a0\tspaced", True, id="grammar-whitespace"),
        pytest.param("feat!:", True, id="bang-empty-subject"),
        pytest.param("feat(a b): x\n\n  indented: not a footer\n* bullet", True, id="prose"),
        pytest.param("feat: x\n\nSigned-off-by: A <a@b>", False, id="trailer"),
        pytest.param("feat: x\n\nCloses #12", False, id="hash-separator"),
        pytest.param("feat: x\n\nBREAKING CHANGE: y", False, id="breaking-footer"),
        pytest.param("feat: x\n\nBREAKING-CHANGE y", False, id="breaking-marker"),
        pytest.param("feat: x\n\ncall(x) to fix", False, id="scope-like-line"),
        pytest.param("feat: x\n\n!important", False, id="bang-line"),
        pytest.param("feat #12 x", False, id="hash-header"),
        pytest.param("feat(): x", False, id="empty-scope"),
        pytest.param("feat(x: y", False, id="unclosed-scope"),
        pytest.param("featBREAKING CHANGE: x", False, id="breaking-in-type"),
        pytest.param("feat(x)BREAKING CHANGE: y", False, id="breaking-after-scope"),
        pytest.param("Merge pull request #7 from o/b", False, id="not-conventional"),
    ],
)
def test_simple_reader_takes_only_plain_shapes(message: str, *, simple: bool) -> None:
    assert assert_simple_agrees(message) is simple


FRAGMENTS = [
    "feat", "fix", "Signed-off-by", "BREAKING CHANGE", "BREAKING-CHANGE", "Release-As", "Refs",
    "(", ")", "(api)", "()", "!", ":", ": ", " #", "#12", " ", "\t", "\u00a0", "\ufeff", "\v",
    "\n", "\n\n", "\r\n", "\r", "x", "text", "1.2.3", "#", "a b", "* ", "#### ", "\u2028",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=24).map("".join),
    st.sampled_from(["feat: s", "fix(core)!: s", "chore!: ", "docs(x): a: b", ""]),
)
def test_simple_reader_agrees_with_the_grammar(body: str, header: str) -> None:
    assert_simple_agrees(header + body)
    assert_simple_agrees(header + "\n\n" + body)


@pytest.mark.parametrize("name", ["release-public.jsonl", "lint-public.jsonl"])
def test_simple_reader_agrees_with_the_grammar_on_the_public_corpora(
    shared: Path, name: str
) -> None:
    corpus = shared / "conformance" / "commits" / name
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]
    if name == "release-public.jsonl":
        messages = [commit["message"] for row in rows for commit in row["commits"]]
    else:
        messages = [row["message"] for row in rows]
    taken = sum(assert_simple_agrees(message) for message in messages)
    assert taken > 1_000  # a real share of messages takes the simple path

"""release-please's reading of commit messages. Pure.

release-please does not use conventional-commits-parser (what ``relkit.core.commits`` mirrors for
commitlint) but the ``@conventional-commits/parser`` grammar plus its own post-processing
(``src/commit.ts``), which differs where it matters for versions and changelogs:

* a message is split into several commits on a blank line followed by a conventional header and
  on ``BEGIN_NESTED_COMMIT … END_NESTED_COMMIT`` blocks;
* every footer shaped ``Token: value`` is re-parsed as a commit of its own (``Signed-off-by: A``
  becomes a hidden commit of type ``Signed-off-by``), ``Release-As: x`` becomes a note;
* only the last ``BREAKING CHANGE`` marker survives as the note;
* a message whose grammar fails (``Merge pull request …``, ``Revert "…"``, an unclosed scope)
  is dropped.

The grammar is ``release_pr.cc_grammar``; this module is the post-processing. Neither raises on
any text (a grammar failure only drops that piece).

Most messages are a header and maybe plain prose: ``_read_simple`` reads those with two regular
expressions and gives exactly what the grammar and post-processing give (a hypothesis test and
the public corpora check it); any other piece goes to the grammar.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from release_pr.cc_grammar import JS_TRIM, TYPE_CHAR, WHITESPACE, GrammarError, Node, parse_tree

_NUMBER = re.compile(r"^[0-9]+$")
_SPLIT = re.compile(
    r"\r?\n\r?\n(?=(?:feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(?:\(.*?\))?: )"
)
_EXTENDED_CONTEXT = re.compile(r"^#### |^[*-] ")
# a header the grammar reads as type, scope (not empty), "!", ":" and subject
_SIMPLE_HEADER = re.compile(rf"({TYPE_CHAR}+)(?:\(([^()\r\n]+)\))?(!?):{WHITESPACE}*([^\r\n]*)")
# a line the grammar might read as (the start of) a footer or a BREAKING CHANGE marker
_FOOTER_LINE = re.compile(rf"[\r\n]+(?:!|BREAKING[ -]CHANGE|{TYPE_CHAR}+(?:[(!:]| #))")


class Note(NamedTuple):
    title: str  # "BREAKING CHANGE" or "RELEASE AS"
    text: str


class Reference(NamedTuple):
    action: str
    issue: str
    prefix: str = "#"


class RawCommit(NamedTuple):
    """A commit as git records it (newest first in a range)."""

    sha: str
    message: str
    files: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()


class ReleaseCommit(NamedTuple):
    """One conventional commit as release-please sees it (a raw commit may give several)."""

    sha: str
    header: str
    type: str
    scope: str | None
    subject: str
    notes: tuple[Note, ...] = ()
    references: tuple[Reference, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        return any(note.title == "BREAKING CHANGE" for note in self.notes)

    @property
    def release_as(self) -> str | None:
        for note in self.notes:
            if note.title == "RELEASE AS":
                return note.text
        return None


# ---------------------------------------------------------------------------------------------
# release-please's post-processing (src/commit.ts)


def _walk(node: Node, wanted: tuple[str, ...]) -> Iterable[Node]:
    """Depth-first, document order (unist-util-visit)."""
    for child in node.children:
        if child.type in wanted:
            yield child
        if child.children:
            yield from _walk(child, wanted)


class _Draft:
    """One commit being read (internal, mutable while the tree is walked)."""

    __slots__ = ("header", "notes", "references", "scope", "subject", "type")

    def __init__(self) -> None:
        self.header = ""
        self.type = ""
        self.scope: str | None = None
        self.subject = ""
        self.notes: list[Note] = []
        self.references: list[Reference] = []


def _read_summary(ast: Node, head: _Draft) -> None:
    summary = next(c for c in ast.children if c.type == "summary")
    for node in _walk(summary, ("type", "scope", "breaking-change", "text")):
        if node.type == "type":
            head.type = node.value
            head.header += node.value
        elif node.type == "scope":
            head.scope = node.value
            head.header += f"({node.value})"
        elif node.type == "breaking-change":
            head.header += "!"
        else:
            head.subject = node.value
            head.header += f": {node.value}"


def _breaking_text(ast: Node, subject: str) -> str:
    """The text of the last BREAKING CHANGE marker (summary ``!``, body or footer)."""
    text = ""
    for part in ast.children:
        if part.type == "summary" and any(c.type == "breaking-change" for c in part.children):
            text = subject
        elif part.type == "body":
            markers = [i for i, c in enumerate(part.children) if c.type == "breaking-change"]
            if markers:
                after = part.children[markers[0] + 1 :]
                text = "".join(c.value for c in after if c.type in ("text", "newline"))
        elif part.type == "footer" and any(
            c.type == "breaking-change" and "BREAKING" in c.value for c in part.children[0].children
        ):
            for node in _walk(part, ("text", "newline")):
                text = node.value
    return text


def _reference(footer: Node) -> Reference | None:
    action, issue, has_ref = "", "", False
    for node in _walk(footer, ("type", "separator", "text")):
        if node.type == "type":
            action = node.value
        elif node.type == "separator":
            has_ref = has_ref or "#" in node.value
        elif node.value[:1] == "#":
            has_ref = True
            issue = node.value[1:]
        else:
            issue = node.value
    return Reference(action, issue) if has_ref and _NUMBER.match(issue) else None


def _footer_text(footer: Node) -> str:
    pieces: list[str] = []
    wanted = ("type", "scope", "breaking-change", "separator", "text", "newline")
    for node in _walk(footer, wanted):
        if node.type == "scope":
            pieces.append(f"({node.value})")
        elif node.type == "separator":
            if "#" not in node.value:
                pieces.append(f"{node.value} ")
        else:
            pieces.append(node.value)
    return "".join(pieces)


def _to_changelog_format(ast: Node) -> list[_Draft]:
    commits: list[_Draft] = []
    head = _Draft()
    _read_summary(ast, head)
    breaking = _breaking_text(ast, head.subject)
    if breaking:
        head.notes.append(Note("BREAKING CHANGE", breaking))
    footers = [c for c in ast.children if c.type == "footer"]
    head.references.extend(ref for f in footers if (ref := _reference(f)) is not None)
    for footer in footers:
        type_node = next((c for c in footer.children[0].children if c.type == "type"), None)
        if type_node is None:
            continue
        if type_node.value.lower() == "release-as":
            texts = list(_walk(footer, ("text",)))
            head.notes.append(Note("RELEASE AS", texts[-1].value if texts else ""))
        with contextlib.suppress(GrammarError):  # a footer that is not a commit of its own
            commits.extend(_to_changelog_format(parse_tree(_footer_text(footer))))
    commits.append(head)
    return commits


def _post_process_note(text: str) -> str:
    out = ""
    extended = False
    for i, chunk in enumerate(re.split(r"\r?\n", text)):
        if i > 0 and _EXTENDED_CONTEXT.match(chunk) and not extended:
            out = out.strip() + "\n"
            extended = True
        if chunk == "":
            break
        out += f"    {chunk}\n" if extended else f"{chunk} "
    return out.strip()


def split_messages(message: str) -> list[str]:
    """The pieces release-please parses: nested-commit blocks and squash-body headers."""
    parts = message.split("BEGIN_NESTED_COMMIT")
    first = parts[0]
    nested: list[str] = []
    for part in parts[1:]:
        inner, *rest = part.split("END_NESTED_COMMIT")
        nested.append(inner)
        first += "END_NESTED_COMMIT".join(rest)
    return [piece for piece in _SPLIT.split(first) if piece] + nested


def apply_commit_override(message: str, pr_body: str | None) -> str:
    """A ``BEGIN_COMMIT_OVERRIDE … END_COMMIT_OVERRIDE`` block of the merged PR's body wins."""
    if not pr_body:
        return message
    after = pr_body.split("BEGIN_COMMIT_OVERRIDE")
    if len(after) < 2:
        return message
    override = after[1].split("END_COMMIT_OVERRIDE")[0].strip(JS_TRIM)
    return override or message


# the pull request a commit says it came from: GitHub's squash subject "Title (#12)" and its
# merge-button subject "Merge pull request #12 from owner/branch"
_PULL_NUMBER = re.compile(r"^Merge pull request #([0-9]+)(?: |$)|\(#([0-9]+)\)$")


def pull_number(message: str) -> int | None:
    """The number of the pull request a commit's subject names as GitHub's merge buttons write
    it (squash: ``Title (#12)``, merge: ``Merge pull request #12 from …``), else None."""
    subject = message.split("\n", 1)[0].rstrip()
    match = _PULL_NUMBER.search(subject)
    if match is None:
        return None
    return int(match[1] or match[2])


def _read_simple(piece: str) -> list[_Draft] | None:
    """A header and lines that cannot start a footer: what the grammar would read, without its
    tree; None for any other shape (footers, ``BREAKING CHANGE``, `` #`` separators …)."""
    text = piece.strip(JS_TRIM)
    match = _SIMPLE_HEADER.match(text)
    if match is None:
        return None
    if _FOOTER_LINE.search(text, match.end()):  # the header ends at a newline or the end
        return None
    head = _Draft()
    head.type, head.scope, bang, head.subject = match.groups()
    head.header = f"{head.type}({head.scope}){bang}" if head.scope else f"{head.type}{bang}"
    head.header += f": {head.subject}"
    if bang and head.subject:  # the grammar's note is the subject; an empty one is no note
        head.notes.append(Note("BREAKING CHANGE", head.subject))
    return [head]


def _read_piece(piece: str) -> list[_Draft]:
    """The commits of one piece; GrammarError when release-please drops it."""
    simple = _read_simple(piece)
    return simple if simple is not None else _to_changelog_format(parse_tree(piece))


def _commit(draft: _Draft, sha: str, files: tuple[str, ...]) -> ReleaseCommit:
    return ReleaseCommit(
        sha=sha,
        header=draft.header,
        type=draft.type,
        scope=draft.scope,
        subject=draft.subject,
        notes=tuple(Note(n.title, _post_process_note(n.text)) for n in draft.notes),
        references=tuple(draft.references),
        files=files,
    )


def parse_message(message: str, *, sha: str = "", files: Sequence[str] = ()) -> list[ReleaseCommit]:
    """Every conventional commit release-please reads from one message (maybe none)."""
    found: list[ReleaseCommit] = []
    for piece in split_messages(message):
        try:
            drafts = _read_piece(piece)
        except (GrammarError, RecursionError):
            continue
        found += (_commit(draft, sha, tuple(files)) for draft in drafts)
    return found


def parse_commits(commits: Iterable[RawCommit]) -> list[ReleaseCommit]:
    """release-please's ``parseConventionalCommits``: newest first, expanded."""
    out: list[ReleaseCommit] = []
    for commit in commits:
        out.extend(parse_message(commit.message, sha=commit.sha, files=commit.files))
    return out

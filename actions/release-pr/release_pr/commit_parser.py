"""release-please's reading of commit messages. Pure.

release-please does not use conventional-commits-parser (what ``relkit.core.commits`` mirrors for
commitlint) but the ``@conventional-commits/parser`` grammar plus its own post-processing
(``src/commit.ts``), which differs where it matters for versions and changelogs:

* a message is split into several commits on a blank line followed by a conventional header and
  on ``BEGIN_NESTED_COMMIT … END_NESTED_COMMIT`` blocks;
* every footer shaped ``Token: value`` is re-parsed as a commit of its own (``Signed-off-by: A``
  becomes a hidden commit of type ``Signed-off-by``), ``Release-As: x`` becomes a note;
* only the last ``BREAKING CHANGE`` marker survives as the note;
* a message whose grammar fails (``Merge pull request …``, ``Revert "…"``, a body line followed
  directly by a footer) is dropped.

This module ports that grammar and post-processing; it never raises on any text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WS = "\ufeff\t\v\f \u00a0"
_TYPE_RE = re.compile(rf"[^()\r\n!:{_WS}]+")
_TEXT_RE = re.compile(r"[^\r\n]*")
_SCOPE_RE = re.compile(r"[^()\r\n]*")
_WHITESPACE_RE = re.compile(f"[{_WS}]+")
_NEWLINE_RE = re.compile(r"[\r\n]+")
_NUMBER = re.compile(r"^[0-9]+$")
_SPLIT = re.compile(
    r"\r?\n\r?\n(?=(?:feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(?:\(.*?\))?: )"
)
_EXTENDED_CONTEXT = re.compile(r"^#### |^[*-] ")
_JS_TRIM = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501


@dataclass(frozen=True, slots=True)
class Note:
    title: str  # "BREAKING CHANGE" or "RELEASE AS"
    text: str


@dataclass(frozen=True, slots=True)
class Reference:
    action: str
    issue: str
    prefix: str = "#"


@dataclass(frozen=True, slots=True)
class RawCommit:
    """A commit as git records it (newest first in a range)."""

    sha: str
    message: str
    files: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReleaseCommit:
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
# The @conventional-commits/parser grammar


class _GrammarError(Exception):
    """The message does not follow the grammar (the JS parser throws)."""


class _Node:
    """A node of the grammar's tree (internal and short-lived: a plain slotted class)."""

    __slots__ = ("children", "type", "value")

    def __init__(self, type: str, value: str = "", children: list[_Node] | None = None) -> None:
        self.type = type
        self.value = value
        self.children: list[_Node] = children if children is not None else []


class _Scanner:
    __slots__ = ("pos", "pre_footer", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.pre_footer: dict[int, bool] = {}

    def eof(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        ch = self.text[self.pos : self.pos + 1]
        if ch == "\r" and self.text[self.pos + 1 : self.pos + 2] == "\n":
            return "\r\n"
        return ch

    def next(self, n: int = 0) -> str:
        token = self.text[self.pos : self.pos + n] if n else self.peek()
        self.pos += len(token)
        return token

    def peek_literal(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)


def _message(text: str) -> _Node:
    scanner = _Scanner(text.strip(_JS_TRIM))
    node = _Node("message")
    summary = _summary(scanner)
    if summary is None:
        raise _GrammarError("summary")
    node.children.append(summary)
    if scanner.eof():
        return node
    newline = _newline(scanner)
    if newline is None:  # pragma: no cover - the summary text stops at a newline
        raise _GrammarError("newline")
    node.children.append(newline)
    body = _body(scanner)
    if body is not None:
        node.children.append(body)
    if scanner.eof():
        return node
    if body is not None:
        newline = _newline(scanner)
        if newline is None:  # pragma: no cover - the body stops before newlines
            raise _GrammarError("newline")
        node.children.append(newline)
    while not scanner.eof():
        footer = _footer(scanner)
        if footer is None:
            break
        node.children.append(footer)
        newline = _newline(scanner)
        if newline is None:
            break
        node.children.append(newline)
    return node


def _summary(scanner: _Scanner) -> _Node | None:
    start = scanner.pos
    node = _Node("summary")
    type_ = _type(scanner)
    if type_ is None:
        return None
    node.children.append(type_)
    scope = _scope(scanner)
    if scope is not None:
        node.children.append(scope)
    bang = _breaking_change(scanner)
    if bang is not None:
        node.children.append(bang)
    separator = _separator(scanner)
    if separator is None:
        scanner.pos = start
        return None
    node.children.append(separator)
    ws = _whitespace(scanner)
    if ws is not None:
        node.children.append(ws)
    node.children.append(_text(scanner))
    return node


def _type(scanner: _Scanner) -> _Node | None:
    """1+ characters except parens, whitespace, newline, ``!`` and ``:``."""
    match = _TYPE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return _Node("type", match[0])


def _text(scanner: _Scanner) -> _Node:
    """Any characters up to the next newline."""
    match = _TEXT_RE.match(scanner.text, scanner.pos)
    end = match.end() if match else scanner.pos
    value = scanner.text[scanner.pos : end]
    scanner.pos = end
    return _Node("text", value)


def _scope(scanner: _Scanner) -> _Node | None:
    """``(`` scope ``)``; an unclosed scope fails the whole message, as the JS grammar throws."""
    if scanner.peek() != "(":
        return None
    match = _SCOPE_RE.match(scanner.text, scanner.pos + 1)
    end = match.end() if match else scanner.pos + 1
    if scanner.text[end : end + 1] != ")":
        raise _GrammarError("unclosed scope")
    if end == scanner.pos + 1:
        scanner.pos = end  # the JS grammar rewinds to after "(" for an empty scope
        return None
    value = scanner.text[scanner.pos + 1 : end]
    scanner.pos = end + 1
    return _Node("scope", value)


def _body(scanner: _Scanner) -> _Node | None:
    node = _Node("body")
    if _pre_footer(scanner):
        return None
    while True:
        marker = _breaking_change(scanner, allow_bang=False)
        if marker is not None and scanner.peek() == ":":
            node.children.append(marker)
            node.children.append(_Node("separator", scanner.next()))
            ws = _whitespace(scanner)
            if ws is not None:
                node.children.append(ws)
        node.children.append(_text(scanner))
        before = scanner.pos
        newline = _newline(scanner)
        if newline is None:
            return node
        if _pre_footer(scanner):
            scanner.pos = before  # the newlines belong to the message, before the footers
            return node
        node.children.append(newline)


def _pre_footer(scanner: _Scanner) -> bool:
    """Whether only footers (separated by newlines) remain; never moves the scanner.

    Memoised per position: a body of N footer-like lines followed by prose would otherwise
    re-parse the tail at every line (quadratic on huge messages).
    """
    start = scanner.pos
    memo = scanner.pre_footer
    path: list[int] = []
    pos = start
    result = True
    while pos < len(scanner.text):
        if pos in memo:
            result = memo[pos]
            break
        path.append(pos)
        scanner.pos = pos
        _newline(scanner)
        if _footer(scanner) is None:
            result = False
            break
        pos = scanner.pos
    for seen in path:
        memo[seen] = result
    scanner.pos = start
    return result


def _footer(scanner: _Scanner) -> _Node | None:
    start = scanner.pos
    node = _Node("footer")
    token = _token(scanner)
    if token is None:
        scanner.pos = start
        return None
    node.children.append(token)
    separator = _separator(scanner)
    if separator is None:
        scanner.pos = start
        return None
    node.children.append(separator)
    ws = _whitespace(scanner)
    if ws is not None:
        node.children.append(ws)
    node.children.append(_value(scanner))
    return node


def _token(scanner: _Scanner) -> _Node | None:
    node = _Node("token")
    marker = _breaking_change(scanner)
    if marker is not None:
        node.children.append(marker)
        return node
    type_ = _type(scanner)
    if type_ is None:
        return None
    node.children.append(type_)
    scope = _scope(scanner)
    if scope is not None:
        node.children.append(scope)
    bang = _breaking_change(scanner)
    if bang is not None:
        node.children.append(bang)
    return node


def _breaking_change(scanner: _Scanner, *, allow_bang: bool = True) -> _Node | None:
    if scanner.peek() == "!" and allow_bang:
        return _Node("breaking-change", scanner.next())
    if scanner.peek_literal("BREAKING CHANGE") or scanner.peek_literal("BREAKING-CHANGE"):
        return _Node("breaking-change", scanner.next(len("BREAKING CHANGE")))
    return None


def _value(scanner: _Scanner) -> _Node:
    node = _Node("value", children=[_text(scanner)])
    while True:
        start = scanner.pos
        newline = _newline(scanner)
        if newline is None:
            return node
        ws = _whitespace(scanner)
        if ws is None:
            scanner.pos = start
            return node
        node.children.append(_Node("continuation", children=[newline, ws, _text(scanner)]))


def _separator(scanner: _Scanner) -> _Node | None:
    if scanner.peek() == ":":
        return _Node("separator", scanner.next())
    if scanner.peek() == " " and scanner.text[scanner.pos + 1 : scanner.pos + 2] == "#":
        scanner.next(2)
        return _Node("separator", " #")
    return None


def _whitespace(scanner: _Scanner) -> _Node | None:
    match = _WHITESPACE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return _Node("whitespace", match[0])


def _newline(scanner: _Scanner) -> _Node | None:
    match = _NEWLINE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return _Node("newline", match[0])


# ---------------------------------------------------------------------------------------------
# release-please's post-processing (src/commit.ts)


def _walk(node: _Node, wanted: tuple[str, ...]) -> Iterable[_Node]:
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


def _read_summary(ast: _Node, head: _Draft) -> None:
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


def _breaking_text(ast: _Node, subject: str) -> str:
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


def _reference(footer: _Node) -> Reference | None:
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


def _footer_text(footer: _Node) -> str:
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


def _to_changelog_format(ast: _Node) -> list[_Draft]:
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
        with contextlib.suppress(_GrammarError):  # a footer that is not a commit of its own
            commits.extend(_to_changelog_format(_message(_footer_text(footer))))
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
    override = after[1].split("END_COMMIT_OVERRIDE")[0].strip(_JS_TRIM)
    return override or message


def parse_message(message: str, *, sha: str = "", files: Sequence[str] = ()) -> list[ReleaseCommit]:
    """Every conventional commit release-please reads from one message (maybe none)."""
    found: list[ReleaseCommit] = []
    for piece in split_messages(message):
        try:
            drafts = _to_changelog_format(_message(piece))
        except (_GrammarError, RecursionError):
            continue
        for draft in drafts:
            found.append(
                ReleaseCommit(
                    sha=sha,
                    header=draft.header,
                    type=draft.type,
                    scope=draft.scope,
                    subject=draft.subject,
                    notes=tuple(Note(n.title, _post_process_note(n.text)) for n in draft.notes),
                    references=tuple(draft.references),
                    files=tuple(files),
                )
            )
    return found


def parse_commits(commits: Iterable[RawCommit]) -> list[ReleaseCommit]:
    """release-please's ``parseConventionalCommits``: newest first, expanded."""
    out: list[ReleaseCommit] = []
    for commit in commits:
        out.extend(parse_message(commit.message, sha=commit.sha, files=commit.files))
    return out

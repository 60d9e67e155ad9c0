"""The ``@conventional-commits/parser`` grammar (0.4.x), as release-please runs it. Pure.

``parse_tree(text)`` returns the syntax tree (``message`` → ``summary``, ``newline``,
``body``, ``footer`` nodes with ``type`` / ``scope`` / ``text`` … leaves) or raises
``GrammarError`` where the JavaScript parser throws. The post-processing that turns the tree
into commits is ``release_pr.commit_parser``.
"""

from __future__ import annotations

import re

_WS = "\ufeff\t\v\f \u00a0"
WHITESPACE = f"[{_WS}]"  # the grammar's whitespace and type characters, as regex classes
TYPE_CHAR = rf"[^()\r\n!:{_WS}]"
_TYPE_RE = re.compile(f"{TYPE_CHAR}+")
_TEXT_RE = re.compile(r"[^\r\n]*")
_SCOPE_RE = re.compile(r"[^()\r\n]*")
_WHITESPACE_RE = re.compile(f"{WHITESPACE}+")
_NEWLINE_RE = re.compile(r"[\r\n]+")
JS_TRIM = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"  # noqa: E501


class GrammarError(Exception):
    """The message does not follow the grammar (the JS parser throws)."""


class Node:
    """A node of the grammar's tree (internal and short-lived: a plain slotted class)."""

    __slots__ = ("children", "type", "value")

    def __init__(self, type: str, value: str = "", children: list[Node] | None = None) -> None:
        self.type = type
        self.value = value
        self.children: list[Node] = children if children is not None else []


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


def parse_tree(text: str) -> Node:
    scanner = _Scanner(text.strip(JS_TRIM))
    node = Node("message")
    summary = _summary(scanner)
    if summary is None:
        raise GrammarError("summary")
    node.children.append(summary)
    if scanner.eof():
        return node
    newline = _newline(scanner)
    if newline is None:  # pragma: no cover - the summary text stops at a newline
        raise GrammarError("newline")
    node.children.append(newline)
    body = _body(scanner)
    if body is not None:
        node.children.append(body)
    if scanner.eof():
        return node
    if body is not None:
        newline = _newline(scanner)
        if newline is None:  # pragma: no cover - the body stops before newlines
            raise GrammarError("newline")
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


def _summary(scanner: _Scanner) -> Node | None:
    start = scanner.pos
    node = Node("summary")
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


def _type(scanner: _Scanner) -> Node | None:
    """1+ characters except parens, whitespace, newline, ``!`` and ``:``."""
    match = _TYPE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return Node("type", match[0])


def _text(scanner: _Scanner) -> Node:
    """Any characters up to the next newline."""
    match = _TEXT_RE.match(scanner.text, scanner.pos)
    end = match.end() if match else scanner.pos
    value = scanner.text[scanner.pos : end]
    scanner.pos = end
    return Node("text", value)


def _scope(scanner: _Scanner) -> Node | None:
    """``(`` scope ``)``; an unclosed scope fails the whole message, as the JS grammar throws."""
    if scanner.peek() != "(":
        return None
    match = _SCOPE_RE.match(scanner.text, scanner.pos + 1)
    end = match.end() if match else scanner.pos + 1
    if scanner.text[end : end + 1] != ")":
        raise GrammarError("unclosed scope")
    if end == scanner.pos + 1:
        scanner.pos = end  # the JS grammar rewinds to after "(" for an empty scope
        return None
    value = scanner.text[scanner.pos + 1 : end]
    scanner.pos = end + 1
    return Node("scope", value)


def _body(scanner: _Scanner) -> Node | None:
    node = Node("body")
    if _pre_footer(scanner):
        return None
    while True:
        marker = _breaking_change(scanner, allow_bang=False)
        if marker is not None and scanner.peek() == ":":
            node.children.append(marker)
            node.children.append(Node("separator", scanner.next()))
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


def _footer(scanner: _Scanner) -> Node | None:
    start = scanner.pos
    node = Node("footer")
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


def _token(scanner: _Scanner) -> Node | None:
    node = Node("token")
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


def _breaking_change(scanner: _Scanner, *, allow_bang: bool = True) -> Node | None:
    if scanner.peek() == "!" and allow_bang:
        return Node("breaking-change", scanner.next())
    if scanner.peek_literal("BREAKING CHANGE") or scanner.peek_literal("BREAKING-CHANGE"):
        return Node("breaking-change", scanner.next(len("BREAKING CHANGE")))
    return None


def _value(scanner: _Scanner) -> Node:
    node = Node("value", children=[_text(scanner)])
    while True:
        start = scanner.pos
        newline = _newline(scanner)
        if newline is None:
            return node
        ws = _whitespace(scanner)
        if ws is None:
            scanner.pos = start
            return node
        node.children.append(Node("continuation", children=[newline, ws, _text(scanner)]))


def _separator(scanner: _Scanner) -> Node | None:
    if scanner.peek() == ":":
        return Node("separator", scanner.next())
    if scanner.peek() == " " and scanner.text[scanner.pos + 1 : scanner.pos + 2] == "#":
        scanner.next(2)
        return Node("separator", " #")
    return None


def _whitespace(scanner: _Scanner) -> Node | None:
    match = _WHITESPACE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return Node("whitespace", match[0])


def _newline(scanner: _Scanner) -> Node | None:
    match = _NEWLINE_RE.match(scanner.text, scanner.pos)
    if match is None:
        return None
    scanner.pos = match.end()
    return Node("newline", match[0])

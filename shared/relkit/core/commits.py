"""The Conventional Commits parser: conventional-commits-parser with the conventionalcommits preset.

:func:`parse_message` mirrors ``CommitParser.parse`` of conventional-commits-parser 6.4.0 with the
options commitlint uses (``@commitlint/parse``: the angular defaults overlaid with the
``conventional-changelog-conventionalcommits`` parser options, ``fieldPattern: null``). It adds
what the JavaScript parser leaves to its callers: the ``!`` flag, git trailers, ``Release-As:``.
Pure and total: it returns a value for every string and never raises.

Facts: ../shared/reference/conventional-commits-and-releases.md §3.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from relkit.core.identity_cache import IdentityCache
from relkit.core.jsregex import JS_WHITESPACE, compile_js


class Note(NamedTuple):
    """A ``BREAKING CHANGE:`` / ``BREAKING-CHANGE:`` footer (or the subject of a ``!`` header)."""

    title: str
    text: str


class Reference(NamedTuple):
    """An issue reference: ``#123``, ``closes #12``, ``owner/repo#1``."""

    action: str | None
    owner: str | None
    repository: str | None
    issue: str
    raw: str
    prefix: str


class Revert(NamedTuple):
    header: str | None
    hash: str | None


class ConventionalCommit(NamedTuple):
    raw: str
    header: str
    type: str | None
    scope: str | None
    subject: str | None
    bang: bool
    body: str | None
    footer: str | None
    notes: tuple[Note, ...]
    references: tuple[Reference, ...]
    mentions: tuple[str, ...]
    trailers: tuple[tuple[str, str], ...]
    revert: Revert | None
    merge: str | None
    release_as: str | None

    @property
    def breaking(self) -> bool:
        """``!`` before the colon, or any BREAKING CHANGE note."""
        return self.bang or bool(self.notes)

    @property
    def is_empty(self) -> bool:
        """No header, body or footer (commitlint then skips every rule)."""
        return not self.header and self.body is None and self.footer is None


class JsPattern(NamedTuple):
    """A JavaScript regular expression ``/source/flags`` (see :mod:`relkit.core.jsregex`)."""

    source: str
    flags: str = ""

    def compile(self, *, plain_dot: bool = False) -> re.Pattern[str]:
        return compile_js(self.source, self.flags, plain_dot=plain_dot)


class ParserOptions(NamedTuple):
    """conventional-commits-parser options, named as in JavaScript, in snake_case."""

    header_pattern: JsPattern = JsPattern(r"^(\w*)(?:\((.*)\))?!?: (.*)$")
    breaking_header_pattern: JsPattern | None = JsPattern(r"^(\w*)(?:\((.*)\))?!: (.*)$")
    header_correspondence: tuple[str, ...] = ("type", "scope", "subject")
    note_keywords: tuple[str, ...] = ("BREAKING CHANGE", "BREAKING-CHANGE")
    reference_actions: tuple[str, ...] = (
        "close",
        "closes",
        "closed",
        "fix",
        "fixes",
        "fixed",
        "resolve",
        "resolves",
        "resolved",
    )
    issue_prefixes: tuple[str, ...] = ("#",)
    issue_prefixes_case_sensitive: bool = False
    revert_pattern: JsPattern | None = JsPattern(
        r'^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\.', "i"
    )
    revert_correspondence: tuple[str, ...] = ("header", "hash")
    merge_pattern: JsPattern | None = None
    merge_correspondence: tuple[str, ...] = ()
    comment_char: str | None = None


DEFAULT_OPTIONS = ParserOptions()
# Literals that any match of these well-known header patterns contains.
_REQUIRED_LITERALS = {
    JsPattern(r"^(\w*)(?:\((.*)\))?!?: (.*)$"): ": ",
    JsPattern(r"^(\w*)(?:\((.*)\))?: (.*)$"): ": ",
    JsPattern(r"^(\w*)(?:\((.*)\))?!: (.*)$"): "!: ",
}
# GitHub's merge commits, for callers that want conventional-changelog's ``mergePattern`` shape.
GITHUB_MERGE_PATTERN = JsPattern(r"^Merge pull request #(\d+) from (.*)$")

SCISSORS = "------------------------ >8 ------------------------"
_FIXUP_PREFIXES = ("fixup!", "squash!", "amend!")
_RELEASE_AS = re.compile(r"^release[-\s]as:[ \t]*(\S+)", re.IGNORECASE)
_GPG = re.compile(rf"^[{re.escape(JS_WHITESPACE)}]*gpg:")
_MENTIONS = re.compile(r"@([\w-]+)", re.ASCII)
_URL = re.compile(r"\b(?:https?)://(?:www\.)?([-a-zA-Z0-9@:%_+.~#?&/=])+\b", re.ASCII)
_LINE_TERMINATOR = re.compile(r"[\n\r\u2028\u2029]")
_FALLBACK_SENTENCE = re.compile(r"[^\n\r\u2028\u2029]+")
_NEVER = re.compile(r"(?!)")
_RELEASE_PROBE = re.compile(r"release[-\s]as:", re.IGNORECASE)
_REPO_CHAR = re.compile(r"[\w\-./\s]", re.ASCII)


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word.strip()) for word in words if word.strip())


class _Regexes(NamedTuple):
    header: re.Pattern[str]
    breaking_header: re.Pattern[str] | None
    notes: re.Pattern[str] | None
    reference_parts: re.Pattern[str] | None
    references: re.Pattern[str] | None
    revert: re.Pattern[str] | None
    merge: re.Pattern[str] | None
    prefix_chars: frozenset[str] = frozenset()
    # Equivalent, backtracking-free reference pattern for prefixes without word characters
    fast_parts: re.Pattern[str] | None = None
    # one search tells whether a text can hold a reference / a note at all
    prefix_probe: re.Pattern[str] = _NEVER
    note_probe: re.Pattern[str] = _NEVER
    # the header patterns with Python's dot, for headers without \r, \u2028, \u2029
    single_prefix: str = ""  # the one issue-prefix character, when there is only one
    scan_prefix: str = ""  # the one ASCII issue prefix without [\w./-]: scanned without regex
    plain_header: re.Pattern[str] = _NEVER
    plain_breaking: re.Pattern[str] | None = None
    # a literal every match must contain (known preset patterns), to skip hopeless searches
    header_literal: str = ""
    breaking_literal: str = ""
    # header_correspondence is (type, scope, subject) on groups 1-3 of an unnamed-group pattern
    simple_fields: bool = False  # of the header pattern
    simple_breaking: bool = False  # of the breaking-header pattern


_WS = r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"


_COMPILED: IdentityCache[_Regexes] = IdentityCache(limit=64)


def _regexes(options: ParserOptions) -> _Regexes:
    """The compiled patterns of ``options``, cached by identity (hashing them costs more)."""
    return _COMPILED.get(options, lambda: _compile(options))


def _simple_fields(options: ParserOptions, pattern: re.Pattern[str] | None) -> bool:
    return (
        pattern is not None
        and options.header_correspondence == _TYPE_SCOPE_SUBJECT
        and not pattern.groupindex
        and pattern.groups >= 3
    )


def _compile(options: ParserOptions) -> _Regexes:
    notes = None
    if options.note_keywords:
        notes = re.compile(
            rf"^(?:{_WS}|[|*])*({_alternatives(options.note_keywords)})(?:{_WS}|:)+"
            r"([^\n\r\u2028\u2029]*)",
            re.IGNORECASE | re.ASCII,
        )
    parts = fast_parts = None
    prefix_chars: frozenset[str] = frozenset()
    if options.issue_prefixes:
        parts = re.compile(
            rf"(?:[^\n\r\u2028\u2029]*?)??{_WS}*([\w\-./]*?)??({_alternatives(options.issue_prefixes)})"
            rf"([\w-]+)(?={_WS}|\Z|[,;)\]])",
            re.ASCII | (0 if options.issue_prefixes_case_sensitive else re.IGNORECASE),
        )
        prefix_chars = frozenset(
            char
            for prefix in options.issue_prefixes
            if prefix.strip()
            for char in {prefix.strip()[0].lower(), prefix.strip()[0].upper()}
        )
        if not any(_REPO_CHAR.search(prefix) for prefix in options.issue_prefixes):
            fast_parts = re.compile(
                rf"([\w\-./]*+)({_alternatives(options.issue_prefixes)})([\w-]++)(?={_WS}|\Z|[,;)\]])",
                re.ASCII | (0 if options.issue_prefixes_case_sensitive else re.IGNORECASE),
            )
    references = None
    if options.reference_actions:
        actions = _alternatives(options.reference_actions)
        references = re.compile(
            rf"({actions})(?:{_WS}+([^\n\r\u2028\u2029]*?))(?=(?:{actions})|\Z)",
            re.IGNORECASE | re.ASCII,
        )
    breaking = options.breaking_header_pattern
    single = next(iter(prefix_chars)) if parts is not None and len(prefix_chars) == 1 else ""
    prefixes = [prefix.strip() for prefix in options.issue_prefixes if prefix.strip()]
    scan = (
        prefixes[0]
        if fast_parts is not None and len(prefixes) == 1 and prefixes[0].isascii()
        else ""
    )
    header = options.header_pattern.compile()
    breaking_header = breaking.compile() if breaking else None
    return _Regexes(
        simple_fields=_simple_fields(options, header),
        simple_breaking=_simple_fields(options, breaking_header),
        scan_prefix=scan,
        single_prefix=single,
        plain_header=options.header_pattern.compile(plain_dot=True),
        plain_breaking=breaking.compile(plain_dot=True) if breaking else None,
        header_literal=_REQUIRED_LITERALS.get(options.header_pattern, ""),
        breaking_literal=_REQUIRED_LITERALS.get(breaking, "") if breaking else "",
        header=header,
        breaking_header=breaking_header,
        notes=notes,
        reference_parts=parts,
        references=references,
        revert=options.revert_pattern.compile() if options.revert_pattern else None,
        merge=options.merge_pattern.compile() if options.merge_pattern else None,
        prefix_chars=prefix_chars,
        fast_parts=fast_parts,
        prefix_probe=(
            re.compile("[" + re.escape("".join(sorted(prefix_chars))) + "]")
            if parts is not None and prefix_chars
            else _NEVER
        ),
        note_probe=(
            re.compile(
                "|".join(re.escape(w.strip()) for w in options.note_keywords if w.strip()),
                re.IGNORECASE | re.ASCII,
            )
            if notes is not None
            else _NEVER
        ),
    )


def _trim_newlines(text: str) -> str:
    """Strip leading and trailing ``\\r`` / ``\\n`` only (conventional-commits-parser)."""
    return text.strip("\r\n")


def _append_line(src: str | None, line: str) -> str:
    return f"{src}\n{line}" if src else line


def _group(match: re.Match[str], index: int, key: str) -> str | None:
    """``assignMatchedCorrespondence``: named group if the pattern has names; "" becomes None."""
    if match.re.groupindex:
        value = match.groupdict().get(key)
    else:
        value = match.group(index + 1) if index < (match.re.groups or 0) else None
    return value or None


_ISSUE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_REPO_CHARS = _ISSUE_CHARS | {".", "/"}
_AFTER_ISSUE = frozenset(JS_WHITESPACE + ",;)]")


def _scan_references(sentence: str, prefix: str, action: str | None, out: list[Reference]) -> None:
    r"""The references of one sentence for a single prefix without [\w./-] characters.

    Equal to the reference-parts regex, in linear time: each prefix occurrence followed by a
    ``[\w-]+`` issue (then whitespace, end or ``,;)]``) is a reference; its repository is the
    ``[\w./-]`` run just before the prefix; its raw text starts where the previous one ended.
    """
    pos = 0
    size = len(sentence)
    hit = sentence.find(prefix, pos)
    while hit >= 0:
        start = hit + len(prefix)
        end = start
        while end < size and sentence[end] in _ISSUE_CHARS:
            end += 1
        if end == start or (end < size and sentence[end] not in _AFTER_ISSUE):
            hit = sentence.find(prefix, hit + 1)
            continue
        first = hit
        while first > pos and sentence[first - 1] in _REPO_CHARS:
            first -= 1
        repository: str | None = sentence[first:hit] or None
        owner = None
        if repository and "/" in repository:
            owner, repository = repository.split("/", 1)
        out.append(Reference(action, owner, repository or None, sentence[start:end],
                             sentence[pos:end], prefix))  # fmt: skip
        pos = end
        hit = sentence.find(prefix, pos)


def _parse_reference_parts(
    rx: _Regexes, sentence: str, action: str | None, out: list[Reference]
) -> None:
    parts = rx.reference_parts
    if parts is None or _URL.search(sentence):
        return
    if rx.prefix_chars and not any(char in sentence for char in rx.prefix_chars):
        return
    # The pattern starts with a lazy "anything", so a match at the current position exists iff
    # one exists further on: anchoring is equivalent and avoids quadratic re-scans.
    anchored = _LINE_TERMINATOR.search(sentence) is None
    pos = 0
    if anchored and rx.scan_prefix:
        _scan_references(sentence, rx.scan_prefix, action, out)
        return
    if anchored and rx.fast_parts is not None:
        # The match starts at ``pos`` (the lazy prefix absorbs the text before the reference);
        # the repository is the run of [\w./-] right before the prefix.
        for found in rx.fast_parts.finditer(sentence):
            repository, prefix, issue = found.group(1), found.group(2), found.group(3)
            owner = None
            if "/" in repository:
                owner, repository = repository.split("/", 1)
            raw = sentence[pos : found.end()]
            out.append(Reference(action, owner, repository or None, issue, raw, prefix))
            pos = found.end()
        return
    while True:
        match = parts.match(sentence, pos) if anchored else parts.search(sentence, pos)
        if match is None:
            return
        repository, prefix, issue = match.group(1), match.group(2), match.group(3)
        owner = None
        if repository and "/" in repository:
            owner, repository = repository.split("/", 1)
        out.append(Reference(action, owner, repository or None, issue, match.group(0), prefix))
        pos = match.end()


def _parse_references(rx: _Regexes, line: str) -> list[Reference]:
    found: list[Reference] = []
    single = rx.single_prefix
    if (single not in line) if single else rx.prefix_probe.search(line) is None:
        return found  # every reference needs an issue prefix
    if rx.references is not None and rx.references.search(line):
        for match in rx.references.finditer(line):
            _parse_reference_parts(rx, match.group(2) or "", match.group(1) or None, found)
    else:
        for match in _FALLBACK_SENTENCE.finditer(line):
            _parse_reference_parts(rx, match.group(0), None, found)
    return found


def _split_lines(message: str, options: ParserOptions) -> list[str]:
    lines = _trim_newlines(message).replace("\r\n", "\n").split("\n")
    char = options.comment_char
    if char:
        scissors = f"{char} {SCISSORS}"
        if scissors in lines:
            lines = lines[: lines.index(scissors)]
        lines = [line for line in lines if not line.startswith(char)]
    if "gpg:" not in message:
        return lines
    return [line for line in lines if "gpg:" not in line or not _GPG.match(line)]


_TYPE_SCOPE_SUBJECT = ("type", "scope", "subject")
_GIT_GENERATED = ("Signed-off-by: ", "(cherry picked from commit ")


def _separator(line: str) -> int:
    """git's ``find_separator``: the ``:`` after a ``[A-Za-z0-9-]+`` token (spaces allowed)."""
    spaced = False
    for position, char in enumerate(line):
        if char == ":":
            return position
        if not spaced and ((char.isascii() and char.isalnum()) or char == "-"):
            continue
        if position and char in " \t":
            spaced = True
            continue
        break
    return -1


def _before_patch(lines: list[str], *, open_end: bool = False) -> list[str]:
    """git stops reading a message at a patch divider line (``---`` then whitespace);
    ``open_end``: the message had more (a newline) after the last of ``lines``."""
    for index, line in enumerate(lines):
        if line.startswith("---") and (
            line[3:4].isspace() or (line == "---" and (index + 1 < len(lines) or open_end))
        ):
            return lines[:index]
    return lines


def _ignored_tail_start(lines: list[str]) -> int:
    """git's ``ignored_log_message_bytes``: trailing comments, blank lines, a Conflicts: block."""
    start: int | None = None
    in_conflicts = False
    for index, line in enumerate(lines):
        if not line or line.startswith("#"):
            start = index if start is None else start
        elif line == "Conflicts:":
            in_conflicts = True
            start = index if start is None else start
        elif in_conflicts and line.startswith("\t"):
            continue
        else:
            start = None
            in_conflicts = False
    return len(lines) if start is None else start


def _trailer_block_start(lines: list[str]) -> int | None:
    """git's ``find_trailer_block_start``: the last paragraph, if it reads as trailers.

    Every line a trailer (or a continuation), or at least a quarter of them when one is
    git-generated (``Signed-off-by:``, ``(cherry picked from commit``). Comment lines are
    skipped; the title paragraph never holds trailers.
    """
    title_end = 0
    while title_end < len(lines) and (lines[title_end].startswith("#") or lines[title_end].strip()):
        title_end += 1
    trailers = others = continuations = 0
    recognized = False
    only_spaces = True
    for index in range(len(lines) - 1, title_end - 1, -1):
        line = lines[index]
        if line.startswith("#"):
            others += continuations
            continuations = 0
        elif not line.strip():
            if only_spaces:
                continue
            others += continuations
            if (recognized and trailers * 3 >= others) or (trailers and not others):
                return index + 1
            return None
        elif line.startswith(_GIT_GENERATED):
            only_spaces = False
            trailers += 1
            continuations = 0
            recognized = True
        else:
            only_spaces = False
            if _separator(line) >= 1 and not line[0].isspace():
                trailers += 1
                continuations = 0
            elif line[0].isspace():
                continuations += 1
            else:
                others += 1 + continuations
                continuations = 0
    return None


def _trailers(message: str, lines: list[str]) -> tuple[tuple[str, str], ...]:
    """Git trailers as ``git interpret-trailers --parse`` lists them (continuations unfolded).
    ``lines`` were split after trimming newlines: ``message`` tells what git saw around them."""
    lines = _before_patch(lines, open_end=not message.endswith("---"))
    lines = lines[: _ignored_tail_start(lines)]
    if "\n" in message[: len(message) - len(message.lstrip("\r\n"))]:
        lines = ["", *lines]  # git saw a blank first line: an empty title paragraph
    start = _trailer_block_start(lines)
    if start is None:
        return ()
    trailers: list[tuple[str, str]] = []
    for line in lines[start:]:
        position = _separator(line)
        if position >= 1 and not line[0].isspace():
            trailers.append((line[:position].strip(), line[position + 1 :].strip()))
        elif line[:1].isspace() and line.strip() and trailers:
            token, value = trailers[-1]
            trailers[-1] = (token, f"{value} {line.strip()}" if value else line.strip())
    return tuple(trailers)


def _release_as(tail: str, lines: list[str]) -> str | None:
    if _RELEASE_PROBE.search(tail) is None:
        return None
    for line in lines[1:]:
        match = _RELEASE_AS.match(line)
        if match:
            return match.group(1)
    return None


def _empty(message: str) -> ConventionalCommit:
    return ConventionalCommit(
        raw=message,
        header="",
        type=None,
        scope=None,
        subject=None,
        bang=False,
        body=None,
        footer=None,
        notes=(),
        references=(),
        mentions=(),
        trailers=(),
        revert=None,
        merge=None,
        release_as=None,
    )


class _Parts:
    """What the line reader collects (private, mutable while one message is read)."""

    __slots__ = ("body", "footer", "notes", "references")

    def __init__(self, references: list[Reference]) -> None:
        self.body: str | None = None
        self.footer: str | None = None
        self.notes: list[list[str]] = []  # [title, text], text grows
        self.references = references


def _skip_merge(rx: _Regexes, lines: list[str]) -> tuple[str | None, int]:
    """parseMerge: with a merge pattern, the header is the next non-blank line."""
    match = rx.merge.search(lines[0]) if rx.merge is not None and lines and lines[0] else None
    if match is None:
        return None, 0
    index = 1
    while index < len(lines) and not lines[index].strip(JS_WHITESPACE):
        index += 1
    return match.group(0) or None, index


_NO_FIELDS: tuple[str | None, str | None, str | None] = (None, None, None)


def _match_header(
    rx: _Regexes, options: ParserOptions, header: str
) -> tuple[tuple[str | None, str | None, str | None], re.Match[str] | None]:
    """(type, scope, subject) of the header, and the breaking-header match when it has ``!``."""
    if not header:
        return _NO_FIELDS, None
    plain = "\r" not in header and "\u2028" not in header and "\u2029" not in header
    match = None
    if rx.breaking_header is not None and rx.breaking_literal in header:
        pattern = rx.plain_breaking if plain and rx.plain_breaking else rx.breaking_header
        match = pattern.search(header)
    breaking = match
    if match is None and rx.header_literal in header:
        match = (rx.plain_header if plain else rx.header).search(header)
    if match is None:
        return _NO_FIELDS, None
    if rx.simple_breaking if breaking is not None else rx.simple_fields:
        # groups 1, 2, 3 are type, scope, subject
        kind, scope, subject = match.group(1, 2, 3)
        return (kind or None, scope or None, subject or None), breaking
    fields = {key: _group(match, pos, key) for pos, key in enumerate(options.header_correspondence)}
    return (fields.get("type"), fields.get("scope"), fields.get("subject")), breaking


def _read_notes(
    rx: _Regexes, notes_rx: re.Pattern[str], lines: list[str], index: int, parts: _Parts
) -> int:
    """parseNotes: a note runs until the next note, or up to and including a reference line."""
    count = len(lines)
    note_match = notes_rx.match(lines[index])
    while note_match is not None:
        note = [note_match.group(1), note_match.group(2)]
        parts.notes.append(note)
        parts.footer = _append_line(parts.footer, lines[index])
        index += 1
        note_match = None
        while index < count:
            note_match = notes_rx.match(lines[index])
            if note_match is not None:
                break
            found = _parse_references(rx, lines[index])
            parts.references.extend(found)
            if not found:
                note[1] = _append_line(note[1], lines[index])
            parts.footer = _append_line(parts.footer, lines[index])
            index += 1
            if found:
                break
    return index


def _read_lines(
    rx: _Regexes, lines: list[str], index: int, parts: _Parts, *, notes: bool, refs: bool
) -> None:
    """The body, then the footer from the first note or reference line on.

    ``notes`` / ``refs`` say whether the message can hold a note keyword / an issue prefix at
    all (parse_message reads a message with neither as all body, without regexes).
    """
    count = len(lines)
    is_body = True
    notes_rx = rx.notes if notes and rx.notes is not None else _NEVER
    while index < count:
        if notes_rx.match(lines[index]):
            is_body = False
            index = _read_notes(rx, notes_rx, lines, index, parts)
            if index >= count:
                break
        line = lines[index]
        found = _parse_references(rx, line) if refs else []
        if not found and is_body:
            parts.body = _append_line(parts.body, line)
        else:
            parts.references.extend(found)
            parts.footer = _append_line(parts.footer, line)
            is_body = False
        index += 1


_REVERT_PREFIX = re.compile(r"(?:Revert|revert:)[" + JS_WHITESPACE + "]", re.IGNORECASE | re.ASCII)
_REVERT_LITERAL = re.compile("This reverts commit ", re.IGNORECASE | re.ASCII)
_WORD_CHARS = _ISSUE_CHARS - {"-"}


def _default_revert(message: str) -> tuple[str, str] | None:
    r"""The conventionalcommits ``revertPattern`` in linear time (the regex is quadratic on long
    whitespace runs): ``^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\.``
    with the ``i`` flag. Returns (header, hash)."""
    prefix = _REVERT_PREFIX.match(message)
    if prefix is None:
        return None
    after = prefix.end()
    # the greedy "? first: the group starts after a quote, else (backtracking) at the quote
    starts = [after + 1, after] if message[after : after + 1] == '"' else [after]
    for group in starts:
        for literal in _REVERT_LITERAL.finditer(message, group + 1):
            hit, tail = literal.start(), literal.end()
            end = tail
            while end < len(message) and message[end] in _WORD_CHARS:
                end += 1
            if message[end : end + 1] == ".":
                first = hit  # the group may end before "?\s* in front of the literal
                while first > group + 1 and message[first - 1] in JS_WHITESPACE:
                    first -= 1
                if first > group + 1 and message[first - 1] == '"':
                    first -= 1
                return message[group:first], message[tail:end]
    return None


def _revert(rx: _Regexes, options: ParserOptions, message: str) -> Revert | None:
    if (
        options.revert_pattern == DEFAULT_OPTIONS.revert_pattern
        and options.revert_correspondence
        == (
            "header",
            "hash",
        )
    ):
        found = _default_revert(message)
        return Revert(found[0] or None, found[1] or None) if found else None
    match = rx.revert.search(message) if rx.revert is not None else None
    if match is None:
        return None
    values = {key: _group(match, pos, key) for pos, key in enumerate(options.revert_correspondence)}
    return Revert(values.get("header"), values.get("hash"))


def _unique(references: list[Reference]) -> tuple[Reference, ...]:
    seen: dict[str, Reference] = {}
    for reference in references:
        seen.setdefault(f"{reference.action or 'null'} {reference.raw}".lower(), reference)
    return tuple(seen.values())


def parse_message(
    message: str, options: ParserOptions = DEFAULT_OPTIONS, *, details: bool = True
) -> ConventionalCommit:
    """Parse one raw commit message (header, body, footers) like conventional-commits-parser.

    ``details=False`` is for linters that need only the header fields, body, footer and notes:
    it leaves out the header's references, mentions, trailers, revert and Release-As.
    """
    if not message or (message[0] in JS_WHITESPACE and not message.strip(JS_WHITESPACE)):
        return _empty(message)
    rx = _regexes(options)
    lines = _split_lines(message, options)
    merge, index = _skip_merge(rx, lines) if rx.merge is not None else (None, 0)
    header = lines[index] if index < len(lines) else ""
    (kind, scope, subject), breaking = _match_header(rx, options, header)
    # Cheap whole-text tests decide whether the line-by-line regexes can find anything.
    newline = message.find("\n")
    tail = message[newline:] if newline >= 0 else ""
    parts = _Parts(references=_parse_references(rx, header) if details else [])
    notes = rx.note_probe.search(tail) is not None
    refs = rx.prefix_probe.search(tail) is not None
    if notes or refs:
        _read_lines(rx, lines, index + 1, parts, notes=notes, refs=refs)
    elif index + 1 < len(lines):
        rest = lines[index + 1 :]
        first = 0
        while first < len(rest) and not rest[first]:
            first += 1
        parts.body = "\n".join(rest[first:])
    if breaking is not None and not parts.notes:
        text = breaking.group(3) if (breaking.re.groups or 0) >= 3 else None
        parts.notes.append(["BREAKING CHANGE", text or ""])
    body, footer = parts.body, parts.footer
    return ConventionalCommit(
        message,
        header,
        kind,
        scope,
        subject,
        breaking is not None,
        _trim_newlines(body) if body else body,
        _trim_newlines(footer) if footer else footer,
        tuple(Note(title, _trim_newlines(text)) for title, text in parts.notes)
        if parts.notes
        else (),
        _unique(parts.references) if parts.references else (),
        tuple(_MENTIONS.findall(message)) if details and "@" in message else (),
        _trailers(message, lines) if details and ":" in tail else (),
        _revert(rx, options, message) if details else None,
        merge,
        _release_as(tail, lines) if details else None,
    )


def is_fixup(header: str) -> bool:
    """``fixup!`` / ``squash!`` / ``amend!`` headers made by ``git commit --fixup`` and friends."""
    return header.startswith(_FIXUP_PREFIXES)

"""commitlint's rule catalogue (``@commitlint/rules`` 20.5): a Protocol and an explicit registry.

Each rule takes the parsed commit, the condition (``always`` / ``never``) and the configured
value, and returns ``(passed, message)`` exactly as the JavaScript rule would. Lengths are counted
in UTF-16 code units, like JavaScript's ``String.length``. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, NamedTuple, Protocol

from relkit.core.commits import ConventionalCommit
from relkit.core.identity_cache import IdentityCache
from relkit.core.jsregex import JS_WHITESPACE, js_trim

from commit_lint.cases import CASES, ensure_case, is_case, prepare

Outcome = tuple[bool, str]
ValueKind = Literal["none", "int", "char", "cases", "enum", "scope-cases", "scope-enum", "prefix"]


class Rule(Protocol):
    def __call__(self, commit: ConventionalCommit, when: str, value: object) -> Outcome: ...


class RuleSpec(NamedTuple):
    """A rule and the shape of value it takes (checked when the config is loaded)."""

    check: Rule
    value: ValueKind
    description: str


def js_len(text: str) -> int:
    """JavaScript ``String.length``: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _lines(text: str) -> list[str]:
    """``@commitlint/to-lines``: split on ``\\r?\\n``."""
    return text.replace("\r\n", "\n").split("\n")


def _message(*parts: str | None) -> str:
    return " ".join([part for part in parts if part])


def _outcome(ok: bool, *parts: str | None) -> Outcome:
    """The rule's verdict; the message is only built for a failure."""
    return (True, "") if ok else (False, _message(*parts))


def _never(when: str) -> bool:
    return when == "never"


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _last_unit_is(text: str | None, value: object) -> bool:
    """``input[input.length - 1] === value`` on UTF-16 units."""
    return bool(text) and isinstance(value, str) and text is not None and text[-1] == value


_URL = re.compile(r"\bhttps?://\S", re.ASCII)


def _max_line_length(text: str, limit: int) -> bool:
    """Every line within ``limit``, except lines containing a URL (``@commitlint/ensure``)."""
    if js_len(text) <= limit:
        return True  # no line is longer than the whole text
    lines = _lines(text)
    if text.isascii() and max(map(len, lines)) <= limit:
        return True
    return all(js_len(line) <= limit or _URL.search(line) for line in lines)


# --- case rules ------------------------------------------------------------------------------

CaseCheck = tuple[str, str]  # (when, case)


_CHECKS_CACHE: IdentityCache[list[CaseCheck]] = IdentityCache(limit=256)


def _case_checks(value: object) -> list[CaseCheck]:
    """The (when, case) pairs of a case rule's value (cached: values live as long as configs)."""
    return _CHECKS_CACHE.get(value, lambda: _build_case_checks(value))


_UPPER_FIRST = frozenset(
    {"pascal-case", "start-case", "upper-case", "uppercase", "sentence-case", "sentencecase"}
)


def _all_upper_first(checks: list[CaseCheck]) -> bool:
    return bool(checks) and all(case in _UPPER_FIRST for _, case in checks)


def _lower_first(text: str) -> bool:
    first = text[0]
    return ord(first) <= 0xFFFF and first.upper() != first


def _build_case_checks(value: object) -> list[CaseCheck]:
    items = value if isinstance(value, list) else [value]
    checks: list[CaseCheck] = []
    for item in items:
        if isinstance(item, str):
            checks.append(("always", item))
        elif isinstance(item, Mapping):
            checks.append((str(item.get("when", "always")), str(item.get("case", ""))))
    return checks


def _case_rule(field: str, text: str | None, when: str, value: object) -> Outcome:
    checks = _case_checks(value)
    if text and "a" <= text[0] <= "z" and _all_upper_first(checks):
        # prepare() keeps a leading ASCII letter first, so this is the lower-first case below
        # without preparing: no conversion in checks can match
        if any(check_when == "never" for check_when, _ in checks) is not _never(when):
            return True, ""
        return _case_failure(field, when, checks)
    prepared = prepare(text or "")
    result = False
    if _all_upper_first(checks) and prepared and _lower_first(prepared):
        checks_to_run: list[CaseCheck] = []  # each conversion would capitalise the first letter
        result = any(check_when == "never" for check_when, _ in checks)
    else:
        checks_to_run = checks
    for check_when, case in checks_to_run:
        if is_case(prepared, case) is (check_when != "never"):
            result = True
            break
    if result is not _never(when):
        return True, ""
    return _case_failure(field, when, checks)


def _case_failure(field: str, when: str, checks: list[CaseCheck]) -> Outcome:
    names = ", ".join(case for _, case in checks)
    return False, _message(f"{field} must", "not" if _never(when) else None, f"be {names}")


_CASED_FIRST = frozenset({"Ll", "Lu", "Lt"})


def _starts_with_cased_letter(text: str) -> bool:
    import unicodedata  # noqa: PLC0415 - only for non-ASCII subjects

    first = text[0]
    if first.isascii():
        return first.isalpha()
    return unicodedata.category(first) in _CASED_FIRST


def subject_case(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    subject = commit.subject
    if not subject or not _starts_with_cased_letter(subject):
        return True, ""
    return _case_rule("subject", subject, when, value)


# Types repeat (feat, fix …): their case outcome is looked up by the rule's value object (it
# lives as long as its config) and (type, when).
_TYPE_CASES: IdentityCache[Outcome] = IdentityCache(limit=1024)


def type_case(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    kind = commit.type
    if not kind:
        return True, ""
    return _TYPE_CASES.get(value, lambda: _case_rule("type", kind, when, value), (kind, when))


def body_case(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    if not commit.body:
        return True, ""
    return _case_rule("body", commit.body, when, value)


def header_case(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    header = commit.header
    if not header or not (header[0].isascii() and header[0].isalpha()):
        return True, ""
    return _case_rule("header", header, when, value)


_DEFAULT_DELIMITERS = ("/", "\\", ",")


def _delimiter_regex(delimiters: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(", ?" if item == "," else re.escape(item) for item in delimiters))


def scope_case(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    scope = commit.scope
    if not scope:
        return True, ""
    object_form = isinstance(value, Mapping)
    cases = value.get("cases", []) if isinstance(value, Mapping) else value
    delimiters = value.get("delimiters") if isinstance(value, Mapping) else None
    splitter = _delimiter_regex(delimiters if object_form and delimiters else _DEFAULT_DELIMITERS)
    segments = splitter.split(scope)
    checks = _case_checks(cases)

    def in_case(case: str) -> bool:
        return all(splitter.search(seg) or ensure_case(seg, case) for seg in segments)

    result = any(
        (not in_case(case)) if _never(check_when) else in_case(case) for check_when, case in checks
    )
    names = ", ".join(case for _, case in checks)
    return _outcome(
        not result if _never(when) else result,
        "scope must",
        "not" if _never(when) else None,
        f"be {names}",
    )


# --- enum and emptiness --------------------------------------------------------------------


def type_enum(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    if not commit.type:
        return True, ""
    allowed = value if isinstance(value, list) else []
    if (commit.type in allowed) is not _never(when):
        return True, ""
    return False, _message(
        "type must", "not" if _never(when) else None, f"be one of [{', '.join(map(str, allowed))}]"
    )


def scope_enum(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    scope = commit.scope
    scopes = value if isinstance(value, list) else []
    delimiters = None
    if isinstance(value, Mapping):
        scopes = list(value.get("scopes", []))
        delimiters = value.get("delimiters")
    if not scope or not scopes:
        return True, ""
    parts = _delimiter_regex(delimiters or _DEFAULT_DELIMITERS).split(scope)
    names = ", ".join(map(str, scopes))
    if _never(when):
        valid = not any(part in scopes for part in parts) and scope not in scopes
        return _outcome(valid, f"scope must not be one of [{names}]")
    valid = all(part in scopes for part in parts) or scope in scopes
    return _outcome(valid, f"scope must be one of [{names}]")


def scope_delimiter_style(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    scope = commit.scope
    if not scope:
        return True, ""
    allowed = list(value) if isinstance(value, list) and value else list(_DEFAULT_DELIMITERS)
    found = {
        "," if part.strip() == "," else part for part in re.findall(r"[^A-Za-z0-9\-_]+", scope)
    }
    ok = all(part in allowed for part in found)
    return _outcome(
        not ok if _never(when) else ok,
        f"scope delimiters must {'not ' if _never(when) else ''}be one of [{', '.join(allowed)}]",
    )


def _empty_rule(field: str, text: str | None, when: str, *, default_never: bool) -> Outcome:
    """``*-empty``: ``never`` means "may not be empty" (scope defaults to never)."""
    not_empty = bool(text)
    if default_never:  # scope-empty / references-empty read "always" as the negation
        negated = when == "always"
        return _outcome(
            not not_empty if negated else not_empty,
            field,
            "must" if negated else "may not",
            "be empty",
        )
    return _outcome(
        not_empty if _never(when) else not not_empty,
        field,
        "may not" if _never(when) else "must",
        "be empty",
    )


def _emptiness(field: str, get: Callable[[ConventionalCommit], str | None]) -> Rule:
    scope = field == "scope"

    def check(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
        text = get(commit)
        if text and when == "never" and not scope:
            return True, ""  # the common "may not be empty" case, decided without formatting
        return _empty_rule(field, text, when, default_never=scope)

    return check


def references_empty(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
    negated = when == "always"
    not_empty = bool(commit.references)
    return _outcome(
        not not_empty if negated else not_empty,
        "references",
        "must" if negated else "may not",
        "be empty",
    )


# --- lengths -------------------------------------------------------------------------------


def _length_rule(
    field: str, get: Callable[[ConventionalCommit], str | None], *, maximum: bool
) -> Rule:
    def check(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
        text = get(commit)
        limit = _int(value)
        if not text:
            return True, ""
        ok = js_len(text) <= limit if maximum else js_len(text) >= limit
        if ok:
            return True, ""
        return (
            False,
            f"{field} must not be {'longer' if maximum else 'shorter'} than {limit} characters",
        )

    return check


def _header_length(*, maximum: bool) -> Rule:
    def check(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
        limit = _int(value)
        # an empty header is the parser's null, which fails ensure's typeof check either way
        length = js_len(commit.header) if commit.header else None
        if length is not None and (length <= limit if maximum else length >= limit):
            return True, ""
        word = "longer" if maximum else "shorter"
        shown = "undefined" if length is None else length
        return False, (
            f"header must not be {word} than {limit} characters, current length is {shown}"
        )

    return check


def _line_length(field: str, get: Callable[[ConventionalCommit], str | None]) -> Rule:
    def check(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
        text = get(commit)
        if not text:
            return True, ""
        limit = _int(value)
        if _max_line_length(text, limit):
            return True, ""
        return False, f"{field}'s lines must not be longer than {limit} characters"

    return check


# --- blank lines, stops, trim ----------------------------------------------------------------


def body_leading_blank(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
    if not commit.body:
        return True, ""
    raw = commit.raw
    first = raw.find("\n")  # only the second line matters (lines split on \r?\n)
    end = raw.find("\n", first + 1) if first >= 0 else -1
    second = raw[first + 1 : end] if end >= 0 else raw[first + 1 :]
    ok = first >= 0 and second in {"", "\r"} and (second == "" or end >= 0)
    return _outcome(
        not ok if _never(when) else ok,
        "body",
        "may not" if _never(when) else "must",
        "have leading blank line",
    )


def footer_leading_blank(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
    if not commit.footer:
        return True, ""
    raw_lines = _lines(commit.raw)
    first = _lines(commit.footer)[0]
    offset = raw_lines.index(first) if first in raw_lines else -1
    start = offset - 1
    if start < 0:  # JavaScript's slice() counts a negative start from the end
        start = max(len(raw_lines) + start, 0)
    ok = start < len(raw_lines) and raw_lines[start] == ""
    return _outcome(
        not ok if _never(when) else ok,
        "footer",
        "may not" if _never(when) else "must",
        "have leading blank line",
    )


def subject_full_stop(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    header = commit.header
    colon = header.find(":")
    if colon > 0 and colon == len(header) - 1:
        return True, ""
    stop = _last_unit_is(header, value) and not header.endswith("...")
    return _outcome(
        not stop if _never(when) else stop,
        "subject",
        "may not" if _never(when) else "must",
        "end with full stop",
    )


def header_full_stop(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    stop = _last_unit_is(commit.header, value)
    return _outcome(
        not stop if _never(when) else stop,
        "header",
        "may not" if _never(when) else "must",
        "end with full stop",
    )


def body_full_stop(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    if not commit.body:
        return True, ""
    stop = _last_unit_is(commit.body, value)
    return _outcome(
        not stop if _never(when) else stop,
        "body",
        "may not" if _never(when) else "must",
        "end with full stop",
    )


def header_trim(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
    header = commit.header
    if header and header[0] not in JS_WHITESPACE and header[-1] not in JS_WHITESPACE:
        return True, ""
    starts = header != header.lstrip(JS_WHITESPACE)
    ends = header != header.rstrip(JS_WHITESPACE)
    if starts and ends:
        return False, "header must not be surrounded by whitespace"
    if starts:
        return False, "header must not start with whitespace"
    if ends:
        return False, "header must not end with whitespace"
    return True, ""


# --- breaking changes, sign-off, trailers ---------------------------------------------------

# (compiled by re on first use: the default config enables none of these rules)
_BANG_HEADER = r"(?a)^(\w*)(?:\(([^\n\r\u2028\u2029]*)\))?!: ([^\n\r\u2028\u2029]*)\Z"
_BREAKING_FOOTER = r"(?:\A|(?<=[\n\r\u2028\u2029]))BREAKING[ -]CHANGE:"
_CHERRY_PICK = r"(?i)^\(cherry picked from commit [0-9a-f]{7,64}\)\Z"


def subject_exclamation_mark(commit: ConventionalCommit, when: str, value: object) -> Outcome:  # noqa: ARG001
    if not commit.header:
        return True, ""
    bang = re.search(_BANG_HEADER, commit.header) is not None
    return _outcome(
        not bang if _never(when) else bang,
        "subject",
        "must not" if _never(when) else "must",
        "have an exclamation mark in the subject to identify a breaking change",
    )


def breaking_change_exclamation_mark(
    commit: ConventionalCommit,
    when: str,
    value: object,  # noqa: ARG001
) -> Outcome:
    header, footer = commit.header, commit.footer
    if not header and not footer:
        return True, ""
    bang = bool(header) and re.search(_BANG_HEADER, header) is not None
    breaking = (
        bool(footer) and footer is not None and re.search(_BREAKING_FOOTER, footer) is not None
    )
    ok = bang == breaking
    return _outcome(
        not ok if _never(when) else ok,
        "breaking changes",
        "must not" if _never(when) else "must",
        "have both an exclamation mark in the header and BREAKING CHANGE in the footer "
        "to identify a breaking change",
    )


def signed_off_by(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    prefix = value if isinstance(value, str) else ""
    lines = [
        line
        for line in _lines(commit.raw)
        if line and not line.startswith("#") and not re.search(_CHERRY_PICK, js_trim(line))
    ]
    signed = bool(lines) and lines[-1].startswith(prefix)
    return _outcome(
        not signed if _never(when) else signed,
        "message",
        "must not" if _never(when) else "must",
        "be signed off",
    )


def trailer_exists(commit: ConventionalCommit, when: str, value: object) -> Outcome:
    """Git trailers come from the parser (``git interpret-trailers --parse`` in commitlint)."""
    prefix = value if isinstance(value, str) else ""
    # commitlint splits git's output into lines, and even no output is one empty line: an empty
    # prefix is always found
    found = not prefix or any(
        f"{token}: {text}".startswith(prefix) for token, text in commit.trailers
    )
    return _outcome(
        not found if _never(when) else found,
        "message",
        "must not" if _never(when) else "must",
        f"have `{prefix}` trailer",
    )


def _body(commit: ConventionalCommit) -> str | None:
    return commit.body


def _footer(commit: ConventionalCommit) -> str | None:
    return commit.footer


def _scope(commit: ConventionalCommit) -> str | None:
    return commit.scope


def _subject(commit: ConventionalCommit) -> str | None:
    return commit.subject


def _type(commit: ConventionalCommit) -> str | None:
    return commit.type


RULES: dict[str, RuleSpec] = {
    "body-case": RuleSpec(body_case, "cases", "body is in the given case(s)"),
    "body-empty": RuleSpec(_emptiness("body", _body), "none", "body is empty"),
    "body-full-stop": RuleSpec(body_full_stop, "char", "body ends with the character"),
    "body-leading-blank": RuleSpec(body_leading_blank, "none", "blank line before the body"),
    "body-max-length": RuleSpec(
        _length_rule("body", _body, maximum=True), "int", "body has at most N characters"
    ),
    "body-max-line-length": RuleSpec(
        _line_length("body", _body), "int", "body lines have at most N characters (URLs exempt)"
    ),
    "body-min-length": RuleSpec(
        _length_rule("body", _body, maximum=False), "int", "body has at least N characters"
    ),
    "breaking-change-exclamation-mark": RuleSpec(
        breaking_change_exclamation_mark, "none", "`!` in the header iff a BREAKING CHANGE footer"
    ),
    "footer-empty": RuleSpec(_emptiness("footer", _footer), "none", "footer is empty"),
    "footer-leading-blank": RuleSpec(footer_leading_blank, "none", "blank line before the footer"),
    "footer-max-length": RuleSpec(
        _length_rule("footer", _footer, maximum=True), "int", "footer has at most N characters"
    ),
    "footer-max-line-length": RuleSpec(
        _line_length("footer", _footer),
        "int",
        "footer lines have at most N characters (URLs exempt)",
    ),
    "footer-min-length": RuleSpec(
        _length_rule("footer", _footer, maximum=False), "int", "footer has at least N characters"
    ),
    "header-case": RuleSpec(header_case, "cases", "header is in the given case(s)"),
    "header-full-stop": RuleSpec(header_full_stop, "char", "header ends with the character"),
    "header-max-length": RuleSpec(
        _header_length(maximum=True), "int", "header has at most N characters"
    ),
    "header-min-length": RuleSpec(
        _header_length(maximum=False), "int", "header has at least N characters"
    ),
    "header-trim": RuleSpec(header_trim, "none", "no whitespace around the header"),
    "references-empty": RuleSpec(references_empty, "none", "no issue references"),
    "scope-case": RuleSpec(scope_case, "scope-cases", "each scope segment is in the given case(s)"),
    "scope-delimiter-style": RuleSpec(
        scope_delimiter_style, "enum", "scope delimiters are among the given ones"
    ),
    "scope-empty": RuleSpec(_emptiness("scope", _scope), "none", "scope is empty"),
    "scope-enum": RuleSpec(scope_enum, "scope-enum", "each scope segment is in the list"),
    "scope-max-length": RuleSpec(
        _length_rule("scope", _scope, maximum=True), "int", "scope has at most N characters"
    ),
    "scope-min-length": RuleSpec(
        _length_rule("scope", _scope, maximum=False), "int", "scope has at least N characters"
    ),
    "signed-off-by": RuleSpec(signed_off_by, "prefix", "last line starts with the value"),
    "subject-case": RuleSpec(subject_case, "cases", "subject is in the given case(s)"),
    "subject-empty": RuleSpec(_emptiness("subject", _subject), "none", "subject is empty"),
    "subject-exclamation-mark": RuleSpec(
        subject_exclamation_mark, "none", "`!` before the colon of the header"
    ),
    "subject-full-stop": RuleSpec(subject_full_stop, "char", "header ends with the character"),
    "subject-max-length": RuleSpec(
        _length_rule("subject", _subject, maximum=True), "int", "subject has at most N characters"
    ),
    "subject-min-length": RuleSpec(
        _length_rule("subject", _subject, maximum=False), "int", "subject has at least N characters"
    ),
    "trailer-exists": RuleSpec(trailer_exists, "prefix", "a git trailer starts with the value"),
    "type-case": RuleSpec(type_case, "cases", "type is in the given case(s)"),
    "type-empty": RuleSpec(_emptiness("type", _type), "none", "type is empty"),
    "type-enum": RuleSpec(type_enum, "enum", "type is in the list"),
    "type-max-length": RuleSpec(
        _length_rule("type", _type, maximum=True), "int", "type has at most N characters"
    ),
    "type-min-length": RuleSpec(
        _length_rule("type", _type, maximum=False), "int", "type has at least N characters"
    ),
}

# Rules that pass whenever this part of the commit is empty (None or ""): the linter skips them
# then. tests/commit_lint/test_rules.py checks each claim.
PASSES_WHEN_EMPTY: dict[str, str] = {
    "body-case": "body",
    "body-full-stop": "body",
    "body-leading-blank": "body",
    "body-max-length": "body",
    "body-max-line-length": "body",
    "body-min-length": "body",
    "footer-leading-blank": "footer",
    "footer-max-length": "footer",
    "footer-max-line-length": "footer",
    "footer-min-length": "footer",
    "header-case": "header",
    "scope-case": "scope",
    "scope-delimiter-style": "scope",
    "scope-enum": "scope",
    "scope-max-length": "scope",
    "scope-min-length": "scope",
    "subject-case": "subject",
    "subject-exclamation-mark": "header",
    "subject-max-length": "subject",
    "subject-min-length": "subject",
    "type-case": "type",
    "type-enum": "type",
    "type-max-length": "type",
    "type-min-length": "type",
}
PARTS = ("header", "type", "scope", "subject", "body", "footer")

__all__ = ["CASES", "PARTS", "PASSES_WHEN_EMPTY", "RULES", "Outcome", "Rule", "RuleSpec", "js_len"]

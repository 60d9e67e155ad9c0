"""JavaScript regex semantics on Python's ``re``."""

from __future__ import annotations

import pytest
from relkit.core.jsregex import JsRegexError, compile_js, js_trim, parse_literal, translate


@pytest.mark.parametrize(
    ("source", "flags", "text", "matches"),
    [
        pytest.param(r"^a.b$", "", "a\rb", False, id="dot-stops-at-cr"),
        pytest.param(r"^a.b$", "", "a\u2028b", False, id="dot-stops-at-ls"),
        pytest.param(r"^a.b$", "s", "a\nb", True, id="dotall"),
        pytest.param(r"^ab$", "", "ab\n", False, id="dollar-is-end"),
        pytest.param(r"^b$", "m", "a\rb\rc", True, id="multiline-cr"),
        pytest.param(r"^\w+$", "", "é", False, id="ascii-word"),
        pytest.param(r"^\d$", "", "\u0663", False, id="ascii-digit"),
        pytest.param(r"^\s$", "", "\u00a0", True, id="unicode-space"),
        pytest.param(r"^\S$", "", "\u3000", False, id="unicode-non-space"),
        pytest.param(r"^[\s]$", "", "\ufeff", True, id="space-in-class"),
        pytest.param(r"^[\w-.]+$", "", "a-b.c", True, id="class-escape-dash"),
        pytest.param(r"^[^]$", "", "\n", True, id="negated-empty-class"),
        pytest.param(r"^a[]$", "", "a", False, id="empty-class"),
        pytest.param(r"^[\[a]$", "", "[", True, id="escaped-bracket-in-class"),
        pytest.param(r"^[[a]$", "", "[", True, id="bracket-in-class"),
        pytest.param(r"^(?<x>a)\k<x>$", "", "aa", True, id="named-backref"),
        pytest.param(r"(?<=a)b", "", "ab", True, id="lookbehind"),
        pytest.param(r"(?<!a)b", "", "ab", False, id="negative-lookbehind"),
        pytest.param(r"^a\/b$", "", "a/b", True, id="escaped-slash"),
        pytest.param(r"^ABC$", "i", "abc", True, id="ignorecase"),
        pytest.param(r"^\.$", "", ".", True, id="escaped-dot"),
        # Annex B (no u flag): an escaped letter without a meaning is the letter (checked on node)
        pytest.param(r"^\p{L}$", "", "p{L}", True, id="identity-p"),
        pytest.param(r"^\p{L}$", "", "a", False, id="identity-p-no-property"),
        pytest.param(r"^a\Z$", "", "aZ", True, id="identity-Z-not-anchor"),
        pytest.param(r"^\A\z$", "", "Az", True, id="identity-A-z"),
        pytest.param(r"^\a\e\N\U\g$", "", "aeNUg", True, id="identity-letters"),
        pytest.param(r"^\x4$", "", "x4", True, id="x-without-hex"),
        pytest.param(r"^\x41$", "", "A", True, id="x-hex"),
        pytest.param(r"^\u12$", "", "u12", True, id="u-without-hex"),
        pytest.param(r"^\u00e9$", "", "\u00e9", True, id="u-hex"),
        pytest.param(r"^\cJ$", "", "\n", True, id="control-letter"),
        pytest.param(r"^\c1$", "", "\\c1", True, id="c-without-letter"),
        pytest.param(r"^\k$", "", "k", True, id="identity-k"),
        pytest.param(r"^[\p]$", "", "p", True, id="identity-in-class"),
        pytest.param(r"^[\B]$", "", "B", True, id="B-in-class"),
        pytest.param(r"^[\A-C]$", "", "B", True, id="identity-range-in-class"),
    ],
)
def test_semantics(source: str, flags: str, text: str, matches: bool):
    assert (compile_js(source, flags).search(text) is not None) is matches


@pytest.mark.parametrize(
    ("source", "flags"),
    [
        pytest.param("[a", "", id="unterminated-class"),
        pytest.param("(a", "", id="bad-group"),
        pytest.param("a", "x", id="bad-flag"),
        pytest.param(r"\p{L}", "u", id="unicode-property"),  # Python's re has no \p
        pytest.param(r"[\p{L}]", "u", id="unicode-property-in-class"),
    ],
)
def test_errors(source: str, flags: str):
    with pytest.raises(JsRegexError):
        compile_js(source, flags)


def test_translate_is_stable_text():
    assert translate(r"^(\w*): (.*)$") == r"^(\w*): ([^\n\r\u2028\u2029]*)\Z"


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        pytest.param("/a+/gi", ("a+", "gi"), id="literal"),
        pytest.param("a+", ("a+", ""), id="bare"),
        pytest.param("/a/b/x", ("/a/b/x", ""), id="not-flags"),
        pytest.param("/", ("/", ""), id="slash"),
    ],
)
def test_parse_literal(literal: str, expected: tuple[str, str]):
    assert parse_literal(literal) == expected


def test_js_trim():
    assert js_trim("\ufeff\u00a0 x \u2028\n") == "x"
    assert js_trim("\x1c x") == "\x1c x"

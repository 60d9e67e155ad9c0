"""JavaScript regular expressions, run by Python's ``re`` with JavaScript's meaning.

commitlint and conventional-commits-parser are configured with JavaScript regexes (parser presets,
``parserOpts`` in a ``.commitlintrc``). The two dialects differ where it matters for commit text:
in JavaScript ``.`` stops at ``\\r``, ``\\u2028`` and ``\\u2029`` as well as ``\\n``; ``$`` without
the ``m`` flag is the very end of the input; ``\\s`` is Unicode whitespace while ``\\d``, ``\\w``
and ``\\b`` are ASCII; named groups are written ``(?<name>…)``. :func:`compile_js` translates a
pattern's source and flags into an equivalent Python pattern. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re

# ECMAScript WhiteSpace + LineTerminator (what ``\s`` and ``String.prototype.trim`` use)
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS_CLASS_BODY = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
LINE_TERMINATORS = "\n\r\u2028\u2029"
_DOT = r"[^\n\r\u2028\u2029]"
_CLASS_ESCAPES = frozenset("dDwWsS")
# letters with a meaning after a backslash in JavaScript (without the ``u`` flag); ``b`` and
# ``B`` are assertions outside a class (``b`` is a backspace inside one, ``B`` a plain letter)
_JS_LETTER_ESCAPES = frozenset("dDwWsSfnrtvbB")
_HEX = frozenset("0123456789abcdefABCDEF")


def _letter_escape(source: str, i: int, *, in_class: bool) -> tuple[str, int] | None:
    """Annex B letter escapes at ``source[i] == '\\'`` where Python reads them differently:
    ``\\p``, ``\\A``, ``\\z`` … are the plain letter (Python rejects them or reads an
    anchor), ``\\x``/``\\u`` without their hex digits are ``x``/``u``, ``\\cX`` is a control
    character. The Python source and the next index, or None when Python agrees."""
    nxt = source[i + 1]
    letter = source[i + 2 : i + 3]
    width = 2 if nxt == "x" else 4
    digits = source[i + 2 : i + 2 + width]
    keep = (
        not (nxt.isascii() and nxt.isalpha())
        or (nxt in _JS_LETTER_ESCAPES and not (in_class and nxt == "B"))
        or (nxt == "k" and not in_class and letter == "<")
        or (nxt in {"x", "u"} and len(digits) == width and set(digits) <= _HEX)
    )
    if keep:
        return None
    if nxt == "c":
        if letter.isascii() and letter.isalpha():
            return re.escape(chr(ord(letter) % 32)), i + 3
        return r"\\c", i + 2  # a backslash, then "c"
    return nxt, i + 2


class JsRegexError(ValueError):
    """The pattern cannot be translated or compiled."""


def js_trim(text: str) -> str:
    """``String.prototype.trim``: strip ECMAScript whitespace and line terminators."""
    return text.strip(JS_WHITESPACE)


def _translate_class(source: str, start: int, out: list[str], *, unicode: bool = False) -> int:
    """Translate ``[...]`` starting at ``source[start] == '['``; return the index after ``]``."""
    i = start + 1
    negate = i < len(source) and source[i] == "^"
    if negate:
        i += 1
    if i < len(source) and source[i] == "]":  # [] never matches, [^] matches anything
        out.append(r"[\s\S]" if negate else "(?!)")
        return i + 1
    parts: list[str] = ["[^" if negate else "["]
    while i < len(source) and source[i] != "]":
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            nxt = source[i + 1]
            letter = None if unicode else _letter_escape(source, i, in_class=True)
            if letter is not None:
                parts.append(letter[0])
                i = letter[1]
                continue
            if nxt == "s":
                parts.append(_WS_CLASS_BODY)
            else:
                parts.append(char + nxt)
            i += 2
            # JavaScript (Annex B) reads "\w-x" as three items; Python rejects the range
            if nxt in _CLASS_ESCAPES and i < len(source) and source[i] == "-":
                parts.append(r"\-")
                i += 1
            continue
        if char == "[":
            parts.append(r"\[")
        else:
            parts.append(char)
        i += 1
    if i >= len(source):
        raise JsRegexError(f"unterminated character class in /{source}/")
    parts.append("]")
    out.append("".join(parts))
    return i + 1


def _translate_escape(source: str, i: int, out: list[str], *, unicode: bool = False) -> int:
    """Translate the escape at ``source[i] == '\\'`` outside a class; return the next index."""
    letter = None if unicode else _letter_escape(source, i, in_class=False)
    if letter is not None:
        out.append(letter[0])
        return letter[1]
    nxt = source[i + 1]
    if nxt == "s":
        out.append(f"[{_WS_CLASS_BODY}]")
    elif nxt == "S":
        out.append(f"[^{_WS_CLASS_BODY}]")
    elif nxt == "k" and source.startswith("<", i + 2):
        end = source.index(">", i + 3)
        out.append(f"(?P={source[i + 3 : end]})")
        return end + 1
    elif nxt == "/":
        out.append("/")
    else:
        out.append("\\" + nxt)
    return i + 2


def translate(source: str, flags: str = "", *, plain_dot: bool = False) -> str:
    """The Python ``re`` source equivalent to the JavaScript pattern ``/source/flags``.

    ``plain_dot`` keeps ``.`` as Python's (faster) dot: equivalent only on text without
    ``\r``, ``\u2028`` and ``\u2029``, which callers must check.
    """
    multiline = "m" in flags
    dotall = "s" in flags
    unicode = "u" in flags
    out: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            i = _translate_escape(source, i, out, unicode=unicode)
        elif char == "[":
            i = _translate_class(source, i, out, unicode=unicode)
        elif char == ".":
            out.append(r"[\s\S]" if dotall else ("." if plain_dot else _DOT))
            i += 1
        elif char == "$":
            out.append(r"(?=[\n\r\u2028\u2029]|\Z)" if multiline else r"\Z")
            i += 1
        elif char == "^" and multiline:
            out.append(r"(?:\A|(?<=[\n\r\u2028\u2029]))")
            i += 1
        elif source.startswith("(?<", i) and not source.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
        else:
            out.append(char)
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def compile_js(source: str, flags: str = "", *, plain_dot: bool = False) -> re.Pattern[str]:
    """Compile ``/source/flags`` (flags ``i``, ``m``, ``s``; ``g``, ``u``, ``y`` are accepted)."""
    unknown = set(flags) - set("gimsuy")
    if unknown:
        raise JsRegexError(f"unknown regex flag(s) {''.join(sorted(unknown))!r} in /{source}/")
    py_flags = re.ASCII | (re.IGNORECASE if "i" in flags else 0)
    try:
        return re.compile(translate(source, flags, plain_dot=plain_dot), py_flags)
    except (re.error, ValueError) as exc:
        raise JsRegexError(f"invalid regular expression /{source}/{flags}: {exc}") from None


def parse_literal(text: str) -> tuple[str, str]:
    """Split a ``/source/flags`` literal into (source, flags); a bare string has no flags."""
    if len(text) >= 2 and text.startswith("/"):
        end = text.rfind("/")
        if end > 0 and all(flag in "gimsuy" for flag in text[end + 1 :]):
            return text[1:end], text[end + 1 :]
    return text, ""

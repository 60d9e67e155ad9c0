"""commitlint's case checks (``@commitlint/ensure`` ``case``) with es-toolkit/compat's semantics.

``ensure_case(text, target)`` answers "is ``text`` already in ``target`` case?" the way commitlint
20 does: quoted and backticked spans are removed first, the rest is trimmed, converted with
es-toolkit's ``startCase`` / ``camelCase`` / ``upperFirst`` …, and compared with itself; an empty
or digit-first conversion counts as a match. JavaScript strings are UTF-16, so characters outside
the Basic Multilingual Plane are handled as surrogate pairs where es-toolkit does. Pure.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from relkit.core.jsregex import js_trim

CASES = (
    "lower-case",
    "lowercase",
    "lowerCase",
    "upper-case",
    "uppercase",
    "sentence-case",
    "sentencecase",
    "start-case",
    "pascal-case",
    "camel-case",
    "kebab-case",
    "snake-case",
)
_QUOTED = re.compile(r"`[^\n\r\u2028\u2029]*?`|\"[^\n\r\u2028\u2029]*?\"|'[^\n\r\u2028\u2029]*?'")
_APOSTROPHES = re.compile("['\u2019]")

# es-toolkit/compat words(): lodash's ASCII and Unicode word patterns (UTF-16 code units)
_BREAK = (
    r"\xac\xb1\xd7\xf7\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u2000-\u206f \t\x0b\f\xa0\ufeff\n\r"
    r"\u2028\u2029\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    r"\u200a\u202f\u205f\u3000"
)
_LOWER = r"a-z\xdf-\xf6\xf8-\xff"
_UPPER = r"A-Z\xc0-\xd6\xd8-\xde"
_MISC = rf"[^\ud800-\udfff{_BREAK}\d+\u2700-\u27bf{_LOWER}{_UPPER}]"
_MISC_LOWER = rf"(?:[{_LOWER}]|{_MISC})"
_MISC_UPPER = rf"(?:[{_UPPER}]|{_MISC})"
_CONTR_LOWER = r"(?:['\u2019](?:d|ll|m|re|s|t|ve))?"
_CONTR_UPPER = r"(?:['\u2019](?:D|LL|M|RE|S|T|VE))?"
_MODIFIER = r"(?:[\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff]|\ud83c[\udffb-\udfff])"
_OPT_VAR = r"[\ufe0e\ufe0f]?"
_OPT_JOIN = (
    rf"(?:\u200d(?:[^\ud800-\udfff]|(?:\ud83c[\udde6-\uddff]){{2}}|[\ud800-\udbff][\udc00-\udfff])"
    rf"{_OPT_VAR}{_MODIFIER}?)*"
)
_EMOJI = (
    rf"(?:[\u2700-\u27bf]|(?:\ud83c[\udde6-\uddff]){{2}}|[\ud800-\udbff][\udc00-\udfff])"
    rf"{_OPT_VAR}{_MODIFIER}?{_OPT_JOIN}"
)
_UNICODE_WORD_SOURCE = "|".join(
    [
        rf"[{_UPPER}]?[{_LOWER}]+{_CONTR_LOWER}(?=[{_BREAK}]|[{_UPPER}]|\Z)",
        rf"{_MISC_UPPER}+{_CONTR_UPPER}(?=[{_BREAK}]|[{_UPPER}]{_MISC_LOWER}|\Z)",
        rf"[{_UPPER}]?{_MISC_LOWER}+{_CONTR_LOWER}",
        rf"[{_UPPER}]+{_CONTR_UPPER}",
        r"\d*(?:1ST|2ND|3RD|(?![123])\dTH)(?=\b|[a-z_])",
        r"\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])",
        r"\d+",
        _EMOJI,
    ]
)
_HAS_UNICODE_WORD = re.compile(
    r"[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]"
)
_ASCII_WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
# es-toolkit's deburrMap (code point → replacement)
_DEBURR_MAP = {
    0xC6: "Ae",
    0xD0: "D",
    0xD8: "O",
    0xDE: "Th",
    0xDF: "ss",
    0xE6: "ae",
    0xF0: "d",
    0xF8: "o",
    0xFE: "th",
    0x110: "D",
    0x111: "d",
    0x126: "H",
    0x127: "h",
    0x131: "i",
    0x132: "IJ",
    0x133: "ij",
    0x138: "k",
    0x13F: "L",
    0x140: "l",
    0x141: "L",
    0x142: "l",
    0x149: "'n",
    0x14A: "N",
    0x14B: "n",
    0x152: "Oe",
    0x153: "oe",
    0x166: "T",
    0x167: "t",
    0x17F: "s",
}


def _is_combining(code: int) -> bool:
    return 768 <= code <= 879 or 8400 <= code <= 8447 or 65056 <= code <= 65071


@functools.cache
def _deburr_table() -> dict[int, str]:
    """U+00C0 to U+017F → basic Latin (es-toolkit's precomputed ``deburredLetters``)."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x180):
        char = chr(code)
        if code in _DEBURR_MAP:
            table[code] = _DEBURR_MAP[code]
            continue
        decomposed = unicodedata.normalize("NFD", char)
        table[code] = "".join(
            _DEBURR_MAP.get(ord(part), part) for part in decomposed if not _is_combining(ord(part))
        )
    return table


def deburr(text: str) -> str:
    """es-toolkit/compat ``deburr``: Latin-1 and Latin Extended-A letters, no combining marks."""
    if text.isascii():
        return text
    table = _deburr_table()
    return "".join(table.get(ord(char), char) for char in text if not _is_combining(ord(char)))


def _to_utf16_units(text: str) -> str:
    """A string of UTF-16 code units (lone surrogates), as JavaScript sees ``text``."""
    data = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(data[i : i + 2], "little")) for i in range(0, len(data), 2))


def _from_utf16_units(units: str) -> str:
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


@functools.cache
def _unicode_word() -> re.Pattern[str]:
    return re.compile(_UNICODE_WORD_SOURCE, re.ASCII)


def words(text: str) -> list[str]:
    """es-toolkit/compat ``words`` (lodash's word splitting)."""
    if not _HAS_UNICODE_WORD.search(text):
        return _ASCII_WORD.findall(text)
    if all(ord(char) <= 0xFFFF for char in text):
        return _unicode_word().findall(text)
    return [_from_utf16_units(word) for word in _unicode_word().findall(_to_utf16_units(text))]


def js_upper(text: str) -> str:
    """``String.prototype.toUpperCase`` (full Unicode mapping, like Python)."""
    return text.upper()


def upper_first(text: str) -> str:
    """es-toolkit ``upperFirst``: the first UTF-16 code unit upper-cased."""
    if not text or ord(text[0]) > 0xFFFF:
        return text
    return text[0].upper() + text[1:]


def _capitalize(word: str) -> str:
    if not word or ord(word[0]) > 0xFFFF:
        return word[:1] + word[1:].lower()
    return word[0].upper() + word[1:].lower()


def _case_words(text: str) -> list[str]:
    return words(_APOSTROPHES.sub("", deburr(text)))


def start_case(text: str) -> str:
    return " ".join(
        word[0].upper() + word[1:] for word in words(js_trim(_APOSTROPHES.sub("", deburr(text))))
    )


def camel_case(text: str) -> str:
    parts = _case_words(text)
    if not parts:
        return ""
    return parts[0].lower() + "".join(_capitalize(word) for word in parts[1:])


_CONVERTERS: dict[str, Callable[[str], str]] = {
    "camel-case": camel_case,
    "kebab-case": lambda text: "-".join(word.lower() for word in _case_words(text)),
    "snake-case": lambda text: "_".join(word.lower() for word in _case_words(text)),
    "pascal-case": lambda text: upper_first(camel_case(text)),
    "start-case": start_case,
    "upper-case": js_upper,
    "uppercase": js_upper,
    "sentence-case": upper_first,
    "sentencecase": upper_first,
    "lower-case": str.lower,
    "lowercase": str.lower,
    "lowerCase": str.lower,
}
# These conversions upper-case the first letter: a lower-case first letter never survives them.
_UPPER_FIRST_TARGETS = frozenset(
    {"pascal-case", "start-case", "upper-case", "uppercase", "sentence-case", "sentencecase"}
)


def to_case(text: str, target: str) -> str:
    """Convert ``text`` to ``target`` case; ``KeyError`` for an unknown case name."""
    return _CONVERTERS[target](text)


def prepare(raw: str) -> str:
    """What ``ensure_case`` compares: quoted and backticked spans removed, then trimmed."""
    text = raw
    if "`" in text or '"' in text or "'" in text:
        text = _QUOTED.sub("", text)
    return js_trim(text)


def is_case(text: str, target: str) -> bool:
    """``ensure_case`` on text already :func:`prepare`-d."""
    if target in _UPPER_FIRST_TARGETS and text:
        first = text[0]
        if ord(first) <= 0xFFFF and first.upper() != first:
            return False  # the conversion starts with a capital that text lacks
    transformed = to_case(text, target)
    if not transformed or "0" <= transformed[0] <= "9":
        return True
    return transformed == text


def ensure_case(raw: str, target: str) -> bool:
    """Is ``raw`` in ``target`` case, by commitlint's rules (``@commitlint/ensure`` ``case``)?"""
    return is_case(prepare(raw), target)

"""``random(pattern)``: a random string matching a regular expression (goregen's behaviour).

Kyverno generates with ``zach-klippenstein/goregen``: literals, classes, ``.``, alternations,
groups and repeats; an unbounded repeat (``*``, ``+``, ``{n,}``) emits at most 10 more items.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

MAX_UNBOUNDED = 10
_PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "
_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_NOT_DIGIT": string.ascii_letters + string.punctuation + " ",
    "CATEGORY_SPACE": " \t\n",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits + string.punctuation,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_NOT_WORD": " !\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~",
}


class RegexGenError(ValueError):
    """A pattern that cannot be generated from (empty or invalid)."""


def _parse(pattern: str) -> Any:
    from re import _parser  # type: ignore[attr-defined]  # noqa: PLC0415 - the stdlib's own parser

    try:
        return _parser.parse(pattern)
    except re.error as exc:
        raise RegexGenError(f"invalid pattern {pattern!r}: {exc}") from exc


def _class_chars(items: Any) -> list[str]:
    chars: list[str] = []
    negate = False
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(value))
        elif name == "RANGE":
            chars.extend(chr(c) for c in range(value[0], value[1] + 1))
        elif name == "CATEGORY":
            chars.extend(_CATEGORIES.get(str(value), ""))
    if negate:
        excluded = set(chars)
        return [c for c in _PRINTABLE if c not in excluded]
    return chars


def _emit(items: Any, out: list[str]) -> None:
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "NOT_LITERAL":
            out.append(secrets.choice([c for c in _PRINTABLE if c != chr(value)]))
        elif name == "ANY":
            out.append(secrets.choice(_PRINTABLE))
        elif name == "IN":
            chars = _class_chars(value)
            if chars:
                out.append(secrets.choice(chars))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            high = low + MAX_UNBOUNDED if high > low + MAX_UNBOUNDED else high
            for _ in range(low + secrets.randbelow(high - low + 1)):
                _emit(sub, out)
        elif name == "SUBPATTERN":
            _emit(value[-1], out)
        elif name == "ATOMIC_GROUP":
            _emit(value, out)
        elif name == "BRANCH":
            _emit(secrets.choice(value[1]), out)
        # AT (anchors), GROUPREF and assertions emit nothing


def random_string(pattern: str) -> str:
    if not pattern:
        raise RegexGenError("no pattern provided")
    out: list[str] = []
    _emit(_parse(pattern), out)
    return "".join(out)

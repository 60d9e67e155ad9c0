"""Kyverno's leaf value patterns: ``!``, ``|``, ``&``, ``>``/``>=``/``<``/``<=``, ranges, wildcards.

Mirrors ``pkg/engine/pattern/pattern.go``: a pattern leaf is compared as a duration, then as a
quantity, then as a (wildcard) string, with Go's type coercions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.gotypes import format_float, parse_float, parse_int
from kyverno_validate.engine.quantity import parse_duration, parse_quantity

EQUAL, MORE_EQUAL, LESS_EQUAL, NOT_EQUAL, MORE, LESS = "", ">=", "<=", "!", ">", "<"
IN_RANGE, NOT_IN_RANGE = "-", "!-"
_RANGE_SIDE = r"-?\d+(?:\.\d+)?[A-Za-z]*"
_IN_RANGE = re.compile(rf"^({_RANGE_SIDE})-({_RANGE_SIDE})$")
_NOT_IN_RANGE = re.compile(rf"^({_RANGE_SIDE})!-({_RANGE_SIDE})$")


def operator_of(pattern: str) -> str:
    """The operator a string pattern starts with (``GetOperatorFromStringPattern``)."""
    if len(pattern) < 2:
        return EQUAL
    for op in (MORE_EQUAL, LESS_EQUAL, MORE, LESS):
        if pattern.startswith(op):
            return op
    if _NOT_IN_RANGE.match(pattern):
        return NOT_IN_RANGE
    if pattern.startswith(NOT_EQUAL):
        return NOT_EQUAL
    if _IN_RANGE.match(pattern):
        return IN_RANGE
    return EQUAL


def validate_value(value: Any, pattern: Any) -> bool:  # noqa: PLR0911 - type dispatch like Kyverno's Go switch
    """Does a resource leaf ``value`` satisfy the pattern leaf ``pattern``?"""
    if isinstance(pattern, bool):
        return isinstance(value, bool) and value == pattern
    if isinstance(pattern, int):
        return _int_pattern(value, pattern)
    if isinstance(pattern, float):
        return _float_pattern(value, pattern)
    if pattern is None:
        return _nil_pattern(value)
    if isinstance(pattern, dict):
        return isinstance(value, dict)
    if isinstance(pattern, str):
        return _string_patterns(value, pattern)
    return False


def _int_pattern(value: Any, pattern: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == pattern
    if isinstance(value, float):
        return value == math.trunc(value) and int(value) == pattern
    if isinstance(value, str):
        parsed = parse_int(value)
        return parsed is not None and parsed == pattern
    return False


def _float_pattern(value: Any, pattern: float) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return pattern == math.trunc(pattern) and int(pattern) == value
    if isinstance(value, float):
        return value == pattern
    if isinstance(value, str):
        parsed = parse_float(value)
        return parsed is not None and parsed == pattern
    return False


def _nil_pattern(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, str):
        return value == ""
    return False


def _string_patterns(value: Any, pattern: str) -> bool:
    if isinstance(value, str) and value == pattern:
        return True
    return any(
        all(_string_pattern(value, part.strip(" ")) for part in alternative.strip(" ").split("&"))
        for alternative in pattern.split("|")
    )


def _string_pattern(value: Any, pattern: str) -> bool:
    op = operator_of(pattern)
    if op == IN_RANGE:
        found = _IN_RANGE.match(pattern)
        assert found is not None  # noqa: S101 - operator_of matched it
        return _string_pattern(value, f">= {found.group(1)}") and _string_pattern(
            value, f"<= {found.group(2)}"
        )
    if op == NOT_IN_RANGE:
        found = _NOT_IN_RANGE.match(pattern)
        assert found is not None  # noqa: S101 - operator_of matched it
        return _string_pattern(value, f"< {found.group(1)}") or _string_pattern(
            value, f"> {found.group(2)}"
        )
    rest = pattern[len(op) :].strip()
    return (
        _compare_duration(value, rest, op)
        or _compare_quantity(value, rest, op)
        or _compare_string(value, rest, op)
    )


_COMPARE: dict[str, Callable[[int], bool]] = {
    EQUAL: lambda c: c == 0,
    NOT_EQUAL: lambda c: c != 0,
    MORE: lambda c: c > 0,
    LESS: lambda c: c < 0,
    MORE_EQUAL: lambda c: c >= 0,
    LESS_EQUAL: lambda c: c <= 0,
}


def _number_to_string(value: Any) -> str | None:
    if value is None:
        return "0"
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    return None


def _cmp(left: Any, right: Any) -> int:
    return int(left > right) - int(left < right)


def _compare_duration(value: Any, pattern: str, op: str) -> bool:
    expected = parse_duration(pattern)
    if expected is None:
        return False
    text = _number_to_string(value)
    actual = parse_duration(text) if text is not None else None
    if actual is None:
        return False
    return _COMPARE[op](_cmp(actual, expected))


@lru_cache(maxsize=4096)
def _quantity(text: str) -> Any:
    return parse_quantity(text)


def _compare_quantity(value: Any, pattern: str, op: str) -> bool:
    expected = _quantity(pattern)
    if expected is None:
        return False
    text = _number_to_string(value)
    actual = _quantity(text) if text is not None else None
    if actual is None:
        return False
    return _COMPARE[op](_cmp(actual, expected))


def _compare_string(value: Any, pattern: str, op: str) -> bool:
    if op not in (EQUAL, NOT_EQUAL):
        return False
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = _format_e(value)
    else:
        return False
    matched = wildcard.match(pattern, text)
    return not matched if op == NOT_EQUAL else matched


def _format_e(value: float) -> str:
    """``strconv.FormatFloat(v, 'E', -1, 64)``: the shortest mantissa that round-trips (Python's
    ``repr``), the exponent with at least two digits."""
    if not math.isfinite(value):
        return format_float(value)  # +Inf, -Inf, NaN
    mantissa, exponent = f"{Decimal(repr(value)).normalize():E}".split("E")
    return f"{mantissa}E{exponent[0]}{exponent[1:].rjust(2, '0')}"

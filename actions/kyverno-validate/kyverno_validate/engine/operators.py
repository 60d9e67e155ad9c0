"""Condition operators (``pkg/engine/variables/operator``): a Protocol plus an explicit registry.

Each operator takes the substituted ``key`` and ``value`` of a condition and answers True/False
with Kyverno's type coercions (durations, quantities, wildcards, JSON-array strings, ranges).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, Protocol

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.gotypes import is_number, parse_float, parse_int, sprint
from kyverno_validate.engine.quantity import parse_duration, parse_quantity
from kyverno_validate.engine.valuepattern import IN_RANGE, operator_of, validate_value


class Operator(Protocol):
    def __call__(self, key: Any, value: Any) -> bool: ...


def _duration_of(value: Any) -> Fraction | None:
    if isinstance(value, str) and value != "0":
        return parse_duration(value)
    return None


def _durations(key: Any, value: Any) -> tuple[Fraction, Fraction] | None:
    """``parseDuration``: at least one side is a duration string, the other a number."""
    key_d, value_d = _duration_of(key), _duration_of(value)
    if key_d is None and value_d is None:
        return None
    if key_d is None:
        if not is_number(key):
            return None
        key_d = Fraction(int(key))
    if value_d is None:
        if not is_number(value):
            return None
        value_d = Fraction(int(value))
    return key_d, value_d


def equals(key: Any, value: Any) -> bool:
    if isinstance(key, bool):
        return isinstance(value, bool) and key == value
    if isinstance(key, int):
        return _int_equals(key, value)
    if isinstance(key, float):
        return _float_equals(key, value)
    if isinstance(key, str):
        return _string_equals(key, value)
    if isinstance(key, dict | list):
        return type(key) is type(value) and _deep_equal(key, value)
    return False


def _deep_equal(left: Any, right: Any) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_deep_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_deep_equal, left, right))
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return bool(left == right)


def _int_equals(key: int, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return key == value
    if isinstance(value, float):
        return value == math.trunc(value) and int(value) == key
    if isinstance(value, str):
        parsed = parse_int(value)
        return parsed is not None and parsed == key
    return False


def _float_equals(key: float, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return key == math.trunc(key) and int(key) == value
    if isinstance(value, float):
        return key == value
    if isinstance(value, str):
        parsed = parse_float(value)
        return parsed is not None and parsed == key
    return False


def _string_equals(key: str, value: Any) -> bool:
    durations = _durations(key, value)
    if durations is not None:
        return durations[0] == durations[1]
    key_q = parse_quantity(key)
    if key_q is not None and isinstance(value, str):
        value_q = parse_quantity(value)
        return value_q is not None and key_q == value_q
    if isinstance(value, str):
        return wildcard.match(value, key)
    return False


def not_equals(key: Any, value: Any) -> bool:
    return not equals(key, value)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "GreaterThanOrEquals":
        return bool(left >= right)
    if op == "GreaterThan":
        return bool(left > right)
    if op == "LessThanOrEquals":
        return bool(left <= right)
    return bool(left < right)


def _numeric_from_number(op: str, key: float, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return _compare(op, key, value)
    if isinstance(value, str):
        durations = _durations(key, value)
        if durations is not None:
            return _compare(op, *durations)
        parsed = parse_float(value)
        if parsed is not None:
            return _compare(op, key, parsed)
    return False


def _semver(text: str) -> tuple[int, int, int, str] | None:
    core, _, pre = text.partition("-")
    core = core.split("+", 1)[0]
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), pre


def numeric(op: str) -> Operator:
    def evaluate(key: Any, value: Any) -> bool:  # noqa: PLR0911 - type dispatch like Kyverno's Go switch
        if isinstance(key, bool):
            return False
        if isinstance(key, int | float):
            return _numeric_from_number(op, key, value)
        if not isinstance(key, str):
            return False
        durations = _durations(key, value)
        if durations is not None:
            return _compare(op, *durations)
        key_q = parse_quantity(key)
        if key_q is not None and isinstance(value, str):
            value_q = parse_quantity(value)
            if value_q is not None:
                return _compare(op, key_q, value_q)
        key_f = parse_float(key)
        if key_f is not None:
            return _numeric_from_number(op, key_f, value)
        key_v = _semver(key)
        if key_v is not None and isinstance(value, str):
            value_v = _semver(value)
            if value_v is not None:
                return _compare(op, _semver_key(key_v), _semver_key(value_v))
        return False

    return evaluate


def _semver_key(version: tuple[int, int, int, str]) -> tuple[int, int, int, int, str]:
    major, minor, patch, pre = version
    return major, minor, patch, 0 if pre else 1, pre


def duration(op: str) -> Operator:
    def to_duration(item: Any) -> Fraction | None:
        if isinstance(item, bool):
            return None
        if isinstance(item, int | float):
            return Fraction(int(item))
        if isinstance(item, str):
            return parse_duration(item)
        return None

    def evaluate(key: Any, value: Any) -> bool:
        key_d, value_d = to_duration(key), to_duration(value)
        if key_d is None or value_d is None:
            return False
        return _compare(op.removeprefix("Duration"), key_d, value_d)

    return evaluate


# --- set operators --------------------------------------------------------------------------


def _match_either(left: str, right: str) -> bool:
    """Either side, as a wildcard pattern, matches the other (checked without the calls when
    they are equal or neither holds a wildcard)."""
    if left == right:
        return True
    if "*" not in left and "?" not in left and "*" not in right and "?" not in right:
        return False
    return wildcard.match(left, right) or wildcard.match(right, left)


def _json_string_list(text: str) -> list[str] | None:
    """A string value holding a JSON array of strings; a plain string is a one-item list."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return [text]
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return parsed
    return None


def _key_strings(key: Any) -> list[str] | None:
    if isinstance(key, list):
        return [sprint(item) for item in key]
    if isinstance(key, str):
        return [key]
    if isinstance(key, int | float):
        return [sprint(key)]
    return None


def _in_range(key: str, value: str) -> bool:
    return validate_value(key, value)


def _value_strings(value: Any) -> list[str] | None:
    if isinstance(value, list):
        return [sprint(item) for item in value]
    if is_number(value):
        return [sprint(value)]
    if isinstance(value, str):
        return _json_string_list(value)
    return None


def _some_in(key: Any, value: Any, quantifier: Callable[[Iterable[bool]], bool]) -> bool:
    """AnyIn (quantifier ``any``) and AllIn (``all``): do any/all keys occur in the value?"""
    keys = _key_strings(key)
    if keys is None:
        return False
    if isinstance(value, str):
        if len(keys) == 1 and (wildcard.match(value, keys[0]) or keys[0] == value):
            return True
        if operator_of(value) == IN_RANGE:
            return quantifier(_in_range(k, value) for k in keys)
    values = _value_strings(value)
    if values is None:
        return False
    return quantifier(any(_match_either(k, v) for v in values) for k in keys)


def any_in(key: Any, value: Any) -> bool:
    return _some_in(key, value, any)


def all_in(key: Any, value: Any) -> bool:
    return _some_in(key, value, all)


def any_not_in(key: Any, value: Any) -> bool:
    keys = _key_strings(key)
    if not keys:  # no key (None or an empty list): none is missing from the value
        return False
    if isinstance(value, str):
        if len(keys) == 1 and keys[0] == value:
            return False
        if operator_of(value) == IN_RANGE:
            return any(not _in_range(k, value) for k in keys)
    values = _value_strings(value)
    if values is None:
        return False
    return any(not any(_match_either(k, v) for v in values) for k in keys)


def all_not_in(key: Any, value: Any) -> bool:
    keys = _key_strings(key)
    if keys is None:
        return False
    if isinstance(value, str):
        if len(keys) == 1 and wildcard.match(value, keys[0]):
            return False
        if operator_of(value) == IN_RANGE:
            return all(not _in_range(k, value) for k in keys)
    values = _value_strings(value)
    if values is None:
        return False
    return all(not any(_match_either(k, v) for v in values) for k in keys)


def _key_exists(key: str, value: Any) -> bool | None:
    """``keyExistsInArray`` of the deprecated In/NotIn (None: the value has the wrong type)."""
    if isinstance(value, list):
        return any(wildcard.match(key, sprint(v)) for v in value)
    if isinstance(value, str):
        if wildcard.match(value, key):
            return True
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        if not isinstance(parsed, list) or not all(isinstance(v, str) for v in parsed):
            return None
        return key in parsed
    return None


def _string_set(value: Any) -> set[str] | None:
    """A list of strings, or a JSON array of strings in a string (None: anything else)."""
    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            return None
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        return None
    return set(items)


def _set_in(keys: list[Any], value: Any, *, not_in: bool) -> bool | None:
    """``setExistsInArray``: subset (In) or not-subset (NotIn) without wildcards."""
    if not all(isinstance(k, str) for k in keys):
        return None  # Kyverno requires string keys here
    if isinstance(value, str) and len(keys) == 1 and keys[0] == value:
        return True
    available = _string_set(value)
    if available is None:
        return None
    missing = any(k not in available for k in keys)
    return missing if not_in else not missing


def legacy_in(key: Any, value: Any) -> bool:
    """Deprecated ``In``: a key in the list (value may be a pattern); a list key is a subset."""
    if isinstance(key, list):
        return bool(_set_in(key, value, not_in=False))
    if isinstance(key, str | int | float) and not isinstance(key, bool):
        return bool(_key_exists(sprint(key), value))
    return False


def legacy_not_in(key: Any, value: Any) -> bool:
    if isinstance(key, list):
        return bool(_set_in(key, value, not_in=True))
    if isinstance(key, str | int | float) and not isinstance(key, bool):
        found = _key_exists(sprint(key), value)
        return found is False
    return False


OPERATORS: dict[str, Operator] = {
    "Equals": equals,
    "Equal": equals,
    "NotEquals": not_equals,
    "NotEqual": not_equals,
    "In": legacy_in,
    "NotIn": legacy_not_in,
    "AnyIn": any_in,
    "AllIn": all_in,
    "AnyNotIn": any_not_in,
    "AllNotIn": all_not_in,
    "GreaterThanOrEquals": numeric("GreaterThanOrEquals"),
    "GreaterThan": numeric("GreaterThan"),
    "LessThanOrEquals": numeric("LessThanOrEquals"),
    "LessThan": numeric("LessThan"),
    "DurationGreaterThanOrEquals": duration("DurationGreaterThanOrEquals"),
    "DurationGreaterThan": duration("DurationGreaterThan"),
    "DurationLessThanOrEquals": duration("DurationLessThanOrEquals"),
    "DurationLessThan": duration("DurationLessThan"),
}


def lookup_operator(name: str) -> Operator | None:
    """The operator for a condition's ``operator`` field (case-insensitive like Kyverno)."""
    found = OPERATORS.get(name)
    if found is not None:
        return found
    lowered = name.lower()
    return next((op for key, op in OPERATORS.items() if key.lower() == lowered), None)

"""Kyverno's arithmetic JMESPath functions: numbers, quantities and durations
(``pkg/engine/jmespath/arithmetic.go``), and ``semver_compare`` constraints."""

from __future__ import annotations

import math
import re
from typing import Any

from kyverno_validate.engine.quantity import parse_duration, parse_quantity
from kyverno_validate.engine.timefuncs import go_duration


def add(a: Any, b: Any) -> Any:
    return _arith(a, b, "+")


def subtract(a: Any, b: Any) -> Any:
    return _arith(a, b, "-")


def multiply(a: Any, b: Any) -> Any:
    return _arith(a, b, "*")


def divide(a: Any, b: Any) -> Any:
    return _arith(a, b, "/")


def modulo(a: Any, b: Any) -> Any:
    return _arith(a, b, "%")


def sum_(items: list[Any]) -> Any:
    if not items:
        raise ValueError("at least one element in the array is required")
    total = items[0]
    for item in items[1:]:
        total = _arith(total, item, "+")
    return total


def round_(value: float, digits: float) -> float:
    factor = 10 ** int(digits)
    return float(math.floor(value * factor + 0.5) / factor)


def _arith(a: Any, b: Any, op: str) -> Any:
    if isinstance(a, str) or isinstance(b, str):
        left = _unit_value(a)
        right = _unit_value(b)
        if left is None or right is None or {left[1], right[1]} == {"quantity", "duration"}:
            raise ValueError(f"invalid operands for {op}: {a!r}, {b!r}")
        result = _apply(left[0], right[0], op)
        if op == "/" and left[1] == right[1]:
            return float(result)  # quantity / quantity and duration / duration are ratios
        if left[1] == "duration" or right[1] == "duration":
            return go_duration(float(result))
        binary = any(isinstance(x, str) and x.endswith("i") for x in (a, b))
        return _format_quantity(result, binary=binary)
    return _apply(a, b, op)


def _apply(a: Any, b: Any, op: str) -> Any:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise ValueError("division by zero")
    if op == "/":
        return a / b
    return a % b


def _unit_value(value: Any) -> tuple[Any, str] | None:
    """A number, else a quantity, else a duration (Kyverno's order)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, "number"
    quantity = parse_quantity(value) if isinstance(value, str) else None
    if quantity is not None:
        return quantity, "quantity"
    duration = parse_duration(value) if isinstance(value, str) else None
    if duration is not None:
        return duration, "duration"
    return None


def _format_quantity(value: Any, *, binary: bool) -> str:
    """A quantity's canonical text (``2Gi``, ``1500m``), as ``resource.Quantity.String``."""
    units = (
        (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10))
        if binary
        else (("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3))
    )
    if value == int(value):
        number = int(value)
        for suffix, size in units:
            if number and number % size == 0:
                return f"{number // size}{suffix}"
        return str(number)
    for suffix, size in (("m", 10**3), ("u", 10**6)):
        scaled = value * size
        if scaled == int(scaled):
            return f"{int(scaled)}{suffix}"
    return f"{math.ceil(value * 10**9)}n"  # a Quantity keeps nanos, rounding up


SemVer = tuple[int, int, int, tuple[tuple[int, int | str], ...]]
_SEMVER = re.compile(
    r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


def _semver(text: str) -> tuple[SemVer, int]:
    """(version, wildcard level): 0 none, 1 ``x.y.x`` (patch), 2 ``x.x.x`` (minor)."""
    found = _SEMVER.match(text.strip())
    if found is None:
        raise ValueError(f"invalid semantic version {text!r}")
    major, minor, patch, pre = found.groups()
    wild = (
        2
        if minor is None or not minor.isdigit()
        else (1 if patch is None or not patch.isdigit() else 0)
    )
    prerelease = tuple(
        (0, int(p)) if p.isdigit() else (1, p) for p in (pre.split(".") if pre else [])
    )
    return (
        int(major),
        int(minor) if wild < 2 else 0,
        int(patch) if wild == 0 else 0,
        prerelease,
    ), wild


def _order(version: SemVer) -> tuple[Any, ...]:
    # a pre-release sorts before its release
    return (*version[:3], 0 if version[3] else 1, version[3])


def _bump(version: SemVer, wild: int) -> SemVer:
    if wild == 2:
        return (version[0] + 1, 0, 0, ())
    return (version[0], version[1] + 1, 0, ())


def _clause(current: SemVer, op: str, target: SemVer, wild: int) -> bool:
    value, low = _order(current), _order(target)
    if wild:  # blang/semver's expandWildcardVersion
        high = _order(_bump(target, wild))
        if op in (">=", ">"):
            return value >= (high if op == ">" else low)
        if op in ("<", "<="):
            return value < (low if op == "<" else high)
        inside = low <= value < high
        return not inside if op in ("!", "!=") else inside
    return {
        ">=": value >= low,
        "<=": value <= low,
        ">": value > low,
        "<": value < low,
        "!=": value != low,
        "!": value != low,
        "=": value == low,
        "==": value == low,
        "^": value >= low and current[0] == target[0],
        "~": value >= low and current[:2] == target[:2],
    }[op]


def semver_satisfies(version: str, constraint: str) -> bool:
    """blang/semver ``ParseRange``: ``||`` between alternatives, spaces between clauses that
    must all hold, ``x`` wildcards; a version that does not parse is 0.0.0 (as Kyverno's)."""
    try:
        current = _semver(version)[0]
    except ValueError:
        current = (0, 0, 0, ())
    for alternative in constraint.split("||"):
        clauses = alternative.replace(",", " ").split()
        if not clauses:
            raise ValueError(f"invalid semantic version range {constraint!r}")
        ok = True
        for clause in clauses:
            found = re.match(r"^(>=|<=|!=|==|=|>|<|!|\^|~)?(.+)$", clause)
            assert found is not None  # noqa: S101 - ".+" matches any non-empty clause
            target, wild = _semver(found.group(2))
            ok = ok and _clause(current, found.group(1) or "=", target, wild)
        if ok:
            return True
    return False

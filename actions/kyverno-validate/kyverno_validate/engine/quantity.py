"""Kubernetes resource quantities and Go durations, as Kyverno compares them."""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Fraction(1, 10**9),
    "u": Fraction(1, 10**6),
    "m": Fraction(1, 10**3),
    "": Fraction(1),
    "k": Fraction(10**3),
    "M": Fraction(10**6),
    "G": Fraction(10**9),
    "T": Fraction(10**12),
    "P": Fraction(10**15),
    "E": Fraction(10**18),
}
_QUANTITY = re.compile(
    r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$"
)


@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Fraction | None:
    """The value of a Kubernetes quantity (``500m``, ``1Gi``, ``2e3``), or None."""
    found = _QUANTITY.match(text.strip()) if text else None
    if found is None:
        return None
    sign, number, suffix = found.groups()
    value = Fraction(number)
    if suffix is None or suffix == "":
        pass
    elif suffix in _BINARY:
        value *= _BINARY[suffix]
    elif suffix in _DECIMAL:
        value *= _DECIMAL[suffix]
    else:
        value *= Fraction(10) ** int(suffix[1:])
    return -value if sign == "-" else value


_UNITS = {
    "ns": Fraction(1, 10**9),
    "us": Fraction(1, 10**6),
    "\u00b5s": Fraction(1, 10**6),
    "\u03bcs": Fraction(1, 10**6),
    "ms": Fraction(1, 10**3),
    "s": Fraction(1),
    "m": Fraction(60),
    "h": Fraction(3600),
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")


@lru_cache(maxsize=4096)
def parse_duration(text: str) -> Fraction | None:
    """Seconds of a Go duration string (``1h30m``, ``-5s``, ``0``), or None."""
    if not text:
        return None
    sign = 1
    rest = text
    if rest[0] in "+-":
        sign = -1 if rest[0] == "-" else 1
        rest = rest[1:]
    if rest == "0":
        return Fraction(0)
    if not rest:
        return None
    total = Fraction(0)
    pos = 0
    while pos < len(rest):
        found = _DURATION_PART.match(rest, pos)
        if found is None:
            return None
        total += Fraction(found.group(1)) * _UNITS[found.group(2)]
        pos = found.end()
    return sign * total

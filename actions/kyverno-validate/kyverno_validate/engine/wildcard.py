"""Kyverno's wildcard matching: ``*`` matches any run of characters, ``?`` exactly one."""

from __future__ import annotations

import re
from functools import lru_cache


def contains_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def match(pattern: str, text: str) -> bool:
    """True when ``text`` matches the wildcard ``pattern`` (whole string)."""
    if pattern == text:
        return True
    if not contains_wildcard(pattern):
        return False
    if pattern == "*":
        return True
    return _compile(pattern).fullmatch(text) is not None

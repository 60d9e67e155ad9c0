"""Renovate's name matching: exact, minimatch globs, ``/regex/`` and ``!`` negation. Pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from relkit.core.jsregex import JsRegexError, compile_js


class PatternError(ValueError):
    """A pattern cannot be compiled."""


def glob_to_regex(pattern: str) -> str:  # noqa: PLR0912 - one branch per glob token
    """minimatch (``dot: true``) → a Python regex source: ``**`` crosses ``/``, ``*`` and
    ``?`` do not, ``{a,b}`` alternatives, ``[...]`` classes."""
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            if pattern.startswith("/", i) and out[-1] == ".*":
                out[-1] = "(?:.*/)?"
                i += 1
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    if depth:
        raise PatternError(f"unbalanced '{{' in glob {pattern!r}")
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """One positive pattern (without ``!``) → a compiled full-match regex."""
    if len(pattern) > 2 and pattern.startswith("/") and re.search(r"/[a-z]*$", pattern[1:]):
        body, _, flags = pattern[1:].rpartition("/")
        try:
            return compile_js(body, flags)
        except (JsRegexError, re.error) as exc:
            raise PatternError(f"invalid regex {pattern!r}: {exc}") from None
    if pattern == "*":
        return re.compile(r".*", re.DOTALL)
    try:
        return re.compile(glob_to_regex(pattern) + r"\Z", re.IGNORECASE | re.DOTALL)
    except re.error as exc:
        raise PatternError(f"invalid glob {pattern!r}: {exc}") from None


def check_patterns(patterns: Sequence[str]) -> None:
    """Raise :class:`PatternError` for the first pattern that does not compile."""
    for pattern in patterns:
        compile_pattern(pattern.removeprefix("!"))


def _is_regex(pattern: str) -> bool:
    return pattern.startswith("/") and len(pattern) > 2


def match_one(pattern: str, value: str) -> bool:
    regex = compile_pattern(pattern)
    if _is_regex(pattern):
        return regex.search(value) is not None
    return regex.match(value) is not None


def match_names(patterns: Sequence[str], value: str) -> bool:
    """Renovate's ``matchRegexOrGlobList``: any positive matches (or there are none), and every
    negative passes."""
    positives = [p for p in patterns if not p.startswith("!")]
    negatives = [p[1:] for p in patterns if p.startswith("!")]
    if any(match_one(p, value) for p in negatives):
        return False
    if not positives:
        return bool(negatives)
    return any(match_one(p, value) for p in positives)


def wildcard_match(pattern: str, value: str) -> bool:
    """Dependabot's ``WildcardMatcher``: only ``*`` is special, whole name, case-insensitive."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, re.IGNORECASE) is not None

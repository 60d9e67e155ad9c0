"""Messages commitlint does not lint: ``@commitlint/is-ignored``'s default wildcards. Pure.

Merges anywhere in the message (the patterns carry the ``m`` flag), reverts and reapplies,
``fixup!`` / ``squash!`` / ``amend!``, a SemVer-only first line, Azure DevOps / Bitbucket merges.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from relkit.core.jsregex import JS_WHITESPACE, compile_js, js_trim

_MERGE = compile_js(
    r"^((Merge pull request)|(Merge (.*?) into (.*?)|(Merge branch (.*?)))(?:\r?\n)*$)", "m"
)
_MERGE_TAG = compile_js(r"^(Merge tag (.*?))(?:\r?\n)*$", "m")


@functools.cache
def _merged() -> re.Pattern[str]:  # compiled on first use: few messages start with "Merged "
    return compile_js(r"^(Merged (.*?)(in|into) (.*)|Merged PR (.*): (.*))")


@functools.cache
def _auto_merged() -> re.Pattern[str]:
    return compile_js(r"^Auto-merged (.*?) into (.*)")


_PREFIXES = (
    "Revert ",
    "revert ",
    "Reapply ",
    "reapply ",
    "amend!",
    "fixup!",
    "squash!",
    "Merge remote-tracking branch",
    "Automatic merge",
)
_CHORE = re.compile(r"^chore(\([^)]+\))?:")
_SKIP_CI_BRACKETS = re.compile(r"\[(skip|ci)(-|[\s])(ci|skip)\]", re.IGNORECASE)
_SKIP_CI_PARENS = re.compile(r"\((skip|ci)(-|[\s])(ci|skip)\)", re.IGNORECASE)
# node-semver 7 ``FULL`` (strict), with makeSafeRegex's 250-character identifier bound
_IDENT = r"(?:\d*[a-zA-Z-][a-zA-Z0-9-]{0,250}|0|[1-9]\d*)"
_SEMVER = re.compile(
    r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?"
    r"(?:\+([a-zA-Z0-9-]{1,250}(?:\.[a-zA-Z0-9-]{1,250})*))?",
    re.ASCII,
)
_SEMVER_MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 2**53 - 1
_VERSION_STARTS = frozenset("v0123456789c[(")


def is_semver(version: str) -> bool:
    """``semver.valid(version) !== null`` (strict parsing, like node-semver 7)."""
    if len(version) > _SEMVER_MAX_LENGTH:
        return False
    match = _SEMVER.fullmatch(js_trim(version))
    if match is None:
        return False
    return all(int(match.group(index)) <= _MAX_SAFE_INTEGER for index in (1, 2, 3))


def is_version_message(message: str) -> bool:
    """A first line that is only a version, after an optional ``chore(x):`` and ``[skip ci]``."""
    if message[:1] not in _VERSION_STARTS and message[:1] not in JS_WHITESPACE:
        return False  # a version (or the prefixes stripped before it) cannot start here
    first = message.split("\n", 1)[0]
    if first.count(".") < 2:
        return False  # no MAJOR.MINOR.PATCH on the line
    stripped = _CHORE.sub("", first, count=1)
    stripped = _SKIP_CI_BRACKETS.sub("", stripped, count=1)
    stripped = _SKIP_CI_PARENS.sub("", stripped, count=1)
    return is_semver(js_trim(stripped))


def is_default_ignored(message: str) -> bool:
    """True when one of commitlint's default ignore wildcards matches the raw message."""
    if message.startswith(_PREFIXES):
        return True
    if "Merge" in message and (_MERGE.search(message) or _MERGE_TAG.search(message)):
        return True
    if message.startswith("Merged ") and _merged().search(message):
        return True
    if message.startswith("Auto-merged ") and _auto_merged().search(message):
        return True
    return is_version_message(message)


def is_ignored(
    message: str, *, defaults: bool = True, patterns: Sequence[re.Pattern[str]] = ()
) -> bool:
    """``@commitlint/is-ignored``: the default wildcards (unless disabled) and user patterns."""
    if defaults and is_default_ignored(message):
        return True
    return bool(patterns) and any(pattern.search(message) for pattern in patterns)

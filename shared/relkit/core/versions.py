"""SemVer 2.0.0 versions, bump levels and bump rules, PEP 440 bridging. Pure.

``Version`` is a frozen value ordered by SemVer precedence (build metadata ignored for order).
``bump`` follows release-please: a bump keeps an existing prerelease / build suffix
(``8.0.0-alpha.1`` + patch → ``8.0.1-alpha.1``) unless ``keep_suffix=False``.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import NamedTuple

_NUM = r"0|[1-9]\d*"
_IDENT = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
# the patterns are compiled on first use (re's cache): a run that never needs one skips it
_SEMVER_RE = (
    rf"^v?(?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>{_IDENT}(?:\.{_IDENT})*))?"
    r"(?:\+(?P<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# release-please's Version.parse: the first X.Y.Z anywhere, a loose prerelease and build
_LOOSE_RE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)(?:-([^+\s]+))?(?:\+(\S+))?")
# the last run of digits in a prerelease (release-please's PRERELEASE_NUMBER)
_PRERELEASE_NUMBER = r"(\d+)(?=\D*$)"


class VersionError(ValueError):
    """Text that is not a version of the expected form."""


class BumpLevel(IntEnum):
    """How much a release changes the version; ordered so that ``max()`` picks the release."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def _prerelease_key(pre: str) -> tuple[tuple[int, int, str], ...]:
    # numeric identifiers sort numerically and below alphanumeric ones
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))


class Version(NamedTuple):
    """A value (a NamedTuple: ``dataclasses`` costs ~7 ms of every start) compared by SemVer
    precedence; equal only to a Version with the same five fields."""

    major: int
    minor: int
    patch: int
    prerelease: str = ""  # dot-separated identifiers, without the leading "-"
    build: str = ""  # without the leading "+"

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"+{self.build}"
        return text

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    @property
    def is_pre_major(self) -> bool:
        """0.x: the pre-1.0 bump rules apply."""
        return self.major < 1

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def precedence_key(self) -> tuple[object, ...]:
        """Sort key by SemVer precedence: a release sorts above its prereleases."""
        if not self.prerelease:
            return (*self.core, 1, ())
        return (*self.core, 0, _prerelease_key(self.prerelease))

    # a tuple's own comparisons would order field by field and equal plain tuples: each is
    # spelled out as functools.total_ordering derived them from __lt__ and the fields' __eq__
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.precedence_key() < other.precedence_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self < other or self == other

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return not self < other and self != other

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return not self < other

    def with_prerelease(self, prerelease: str) -> Version:
        return Version(self.major, self.minor, self.patch, prerelease, self.build)


def parse_version(text: str) -> Version:
    """Strict SemVer 2.0.0 (an optional leading ``v`` allowed)."""
    match = re.match(_SEMVER_RE, text.strip())
    if not match:
        raise VersionError(f"{text!r} is not a SemVer version (expected e.g. 1.2.3 or 1.2.3-rc.1)")
    return Version(
        int(match["major"]),
        int(match["minor"]),
        int(match["patch"]),
        match["pre"] or "",
        match["build"] or "",
    )


def parse_loose(text: str) -> Version:
    """release-please's lenient reading: the first ``X.Y.Z[-pre][+build]`` in the text."""
    match = _LOOSE_RE.search(text)
    if not match:
        raise VersionError(f"no version X.Y.Z found in {text!r}")
    return Version(int(match[1]), int(match[2]), int(match[3]), match[4] or "", match[5] or "")


def compare_versions(a: Version, b: Version) -> int:
    """-1, 0 or 1 by SemVer precedence (build metadata ignored)."""
    ka, kb = a.precedence_key(), b.precedence_key()
    return (ka > kb) - (ka < kb)


def bump(version: Version, level: BumpLevel, *, keep_suffix: bool = True) -> Version:
    """The next version for a level. release-please keeps the suffix; SemVer drops it."""
    pre, build = (version.prerelease, version.build) if keep_suffix else ("", "")
    if level is BumpLevel.MAJOR:
        return Version(version.major + 1, 0, 0, pre, build)
    if level is BumpLevel.MINOR:
        return Version(version.major, version.minor + 1, 0, pre, build)
    if level is BumpLevel.PATCH:
        return Version(version.major, version.minor, version.patch + 1, pre, build)
    return version


def adjust_pre_major(
    version: Version,
    level: BumpLevel,
    *,
    bump_minor_pre_major: bool = False,
    bump_patch_for_minor_pre_major: bool = False,
) -> BumpLevel:
    """The pre-1.0 options: breaking → minor, feature → patch while ``major == 0``."""
    if not version.is_pre_major:
        return level
    if level is BumpLevel.MAJOR and bump_minor_pre_major:
        return BumpLevel.MINOR
    if level is BumpLevel.MINOR and bump_patch_for_minor_pre_major:
        return BumpLevel.PATCH
    return level


def bump_prerelease_number(prerelease: str) -> str:
    """``beta.01`` → ``beta.02`` (padding kept), ``beta`` → ``beta.1``: the last number + 1."""
    match = re.search(_PRERELEASE_NUMBER, prerelease)
    if not match:
        return f"{prerelease}.1"
    digits = match[1]
    following = str(int(digits) + 1).zfill(len(digits))
    return prerelease[: match.start(1)] + following + prerelease[match.end(1) :]


_PEP440_PRE = {"a": "a", "b": "b", "rc": "rc"}
_SEMVER_PRE = {
    "a": "a",
    "alpha": "a",
    "b": "b",
    "beta": "b",
    "c": "rc",
    "rc": "rc",
    "pre": "rc",
    "preview": "rc",
}


def from_pep440(text: str) -> Version:
    """``1.2.0rc1`` → ``1.2.0-rc.1``; ``1.2.0.dev3`` → ``1.2.0-dev.3``; local → build."""
    # imported here: packaging compiles its big version pattern at import (~2 ms per process)
    from packaging.version import InvalidVersion  # noqa: PLC0415
    from packaging.version import Version as Pep440  # noqa: PLC0415

    try:
        pv = Pep440(text)
    except InvalidVersion:
        raise VersionError(f"{text!r} is not a PEP 440 version") from None
    if pv.epoch or pv.post is not None:
        raise VersionError(f"{text!r} has an epoch or post-release, which SemVer cannot express")
    parts = [*pv.release, 0, 0][:3]
    if len(pv.release) > 3:
        raise VersionError(f"{text!r} has more than three release numbers")
    pre: list[str] = []
    if pv.pre is not None:
        pre += [_PEP440_PRE[pv.pre[0]], str(pv.pre[1])]
    if pv.dev is not None:
        pre += ["dev", str(pv.dev)]
    return Version(parts[0], parts[1], parts[2], ".".join(pre), pv.local or "")


def to_pep440(version: Version) -> str:
    """``1.2.0-rc.1`` → ``1.2.0rc1``, ``1.2.0-beta.2`` → ``1.2.0b2``, ``-dev.3`` → ``.dev3``."""
    text = f"{version.major}.{version.minor}.{version.patch}"
    idents = version.prerelease.split(".") if version.prerelease else []
    i = 0
    while i < len(idents):
        name = idents[i].lower()
        number = idents[i + 1] if i + 1 < len(idents) and idents[i + 1].isdigit() else None
        if name == "dev":
            text += f".dev{number or 0}"
        elif name in _SEMVER_PRE:
            text += f"{_SEMVER_PRE[name]}{number or 0}"
        else:
            raise VersionError(f"prerelease {version.prerelease!r} has no PEP 440 equivalent")
        i += 2 if number is not None else 1
    if version.build:
        text += "+" + version.build
    from packaging.version import InvalidVersion  # noqa: PLC0415 - see from_pep440
    from packaging.version import Version as Pep440  # noqa: PLC0415

    try:
        return str(Pep440(text))
    except InvalidVersion:
        raise VersionError(f"{version} has no PEP 440 equivalent") from None

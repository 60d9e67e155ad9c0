"""Versionings, update types and range strategies, as Renovate computes them. Pure.

- ``pep440`` (PyPI): ``packaging`` ordering; release segments 0/1/2 give major/minor; a
  specifier is kept when the proposal satisfies it (Renovate's ``replace`` range strategy),
  else rewritten at the precision it was written with (``>=1.26,<2`` → ``>=2.8,<3``).
- ``docker``: numeric release + suffix; only tags with the same suffix and the same number of
  release parts are candidates (``3.11.4-slim`` → ``3.13.0-slim``, never ``3.12-slim``).
- ``semver`` (action tags): a leading ``v``; the precision is kept (``v3`` → ``v4``).
- ``node`` (what ``config:recommended``'s ``workarounds:nodeDockerVersioning`` gives ``node``
  images): the tag is a version plus a compatibility suffix (``-alpine``); only full ``X.Y.Z``
  tags are versions (npm semver), odd majors are never stable, and a partial current value
  (``18-alpine``) is a range kept while a version inside it exists (so ``18-alpine`` gets no
  proposal when ``18.20.4-alpine`` is the newest ``-alpine`` version, as with Renovate).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

UPDATE_TYPES = (
    "major", "minor", "patch", "pin", "pinDigest", "digest",
    "rollback", "bump", "lockFileMaintenance", "replacement",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Proposal:
    """The newest version of one bucket: its text in the file, its type and its major."""

    version: str
    new_value: str
    update_type: str
    major: int
    minor: int = 0


def classify(current: Sequence[int], new: Sequence[int]) -> str:
    """``major`` / ``minor`` / ``patch`` from release parts (missing parts are 0)."""
    cur = [*current, 0, 0, 0]
    nxt = [*new, 0, 0, 0]
    if nxt[0] != cur[0]:
        return "major"
    if nxt[1] != cur[1]:
        return "minor"
    return "patch"


@dataclass(frozen=True, slots=True)
class Separation:
    """Renovate's bucket options: ``separateMajorMinor`` (newest major apart from newest
    non-major), ``separateMultipleMajor`` (one per major), ``separateMinorPatch`` (newest patch
    apart from newest minor)."""

    major_minor: bool = True
    multiple_major: bool = False
    minor_patch: bool = False


def _part(parts: Sequence[int], index: int) -> int:
    return parts[index] if len(parts) > index else 0


def _buckets(
    current: Sequence[int],
    candidates: Sequence[tuple[Sequence[int], str, Any]],
    separate: bool | Separation,
) -> list[tuple[str, Sequence[int]]]:
    """Newest candidate per bucket (see :class:`Separation`; ``True`` / ``False`` is
    ``separateMajorMinor``). Candidates are (release parts, text, sort key), all newer than
    the current version."""
    options = separate if isinstance(separate, Separation) else Separation(major_minor=separate)
    if not candidates:
        return []
    newer = sorted(candidates, key=lambda item: item[2])
    if not options.major_minor:
        return [(newer[-1][1], newer[-1][0])]
    buckets: dict[tuple[str, int], tuple[Sequence[int], str, Any]] = {}
    for item in newer:  # ascending: the newest of each bucket wins
        parts = item[0]
        if _part(parts, 0) != _part(current, 0):
            key = ("major", _part(parts, 0) if options.multiple_major else -1)
        elif options.minor_patch and _part(parts, 1) == _part(current, 1):
            key = ("patch", 0)
        else:
            key = ("non-major", 0)
        buckets[key] = item
    order = sorted(buckets, key=lambda k: ({"patch": 0, "non-major": 1, "major": 2}[k[0]], k[1]))
    return [(buckets[k][1], buckets[k][0]) for k in order]


# ----------------------------------------------------------------------------- pep440

_CLAUSE = re.compile(r"\s*(===|==|~=|!=|<=|>=|<|>)\s*([^,\s]+)\s*")


def _release(version: Version) -> tuple[int, ...]:
    return tuple(version.release)


def _truncate(version: Version, precision: int) -> str:
    parts = list(version.release) + [0] * precision
    return ".".join(str(p) for p in parts[:precision])


def _bump_upper(bound: str, version: Version) -> str:
    """A ``<`` bound moved past ``version``, as the original meant it: ``<2`` → ``<3``,
    ``<2.0`` → ``<3.0`` (below the next major), ``<1.27`` → ``<2.9`` (below the next minor)."""
    original = [int(p) if p.isdigit() else 0 for p in bound.split(".")]
    step = max((i for i, p in enumerate(original) if p), default=len(original) - 1)
    parts = (list(version.release) + [0] * len(original))[: step + 1]
    parts[step] += 1
    parts += [0] * (len(original) - len(parts))
    return ".".join(str(p) for p in parts)


def pep440_new_value(spec: str, new: Version) -> str | None:
    """The specifier rewritten for ``new`` (None when it cannot be rewritten)."""
    clauses = spec.split(",")
    out: list[str] = []
    for clause in clauses:
        match = _CLAUSE.fullmatch(clause)
        if match is None:
            return None
        op, text = match.groups()
        if text.endswith(".*"):
            return None
        precision = len(text.split("."))
        lead = clause[: clause.index(op)]
        if op in {"==", "===", ">=", "~="}:
            value = (
                str(new)
                if op in {"==", "==="}
                else _truncate(new, max(precision, 2 if op == "~=" else 1))
            )
        elif op in {"<", "<="}:
            value = _bump_upper(text, new) if op == "<" else str(new)
        elif op == ">":
            return None
        else:  # != stays
            value = text
        out.append(f"{lead}{op}{clause[clause.index(op) + len(op) :].replace(text, value, 1)}")
    return ",".join(out)


def pep440_proposals(
    spec: str,
    versions: Sequence[str],
    *,
    separate_major_minor: bool | Separation = True,
    render: Callable[[Version], str] | None = None,
) -> list[Proposal]:
    """Proposals for a PEP 440 specifier given the index's (non-yanked) versions.

    ``==X`` is compared with X; a range with the newest version satisfying it; pre-releases
    are candidates only when the current version is one."""
    try:
        specifier = SpecifierSet(spec)
    except InvalidSpecifier:
        return []
    parsed: list[Version] = []
    for text in versions:
        try:
            parsed.append(Version(text))
        except InvalidVersion:
            continue
    pins = [s for s in specifier if s.operator in {"==", "==="}]
    if pins:
        try:
            current = Version(pins[0].version)
        except InvalidVersion:
            return []
    else:
        satisfying = [v for v in parsed if specifier.contains(v, prereleases=False)]
        if not satisfying:
            return []
        current = max(satisfying)
    allow_pre = current.is_prerelease
    pool = [v for v in parsed if allow_pre or not v.is_prerelease]
    candidates = [(_release(v), str(v), v) for v in pool if v > current]
    proposals: list[Proposal] = []
    for text, parts in _buckets(_release(current), candidates, separate_major_minor):
        new = Version(text)
        if not pins and specifier.contains(new, prereleases=True):
            continue  # the range already allows it ("up to date within its constraint")
        new_value = render(new) if render is not None else pep440_new_value(spec, new)
        if new_value is None or new_value == spec:
            continue
        proposals.append(
            Proposal(text, new_value, classify(_release(current), parts), parts[0], _part(parts, 1))
        )
    return proposals


# ----------------------------------------------------------------------------- poetry

_POETRY = re.compile(r"^(?P<op>\^|~(?!=)|==|)\s*(?P<ver>\d+(?:\.\d+)*)$")


def poetry_to_pep440(constraint: str) -> str | None:
    """A Poetry constraint as a PEP 440 specifier: ``^1.2.3`` → ``>=1.2.3,<2``, ``^0.2`` →
    ``>=0.2,<0.3``, ``~1.2.3`` → ``>=1.2.3,<1.3``, ``1.2.3`` → ``==1.2.3``; PEP 440 text stays."""
    text = constraint.strip()
    match = _POETRY.match(text)
    if match is None:
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            return None
        return text
    op, version = match["op"], match["ver"]
    if op in {"", "=="}:
        return f"=={version}"
    parts = [int(p) for p in version.split(".")]
    if op == "^":
        index = next((i for i, p in enumerate(parts) if p), len(parts) - 1)
    else:
        index = 1 if len(parts) >= 2 else 0
    upper = parts[: index + 1]
    upper[-1] += 1
    return f">={version},<{'.'.join(str(p) for p in upper)}"


def poetry_proposals(
    constraint: str, versions: Sequence[str], *, separate_major_minor: bool | Separation = True
) -> list[Proposal]:
    """Proposals for a Poetry constraint, kept in Poetry's form (``^8.1`` → ``^9.0``)."""
    spec = poetry_to_pep440(constraint)
    match = _POETRY.match(constraint.strip())
    if spec is None:
        return []
    if match is None:
        return pep440_proposals(spec, versions, separate_major_minor=separate_major_minor)
    op, precision = match["op"], len(match["ver"].split("."))

    def render(new: Version) -> str:
        return op + (str(new) if op in {"", "=="} else _truncate(new, precision))

    return pep440_proposals(
        spec, versions, separate_major_minor=separate_major_minor, render=render
    )


# ------------------------------------------------------------------ docker and semver

_DOCKER_TAG = re.compile(r"^(?P<release>\d+(?:\.\d+)*)(?P<suffix>[-_.+]?[A-Za-z].*|-.*)?$")
_SEMVER_TAG = re.compile(r"^(?P<prefix>v?)(?P<release>\d+(?:\.\d+)*)$")
_NODE_CURRENT = re.compile(r"^(?P<release>\d+(?:\.\d+){0,2})(?P<suffix>-.*)?$")
_NODE_TAG = re.compile(r"^(?P<release>\d+\.\d+\.\d+)(?P<suffix>-.*)?$")


def node_proposals(
    current: str, tags: Sequence[str], *, separate_major_minor: bool | Separation = True
) -> list[Proposal]:
    """Renovate's ``node`` versioning on Docker tags (see the module docstring)."""
    match = _NODE_CURRENT.match(current)
    if match is None:
        return []
    suffix = match["suffix"] or ""
    written = tuple(int(p) for p in match["release"].split("."))
    precision = len(written)
    versions: list[tuple[int, ...]] = []
    for tag in tags:
        other = _NODE_TAG.match(tag)
        if other is None or (other["suffix"] or "") != suffix:
            continue
        parts = tuple(int(p) for p in other["release"].split("."))
        if parts[0] % 2 == 0 or parts[0] == written[0]:  # odd majors are never LTS
            versions.append(parts)
    inside = [v for v in versions if v[:precision] == written]
    base = max(inside) if inside else (*written, *(0,) * (3 - precision))
    newer = [v for v in versions if v > base and (precision == 3 or v[:precision] != written)]
    proposals: list[Proposal] = []
    for _text, found in _buckets(base, [(v, "", v) for v in newer], separate_major_minor):
        value = ".".join(str(p) for p in found[:precision]) + suffix
        proposals.append(Proposal(value, value, classify(base, found), found[0], _part(found, 1)))
    return proposals


def _parse_tag(tag: str, scheme: str) -> tuple[tuple[int, ...], str] | None:
    """(release parts, suffix or prefix) of a tag, or None when it is not a version."""
    if scheme == "semver":
        match = _SEMVER_TAG.match(tag)
        return (
            (tuple(int(p) for p in match["release"].split(".")), match["prefix"]) if match else None
        )
    match = _DOCKER_TAG.match(tag)
    if match is None:
        return None
    return tuple(int(p) for p in match["release"].split(".")), match["suffix"] or ""


def is_version_tag(tag: str, scheme: str) -> bool:
    return _parse_tag(tag, scheme) is not None


def tag_proposals(
    current: str,
    tags: Sequence[str],
    scheme: str,
    *,
    separate_major_minor: bool | Separation = True,
) -> list[Proposal]:
    """Proposals among ``tags`` with the same suffix (docker) or prefix (semver) and the same
    number of release parts as ``current``."""
    if scheme == "node":
        return node_proposals(current, tags, separate_major_minor=separate_major_minor)
    parsed = _parse_tag(current, scheme)
    if parsed is None:
        return []
    release, extra = parsed
    candidates: list[tuple[Sequence[int], str, Any]] = []
    for tag in tags:
        other = _parse_tag(tag, scheme)
        if other is None or other[1] != extra or len(other[0]) != len(release):
            continue
        if other[0] > release:
            candidates.append((other[0], tag, other[0]))
    return [
        Proposal(text, text, classify(release, parts), parts[0], _part(parts, 1))
        for text, parts in _buckets(release, candidates, separate_major_minor)
    ]

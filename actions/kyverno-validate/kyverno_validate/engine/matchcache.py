"""Rule ``match``/``exclude`` blocks whose result depends on the kind alone.

Most rules match on ``kinds`` and nothing else: their answer for a Deployment is the same for
every Deployment. For such blocks (:func:`kinds_only`) the answer of :func:`match.rule_matches`
is the same for every request of one kind key (kind, group, version, subresource and whether
userinfo was given, all that such a block reads): :mod:`ruleplan` matches them once per key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kyverno_validate.engine.match import Request

KindKey = tuple[str, str, str, str, str, str, str, bool]
_BLOCK_KEYS = frozenset({"any", "all", "resources"})
_FILTER_KEYS = frozenset({"resources"})


def kind_key(request: Request) -> KindKey:
    """Every request field a kinds-only block reads."""
    return (
        request.kind,
        request.group,
        request.version,
        request.subresource,
        request.sub_kind,
        request.sub_group,
        request.sub_version,
        request.has_userinfo,
    )


def _kinds_only_filter(filt: Any) -> bool:
    if not isinstance(filt, Mapping) or not filt.keys() <= _FILTER_KEYS:
        return False
    resources = filt.get("resources")
    return resources is None or (isinstance(resources, Mapping) and resources.keys() <= {"kinds"})


def kinds_only(block: Any) -> bool:
    """Whether a match/exclude block reads nothing but the request's kind (None: no block)."""
    if block is None:
        return True
    if not isinstance(block, Mapping) or not block.keys() <= _BLOCK_KEYS:
        return False
    filters = [*(block.get("any") or []), *(block.get("all") or [])]
    if not isinstance(block.get("any") or [], list) or not isinstance(block.get("all") or [], list):
        return False
    return all(_kinds_only_filter(f) for f in filters) and _kinds_only_filter(
        {"resources": block.get("resources")}
    )

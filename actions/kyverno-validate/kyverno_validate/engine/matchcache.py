"""Rule ``match``/``exclude`` results remembered where they depend on the kind alone.

Most rules match on ``kinds`` and nothing else: their answer for a Deployment is the same for
every Deployment. For such blocks (:func:`kinds_only`) the answer of :func:`match.rule_matches`
is kept per kind key (kind, group, version, subresource and whether userinfo was given, all
that such a block reads); any other block is matched afresh each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kyverno_validate.engine.match import Request, rule_matches

KindKey = tuple[str, str, str, str, str, str, str, bool]
_BLOCK_KEYS = frozenset({"any", "all", "resources"})
_FILTER_KEYS = frozenset({"resources"})
_LIMIT = 65536


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


_PLANS: dict[int, tuple[Mapping[str, Any], Any, bool]] = {}
_RESULTS: dict[tuple[int, KindKey], bool] = {}


def matches(
    match: Mapping[str, Any], exclude: Mapping[str, Any] | None, request: Request, key: KindKey
) -> bool:
    """``rule_matches(match, exclude, request)``; ``key`` is ``kind_key(request)``."""
    plan = _PLANS.get(id(match))
    if plan is None or plan[0] is not match or plan[1] is not exclude:
        if len(_PLANS) > _LIMIT:
            _PLANS.clear()
            _RESULTS.clear()
        plan = (match, exclude, kinds_only(match) and kinds_only(exclude))
        _PLANS[id(match)] = plan  # holding the objects keeps their ids unique
        for stale in [k for k in _RESULTS if k[0] == id(match)]:
            del _RESULTS[stale]
    if not plan[2]:
        return rule_matches(match, exclude, request)
    found = _RESULTS.get((id(match), key))
    if found is None:
        found = rule_matches(match, exclude, request)
        _RESULTS[(id(match), key)] = found
    return found

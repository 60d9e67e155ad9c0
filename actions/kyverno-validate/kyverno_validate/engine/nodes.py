"""Patterns compiled once per policy: anchors parsed and keys ordered ahead of validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.anchors import ADD_IF_NOT_PRESENT, GLOBAL, parse_anchor

Node = Any  # MapNode | ArrayNode | a scalar leaf (str, int, float, bool, None)


@dataclass(frozen=True, slots=True)
class MapNode:
    # (modifier, key, node) for condition/equality/negation/existence anchors, in pattern order
    anchors: tuple[tuple[str, str, Node], ...]
    # (global-anchor key or None, key, node): keys with nested anchors first, as Kyverno sorts
    rest: tuple[tuple[str | None, str, Node], ...]
    # the raw pattern, kept when metadata labels/annotations use wildcard keys
    wildcard_metadata: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ArrayNode:
    items: tuple[Node, ...]


def is_anchor_key(key: str) -> bool:
    anchor = parse_anchor(key)
    return anchor is not None and anchor.modifier not in (GLOBAL, ADD_IF_NOT_PRESENT)


def has_nested_anchors(pattern: Any) -> bool:
    """Any anchor (global ones included) at any depth: Kyverno checks those keys first."""
    if isinstance(pattern, dict):
        return any(parse_anchor(key) is not None for key in pattern) or any(
            has_nested_anchors(value) for value in pattern.values()
        )
    if isinstance(pattern, list):
        return any(has_nested_anchors(value) for value in pattern)
    return False


def strip(key: str) -> str:
    anchor = parse_anchor(key)
    return anchor.key if anchor else key


def _wildcard_metadata(pattern: dict[str, Any]) -> bool:
    meta = next((v for k, v in pattern.items() if strip(k) == "metadata"), None)
    if not isinstance(meta, dict):
        return False
    return any(
        isinstance(tags, dict) and any(wildcard.contains_wildcard(k) for k in tags)
        for key, tags in meta.items()
        if strip(key) in ("labels", "annotations")
    )


def compile_pattern(pattern: Any) -> Node:
    if isinstance(pattern, dict):
        anchors: list[tuple[str, str, Node]] = []
        plain: list[str] = []
        for key, value in pattern.items():
            if is_anchor_key(key):
                anchor = parse_anchor(key)
                assert anchor is not None  # noqa: S101 - is_anchor_key parsed it
                anchors.append((anchor.modifier, anchor.key, compile_pattern(value)))
            else:
                plain.append(key)
        nested = [k for k in sorted(plain) if has_nested_anchors(pattern[k])]
        flat = [k for k in sorted(plain) if not has_nested_anchors(pattern[k])]
        rest: list[tuple[str | None, str, Node]] = []
        for key in [*reversed(nested), *flat]:
            anchor = parse_anchor(key)
            if anchor is not None and anchor.modifier == GLOBAL:
                rest.append((GLOBAL, anchor.key, compile_pattern(pattern[key])))
            else:
                rest.append((None, key, compile_pattern(pattern[key])))
        return MapNode(
            tuple(anchors), tuple(rest), pattern if _wildcard_metadata(pattern) else None
        )
    if isinstance(pattern, list):
        return ArrayNode(tuple(compile_pattern(item) for item in pattern))
    return pattern

"""Pattern validation: a resource against a ``validate.pattern`` tree (``validate.go``).

``match_pattern`` returns None when the resource satisfies the pattern, else the
:class:`PatternError` whose ``skip`` tells a conditional/global anchor mismatch (the rule does
not apply) from a real failure.
"""

from __future__ import annotations

from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.anchors import (
    ADD_IF_NOT_PRESENT,
    GLOBAL,
    HANDLERS,
    PatternError,
    handle_default,
    parse_anchor,
)
from kyverno_validate.engine.gotypes import sprint
from kyverno_validate.engine.valuepattern import validate_value

_SCALARS = (str, int, float, bool, type(None))


def match_pattern(resource: Any, pattern: Any) -> PatternError | None:
    try:
        _validate_element(resource, pattern, "/")
    except PatternError as exc:
        return exc
    return None


def _validate_element(resource: Any, pattern: Any, path: str) -> None:
    if isinstance(pattern, dict):
        if not isinstance(resource, dict):
            raise PatternError(
                f"pattern and resource have different structures. Path: {path}. "
                f"Expected map, found {_go_type(resource)}",
                path,
            )
        _validate_map(resource, pattern, path)
    elif isinstance(pattern, list):
        if not isinstance(resource, list):
            raise PatternError(
                f"validation rule failed at path {path}, resource does not satisfy the "
                "expected overlay pattern",
                path,
            )
        _validate_array(resource, pattern, path)
    elif isinstance(pattern, _SCALARS):
        if isinstance(resource, list):
            for item in resource:
                if not validate_value(item, pattern):
                    raise PatternError(_mismatch(resource, pattern, path), path)
        elif not validate_value(resource, pattern):
            raise PatternError(_mismatch(resource, pattern, path), path)
    else:
        raise PatternError(f"failed at '{path}', pattern contains unknown type", path)


def _mismatch(resource: Any, pattern: Any, path: str) -> str:
    return f"resource value '{sprint(resource)}' does not match '{sprint(pattern)}' at path {path}"


def _go_type(value: Any) -> str:
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "<nil>"


def _is_anchor_key(key: str) -> bool:
    anchor = parse_anchor(key)
    return anchor is not None and anchor.modifier not in (GLOBAL, ADD_IF_NOT_PRESENT)


def _has_nested_anchors(pattern: Any) -> bool:
    if isinstance(pattern, dict):
        return any(_is_anchor_key(key) for key in pattern) or any(
            _has_nested_anchors(value) for value in pattern.values()
        )
    if isinstance(pattern, list):
        return any(_has_nested_anchors(value) for value in pattern)
    return False


def _validate_map(resource: dict[str, Any], pattern: dict[str, Any], path: str) -> None:
    pattern = _expand_metadata(pattern, resource)
    plain: list[str] = []
    for key, value in pattern.items():
        if _is_anchor_key(key):
            anchor = parse_anchor(key)
            assert anchor is not None  # noqa: S101 - _is_anchor_key parsed it
            HANDLERS[anchor.modifier](_validate_element, anchor.key, value, resource, path)
        else:
            plain.append(key)
    nested = [key for key in sorted(plain) if _has_nested_anchors(pattern[key])]
    flat = [key for key in sorted(plain) if not _has_nested_anchors(pattern[key])]
    for key in [*reversed(nested), *flat]:
        anchor = parse_anchor(key)
        if anchor is not None and anchor.modifier == GLOBAL:
            HANDLERS[GLOBAL](_validate_element, anchor.key, pattern[key], resource, path)
        else:
            handle_default(_validate_element, key, pattern[key], resource, path)


def _validate_array(resource: list[Any], pattern: list[Any], path: str) -> None:
    if not pattern:
        raise PatternError("pattern Array empty", path)
    first = pattern[0]
    if isinstance(first, dict):
        _validate_array_of_maps(resource, first, path)
        return
    if isinstance(first, _SCALARS):
        _validate_element(resource, first, path)
        return
    if len(resource) < len(pattern):
        raise PatternError(
            f"validate Array failed, array length mismatch, resource Array len is {len(resource)} "
            f"and pattern Array len is {len(pattern)}",
            "",
        )
    applied = 0
    skipped: list[PatternError] = []
    for index, element in enumerate(pattern):
        try:
            _validate_element(resource[index], element, f"{path}{index}/")
        except PatternError as exc:
            if exc.skip:
                skipped.append(exc)
                continue
            raise
        applied += 1
    if applied == 0 and skipped:
        raise PatternError("; ".join(str(e) for e in skipped), path, skipped[0].kind)


def _validate_array_of_maps(resource: list[Any], pattern: dict[str, Any], path: str) -> None:
    applied = 0
    skipped: list[PatternError] = []
    for index, element in enumerate(resource):
        try:
            _validate_element(element, pattern, f"{path}{index}/")
        except PatternError as exc:
            if exc.skip:
                skipped.append(exc)
                continue
            raise
        applied += 1
    if applied == 0 and skipped:
        raise PatternError("; ".join(str(e) for e in skipped), path, skipped[0].kind)


def _expand_metadata(pattern: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """Wildcard keys under ``metadata.labels``/``annotations`` take the resource's matching key."""
    meta_key = next((k for k in pattern if _strip(k) == "metadata"), None)
    if meta_key is None or not isinstance(pattern[meta_key], dict):
        return pattern
    resource_meta = resource.get("metadata")
    if not isinstance(resource_meta, dict):
        return pattern
    meta = pattern[meta_key]
    changed: dict[str, Any] = {}
    for tag in ("labels", "annotations"):
        tag_key = next((k for k in meta if _strip(k) == tag), None)
        if tag_key is None or not isinstance(meta[tag_key], dict):
            continue
        resource_tags = resource_meta.get(tag)
        if not isinstance(resource_tags, dict) or not any(
            wildcard.contains_wildcard(k) for k in meta[tag_key]
        ):
            continue
        expanded: dict[str, Any] = {}
        for key, value in meta[tag_key].items():
            anchor = parse_anchor(key)
            bare = anchor.key if anchor else key
            new_key = key
            if wildcard.contains_wildcard(bare):
                found = next((k for k in resource_tags if wildcard.match(bare, k)), bare)
                new_key = f"{anchor.modifier}({found})" if anchor else found
            expanded[new_key] = value
        changed[tag_key] = expanded
    if not changed:
        return pattern
    return {**pattern, meta_key: {**meta, **changed}}


def _strip(key: str) -> str:
    anchor = parse_anchor(key)
    return anchor.key if anchor else key

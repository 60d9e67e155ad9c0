"""Pattern validation: a resource against a ``validate.pattern`` tree (``validate.go``).

``match_pattern`` returns None when the resource satisfies the pattern, else the
:class:`PatternError` whose ``skip`` tells a conditional/global anchor mismatch (the rule does
not apply) from a real failure. Patterns are compiled once (:mod:`nodes`).
"""

from __future__ import annotations

from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.anchors import GLOBAL, HANDLERS, PatternError, handle_default
from kyverno_validate.engine.gotypes import sprint
from kyverno_validate.engine.nodes import ArrayNode, MapNode, compile_pattern, strip
from kyverno_validate.engine.patternplan import SKIPS, Check, Verdict, check_of, full_path
from kyverno_validate.engine.valuepattern import validate_value

_SCALARS = (str, int, float, bool, type(None))


def match_pattern(resource: Any, pattern: Any) -> PatternError | None:
    """Validate against a raw or compiled pattern. A compiled pattern's verdict (pass, or the
    error's kind and path) comes from :mod:`patternplan` without walking the tree; the error's
    message is the interpreter's, made when asked for."""
    if isinstance(pattern, MapNode | ArrayNode):
        verdict = check_of(pattern, _validate_element)(resource)
        if verdict is None:
            return None
        return _VerdictError(resource, pattern, verdict)
    try:
        _validate_element(resource, compile_pattern(pattern), "/")
    except PatternError as exc:
        return exc
    return None


def pattern_check(pattern: Any) -> Check | None:
    """The compiled verdict :func:`match_pattern` gives for a compiled pattern, without the
    error object (None: the pattern is not a compiled map or array)."""
    if isinstance(pattern, MapNode | ArrayNode):
        return check_of(pattern, _validate_element)
    return None


def pattern_verdict(resource: Any, pattern: Any) -> tuple[bool, str] | None:
    """What :func:`match_pattern` tells of a failure, without its message: whether it skips
    the rule, and its path (None: the resource passes)."""
    if isinstance(pattern, MapNode | ArrayNode):
        verdict = check_of(pattern, _validate_element)(resource)
        return None if verdict is None else (verdict[0] in SKIPS, full_path(verdict))
    error = match_pattern(resource, pattern)
    return None if error is None else (error.skip, error.path)


class _VerdictError(PatternError):
    """A compiled verdict's failure: kind and path known, the message walked for on demand."""

    def __init__(self, resource: Any, node: Any, verdict: Verdict) -> None:
        super().__init__("", full_path(verdict), verdict[0])
        self._resource = resource
        self._node = node

    def __str__(self) -> str:
        try:
            _validate_element(self._resource, self._node, "/")
        except PatternError as exc:
            return str(exc)
        return ""  # pragma: no cover - the verdict and the interpreter agree (test_patternplan)


def _validate_element(resource: Any, node: Any, path: str) -> None:
    if isinstance(node, MapNode):
        if not isinstance(resource, dict):
            raise PatternError(
                f"pattern and resource have different structures. Path: {path}. "
                f"Expected map, found {_go_type(resource)}",
                path,
            )
        _validate_map(resource, node, path)
    elif isinstance(node, ArrayNode):
        if not isinstance(resource, list):
            raise PatternError(
                f"validation rule failed at path {path}, resource does not satisfy the "
                "expected overlay pattern",
                path,
            )
        _validate_array(resource, node.items, path)
    elif isinstance(node, _SCALARS):
        if isinstance(resource, list):
            for item in resource:
                if not validate_value(item, node):
                    raise PatternError(_mismatch(resource, node, path), path)
        elif not validate_value(resource, node):
            raise PatternError(_mismatch(resource, node, path), path)
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


def _validate_map(resource: dict[str, Any], node: MapNode, path: str) -> None:
    if node.wildcard_metadata is not None:
        expanded = _expand_metadata(node.wildcard_metadata, resource)
        if expanded is not node.wildcard_metadata:
            compiled = compile_pattern(expanded)
            node = MapNode(compiled.anchors, compiled.rest, None)
    for modifier, key, child in node.anchors:
        HANDLERS[modifier](_validate_element, key, child, resource, path)
    for global_modifier, plain_key, child in node.rest:
        if global_modifier == GLOBAL:
            HANDLERS[GLOBAL](_validate_element, plain_key, child, resource, path)
        else:
            handle_default(_validate_element, plain_key, child, resource, path)


def _validate_array(resource: list[Any], items: tuple[Any, ...], path: str) -> None:
    if not items:
        raise PatternError("pattern Array empty", path)
    first = items[0]
    if isinstance(first, MapNode):
        _validate_each(resource, [first] * len(resource), path)
        return
    if isinstance(first, _SCALARS):
        _validate_element(resource, first, path)
        return
    if len(resource) < len(items):
        raise PatternError(
            f"validate Array failed, array length mismatch, resource Array len is {len(resource)} "
            f"and pattern Array len is {len(items)}",
            "",
        )
    _validate_each(resource[: len(items)], list(items), path)


def _validate_each(resource: list[Any], nodes: list[Any], path: str) -> None:
    applied = 0
    skipped: list[PatternError] = []
    for index, (element, node) in enumerate(zip(resource, nodes, strict=False)):
        try:
            _validate_element(element, node, f"{path}{index}/")
        except PatternError as exc:
            if exc.skip:
                skipped.append(exc)
                continue
            raise
        applied += 1
    if applied == 0 and skipped:
        raise PatternError("; ".join(str(e) for e in skipped), path, skipped[0].kind)


def _expand_metadata(pattern: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """Wildcard keys under ``metadata.labels``/``annotations`` take the resource's matching key
    (``pattern`` is a node's ``wildcard_metadata``: its ``metadata`` is a map)."""
    meta_key = next(k for k in pattern if strip(k) == "metadata")
    resource_meta = resource.get("metadata")
    if not isinstance(resource_meta, dict):
        return pattern
    meta = pattern[meta_key]
    changed: dict[str, Any] = {}
    for tag in ("labels", "annotations"):
        tag_key = next((k for k in meta if strip(k) == tag), None)
        if tag_key is None or not isinstance(meta[tag_key], dict):
            continue
        resource_tags = resource_meta.get(tag)
        if not isinstance(resource_tags, dict):
            continue
        expanded: dict[str, Any] = {}
        for key, value in meta[tag_key].items():
            bare = strip(key)
            new_key = key
            if wildcard.contains_wildcard(bare):
                found = next((k for k in resource_tags if wildcard.match(bare, k)), bare)
                new_key = key.replace(bare, found) if bare != key else found
            expanded[new_key] = value
        changed[tag_key] = expanded
    if not changed:
        return pattern
    return {**pattern, meta_key: {**meta, **changed}}

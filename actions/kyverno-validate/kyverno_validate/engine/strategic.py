"""``patchStrategicMerge`` with anchors (``strategicPreprocessing.go``, ``strategicMergePatch.go``).

First the patch is pre-processed against the resource, as Kyverno does:

- ``+(key)`` (add-if-not-present) is dropped when the resource has the key, else unwrapped;
- ``<(key)`` (global) and ``(key)`` (conditional) anchors are checked with the validation
  pattern matcher: a failed condition in a map skips the whole patch; in a list of maps it skips
  that resource element, and the elements that pass get a copy of the patch element carrying
  their ``name`` (so the merge finds them);
- the anchors are then removed from the patch.

Then the patch is merged like kustomize's kyaml ``merge2``: maps merge key by key, ``null``
deletes, scalars replace, lists of maps merge by their merge key (``name``, ``mountPath``,
``containerPort``, …; new items go first, as kustomize prepends them) and other lists are
replaced; ``$patch: replace|delete`` directives work.
Pure: new documents out, inputs never changed.
"""

from __future__ import annotations

import copy
from typing import Any

from kyverno_validate.engine.anchors import (
    ADD_IF_NOT_PRESENT,
    CONDITION,
    GLOBAL,
    Anchor,
    parse_anchor,
)
from kyverno_validate.engine.gotypes import sprint
from kyverno_validate.engine.patterns import match_pattern


class ConditionFailed(Exception):
    """A conditional anchor did not match: the element (or the whole patch) is skipped."""


class GlobalConditionFailed(Exception):
    """A global anchor did not match: the whole patch is skipped."""


def _anchor(key: Any) -> Anchor | None:
    return parse_anchor(key) if isinstance(key, str) else None


def _is_condition(anchor: Anchor | None) -> bool:
    return anchor is not None and anchor.modifier in (CONDITION, GLOBAL)


def _is_mutate_anchor(anchor: Anchor | None) -> bool:
    return _is_condition(anchor) or (anchor is not None and anchor.modifier == ADD_IF_NOT_PRESENT)


# ---- pre-processing -------------------------------------------------------------------------


def preprocess(patch: Any, resource: Any) -> Any:
    """The patch with its anchors resolved against the resource (a new document); raises
    :class:`ConditionFailed` / :class:`GlobalConditionFailed` when the patch does not apply."""
    pattern = copy.deepcopy(patch)
    _walk(pattern, resource)
    if isinstance(pattern, dict):
        _delete_condition_elements(pattern)
    return pattern


def _walk(pattern: Any, resource: Any) -> None:
    if isinstance(pattern, dict):
        _walk_map(pattern, resource)
    elif isinstance(pattern, list) and pattern and isinstance(pattern[0], dict):
        _walk_list_of_maps(pattern, resource)


def _walk_map(pattern: dict[str, Any], resource: Any) -> None:
    _add_if_not_present(pattern, resource)
    _check_conditions(pattern, resource)
    for key in [k for k in pattern if not _is_mutate_anchor(_anchor(k))]:
        value = resource.get(key) if isinstance(resource, dict) else None
        _walk(pattern[key], value)


def _add_if_not_present(pattern: Any, resource: Any) -> int:
    if not isinstance(pattern, dict):
        return 0
    found = [
        (key, anchor)
        for key in list(pattern)
        if (anchor := _anchor(key)) is not None and anchor.modifier == ADD_IF_NOT_PRESENT
    ]
    for key, anchor in found:
        value = pattern.pop(key)
        if not (isinstance(resource, dict) and anchor.key in resource):
            pattern[anchor.key] = value
    return len(found)


def _scalar_text(value: Any) -> Any:
    """Kyverno reads a scalar node's text: both sides of a scalar condition are strings."""
    if isinstance(value, dict | list):
        return value
    if value is None:
        return "null"
    return sprint(value)


def _check_conditions(pattern: dict[str, Any], resource: Any) -> None:
    for modifier, error in ((GLOBAL, GlobalConditionFailed), (CONDITION, ConditionFailed)):
        for key in list(pattern):
            anchor = _anchor(key)
            if anchor is None or anchor.modifier != modifier:
                continue
            if not isinstance(resource, dict) or anchor.key not in resource:
                raise error(f'could not found "{anchor.key}" key in the resource')
            pattern_value = pattern[key]
            resource_value = resource[anchor.key]
            if _add_if_not_present(pattern_value, resource_value) > 0:
                continue
            failure = match_pattern(_scalar_text(resource_value), _scalar_text(pattern_value))
            if failure is not None:
                raise error(str(failure))


def _has_anchors(node: Any, *, only_global: bool) -> bool:
    if isinstance(node, dict):
        for key, value in node.items():
            anchor = _anchor(key)
            if anchor is not None and (
                anchor.modifier == GLOBAL if only_global else _is_mutate_anchor(anchor)
            ):
                return True
            if value not in (None, "", {}, []) and _has_anchors(value, only_global=only_global):
                return True
        return False
    if isinstance(node, list):
        return any(_has_anchors(item, only_global=only_global) for item in node)
    return isinstance(node, str) and _is_condition(parse_anchor(node))


def _walk_list_of_maps(pattern: list[Any], resource: Any) -> None:
    elements = resource if isinstance(resource, list) else []
    for template in list(pattern):
        if not _has_anchors(template, only_global=False):
            continue
        has_global = _has_anchors(template, only_global=True)
        passed_global = False
        last_global: GlobalConditionFailed | None = None
        # one copy per template, shared across the resource elements, as in Kyverno
        working = copy.deepcopy(template)
        for element in elements:
            try:
                _walk(working, element)
            except ConditionFailed:
                continue
            except GlobalConditionFailed as exc:
                last_global = exc
                continue
            if has_global:
                passed_global = True
            else:
                _add_named_copy(pattern, working, element)
        if resource is None:
            try:
                _walk(working, None)
            except ConditionFailed:
                continue
            if has_global:
                passed_global = True
        if not passed_global and last_global is not None:
            raise last_global


def _add_named_copy(pattern: list[Any], template: Any, element: Any) -> None:
    name = element.get("name") if isinstance(element, dict) else None
    if name in (None, ""):
        return
    node = copy.deepcopy(template)
    if _delete_anchors(node, delete_scalar=True):
        return
    node["name"] = name
    pattern.append(node)


def _delete_condition_elements(pattern: dict[str, Any]) -> None:
    for key in list(pattern):
        if _delete_anchors(pattern[key], delete_scalar=_is_condition(_anchor(key))):
            del pattern[key]


def _delete_anchors(node: Any, *, delete_scalar: bool) -> bool:
    """Remove the anchors below ``node``; True when the node itself must go."""
    if isinstance(node, dict):
        return _delete_anchors_in_map(node)
    if isinstance(node, list):
        return _delete_anchors_in_list(node)
    return delete_scalar


def _delete_anchors_in_map(node: dict[str, Any]) -> bool:
    kept_anchor = False
    for key in [k for k in node if _is_condition(_anchor(k))]:
        if _delete_anchors(node[key], delete_scalar=True):
            del node[key]
        else:
            kept_anchor = True
    if kept_anchor:
        for key in [k for k in node if _is_condition(_anchor(k))]:
            anchor = _anchor(key)
            assert anchor is not None  # noqa: S101 - filtered just above
            node[anchor.key] = node.pop(key)
    need_to_delete = True
    for key in list(node):
        if _delete_anchors(node[key], delete_scalar=False):
            del node[key]
        else:
            need_to_delete = False
    return need_to_delete


def _delete_anchors_in_list(node: list[Any]) -> bool:
    was_empty = not node
    kept = []
    for element in node:
        if _has_anchors(element, only_global=False):
            continue
        if _delete_anchors(element, delete_scalar=False):
            continue
        kept.append(element)
    node[:] = kept
    return not node and not was_empty


# ---- merge (kyaml merge2) -------------------------------------------------------------------

# merge keys of the Kubernetes schema (x-kubernetes-patch-merge-key) by field name; None: the
# list is atomic and the patch replaces it
MERGE_KEYS: dict[str, str | None] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "conditions": "type",
    "tolerations": None,
    "args": None,
    "command": None,
}
# kyaml's inferred associative keys, in its order of preference
ASSOCIATIVE_KEYS = ("mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort")
_DIRECTIVE = "$patch"


def strategic_merge(resource: Any, patch: Any, *, new_items_first: bool = True) -> Any:
    """The resource with the pre-processed patch merged in (a new document). With
    ``new_items_first=False`` new list items are appended, as a server-side apply
    configuration (MutatingPolicy ``ApplyConfiguration``) adds them."""
    return _merge(copy.deepcopy(resource), copy.deepcopy(patch), "", new_items_first)


def _merge(dest: Any, src: Any, field: str, new_items_first: bool = True) -> Any:
    if isinstance(src, dict):
        directive = src.get(_DIRECTIVE)
        if directive == "delete":
            return _DELETE
        body = {k: v for k, v in src.items() if k != _DIRECTIVE}
        if directive == "replace" or not isinstance(dest, dict):
            return _without_nulls(body)
        for key, value in body.items():
            if value is None:
                dest.pop(key, None)
                continue
            merged = _merge(dest.get(key), value, key, new_items_first)
            if merged is _DELETE:
                dest.pop(key, None)
            else:
                dest[key] = merged
        return dest
    if isinstance(src, list):
        return _merge_list(dest, src, field, new_items_first)
    return src


_DELETE = object()


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _merge_key(dest: list[Any], src: list[Any], field: str) -> str | None:
    if field in MERGE_KEYS:
        return MERGE_KEYS[field]
    items = [*dest, *src]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in ASSOCIATIVE_KEYS:
        if all(key in item for item in items if item.get(_DIRECTIVE) is None or key in item):
            return key
    return None


def _merge_list(dest: Any, src: list[Any], field: str, new_items_first: bool) -> Any:
    if any(isinstance(item, dict) and item.get(_DIRECTIVE) == "replace" for item in src):
        return _without_nulls([i for i in src if not (isinstance(i, dict) and _DIRECTIVE in i)])
    dest_list = dest if isinstance(dest, list) else []
    key = _merge_key(dest_list, src, field)
    if key is None or not all(isinstance(item, dict) for item in [*dest_list, *src]):
        return _without_nulls(src)
    result = list(dest_list)
    added: list[Any] = []  # kustomize merges with MergeOptionsListPrepend: new items go first
    for item in src:
        value = item.get(key)
        position = next(
            (i for i, existing in enumerate(result) if existing.get(key) == value), None
        )
        if position is None:
            if item.get(_DIRECTIVE) != "delete":
                added.append(_without_nulls({k: v for k, v in item.items() if k != _DIRECTIVE}))
            continue
        merged = _merge(result[position], item, "", new_items_first)
        if merged is _DELETE:
            del result[position]
        else:
            result[position] = merged
    return added + result if new_items_first else result + added

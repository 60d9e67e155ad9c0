"""Rule ``match`` / ``exclude`` (``pkg/engine/utils/match.go``): kinds, names, namespaces,
selectors, namespaceSelector, annotations, operations and userinfo."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kyverno_validate.engine import wildcard


@dataclass(frozen=True, slots=True)
class Request:
    """What a filter is matched against: the resource plus the admission facts."""

    kind: str
    group: str
    version: str
    name: str
    namespace: str
    labels: Mapping[str, Any]
    annotations: Mapping[str, Any]
    operation: str
    namespace_labels: Mapping[str, Any] | None
    username: str
    groups: tuple[str, ...]
    roles: tuple[str, ...]
    cluster_roles: tuple[str, ...]
    has_userinfo: bool


def _parse_kind(selector: str) -> tuple[str, str, str, str]:
    """``Kind``, ``v1/Kind``, ``group/v1/Kind``, ``Kind/sub`` → (group, version, kind, sub)."""
    parts = selector.split("/")
    if len(parts) == 1:
        return "*", "*", parts[0], ""
    if len(parts) == 2:
        if parts[1][:1].isupper() or parts[1] == "*":
            return "*", parts[0], parts[1], ""
        return "*", "*", parts[0], parts[1]
    if len(parts) == 3:
        if parts[2][:1].isupper() or parts[2] == "*":
            return parts[0], parts[1], parts[2], ""
        return "*", parts[0], parts[1], parts[2]
    return parts[0], parts[1], parts[2], parts[3]


def kind_matches(kinds: list[str], request: Request) -> bool:
    for selector in kinds:
        group, version, kind, sub = _parse_kind(selector)
        if sub:
            continue
        if (
            wildcard.match(kind, request.kind)
            and wildcard.match(group, request.group)
            and wildcard.match(version, request.version)
        ):
            return True
    return False


def selector_matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:  # noqa: PLR0911 - type dispatch like Kyverno's Go switch
    """A Kubernetes label selector; Kyverno also allows wildcards in keys and values."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if wildcard.contains_wildcard(key) or wildcard.contains_wildcard(str(value)):
            if not any(
                wildcard.match(key, k) and wildcard.match(str(value), str(v))
                for k, v in labels.items()
            ):
                return False
        elif str(labels.get(key)) != str(value) or key not in labels:
            return False
    for expression in selector.get("matchExpressions") or []:
        key = expression.get("key", "")
        operator = expression.get("operator", "")
        values = [str(v) for v in expression.get("values") or []]
        present = key in labels
        if operator == "In" and not (present and str(labels[key]) in values):
            return False
        if operator == "NotIn" and present and str(labels[key]) in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


Check = Callable[[Request], bool]


def _namespace_of(request: Request) -> str:
    return request.name if request.kind == "Namespace" else request.namespace


def _namespace_labels(request: Request) -> Mapping[str, Any] | None:
    if request.kind == "Namespace" or not request.namespace:
        return request.labels if request.kind == "Namespace" else None
    return request.namespace_labels


def _annotations_match(annotations: Mapping[str, Any], request: Request) -> bool:
    return all(
        any(
            wildcard.match(key, k) and wildcard.match(str(value), str(v))
            for k, v in request.annotations.items()
        )
        for key, value in annotations.items()
    )


def _compile_description(desc: Mapping[str, Any]) -> tuple[Check, ...]:
    checks: list[Check] = []
    kinds = list(desc.get("kinds") or [])
    if kinds:
        checks.append(lambda r: kind_matches(kinds, r))
    name = desc.get("name")
    if name:
        checks.append(lambda r: wildcard.match(str(name), r.name))
    names = [str(n) for n in desc.get("names") or []]
    if names:
        checks.append(lambda r: any(wildcard.match(n, r.name) for n in names))
    namespaces = [str(n) for n in desc.get("namespaces") or []]
    if namespaces:
        checks.append(lambda r: any(wildcard.match(n, _namespace_of(r)) for n in namespaces))
    annotations = desc.get("annotations") or {}
    if annotations:
        checks.append(lambda r: _annotations_match(annotations, r))
    selector = desc.get("selector")
    if selector is not None:
        checks.append(lambda r: selector_matches(selector, r.labels))
    namespace_selector = desc.get("namespaceSelector")
    if namespace_selector is not None:

        def check_namespace_selector(r: Request) -> bool:
            labels = _namespace_labels(r)
            return labels is not None and selector_matches(namespace_selector, labels)

        checks.append(check_namespace_selector)
    operations = [str(o) for o in desc.get("operations") or []]
    if operations:
        checks.append(lambda r: r.operation in operations)
    return tuple(checks)


_COMPILED: dict[int, tuple[Any, tuple[Check, ...]]] = {}


def _description_checks(desc: Mapping[str, Any]) -> tuple[Check, ...]:
    found = _COMPILED.get(id(desc))
    if found is not None and found[0] is desc:
        return found[1]
    checks = _compile_description(desc)
    _COMPILED[id(desc)] = (desc, checks)  # holding the object keeps its id unique
    return checks


def _description_matches(desc: Mapping[str, Any], request: Request) -> bool:
    return all(check(request) for check in _description_checks(desc))


def _userinfo_matches(filt: Mapping[str, Any], request: Request) -> bool:  # noqa: PLR0911 - type dispatch like Kyverno's Go switch
    roles = filt.get("roles") or []
    cluster_roles = filt.get("clusterRoles") or []
    subjects = filt.get("subjects") or []
    if not (roles or cluster_roles or subjects):
        return True
    if roles and any(r in request.roles for r in roles):
        return True
    if cluster_roles and any(r in request.cluster_roles for r in cluster_roles):
        return True
    for subject in subjects:
        kind, name = subject.get("kind"), subject.get("name", "")
        if kind == "User" and wildcard.match(name, request.username):
            return True
        if kind == "Group" and any(wildcard.match(name, g) for g in request.groups):
            return True
        if kind == "ServiceAccount":
            full = f"system:serviceaccount:{subject.get('namespace', '')}:{name}"
            if request.username == full:
                return True
    return False


def filter_matches(filt: Mapping[str, Any], request: Request) -> bool:
    resources = filt.get("resources") or {}
    return _description_matches(resources, request) and _userinfo_matches(filt, request)


def _block_matches(block: Mapping[str, Any], request: Request, *, exclude: bool) -> bool:
    any_filters = block.get("any") or []
    all_filters = block.get("all") or []
    if any_filters:
        return any(filter_matches(f, request) for f in any_filters)
    if all_filters:
        return all(filter_matches(f, request) for f in all_filters)
    if (
        block.get("resources")
        or block.get("subjects")
        or block.get("roles")
        or block.get("clusterRoles")
    ):
        return filter_matches(block, request)
    return not exclude


def rule_matches(
    match: Mapping[str, Any], exclude: Mapping[str, Any] | None, request: Request
) -> bool:
    if not _block_matches(match, request, exclude=False):
        return False
    return not (exclude and _block_matches(exclude, request, exclude=True))

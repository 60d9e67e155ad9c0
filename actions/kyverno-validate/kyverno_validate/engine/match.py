"""Rule ``match`` / ``exclude`` (``pkg/engine/utils/match.go``): kinds, names, namespaces,
selectors, namespaceSelector, annotations, operations and userinfo."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from relkit.core.identity_cache import IdentityCache

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
    # a subresource request (the test's values ``subresources``): ``kind`` is then the parent's
    # kind (Pod) and ``subresource`` its name (exec); ``sub_kind``/``sub_group``/``sub_version``
    # are the object's own (PodExecOptions, v1)
    subresource: str = ""
    sub_kind: str = ""
    sub_group: str = ""
    sub_version: str = ""


def _parse_kind(selector: str) -> tuple[str, str, str, str]:  # noqa: PLR0911 - one return per selector shape, like Kyverno's switch
    """``ParseKindSelector``: ``Kind``, ``v1/Kind``, ``Kind/sub``, ``group/v1/Kind``,
    ``v1/Kind/sub``, ``group/v1/Kind/sub`` → (group, version, kind, subresource); a lower-case
    (or ``*``) part before the kind is a version."""
    parts = selector.split("/")
    if len(parts) == 1:
        return "*", "*", parts[0], ""
    if len(parts) == 2:
        if parts == ["*", "*"]:
            return "*", "*", "*", "*"
        if parts[0] == "*" and parts[1].lower() == parts[1]:
            return "*", "*", "*", parts[1]
        if parts[0] == "*" or parts[0].lower() == parts[0]:
            return "*", parts[0], parts[1], ""
        return "*", "*", parts[0], parts[1]
    if len(parts) == 3:
        if parts == ["*", "*", "*"]:
            return "*", "*", "*", "*"
        if parts[1] == "*" or parts[1].lower() == parts[1]:
            return parts[0], parts[1], parts[2], ""
        return "*", parts[0], parts[1], parts[2]
    return parts[0], parts[1], parts[2], parts[3]


def kind_matches(kinds: list[str], request: Request) -> bool:
    """``CheckKind``: group, version and kind match, and the subresource matches the selector's
    (``Pod/exec``; a plain ``Pod`` only matches the Pod itself or ``ephemeralcontainers``); a
    selector naming the subresource's own kind (``PodExecOptions``) matches it too."""
    for selector in kinds:
        group, version, kind, sub = _parse_kind(selector)
        if (
            wildcard.match(kind, request.kind)
            and wildcard.match(group, request.group)
            and wildcard.match(version, request.version)
            and (
                wildcard.match(sub, request.subresource)
                or request.subresource == "ephemeralcontainers"
            )
        ):
            return True
        if (
            request.subresource
            and not sub
            and kind != "*"
            and wildcard.match(kind, request.sub_kind)
            and wildcard.match(group, request.sub_group)
            and wildcard.match(version, request.sub_version)
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
    if not request.namespace:
        return None
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
            if r.kind == "Namespace":
                return True  # Kyverno does not check a Namespace against namespaceSelector
            labels = _namespace_labels(r)
            return labels is not None and selector_matches(namespace_selector, labels)

        checks.append(check_namespace_selector)
    operations = [str(o) for o in desc.get("operations") or []]
    if operations:
        checks.append(lambda r: r.operation in operations)
    return tuple(checks)


_COMPILED: IdentityCache[tuple[Check, ...]] = IdentityCache(limit=4096)


def _description_checks(desc: Mapping[str, Any]) -> tuple[Check, ...]:
    return _COMPILED.get(desc, lambda: _compile_description(desc))


def _description_matches(desc: Mapping[str, Any], request: Request) -> bool:
    return all(check(request) for check in _description_checks(desc))


_SA_PREFIX = "system:serviceaccount:"


def subjects_match(subjects: list[Any], request: Request) -> bool:
    """``CheckSubjects``: a ServiceAccount by namespace and name; a User or a Group (wildcards)
    against the user's groups and name."""
    names = (*request.groups, request.username)
    for subject in subjects:
        if not isinstance(subject, Mapping):
            continue
        kind, name = subject.get("kind"), str(subject.get("name", ""))
        if kind == "ServiceAccount":
            if len(request.username) > len(_SA_PREFIX) and (
                request.username[len(_SA_PREFIX) :] == f"{subject.get('namespace', '')}:{name}"
            ):
                return True
        elif kind in ("User", "Group") and any(wildcard.match(name, n) for n in names):
            return True
    return False


def _userinfo_matches(filt: Mapping[str, Any], request: Request) -> bool:
    """Every given userinfo criterion must hold (``doesResourceMatchConditionBlock``)."""
    roles = filt.get("roles") or []
    cluster_roles = filt.get("clusterRoles") or []
    subjects = filt.get("subjects") or []
    if roles and not any(r in roles for r in request.roles):
        return False
    if cluster_roles and not any(r in cluster_roles for r in request.cluster_roles):
        return False
    return not subjects or subjects_match(subjects, request)


def filter_matches(filt: Mapping[str, Any], request: Request, *, exclude: bool = False) -> bool:
    resources = filt.get("resources") or {}
    if not exclude and not request.has_userinfo:
        # without any request info Kyverno ignores a match filter's userinfo criteria
        return bool(resources) and _description_matches(resources, request)
    return _description_matches(resources, request) and _userinfo_matches(filt, request)


def _block_matches(block: Mapping[str, Any], request: Request, *, exclude: bool) -> bool:
    any_filters = block.get("any") or []
    all_filters = block.get("all") or []
    if any_filters:
        return any(filter_matches(f, request, exclude=exclude) for f in any_filters)
    if all_filters:
        return all(filter_matches(f, request, exclude=exclude) for f in all_filters)
    if (
        block.get("resources")
        or block.get("subjects")
        or block.get("roles")
        or block.get("clusterRoles")
    ):
        return filter_matches(block, request, exclude=exclude)
    return not exclude


def rule_matches(
    match: Mapping[str, Any], exclude: Mapping[str, Any] | None, request: Request
) -> bool:
    if not _block_matches(match, request, exclude=False):
        return False
    return not (exclude and _block_matches(exclude, request, exclude=True))

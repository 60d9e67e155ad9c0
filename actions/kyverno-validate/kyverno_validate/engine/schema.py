"""Structural checks of a policy rule, like the ClusterPolicy CRD schema Kyverno decodes with.

Each check raises :class:`PolicyShapeError` naming the field path; :mod:`model` turns it into a
``ConfigError`` with the policy's source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


class PolicyShapeError(Exception):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


Check = Callable[[Any, str], object]


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyShapeError(path, f"must be a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise PolicyShapeError(path, f"must be a list, got {type(value).__name__}")
    return value


def _string(value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise PolicyShapeError(path, f"must be a string, got {type(value).__name__}")


def _strings(value: Any, path: str) -> None:
    for index, item in enumerate(_list(value, path)):
        _string(item, f"{path}[{index}]")


def _boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise PolicyShapeError(path, f"must be true or false, got {value!r}")


def _any(value: Any, path: str) -> None:
    del value, path


def _fields(value: Any, path: str, fields: Mapping[str, Check]) -> Mapping[str, Any]:
    mapping = _mapping(value, path)
    for key, check in fields.items():
        if mapping.get(key) is not None:
            check(mapping[key], f"{path}.{key}")
    return mapping


def _each(check: Check) -> Check:
    def run(value: Any, path: str) -> None:
        for index, item in enumerate(_list(value, path)):
            check(item, f"{path}[{index}]")

    return run


def _string_map(value: Any, path: str) -> None:
    for key in _mapping(value, path):
        _string(key, f"{path} key")


def check_selector(value: Any, path: str) -> None:
    expression = {"key": _string, "operator": _string, "values": _any}
    _fields(
        value,
        path,
        {
            "matchLabels": _string_map,
            "matchExpressions": _each(lambda v, p: _fields(v, p, expression)),
        },
    )


def check_description(value: Any, path: str) -> None:
    _fields(
        value,
        path,
        {
            "kinds": _strings,
            "name": _string,
            "names": _strings,
            "namespaces": _strings,
            "annotations": _string_map,
            "selector": check_selector,
            "namespaceSelector": check_selector,
            "operations": _strings,
        },
    )


def _check_subject(value: Any, path: str) -> None:
    _fields(value, path, {"kind": _string, "name": _string, "namespace": _string})


_USERINFO: dict[str, Check] = {
    "subjects": _each(_check_subject),
    "roles": _strings,
    "clusterRoles": _strings,
}


def check_filter(value: Any, path: str) -> None:
    _fields(value, path, {"resources": check_description, **_USERINFO})


def check_match(value: Any, path: str) -> None:
    _fields(
        value,
        path,
        {
            "any": _each(check_filter),
            "all": _each(check_filter),
            "resources": check_description,
            **_USERINFO,
        },
    )


def check_condition(value: Any, path: str) -> None:
    mapping = _fields(value, path, {"operator": _string, "message": _string})
    if "operator" not in mapping:
        raise PolicyShapeError(path, "a condition needs an operator")


def check_conditions(value: Any, path: str) -> None:
    if isinstance(value, list):
        _each(check_condition)(value, path)
        return
    _fields(value, path, {"any": _each(check_condition), "all": _each(check_condition)})


def check_context(value: Any, path: str) -> None:
    entry: dict[str, Check] = {
        "name": _string,
        "variable": _mapping,
        "configMap": _mapping,
        "apiCall": _mapping,
        "imageRegistry": _mapping,
        "globalReference": _mapping,
    }
    _each(lambda v, p: _fields(v, p, entry))(value, path)


def check_foreach(value: Any, path: str) -> None:
    entry: dict[str, Check] = {
        "list": _string,
        "context": check_context,
        "preconditions": check_conditions,
        "anyPattern": _list,
        "deny": lambda v, p: _fields(v, p, {"conditions": check_conditions}),
        "foreach": check_foreach,
        "elementScope": _boolean,
    }
    _each(lambda v, p: _fields(v, p, entry))(value, path)


def check_pod_security(value: Any, path: str) -> None:
    exclusion = {"controlName": _string, "images": _strings, "restrictedField": _string}
    _fields(
        value,
        path,
        {
            "level": _string,
            "version": _string,
            "exclude": _each(lambda v, p: _fields(v, p, exclusion)),
        },
    )


def check_validate(value: Any, path: str) -> None:
    _fields(
        value,
        path,
        {
            "message": _string,
            "anyPattern": _list,
            "deny": lambda v, p: _fields(v, p, {"conditions": check_conditions}),
            "foreach": check_foreach,
            "podSecurity": check_pod_security,
            "cel": _mapping,
            "failureAction": _string,
            "allowExistingViolations": _boolean,
        },
    )


RULE_FIELDS: dict[str, Check] = {
    "match": check_match,
    "exclude": check_match,
    "preconditions": check_conditions,
    "context": check_context,
    "validate": check_validate,
}


def check_rule(rule: Mapping[str, Any], path: str) -> None:
    """Raise :class:`PolicyShapeError` for the first field of the wrong shape."""
    _fields(rule, path, RULE_FIELDS)


def _foreach_values(value: Any, path: str) -> Any:
    """``foreachValues``: one mapping (variable → values per element), or a list of them, one
    per foreach block (``[]map[string][]interface{}`` in newer Kyverno)."""
    if isinstance(value, list):
        return _each(_mapping)(value, path)
    return _mapping(value, path)


def _named_values(*extra: str) -> Check:
    fields: dict[str, Check] = {"name": _string, "values": _mapping}
    fields.update(dict.fromkeys(extra, _foreach_values))
    return _each(lambda v, p: _fields(v, p, fields))


def check_values(value: Any, path: str = "values") -> None:
    """A kyverno-test values document (``EvaluationContext.values``)."""
    policy: dict[str, Check] = {
        "name": _string,
        "resources": _named_values(),
        "rules": _named_values("foreachValues"),
    }
    _fields(
        value,
        path,
        {
            "globalValues": _mapping,
            "policies": _each(lambda v, p: _fields(v, p, policy)),
            "namespaceSelector": _each(
                lambda v, p: _fields(v, p, {"name": _string, "labels": _string_map})
            ),
            "namespaces": _each(lambda v, p: _fields(v, p, {"metadata": _mapping})),
        },
    )


def check_userinfo(value: Any, path: str = "userinfo") -> None:
    """A kyverno-test UserInfo document (``EvaluationContext.userinfo``)."""
    user = {"username": _string, "groups": _strings}
    _fields(
        value,
        path,
        {
            "userInfo": lambda v, p: _fields(v, p, user),
            "roles": _strings,
            "clusterRoles": _strings,
        },
    )

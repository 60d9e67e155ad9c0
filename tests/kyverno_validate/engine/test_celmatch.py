"""matchConstraints: resource rules, selectors, scope, subresources; the request variables."""

from __future__ import annotations

from typing import Any

import pytest
from kyverno_validate.cel.kyverno_library import plural
from kyverno_validate.engine.celmatch import (
    admission_for,
    constraints_match,
    namespace_variable,
    request_variable,
)

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "prod"}}
NAMESPACE = {
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {"name": "prod", "labels": {"env": "prod"}},
}
ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "admin"},
}
ALL = {"apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"]}
PROD = {"matchLabels": {"env": "prod"}}


def rule(**fields: Any) -> dict[str, Any]:
    return {"resourceRules": [{**ALL, **fields}]}


def admission(obj: dict[str, Any], *, sub: str = "", labels: dict[str, str] | None = None) -> Any:
    return admission_for(
        obj,
        "CREATE",
        labels,
        cluster_scoped=obj["kind"] in ("Namespace", "ClusterRole"),
        subresource=sub,
    )


@pytest.mark.parametrize(
    ("constraints", "obj", "sub", "expected"),
    [
        pytest.param({"resourceRules": [ALL]}, POD, "", True, id="all"),
        pytest.param(rule(apiGroups=["apps"]), POD, "", False, id="group"),
        pytest.param(rule(apiVersions=["v2"]), POD, "", False, id="version"),
        pytest.param(rule(resources=["pods/exec"]), POD, "exec", True, id="sub"),
        pytest.param(rule(resources=["*/exec"]), POD, "exec", True, id="any-sub"),
        pytest.param(rule(resources=["pods"]), POD, "exec", False, id="sub-not-listed"),
        pytest.param(rule(resourceNames=["db"]), POD, "", False, id="names"),
        pytest.param(rule(scope="Namespaced"), POD, "", True, id="namespaced"),
        pytest.param(rule(scope="Namespaced"), ROLE, "", False, id="ns-vs-cluster"),
        pytest.param(rule(scope="Cluster"), ROLE, "", True, id="cluster"),
        pytest.param({"resourceRules": [ALL], "namespaceSelector": {}}, POD, "", True,
                     id="empty-ns-selector"),
        pytest.param({"resourceRules": [ALL], "namespaceSelector": PROD},
                     NAMESPACE, "", True, id="namespace-own-labels"),
        pytest.param({"resourceRules": [ALL], "namespaceSelector": PROD},
                     ROLE, "", True, id="cluster-scoped-ignores-ns-selector"),
        pytest.param({"resourceRules": [ALL], "objectSelector": {"matchLabels": {"a": "b"}}},
                     POD, "", False, id="object-selector"),
        pytest.param({"resourceRules": []}, POD, "", False, id="no-rules"),
        pytest.param(None, POD, "", False, id="no-constraints"),
    ],
)  # fmt: skip
def test_constraints(constraints: Any, obj: dict[str, Any], sub: str, expected: bool) -> None:
    assert constraints_match(constraints, admission(obj, sub=sub)) is expected


@pytest.mark.parametrize(
    ("kind", "resource"),
    [
        pytest.param("Pod", "pods", id="s"),
        pytest.param("Ingress", "ingresses", id="es"),
        pytest.param("NetworkPolicy", "networkpolicies", id="ies"),
        pytest.param("Gateway", "gateways", id="vowel-y"),
        pytest.param("Endpoints", "endpoints", id="irregular"),
        pytest.param("Mesh", "meshes", id="sh"),
    ],
)
def test_plural(kind: str, resource: str) -> None:
    assert plural(kind) == resource


def test_request_and_namespace_variables() -> None:
    request = admission(POD, labels={"env": "prod"})
    variable = request_variable(request, POD, None, {"userInfo": {"username": "alice"}})
    assert variable["resource"] == {"group": "", "version": "v1", "resource": "pods"}
    assert variable["userInfo"] == {"username": "alice", "groups": []}
    assert namespace_variable(request, [NAMESPACE]) == NAMESPACE
    made = namespace_variable(request, [])
    assert made == {"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"name": "prod", "labels": {"env": "prod"}}}  # fmt: skip
    assert namespace_variable(admission(ROLE), [NAMESPACE]) is None

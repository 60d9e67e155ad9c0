"""Classic ``validate.cel`` rules through the engine: preconditions, variables, params,
namespaceObject and the autogen'd pod-controller rules."""

from __future__ import annotations

from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext, evaluate, load_policies


def policy(cel: dict[str, Any], **rule: Any) -> dict[str, Any]:
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "rules": [
                {
                    "name": "r",
                    "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                    "validate": {"cel": cel},
                    **rule,
                }
            ]
        },
    }


POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"hostNetwork": False, "containers": [{"name": "c", "image": "nginx:1"}]},
}
DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "prod"},
    "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": POD["spec"]}},
}
CRONJOB: dict[str, Any] = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {"name": "nightly"},
    "spec": {"jobTemplate": {"spec": {"template": {"spec": {**POD["spec"], "hostNetwork": True}}}}},
}
NO_HOST_NETWORK = {"expressions": [{"expression": "object.spec.hostNetwork == false"}]}


def outcomes(
    document: dict[str, Any], resource: dict[str, Any], **context: Any
) -> list[tuple[str, str]]:
    policies = load_policies([("p.yaml", document)])
    return [(r.rule, r.result) for r in evaluate(policies, resource, EvaluationContext(**context))]


@pytest.mark.parametrize(
    ("cel", "rule", "expected"),
    [
        pytest.param(NO_HOST_NETWORK, {}, "pass", id="pass"),
        pytest.param(
            {"expressions": [{"expression": "object.metadata.name == 'db'", "message": "m"}]},
            {},
            "fail",
            id="fail",
        ),
        pytest.param(
            NO_HOST_NETWORK,
            {"celPreconditions": [{"name": "db", "expression": "object.metadata.name == 'db'"}]},
            "skip",
            id="cel-precondition-false",
        ),
        pytest.param(
            NO_HOST_NETWORK,
            {"celPreconditions": [{"name": "x", "expression": "object.nope"}]},
            "error",
            id="cel-precondition-error",
        ),
        pytest.param(
            NO_HOST_NETWORK,
            {
                "preconditions": {
                    "all": [
                        {
                            "key": "{{ request.object.metadata.name }}",
                            "operator": "Equals",
                            "value": "db",
                        }
                    ]
                }
            },
            "skip",
            id="jmespath-precondition-false",
        ),
        pytest.param(
            NO_HOST_NETWORK,
            {
                "preconditions": {
                    "all": [
                        {
                            "key": "{{ request.object.metadata.name }}",
                            "operator": "Bogus",
                            "value": "db",
                        }
                    ]
                }
            },
            "error",
            id="jmespath-precondition-error",
        ),
        pytest.param(
            {
                "variables": [{"name": "app", "expression": "object.metadata.labels.app"}],
                "expressions": [{"expression": "variables.app == 'web'"}],
            },
            {},
            "pass",
            id="variables",
        ),
        pytest.param(
            {"expressions": [{"expression": "namespaceObject.metadata.name == 'default'"}]},
            {},
            "pass",
            id="namespace-defaults",
        ),
        pytest.param(
            {
                "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
                "paramRef": {"name": "settings", "namespace": "ops"},
                "expressions": [{"expression": "object.metadata.name == params.data.name"}],
            },
            {},
            "pass",
            id="params",
        ),
        pytest.param(
            {
                "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
                "paramRef": {"name": "missing"},
                "expressions": [{"expression": "params == null"}],
            },
            {},
            "pass",
            id="params-missing",
        ),
        pytest.param(
            {"expressions": [{"expression": "noSuchFunction(object)"}]},
            {},
            "error",
            id="unknown-function",
        ),
    ],
)
def test_validate_cel(cel: dict[str, Any], rule: dict[str, Any], expected: str) -> None:
    settings = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "ops"},
        "data": {"name": "web"},
    }
    found = outcomes(policy(cel, **rule), POD, cluster_resources=(settings,))
    assert found == [("r", expected)]


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(DEPLOYMENT, [("autogen-r", "pass")], id="deployment"),
        pytest.param(CRONJOB, [("autogen-cronjob-r", "fail")], id="cronjob"),
    ],
)
def test_autogen_rules_read_the_pod_template(
    resource: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    cel = {
        "expressions": [
            {"expression": "object.spec.hostNetwork == false"},
            {"expression": "object.metadata.name != ''"},
        ]
    }
    assert outcomes(policy(cel), resource) == expected


def test_namespace_object_from_the_cluster_and_null_for_cluster_scoped() -> None:
    cel = {"expressions": [{"expression": "namespaceObject.metadata.labels.env == 'prod'"}]}
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "prod", "labels": {"env": "prod"}},
    }
    in_prod = {**POD, "metadata": {"name": "web", "namespace": "prod"}}
    assert outcomes(policy(cel), in_prod, cluster_resources=(namespace,)) == [("r", "pass")]
    document = policy({"expressions": [{"expression": "namespaceObject == null"}]})
    document["spec"]["rules"][0]["match"] = {"any": [{"resources": {"kinds": ["Namespace"]}}]}
    assert outcomes(document, namespace) == [("r", "pass")]


def test_unknown_function_is_a_rule_error_not_a_crash() -> None:
    cel = {"expressions": [{"expression": "object.spec.containers.all(c,"}]}
    policies = load_policies([("p.yaml", policy(cel))])
    [result] = evaluate(policies, POD)
    assert result.result == "error"
    assert "failed to compile" in result.message

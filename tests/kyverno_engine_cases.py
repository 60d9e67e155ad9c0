"""Shared helpers of the engine tests: one Pod and a one-rule ClusterPolicy around a rule."""

from typing import Any

from kyverno_validate.engine import EvaluationContext, evaluate, load_policies

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "a", "image": "nginx:1.2", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "busybox:latest"},
        ]
    },
}
MATCH_POD = {"any": [{"resources": {"kinds": ["Pod"]}}]}


def run(rule: dict[str, Any], resource: dict[str, Any] = POD, **ctx: Any) -> list[tuple[str, str]]:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {
            "name": "p",
            "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
        },
        "spec": {
            "validationFailureAction": "Enforce",
            "rules": [{"name": "r", "match": MATCH_POD, **rule}],
        },
    }
    policies = load_policies([("p.yaml", doc)])
    return [(r.result, r.message) for r in evaluate(policies, resource, EvaluationContext(**ctx))]


def result_of(rule: dict[str, Any], resource: dict[str, Any] = POD, **ctx: Any) -> str:
    results = run(rule, resource, **ctx)
    assert len(results) == 1, results
    return results[0][0]


def deny(*conditions: dict[str, Any], mode: str = "any") -> dict[str, Any]:
    return {"validate": {"message": "denied", "deny": {"conditions": {mode: list(conditions)}}}}

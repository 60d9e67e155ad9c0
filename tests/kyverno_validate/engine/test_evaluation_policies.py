"""Policy-level behaviour: namespaced policies, applyRules, autogen results, match, field paths."""

from typing import Any

import pytest
from kyverno_engine_cases import MATCH_POD, POD, result_of, run
from kyverno_validate.engine import evaluate, load_policies


def test_namespaced_policy_only_sees_its_namespace() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "Policy",
        "metadata": {"name": "p", "namespace": "dev"},
        "spec": {"rules": [{"name": "r", "match": MATCH_POD, "validate": {"deny": {}}}]},
    }
    policies = load_policies([("p.yaml", doc)])
    assert evaluate(policies, POD) == []
    assert [
        r.result for r in evaluate(policies, {**POD, "metadata": {"name": "x", "namespace": "dev"}})
    ] == ["fail"]


def test_result_fields_and_autogen() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "rules": [
                {
                    "name": "r",
                    "match": MATCH_POD,
                    "validate": {"pattern": {"spec": {"containers": [{"image": "!*:latest"}]}}},
                }
            ]
        },
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "prod"},
        "spec": {"template": {"spec": POD["spec"]}},
    }
    [result] = evaluate(load_policies([("p.yaml", doc)]), deployment)
    assert (result.rule, result.result, result.action, result.kind, result.namespace) == (
        "autogen-r",
        "fail",
        "Audit",
        "Deployment",
        "prod",
    )
    assert result.field_path == "spec.template.spec.containers[1].image"


def test_apply_rules_one_stops_after_the_first_applied_rule() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {
            "name": "p",
            "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
        },
        "spec": {
            "applyRules": "One",
            "rules": [
                {
                    "name": "skipped",
                    "match": MATCH_POD,
                    "preconditions": [{"key": "a", "operator": "Equals", "value": "b"}],
                    "validate": {"deny": {}},
                },
                {"name": "first", "match": MATCH_POD, "validate": {"deny": {}}},
                {"name": "second", "match": MATCH_POD, "validate": {"deny": {}}},
            ],
        },
    }
    results = evaluate(load_policies([("p.yaml", doc)]), POD)
    assert [(r.rule, r.result) for r in results] == [("skipped", "skip"), ("first", "fail")]


def test_conditional_anchor_mismatch_skips_a_rule_with_preconditions() -> None:
    rule = {
        "preconditions": {"all": [{"key": "a", "operator": "Equals", "value": "a"}]},
        "validate": {"pattern": {"spec": {"(hostNetwork)": True, "containers": [{"name": "x"}]}}},
    }
    assert result_of(rule) == "skip"


@pytest.mark.parametrize(
    ("pattern", "field_path"),
    [
        pytest.param(
            {"spec": {"containers": [{"image": "!*:latest"}]}},
            "spec.containers[1].image",
            id="field",
        ),
        pytest.param(
            {"spec": {"containers": [[{"name": "a"}], [{"name": "b"}], [{"name": "c"}]]}},
            None,
            id="array-length-mismatch-has-no-path",
        ),
    ],
)
def test_failure_field_path(pattern: dict[str, Any], field_path: str | None) -> None:
    policies = load_policies(
        [
            (
                "p.yaml",
                {
                    "apiVersion": "kyverno.io/v1",
                    "kind": "ClusterPolicy",
                    "metadata": {
                        "name": "p",
                        "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
                    },
                    "spec": {
                        "rules": [
                            {"name": "r", "match": MATCH_POD, "validate": {"pattern": pattern}}
                        ]
                    },
                },
            )
        ]
    )
    pod = {**POD, "spec": {"containers": [[{"name": "a"}], [{"name": "b"}]]}}
    resource = POD if field_path else pod
    [result] = evaluate(policies, resource)
    assert (result.result, result.field_path) == ("fail", field_path)


@pytest.mark.parametrize(
    ("match", "namespace", "kind", "expected"),
    [
        pytest.param(
            {"all": [{"resources": {"kinds": ["Pod"]}}, {"resources": {"kinds": ["Pod", "Job"]}}]},
            "prod",
            "Pod",
            ["pass"],
            id="all-kinds-hold",
        ),
        pytest.param(
            {"all": [{"resources": {"kinds": ["Pod"]}}, {"resources": {"kinds": ["Job"]}}]},
            "prod",
            "Pod",
            [],
            id="all-one-kind-misses",
        ),
        pytest.param(
            {"all": [{"resources": {"kinds": ["Pod"], "namespaces": ["dev"]}}]},
            "prod",
            "Pod",
            [],
            id="all-namespace-misses",
        ),
        pytest.param(
            {"any": [{"resources": {"kinds": ["*"]}}]}, "prod", "Job", ["pass"], id="star"
        ),
        pytest.param(
            {"any": [{"resources": {"kinds": ["Po?"]}}]}, "prod", "Pod", ["pass"], id="glob"
        ),
    ],
)
def test_match_all_and_wildcard_kinds(
    match: dict[str, Any], namespace: str, kind: str, expected: list[str]
) -> None:
    rule = {"validate": {"pattern": {"metadata": {"name": "?*"}}}, "match": match}
    resource = {**POD, "kind": kind, "metadata": {"name": "web", "namespace": namespace}}
    assert [r for r, _ in run(rule, resource)] == expected

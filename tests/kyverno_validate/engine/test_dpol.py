"""DeletingPolicy under kyverno test: pass when its conditions hold, fail when not, no result
when its match constraints (any operation) do not select the resource."""

from typing import Any

import pytest
from kyverno_validate.engine.celjson import evaluate_json_payload
from kyverno_validate.engine.celpolicy import load_cel_policies
from kyverno_validate.engine.dpol import any_operation, deleting_outcome, deleting_unit
from kyverno_validate.engine.model import EvaluationContext
from kyverno_validate.testrunner import run_test


def _dpol(spec: dict[str, Any], kind: str = "DeletingPolicy") -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1beta1",
        "kind": kind,
        "metadata": {"name": "cleanup", "namespace": "team-a"},
        "spec": {"schedule": "*/5 * * * *", **spec},
    }


RULES = {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}]}


def _pod(name: str, namespace: str = "default", labels: dict[str, str] | None = None) -> Any:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
    }


def _report(policy: dict[str, Any], pods: list[Any], rows: list[dict[str, Any]]) -> Any:
    files = {"policy.yaml": [policy], "resource.yaml": pods}
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "results": [{"policy": "cleanup", "kind": "Pod", **row} for row in rows],
    }
    return run_test(test, lambda path: [(path, doc) for doc in files[path]])


def test_conditions_decide_pass_or_fail() -> None:
    policy = _dpol(
        {
            "matchConstraints": RULES,
            "variables": [{"name": "stale", "expression": "object.metadata.name == 'old'"}],
            "conditions": [{"name": "c", "expression": "variables.stale"}],
        }
    )
    report = _report(
        policy,
        [_pod("old"), _pod("new")],
        [{"resources": ["old"], "result": "pass"}, {"resources": ["new"], "result": "fail"}],
    )
    assert report.ok, report.rows


def test_excluded_and_other_namespaces_are_skipped() -> None:
    constraints = {
        **RULES,
        "excludeResourceRules": [
            {**RULES["resourceRules"][0], "operations": ["DELETE"], "resourceNames": ["keep"]}
        ],
    }
    policy = _dpol({"matchConstraints": constraints}, kind="NamespacedDeletingPolicy")
    report = _report(
        policy,
        [_pod("gone", "team-a"), _pod("keep", "team-a"), _pod("other", "team-b")],
        [
            {"resources": ["team-a/gone"], "result": "pass"},
            {"resources": ["team-a/keep", "team-b/other"], "result": "skip"},
        ],
    )
    assert report.ok, report.rows
    assert [r.result for r in report.results] == ["pass"]


def test_admission_leaves_deleting_policies_unsupported() -> None:
    [policy] = load_cel_policies([("p", _dpol({"matchConstraints": RULES}))])
    assert policy.unsupported.startswith("DeletingPolicy runs on a schedule")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param("true", "pass", id="holds"),
        pytest.param("false", "fail", id="does-not-hold"),
        pytest.param("object.nope", "error", id="error"),
        pytest.param("'yes'", "error", id="not-bool"),
    ],
)
def test_deleting_outcome(expression: str, expected: str) -> None:
    unit = deleting_unit({"conditions": [{"name": "c", "expression": expression}, "junk"]})
    assert deleting_outcome(unit, {"object": {}}, None).result == expected


def test_any_operation_drops_operations() -> None:
    constraints = {"resourceRules": [{"operations": ["CREATE"], "resources": ["pods"]}, "x"]}
    assert any_operation(constraints) == {"resourceRules": [{"resources": ["pods"]}, "x"]}


def test_deleting_policies_judge_json_payloads() -> None:
    policy = _dpol({"conditions": [{"name": "c", "expression": "object.kind == 'Thing'"}]})
    policies = load_cel_policies([("p", policy)])
    [result] = evaluate_json_payload(policies, {"kind": "Thing"}, "x.json", EvaluationContext())
    assert (result.result, result.message) == ("pass", "resource matched")


def test_a_variable_that_errors_stays_unset() -> None:
    unit = deleting_unit(
        {
            "variables": [
                {"name": "bad", "expression": "object.nope"},
                {"name": "ok", "expression": "1"},
            ],
            "conditions": [{"name": "c", "expression": "variables.ok == 1 && !has(variables.bad)"}],
        }
    )
    assert deleting_outcome(unit, {"object": {}}, None).result == "pass"

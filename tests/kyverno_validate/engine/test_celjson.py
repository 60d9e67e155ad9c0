"""ValidatingPolicies in JSON mode judge JSON payloads (``kyverno test`` ``jsonPayloads``)."""

from typing import Any

import pytest
from kyverno_validate.engine.celjson import evaluate_json_payload, is_json_policy
from kyverno_validate.engine.celpolicy import load_cel_policies
from kyverno_validate.engine.model import EvaluationContext
from kyverno_validate.testinputs import payloads
from kyverno_validate.testrunner import run_test


def _policy(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1",
        "kind": "ValidatingPolicy",
        "metadata": {"name": name},
        "spec": {"evaluation": {"mode": "JSON"}, **spec},
    }


VALUE_OVER_10 = _policy(
    "value-over-10",
    {
        "matchConditions": [{"name": "has-data", "expression": "has(object.data)"}],
        "variables": [{"name": "v", "expression": "object.data.value"}],
        "validations": [{"expression": "variables.v > 10", "message": "value too small"}],
    },
)
EXCEPTION = {
    "apiVersion": "policies.kyverno.io/v1alpha1",
    "kind": "PolicyException",
    "metadata": {"name": "skip-named"},
    "spec": {
        "policyRefs": [{"name": "value-over-10", "kind": "ValidatingPolicy"}],
        "matchConditions": [{"name": "n", "expression": "object.?name.orValue('') == 'skip-me'"}],
    },
}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param({"data": {"value": 11}}, [("pass", "")], id="pass"),
        pytest.param({"data": {"value": 5}}, [("fail", "value too small")], id="fail"),
        pytest.param({"other": 1}, [], id="match-condition-false"),
        pytest.param(
            {"name": "skip-me", "data": {"value": 5}},
            [("skip", "rule is skipped due to policy exception")],
            id="exception",
        ),
    ],
)
def test_evaluate_json_payload(payload: Any, expected: list[tuple[str, str]]) -> None:
    policies = load_cel_policies([("p.yaml", VALUE_OVER_10)])
    results = evaluate_json_payload(
        policies, payload, "payload.json", EvaluationContext(), [EXCEPTION]
    )
    assert [(r.result, r.message) for r in results] == expected
    assert all(r.name == "payload.json" and r.policy == "value-over-10" for r in results)


def test_kubernetes_mode_policies_ignore_payloads() -> None:
    kubernetes = {**VALUE_OVER_10, "spec": {"validations": [{"expression": "false"}]}}
    policies = load_cel_policies([("p.yaml", kubernetes)])
    assert not is_json_policy(policies[0])
    assert evaluate_json_payload(policies, {"data": {}}, "x.json", EvaluationContext()) == []


def test_payloads_of_a_test() -> None:
    assert payloads({"jsonPayload": "a.json", "jsonPayloads": ["./b.json", ""]}) == [
        "a.json",
        "./b.json",
    ]


def _run(results: list[dict[str, Any]]) -> Any:
    files = {
        "policy.yaml": [VALUE_OVER_10],
        "./good.json": [{"data": {"value": 20}}],
        "bad.json": [{"data": {"value": 1}}],
    }
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "jsonPayloads": ["./good.json", "bad.json"],
        "results": results,
    }
    return run_test(test, lambda path: [(path, doc) for doc in files[path]])


def test_rows_name_payloads_by_file() -> None:
    report = _run(
        [
            {"policy": "value-over-10", "kind": "", "resources": ["good.json"], "result": "pass"},
            {"policy": "value-over-10", "kind": "", "resources": ["bad.json"], "result": "fail"},
        ]
    )
    assert report.ok, report.rows


def test_a_row_without_resources_checks_every_payload() -> None:
    report = _run([{"policy": "value-over-10", "kind": "", "result": "pass"}])
    assert not report.ok
    assert [(r.resource, r.actual) for r in report.rows] == [
        ("good.json", "pass"),
        ("bad.json", "fail"),
    ]


def test_a_missing_payload_is_an_error_of_the_test() -> None:
    def loader(path: str) -> list[tuple[str, Any]]:
        if path == "policy.yaml":
            return [(path, VALUE_OVER_10)]
        raise OSError(f"cannot read {path}")

    test = {"kind": "Test", "policies": ["policy.yaml"], "jsonPayload": "gone.json"}
    report = run_test(test, loader)
    assert report.errors == ("cannot read gone.json",)

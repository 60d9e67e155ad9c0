"""ValidatingPolicies in HTTP and Envoy mode decide authorization requests."""

from typing import Any

import pytest
from kyverno_validate.cel import evaluate_expression
from kyverno_validate.engine.authz import authz_bindings, authz_outcome
from kyverno_validate.engine.celeval import unit_from
from kyverno_validate.testrunner import run_test

REQUEST = {"attributes": {"method": "GET", "path": "/api/v1/pods"}}


def _outcome(mode: str, spec: dict[str, Any]) -> Any:
    outcome = authz_outcome(unit_from(spec), authz_bindings(mode, REQUEST), None)
    return None if outcome is None else (outcome.result, outcome.message)


def _validations(*expressions: str) -> dict[str, Any]:
    return {"validations": [{"expression": e} for e in expressions]}


@pytest.mark.parametrize(
    ("mode", "spec", "expected"),
    [
        pytest.param("HTTP", _validations("http.Allowed().Response()"), ("pass", ""), id="allow"),
        pytest.param("HTTP", _validations("http.Denied('nope').Response()"), ("fail", "nope"),
                     id="deny-reason"),
        pytest.param("Envoy", _validations("envoy.Denied(401).WithBody('who?').Response()"),
                     ("fail", "who?"), id="envoy-body"),
        pytest.param("Envoy", _validations("envoy.Denied(403).WithHeader('x', 'y').Response()"),
                     ("fail", "denied (403)"), id="envoy-status"),
        pytest.param("HTTP", _validations(
            "object.attributes.method == 'POST' ? http.Denied('no posts').Response() : null",
            "http.Allowed().Response()"), ("pass", ""), id="null-passes-on"),
        pytest.param("HTTP", _validations("object.attributes.method == 'POST' ? "
                     "http.Denied('x').Response() : null"), None, id="no-decision"),
        pytest.param("HTTP", {**_validations("http.Allowed().Response()"),
                     "matchConditions": [{"name": "m", "expression": "false"}]}, None,
                     id="not-matched"),
        pytest.param("HTTP", {**_validations("true"),
                     "matchConditions": [{"name": "m", "expression": "object.nope"}]},
                     ("error", "failed to evaluate match condition: "), id="condition-error"),
        pytest.param("HTTP", _validations("true"),
                     ("error", "expression 'true' must return a Response()"), id="not-response"),
        pytest.param("HTTP", {**_validations("variables.v.Response()"),
                     "variables": [{"name": "v", "expression": "http.Allowed()"}]},
                     ("pass", ""), id="variables"),
    ],
)  # fmt: skip
def test_authz_outcome(mode: str, spec: dict[str, Any], expected: Any) -> None:
    found = _outcome(mode, spec)
    if expected is not None and expected[0] == "error":
        assert found[0] == "error"
        assert found[1].startswith(expected[1])
    else:
        assert found == expected


def test_an_expression_error_is_an_error_result() -> None:
    found = _outcome("HTTP", _validations("object.nope.Response()"))
    assert found[0] == "error"
    assert found[1].startswith("expression 'object.nope.Response()': ")


@pytest.mark.parametrize(
    "expression",
    [
        "object.Allowed()",
        "object.Denied('x')",
        "object.WithBody('x')",
        "http.Allowed().Response().Response()",
    ],
)
def test_builders_check_their_receiver(expression: str) -> None:
    bindings = authz_bindings("HTTP", REQUEST)
    assert type(evaluate_expression(expression, bindings)).__name__ == "CelError"


def test_kyverno_test_reads_http_and_envoy_payloads() -> None:
    def policy(name: str, mode: str, expression: str) -> dict[str, Any]:
        return {
            "apiVersion": "policies.kyverno.io/v1alpha1",
            "kind": "ValidatingPolicy",
            "metadata": {"name": name},
            "spec": {"evaluation": {"mode": mode}, **_validations(expression)},
        }

    files = {
        "policy.yaml": [
            policy("http-deny", "HTTP", "http.Denied('no').Response()"),
            policy("envoy-allow", "Envoy", "envoy.Allowed().Response()"),
        ],
        "./http.json": [REQUEST],
        "envoy.json": [REQUEST],
    }
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "httpPayloads": ["./http.json"],
        "envoyPayloads": ["envoy.json"],
        "results": [
            {"policy": "http-deny", "kind": "", "result": "fail"},
            {"policy": "envoy-allow", "kind": "", "resources": ["envoy.json"], "result": "pass"},
        ],
    }
    report = run_test(test, lambda path: [(path, doc) for doc in files[path]])
    assert report.ok, report.rows
    assert [(r.policy, r.name) for r in report.results] == [
        ("http-deny", "http.json"),
        ("envoy-allow", "envoy.json"),
    ]

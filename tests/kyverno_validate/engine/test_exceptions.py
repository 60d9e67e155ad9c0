"""PolicyException: which entries, matches and conditions exempt a rule."""

from typing import Any

import pytest
from kyverno_engine_cases import result_of


def test_policy_exception_skips_the_rule() -> None:
    exception = {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {
            "exceptions": [{"policyName": "p", "ruleNames": ["r*"]}],
            "match": {"any": [{"resources": {"kinds": ["Pod"], "names": ["web"]}}]},
            "conditions": {
                "all": [
                    {
                        "key": "{{ request.object.metadata.namespace }}",
                        "operator": "Equals",
                        "value": "prod",
                    }
                ]
            },
        },
    }
    assert result_of({"validate": {"deny": {}}}, exceptions=[exception]) == "skip"
    other = {
        **exception,
        "spec": {**exception["spec"], "exceptions": [{"policyName": "q", "ruleNames": ["r"]}]},
    }
    assert result_of({"validate": {"deny": {}}}, exceptions=[other]) == "fail"


def test_policy_exception_adds_pod_security_exclusions() -> None:
    exception = {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "spec": {
            "exceptions": [{"policyName": "p", "ruleNames": ["r"]}],
            "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "podSecurity": [
                {"controlName": c, "images": ["*"]}
                for c in ("Privilege Escalation", "Running as Non-root", "Seccomp", "Capabilities")
            ],
        },
    }
    rule = {"validate": {"podSecurity": {"level": "restricted", "version": "latest"}}}
    assert result_of(rule) == "fail"
    assert result_of(rule, exceptions=[exception]) == "pass"


def _exception(entries: list[dict[str, Any]], condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {
            "exceptions": entries,
            "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "conditions": {"all": [condition]},
        },
    }


IN_PROD = {"key": "{{ request.object.metadata.namespace }}", "operator": "Equals", "value": "prod"}


@pytest.mark.parametrize(
    ("entries", "condition", "expected"),
    [
        pytest.param(
            [{"policyName": "p", "ruleNames": ["other"]}, {"policyName": "p", "ruleNames": ["r"]}],
            IN_PROD,
            "skip",
            id="second-entry-names-the-rule",
        ),
        pytest.param(
            [{"policyName": "p", "ruleNames": ["other"]}], IN_PROD, "fail", id="other-rule"
        ),
        pytest.param(
            [{"policyName": "p", "ruleNames": ["r"]}],
            {**IN_PROD, "value": "dev"},
            "fail",
            id="conditions-not-met",
        ),
        pytest.param(
            [{"policyName": "p", "ruleNames": ["r"]}],
            {**IN_PROD, "operator": "Resembles"},
            "fail",
            id="conditions-that-fail-to-evaluate-do-not-exempt",
        ),
    ],
)
def test_policy_exception_entries_and_conditions(
    entries: list[dict[str, Any]], condition: dict[str, Any], expected: str
) -> None:
    exception = _exception(entries, condition)
    assert result_of({"validate": {"deny": {}}}, exceptions=[exception]) == expected

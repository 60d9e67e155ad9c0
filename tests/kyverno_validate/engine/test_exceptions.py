"""PolicyException: which entries, matches and conditions exempt a rule."""

from typing import Any

import pytest
from kyverno_engine_cases import result_of, run


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
    # validate_pss.go: every failing check excused by the exception gives skip, not pass
    assert result_of(rule, exceptions=[exception]) == "skip"
    partial = {
        **exception,
        "spec": {**exception["spec"], "podSecurity": exception["spec"]["podSecurity"][:1]},
    }
    assert result_of(rule, exceptions=[partial]) == "fail"
    baseline = {"validate": {"podSecurity": {"level": "baseline", "version": "latest"}}}
    assert result_of(baseline, exceptions=[exception]) == "pass"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}, "error",
                     id="not-a-pod-kind"),
        pytest.param({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}},
                     "pass", id="controller-without-template"),
    ],
)  # fmt: skip
def test_pod_security_reads_pods_from_pod_kinds_only(
    resource: dict[str, Any], expected: str
) -> None:
    rule = {
        "match": {"any": [{"resources": {"kinds": [resource["kind"]]}}]},
        "validate": {"podSecurity": {"level": "baseline", "version": "latest"}},
    }
    assert result_of(rule, resource) == expected


def test_pod_security_gives_no_result_on_delete() -> None:
    rule = {"validate": {"podSecurity": {"level": "restricted", "version": "latest"}}}
    assert run(rule, values={"globalValues": {"request.operation": "DELETE"}}) == []


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

"""The ``checks`` of a kyverno-test file: assertions on the rule responses."""

from typing import Any

import pytest
from kyverno_validate.engine import RuleResult
from kyverno_validate.testchecks import CheckError, assertion_holds, matches, run_checks
from kyverno_validate.testrunner import run_test

POLICY = {
    "apiVersion": "policies.kyverno.io/v1",
    "kind": "ValidatingPolicy",
    "metadata": {"name": "require-team"},
    "spec": {
        "matchConstraints": {
            "resourceRules": [
                {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"],
                 "resources": ["pods"]}
            ]
        },
        "validations": [{"expression": "'team' in object.metadata.?labels.orValue({})",
                         "message": "The label `team` is required."}],
    },
}  # fmt: skip


def _pod(name: str, **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels}}


def _report(checks: list[Any]) -> Any:
    files = {"policy.yaml": [POLICY], "resource.yaml": [_pod("no-team"), _pod("ok", team="a")]}
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "checks": checks,
    }
    return run_test(test, lambda path: [(path, doc) for doc in files[path]])


def test_checks_assert_on_the_selected_responses() -> None:
    report = _report(
        [
            {
                "match": {
                    "policy": {"kind": "ValidatingPolicy", "metadata": {"name": "require-team"}},
                    "resource": {"kind": "Pod", "name": "no-team"},
                },
                "assert": {"status": "fail", "message": "The label `team` is required."},
            },
            {
                "match": {"resource": {"metadata": {"labels": {"team": "a"}}}},
                "assert": {"status": "pass"},
                "error": {"status": "fail"},
            },
            {"match": {"rule": {"name": "require-team"}},
             "assert": {"(object.status != '')": True}},
        ]
    )  # fmt: skip
    assert report.ok, report.rows
    assert [(r.resource, r.expected) for r in report.rows] == [
        ("no-team", "check"),
        ("ok", "check"),
        ("ok", "check"),
        ("no-team", "check"),
        ("ok", "check"),
    ]


def test_a_failed_assertion_fails_the_test() -> None:
    report = _report([{"match": {"resource": {"name": "ok"}}, "assert": {"status": "fail"}}])
    assert not report.ok
    assert [r.reason for r in report.rows] == ["Assertion failed"]
    report = _report([{"match": {"resource": {"name": "ok"}}, "error": {"status": "pass"}}])
    assert [r.reason for r in report.rows] == ["The assertion succeeded but was expected to fail"]


@pytest.mark.parametrize(
    "check",
    [
        pytest.param("junk", id="not-an-object"),
        pytest.param({"assert": ["status"]}, id="assert-not-an-object"),
        pytest.param({"assert": {"(status)": "yes"}}, id="expected-not-bool"),
        pytest.param({"assert": {"(nope.x)": True}}, id="expression-error"),
    ],
)
def test_a_check_that_cannot_run_is_an_error_of_the_test(check: Any) -> None:
    report = _report([check])
    assert not report.ok
    assert report.errors[0].startswith("checks: ")


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        pytest.param({"a": 1}, {"a": 1, "b": 2}, True, id="partial-map"),
        pytest.param({"a": 1}, {"b": 2}, False, id="missing-key"),
        pytest.param({"a": 1}, "x", False, id="not-a-map"),
        pytest.param([1, {"a": 2}], [1, {"a": 2, "b": 3}], True, id="list"),
        pytest.param([1], [1, 2], False, id="list-length"),
        pytest.param([1], "x", False, id="not-a-list"),
        pytest.param(True, 1, False, id="bool-is-not-int"),
    ],
)
def test_matches(expected: Any, actual: Any, result: bool) -> None:
    assert matches(expected, actual) is result


def test_assertion_keys_must_exist() -> None:
    assert not assertion_holds({"nope": 1}, {"status": "pass"})
    with pytest.raises(CheckError):
        assertion_holds({"(status == 'pass')": 1}, {"status": "pass"})


def test_rule_types_follow_the_policy_kind() -> None:
    result = RuleResult("p", "", "Pod", "x", "default", "pass", "", "Audit")
    for kind, rule_type in [("DeletingPolicy", "Deletion"), ("ValidatingPolicy", "Validation")]:
        rows = run_checks(
            [{"assert": {"ruleType": rule_type}}],
            [result],
            lambda _: None,
            lambda _, kind=kind: {"kind": kind},  # type: ignore[misc]
        )
        assert [r.ok for r in rows] == [True]


def test_checks_skip_responses_their_match_leaves_out() -> None:
    result = RuleResult("p", "r", "Pod", "x", "default", "fail", "m", "Audit")
    checks = [
        {"match": {"policy": {"kind": "DeletingPolicy"}}, "assert": {"status": "pass"}},
        {"match": {"rule": {"name": "other"}}, "assert": {"status": "pass"}},
        {"assert": {"(status == 'fail')": False}},
    ]
    rows = run_checks(checks, [result], lambda _: None, lambda _: None)
    assert [(r.ok, r.reason) for r in rows] == [(False, "Assertion failed")]

"""kyverno-test inputs of CEL policies: ``paramResources`` for admission policy bindings, a
result's ``resourceOperation`` per policy, and ``oldResources`` as an UPDATE's old object."""

from typing import Any

import pytest
from kyverno_validate.testinputs import api_call_values, policy_operations
from kyverno_validate.testrunner import run_test


def _vpol(name: str, operations: list[str], expression: str) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1",
        "kind": "ValidatingPolicy",
        "metadata": {"name": name},
        "spec": {
            "validationActions": ["Deny"],
            "matchConstraints": {
                "resourceRules": [
                    {
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "operations": operations,
                        "resources": ["pods"],
                    }
                ]
            },
            "validations": [{"expression": expression, "message": f"{name} denies"}],
        },
    }


def _pod(env: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "app", "labels": {"env": env}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
    }


def _run(files: dict[str, list[Any]], results: list[dict[str, Any]], **extra: Any) -> Any:
    test = {
        "apiVersion": "cli.kyverno.io/v1alpha1",
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "results": results,
        **extra,
    }
    return run_test(test, lambda path: [(path, doc) for doc in files[path]])


def _row(policy: str, result: str, **extra: Any) -> dict[str, Any]:
    return {"policy": policy, "kind": "Pod", "resources": ["app"], "result": result, **extra}


def test_param_resources_are_the_params_of_a_binding() -> None:
    vap = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": "max-replicas"},
        "spec": {
            "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
            "matchConstraints": {
                "resourceRules": [
                    {
                        "apiGroups": ["apps"],
                        "apiVersions": ["v1"],
                        "operations": ["CREATE"],
                        "resources": ["deployments"],
                    }
                ]
            },
            "validations": [{"expression": "object.spec.replicas <= int(params.data.max)"}],
        },
    }
    binding = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "max-replicas-binding"},
        "spec": {"policyName": "max-replicas", "paramRef": {"name": "limits"}},
    }
    config = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "limits"},
        "data": {"max": "5"},
    }

    def deployment(name: str, replicas: int) -> dict[str, Any]:
        return {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name},
            "spec": {"replicas": replicas},
        }

    files = {
        "policy.yaml": [vap, binding],
        "resource.yaml": [deployment("small", 1), deployment("big", 10)],
        "cm.yaml": [config],
    }
    rows = [
        {"policy": "max-replicas", "kind": "Deployment", "resources": ["small"], "result": "pass",
         "isValidatingAdmissionPolicy": True},
        {"policy": "max-replicas", "kind": "Deployment", "resources": ["big"], "result": "fail",
         "isValidatingAdmissionPolicy": True},
    ]  # fmt: skip
    report = _run(files, rows, paramResources=["cm.yaml"])
    assert report.ok, report.rows
    # without the params file the binding finds no params: an error, not a verdict
    missing = _run({**files, "cm.yaml": []}, rows, paramResources=["cm.yaml"])
    assert {r.actual for r in missing.rows} == {"error"}


def test_resource_operation_is_per_policy() -> None:
    files = {
        "policy.yaml": [
            _vpol("no-prod-create", ["CREATE"], "object.metadata.labels.env != 'production'"),
            _vpol("no-prod-delete", ["DELETE"], "oldObject.metadata.labels.env != 'production'"),
        ],
        "resource.yaml": [_pod("production")],
    }
    rows = [
        _row("no-prod-create", "fail", resourceOperation="CREATE"),
        _row("no-prod-delete", "fail", resourceOperation="DELETE"),
    ]
    report = _run(files, rows)
    assert report.ok, report.rows
    assert sorted(r.message for r in report.results) == [
        "no-prod-create denies",
        "no-prod-delete denies",
    ]


def test_a_result_without_operation_keeps_the_default_one() -> None:
    files = {
        "policy.yaml": [
            _vpol("deny-connect", ["CONNECT"], "false"),
            _vpol("require-team", ["CREATE"], "'team' in object.metadata.labels"),
        ],
        "resource.yaml": [_pod("dev")],
    }
    rows = [_row("deny-connect", "fail", operation="CONNECT"), _row("require-team", "fail")]
    report = _run(files, rows)
    assert report.ok, report.rows


def test_old_resources_are_the_old_object_of_an_update() -> None:
    files = {
        "policy.yaml": [
            _vpol(
                "frozen-labels",
                ["UPDATE"],
                "oldObject.metadata.labels == object.metadata.labels",
            )
        ],
        "resource.yaml": [_pod("staging")],
        "old.yaml": [_pod("production")],
    }
    rows = [_row("frozen-labels", "fail", resourceOperation="UPDATE")]
    report = _run(files, rows, oldResources=["old.yaml"])
    assert report.ok, report.rows
    # without an old resource the object is its own old object: nothing changed
    same = _run(files, rows)
    assert [r.actual for r in same.rows] == ["pass"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [{"policy": "ns/p", "resources": ["a"], "resourceOperation": "delete"}],
            {("p", "a"): "DELETE"},
            id="resource-operation",
        ),
        pytest.param(
            [{"policy": "p", "resource": "a", "operation": "PATCH"}],
            {("p", "a"): ""},
            id="unknown-is-default",
        ),
        pytest.param(
            ["junk", {"policy": "p", "resources": ["a", "b"]}],
            {("p", "a"): "", ("p", "b"): ""},
            id="none",
        ),
    ],
)
def test_policy_operations(rows: list[Any], expected: dict[tuple[str, str], str]) -> None:
    assert policy_operations(rows) == expected


def test_api_call_responses_answer_http_calls() -> None:
    policy = _vpol("external", ["CREATE"], "http.Get('https://cfg.local/x').body.allowed")
    files = {"policy.yaml": [policy], "resource.yaml": [_pod("dev")]}
    mock = [{"method": "GET", "url": "https://cfg.local/x",
             "response": {"statusCode": 200, "body": {"allowed": False}}}]  # fmt: skip
    report = _run(files, [_row("external", "fail")], apiCallResponses=mock)
    assert report.ok, report.rows
    # without the mock the call has no answer: an error, not a verdict
    assert [r.actual for r in _run(files, [_row("external", "fail")]).rows] == ["error"]


@pytest.mark.parametrize(
    ("values", "mocks", "expected"),
    [
        pytest.param({}, [], {}, id="none"),
        pytest.param({"http": {"a": 1}}, [{"url": "b", "response": 2}, {"method": "GET"}, "x"],
                     {"http": {"a": 1, "b": 2}}, id="merged"),
        pytest.param({"http": "junk"}, [{"URL": "b", "Response": 2}], {"http": {"b": 2}},
                     id="case-insensitive"),
    ],
)  # fmt: skip
def test_api_call_values(values: dict[str, Any], mocks: list[Any], expected: Any) -> None:
    assert api_call_values({"apiCallResponses": mocks}, values) == expected


def test_a_rule_the_policy_does_not_have_is_excluded_like_kyverno_test() -> None:
    files = {
        "policy.yaml": [_vpol("no-prod", ["CREATE"], "object.metadata.labels.env != 'prod'")],
        "resource.yaml": [_pod("prod")],
    }
    # a ValidatingPolicy has no rules: kyverno test reports the row as Excluded (a pass)
    report = _run(files, [_row("no-prod", "pass", rule="made-up")])
    assert [(r.actual, r.reason, r.ok) for r in report.rows] == [("skip", "Excluded", True)]
    # with isValidatingPolicy the rule name is ignored and the result compared
    report = _run(files, [_row("no-prod", "fail", rule="made-up", isValidatingPolicy=True)])
    assert [(r.actual, r.ok) for r in report.rows] == [("fail", True)]
    # no answer at all for the resource: Not found
    other = {**files, "resource.yaml": [{**_pod("prod"), "kind": "ConfigMap"}]}
    report = _run(other, [_row("no-prod", "pass", rule="made-up")])
    assert [r.reason for r in report.rows] == ["Not found"]


def test_a_rule_the_policy_has_but_did_not_answer_is_not_found() -> None:
    classic = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "two-rules"},
        "spec": {"rules": [
            {"name": "pods", "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
             "validate": {"message": "m", "pattern": {"metadata": {"name": "?*"}}}},
            {"name": "services", "match": {"any": [{"resources": {"kinds": ["Service"]}}]},
             "validate": {"message": "m", "pattern": {"metadata": {"name": "?*"}}}},
        ]},
    }  # fmt: skip
    files = {"policy.yaml": [classic], "resource.yaml": [_pod("dev")]}
    rows = [
        _row("two-rules", "fail", rule="services"),
        _row("two-rules", "fail", rule="autogen-nope"),
    ]
    report = _run(files, rows)
    assert [(r.reason, r.ok) for r in report.rows] == [("Not found", False), ("Excluded", True)]


@pytest.mark.parametrize(
    ("rule", "absent"),
    [
        pytest.param("", False, id="no-rule"),
        pytest.param("check", False, id="present"),
        pytest.param("autogen-check", False, id="autogen-of-present"),
        pytest.param("autogen-cronjob-check", False, id="cronjob-autogen"),
        pytest.param("other", True, id="absent"),
    ],
)
def test_rule_absent(rule: str, absent: bool) -> None:
    from kyverno_validate import testrunner  # noqa: PLC0415

    docs = [
        "junk",
        {"metadata": {"name": "other-policy"}},
        {"metadata": {"name": "p"}, "spec": {"rules": [{"name": "check"}, "junk"]}},
    ]
    assert testrunner._rule_absent(docs, "p", rule) is absent
    assert testrunner._rule_absent(docs, "missing", rule) is False

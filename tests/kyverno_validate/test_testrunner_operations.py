"""The ``operation`` of a kyverno-test result: its resources are evaluated as that admission
operation (``request.operation``, and on DELETE ``request.object`` read from the old object)."""

from typing import Any

import pytest
from kyverno_validate.testrunner import result_operations, run_test

POLICY = {
    "apiVersion": "kyverno.io/v1",
    "kind": "ClusterPolicy",
    "metadata": {"name": "deny-delete-prod"},
    "spec": {
        "validationFailureAction": "Enforce",
        "rules": [
            {
                "name": "block-prod-deletion",
                "match": {
                    "any": [
                        {
                            "resources": {
                                "kinds": ["Pod"],
                                "selector": {"matchLabels": {"env": "production"}},
                                "operations": ["DELETE"],
                            }
                        }
                    ]
                },
                "validate": {
                    "message": "{{ request.object.metadata.name }} is a production pod",
                    "deny": {
                        "conditions": {
                            "all": [
                                {
                                    "key": "{{ request.operation }}",
                                    "operator": "Equals",
                                    "value": "DELETE",
                                }
                            ]
                        }
                    },
                },
            }
        ],
    },
}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "prod-app", "labels": {"env": "production"}},
    "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
}


def _run(result: dict[str, Any]) -> Any:
    files = {"policy.yaml": [POLICY], "resource.yaml": [POD]}
    test = {
        "apiVersion": "cli.kyverno.io/v1alpha1",
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "results": [result],
    }
    return run_test(test, lambda path: [(path, doc) for doc in files[path]])


def test_result_operation_sets_the_admission_operation() -> None:
    row = {
        "policy": "deny-delete-prod",
        "rule": "block-prod-deletion",
        "kind": "Pod",
        "resources": ["prod-app"],
        "operation": "DELETE",
        "result": "fail",
    }
    report = _run(row)
    assert report.ok, report.rows
    assert [r.message for r in report.results] == ["prod-app is a production pod"]
    # without the operation the rule does not match a CREATE
    without = _run({**row, "operation": None})
    assert [r.reason for r in without.rows] == ["Not found"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [{"resources": ["a", "ns/b"], "operation": "update"}],
            {"a": "UPDATE", "ns/b": "UPDATE"},
            id="names-and-namespaced-names",
        ),
        pytest.param([{"resource": "a", "operation": "DELETE"}], {"a": "DELETE"}, id="resource"),
        pytest.param([{"resources": ["a"], "operation": "PATCH"}], {}, id="unknown-operation"),
        pytest.param(["junk", {"resources": ["a"]}], {}, id="no-operation"),
    ],
)
def test_result_operations(rows: list[Any], expected: dict[str, str]) -> None:
    assert result_operations(rows) == expected


def test_resources_without_namespace_are_loaded_into_default() -> None:
    rule = {
        "name": "no-default",
        "match": {"any": [{"resources": {"kinds": ["Pod"], "namespaces": ["default"]}}]},
        "validate": {
            "message": "{{ request.namespace }}/{{ request.object.metadata.namespace }}",
            "deny": {},
        },
    }
    policy = {**POLICY, "spec": {"validationFailureAction": "Enforce", "rules": [rule]}}
    files = {"policy.yaml": [policy], "resource.yaml": [POD]}
    test = {
        "kind": "Test",
        "metadata": {"name": "t"},
        "policies": ["policy.yaml"],
        "resources": ["resource.yaml"],
        "results": [{"policy": "deny-delete-prod", "rule": "no-default",
                     "resources": ["default/prod-app"], "result": "fail"}],
    }  # fmt: skip
    report = run_test(test, lambda path: [(path, doc) for doc in files[path]])
    assert report.ok, report.rows
    assert [r.message for r in report.results] == ["default/default"]


def test_a_result_rows_namespace_field_does_not_scope_its_resources() -> None:
    # kyverno test (cli.kyverno.io/v1alpha1) ignores the deprecated `namespace` of a result
    # row: only an `ns/name` resource is compared with the resource's namespace
    row = {
        "policy": "deny-delete-prod",
        "rule": "block-prod-deletion",
        "kind": "Pod",
        "namespace": "elsewhere",
        "resources": ["prod-app"],
        "operation": "DELETE",
        "result": "fail",
    }
    report = _run(row)
    assert report.ok, report.rows
    scoped = _run({**row, "resources": ["elsewhere/prod-app"]})
    assert [r.reason for r in scoped.rows] == ["Not found"]

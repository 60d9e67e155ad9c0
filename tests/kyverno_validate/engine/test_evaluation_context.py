"""What EvaluationContext feeds a rule: values, operation, old object, cluster objects, time."""

from datetime import UTC, datetime

import pytest
from kyverno_engine_cases import POD, deny, result_of, run


def test_values_set_operation_and_rule_variables() -> None:
    values = {
        "policies": [
            {
                "name": "p",
                "rules": [{"name": "r", "values": {"allowed": '["web"]'}}],
                "resources": [{"name": "web", "values": {"request.operation": "UPDATE"}}],
            }
        ]
    }
    rule = {
        "preconditions": {
            "all": [{"key": "{{ request.operation }}", "operator": "Equals", "value": "UPDATE"}]
        },
        **deny(
            {
                "key": "{{ request.object.metadata.name }}",
                "operator": "AnyNotIn",
                "value": "{{ allowed }}",
            }
        ),
    }
    assert result_of(rule, values=values) == "pass"


def test_update_without_old_object_compares_with_itself() -> None:
    rule = deny(
        {
            "key": "{{ request.object.metadata.labels }}",
            "operator": "NotEquals",
            "value": "{{ request.oldObject.metadata.labels }}",
        }
    )
    assert result_of(rule, operation="UPDATE") == "pass"


def test_config_map_and_api_call_from_cluster_resources() -> None:
    cluster = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cfg", "namespace": "prod"},
            "data": {"max": "1"},
        },
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "other", "namespace": "prod"}},
    ]
    rule = {
        "context": [
            {"name": "cfg", "configMap": {"name": "cfg", "namespace": "{{ request.namespace }}"}},
            {
                "name": "pods",
                "apiCall": {
                    "urlPath": "/api/v1/namespaces/prod/pods",
                    "jmesPath": "items | length(@)",
                },
            },
        ],
        **deny(
            {"key": "{{ pods }}", "operator": "GreaterThanOrEquals", "value": "{{ cfg.data.max }}"},
        ),
    }
    assert result_of(rule, cluster_resources=cluster) == "fail"
    missing = {
        "context": [{"name": "cfg", "configMap": {"name": "nope", "namespace": "prod"}}],
        **deny(),
    }
    assert result_of(missing, cluster_resources=cluster) == "error"
    assert result_of(rule) == "pass"  # without cluster objects the entries are not loaded


def test_delete_sees_the_old_object() -> None:
    values = {
        "policies": [
            {"name": "p", "resources": [{"name": "web", "values": {"request.operation": "DELETE"}}]}
        ]
    }
    rule = deny(
        {"key": "{{ request.oldObject.metadata.name }}", "operator": "Equals", "value": "web"},
        # Kyverno rewrites request.object to request.oldObject in every variable of a DELETE
        {"key": "{{ request.object.metadata.name }}", "operator": "Equals", "value": "web"},
        mode="all",
    )
    assert result_of(rule, values=values) == "fail"


def test_delete_gives_no_pattern_result() -> None:
    values = {"globalValues": {"request.operation": "DELETE"}}
    rule = {"validate": {"pattern": {"metadata": {"name": "other"}}}}
    assert run(rule, values=values) == []
    assert result_of(rule) == "fail"


@pytest.mark.parametrize(
    ("old_app", "allow", "expected"),
    [
        pytest.param("web", True, "skip", id="existing-violation-skipped"),
        pytest.param("api", True, "fail", id="new-violation-fails"),
        pytest.param("web", None, "fail", id="not-enabled"),
    ],
)
def test_allow_existing_violations(old_app: str, allow: bool | None, expected: str) -> None:
    rule = deny(
        {"key": "{{ request.object.metadata.labels.app }}", "operator": "Equals", "value": "web"}
    )
    if allow is not None:
        rule["validate"]["allowExistingViolations"] = allow
    old = {**POD, "metadata": {**POD["metadata"], "labels": {"app": old_app}}}
    assert result_of(rule, operation="UPDATE", old_object=old) == expected


def test_evaluation_time_comes_from_the_context() -> None:
    rule = deny(
        {
            "key": "{{ time_since('', '2023-01-01T00:00:00Z', '') }}",
            "operator": "DurationGreaterThan",
            "value": "8760h",
        }
    )
    assert result_of(rule, now=datetime(2025, 1, 1, tzinfo=UTC)) == "fail"
    assert result_of(rule, now=datetime(2023, 6, 1, tzinfo=UTC)) == "pass"


def test_values_that_change_the_object_are_what_patterns_check() -> None:
    values = {"globalValues": {"request.object.metadata.labels.app": "api"}}
    rule = {"validate": {"pattern": {"metadata": {"labels": {"app": "api"}}}}}
    assert result_of(rule) == "fail"
    assert result_of(rule, values=values) == "pass"
    assert POD["metadata"]["labels"] == {"app": "web"}  # the resource itself is untouched


def test_update_with_an_empty_old_object_has_no_existing_violation() -> None:
    rule = deny({"key": "a", "operator": "Equals", "value": "a"})
    rule["validate"]["allowExistingViolations"] = True
    assert result_of(rule, operation="UPDATE", old_object={}) == "fail"

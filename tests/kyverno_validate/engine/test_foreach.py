"""foreach: per-element values, null elements and nesting."""

from typing import Any

import pytest
from kyverno_engine_cases import POD, result_of, run


def test_foreach_values_and_autogen_rule_values() -> None:
    values = {
        "policies": [
            {
                "name": "p",
                "rules": [
                    {"name": "r", "foreachValues": {"allowed": ["nginx:1.2", "busybox:latest"]}}
                ],
            }
        ]
    }
    rule = {
        "validate": {
            "foreach": [
                {
                    "list": "request.object.spec.containers",
                    "deny": {
                        "conditions": {
                            "any": [
                                {
                                    "key": "{{ element.image }}",
                                    "operator": "NotEquals",
                                    "value": "{{ allowed }}",
                                }
                            ]
                        }
                    },
                }
            ]
        }
    }
    assert result_of(rule, values=values) == "pass"  # element i sees allowed[i]
    assert result_of(rule) == "fail"


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        pytest.param(["nginx:1.2", "busybox:latest"], "pass", id="a-value-per-element"),
        pytest.param(["nginx:1.2"], "fail", id="elements-past-the-list-get-no-value"),
    ],
)
def test_foreach_values_by_element_index(allowed: list[str], expected: str) -> None:
    values = {
        "policies": [{"name": "p", "rules": [{"name": "r", "foreachValues": {"a": allowed}}]}]
    }
    condition = {"key": "{{ element.image }}", "operator": "NotEquals", "value": "{{ a }}"}
    rule = {
        "validate": {
            "foreach": [
                {
                    "list": "request.object.spec.containers",
                    "deny": {"conditions": {"any": [condition]}},
                }
            ]
        }
    }
    assert result_of(rule, values=values) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([None, "a"], "pass", id="null-element-skipped"),
        pytest.param(["b", "a"], "fail", id="every-element-checked"),
        pytest.param([None], "skip", id="only-null-elements"),
    ],
)
def test_foreach_skips_null_elements(items: list[Any], expected: str) -> None:
    condition = {"key": "{{ element }}", "operator": "NotEquals", "value": "a"}
    rule = {
        "validate": {
            "foreach": [{"list": "request.object.spec.items", "deny": {"conditions": [condition]}}]
        }
    }
    assert result_of(rule, {**POD, "spec": {"items": items}}) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        pytest.param(True, "error", id="explicit-scope-on-strings"),
        pytest.param(None, "fail", id="default-scope"),
        pytest.param(False, "fail", id="no-scope"),
    ],
)
def test_element_scope_needs_map_elements(scope: bool | None, expected: str) -> None:
    entry: dict[str, Any] = {
        "list": "request.object.spec.containers[].image",
        "deny": {"conditions": {"all": [{"key": "{{ element }}", "operator": "NotEquals",
                                          "value": "ghcr.io"}]}},
    }  # fmt: skip
    if scope is not None:
        entry["elementScope"] = scope
    results = run({"validate": {"message": "only ghcr.io", "foreach": [entry]}})
    assert [r for r, _ in results] == [expected]
    if expected == "error":
        assert "expected type=map got type=string" in results[0][1]


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        pytest.param([{"allowed": ["nginx:1.2", "busybox:latest"]}, {"name": ["a"]}], "pass",
                     id="one-mapping-per-block"),
        pytest.param([{"name": ["a"]}, {"allowed": ["nginx:1.2", "busybox:latest"]}], "fail",
                     id="values-of-another-block"),
        pytest.param([], "fail", id="no-block"),
    ],
)  # fmt: skip
def test_foreach_values_per_block(blocks: list[dict[str, Any]], expected: str) -> None:
    values = {"policies": [{"name": "p", "rules": [{"name": "r", "foreachValues": blocks}]}]}
    deny = {
        "conditions": {
            "any": [
                {"key": "{{ element.image }}", "operator": "NotEquals", "value": "{{ allowed }}"}
            ]
        }
    }
    rule = {"validate": {"foreach": [{"list": "request.object.spec.containers", "deny": deny}]}}
    assert result_of(rule, values=values) == expected

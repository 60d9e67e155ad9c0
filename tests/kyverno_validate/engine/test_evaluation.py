"""Rule outcomes: pattern, anyPattern, deny, podSecurity and their messages."""

from typing import Any

import pytest
from kyverno_engine_cases import deny, result_of, run


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(
            {"validate": {"pattern": {"spec": {"containers": [{"image": "!*:latest"}]}}}},
            "fail",
            id="pattern-fail",
        ),
        pytest.param(
            {"validate": {"pattern": {"metadata": {"labels": {"app": "web"}}}}},
            "pass",
            id="pattern-pass",
        ),
        pytest.param(
            {
                "validate": {
                    "pattern": {"spec": {"(hostNetwork)": True, "containers": [{"image": "x"}]}}
                }
            },
            "skip",
            id="pattern-skip",
        ),
        pytest.param(
            {
                "validate": {
                    "anyPattern": [
                        {"metadata": {"labels": {"x": "?*"}}},
                        {"metadata": {"name": "web"}},
                    ]
                }
            },
            "pass",
            id="any-pattern-pass",
        ),
        pytest.param(
            {
                "validate": {
                    "anyPattern": [
                        {"metadata": {"labels": {"x": "?*"}}},
                        {"metadata": {"name": "x"}},
                    ]
                }
            },
            "fail",
            id="any-pattern-fail",
        ),
        pytest.param(
            {"validate": {"anyPattern": [{"spec": {"(hostNetwork)": True, "x": 1}}]}},
            "skip",
            id="any-pattern-skip",
        ),
        pytest.param(
            deny(
                {"key": "{{ request.object.metadata.name }}", "operator": "Equals", "value": "web"}
            ),
            "fail",
            id="deny-true",
        ),
        pytest.param(
            deny({"key": "{{ request.object.metadata.name }}", "operator": "Equals", "value": "x"}),
            "pass",
            id="deny-false",
        ),
        pytest.param({"validate": {"deny": {}}}, "fail", id="deny-empty"),
        pytest.param(
            {
                "preconditions": {
                    "all": [
                        {"key": "{{ request.operation }}", "operator": "Equals", "value": "UPDATE"}
                    ]
                },
                **deny(),
            },
            "skip",
            id="precondition-skip",
        ),
        pytest.param(
            {"preconditions": {"all": [{"key": 1, "operator": "Bogus", "value": 1}]}, **deny()},
            "error",
            id="precondition-error",
        ),
        pytest.param(
            {"validate": {"pattern": {"metadata": {"name": "{{ request.object.metadata.nope }}"}}}},
            "error",
            id="pattern-variable-error",
        ),
        pytest.param(
            {
                "context": [{"name": "limit", "variable": {"value": 1}}],
                **deny(
                    {
                        "key": "{{ length(request.object.spec.containers) }}",
                        "operator": "GreaterThan",
                        "value": "{{ limit }}",
                    }
                ),
            },
            "fail",
            id="context-variable",
        ),
        pytest.param(
            {
                "context": [
                    {"name": "n", "variable": {"jmesPath": "request.object.metadata.name"}}
                ],
                **deny({"key": "{{ n }}", "operator": "Equals", "value": "web"}),
            },
            "fail",
            id="context-variable-jmespath",
        ),
        pytest.param(
            {
                "context": [{"name": "n", "variable": {"jmesPath": "request.object.nothing"}}],
                **deny(),
            },
            "error",
            id="context-variable-nil",
        ),
        pytest.param(
            {
                "context": [
                    {
                        "name": "n",
                        "variable": {"jmesPath": "request.object.nothing", "default": "d"},
                    }
                ],
                **deny({"key": "{{ n }}", "operator": "Equals", "value": "d"}),
            },
            "fail",
            id="context-variable-default",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "deny": {
                                "conditions": {
                                    "any": [
                                        {
                                            "key": "{{ element.image }}",
                                            "operator": "Equals",
                                            "value": "*:latest",
                                        }
                                    ]
                                }
                            },
                        }
                    ]
                }
            },
            "fail",
            id="foreach-deny",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {"list": "request.object.spec.containers", "pattern": {"name": "?"}}
                    ]
                }
            },
            "pass",
            id="foreach-pattern-element-scope",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {"list": "request.object.spec.initContainers", "pattern": {"name": "x"}}
                    ]
                }
            },
            "skip",
            id="foreach-empty-list",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "preconditions": {
                                "all": [
                                    {
                                        "key": "{{ element.name }}",
                                        "operator": "Equals",
                                        "value": "a",
                                    }
                                ]
                            },
                            "deny": {
                                "conditions": {
                                    "any": [
                                        {
                                            "key": "{{ element.image }}",
                                            "operator": "Equals",
                                            "value": "*:latest",
                                        }
                                    ]
                                }
                            },
                        }
                    ]
                }
            },
            "pass",
            id="foreach-element-precondition",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "foreach": [
                                {
                                    "list": "element.ports || `[]`",
                                    "deny": {
                                        "conditions": {
                                            "any": [
                                                {
                                                    "key": "{{ element.containerPort }}",
                                                    "operator": "Equals",
                                                    "value": 80,
                                                }
                                            ]
                                        }
                                    },
                                }
                            ],
                        }
                    ]
                }
            },
            "fail",
            id="foreach-nested",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "deny": {
                                "conditions": {
                                    "any": [
                                        {
                                            "key": "{{ elementIndex }}",
                                            "operator": "Equals",
                                            "value": 1,
                                        }
                                    ]
                                }
                            },
                        }
                    ]
                }
            },
            "fail",
            id="foreach-element-index",
        ),
        pytest.param(
            deny({"key": "{{ images.containers.b.tag }}", "operator": "Equals", "value": "latest"}),
            "fail",
            id="images-variable",
        ),
        pytest.param(
            {"validate": {"podSecurity": {"level": "restricted", "version": "latest"}}},
            "fail",
            id="pss-restricted",
        ),
        pytest.param(
            {"validate": {"podSecurity": {"level": "baseline", "version": "v1.29"}}},
            "pass",
            id="pss-baseline",
        ),
        pytest.param(
            {"validate": {"podSecurity": {"level": "bogus"}}}, "error", id="pss-bad-level"
        ),
    ],
)
def test_rule_outcomes(rule: dict[str, Any], expected: str) -> None:
    assert result_of(rule) == expected


def test_cel_rules_are_evaluated() -> None:
    passed = run({"validate": {"cel": {"expressions": [{"expression": "true"}]}}})
    assert [r for r, _ in passed] == ["pass"]
    failed = run({"validate": {"cel": {"expressions": [{"expression": "false", "message": "no"}]}}})
    assert failed == [("fail", "no")]


def test_mutate_rules_give_no_result() -> None:
    assert run({"mutate": {"patchStrategicMerge": {"metadata": {"labels": {"a": "b"}}}}}) == []


def test_non_matching_rule_gives_no_result() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
    assert run(deny(), service) == []


def test_message_variables_are_substituted() -> None:
    rule = {"validate": {"message": "pod {{ request.object.metadata.name }} denied", "deny": {}}}
    assert run(rule) == [("fail", "pod web denied")]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(
            {
                "validate": {
                    "deny": {"conditions": {"any": [{"key": 1, "operator": "Nope", "value": 1}]}}
                }
            },
            "error",
            id="deny-bad-operator",
        ),
        pytest.param(
            {"validate": {"message": "{{ request.object.nope }}", "deny": {}}},
            "fail",
            id="message-unresolved-kept",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "context": [{"name": "x", "variable": {"jmesPath": "nope.nope"}}],
                            "deny": {},
                        }
                    ]
                }
            },
            "error",
            id="foreach-context-error",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "pattern": {"name": "{{ nope.x }}"},
                        }
                    ]
                }
            },
            "error",
            id="foreach-error-on-last-element",
        ),
        pytest.param(
            {"validate": {"foreach": [{"list": "[[", "deny": {}}]}},
            "skip",
            id="foreach-bad-list-skipped",
        ),
        pytest.param(
            {"validate": {"foreach": [{"list": "request.object.metadata.name", "deny": {}}]}},
            "fail",
            id="foreach-scalar-list",
        ),
        pytest.param(
            {
                "validate": {
                    "foreach": [
                        {
                            "list": "request.object.spec.containers",
                            "elementScope": False,
                            "pattern": {"metadata": {"name": "web"}},
                        }
                    ]
                }
            },
            "pass",
            id="foreach-element-scope-off",
        ),
        pytest.param(
            {"validate": {"manifests": {"attestors": []}}}, "pass", id="manifests-no-attestors"
        ),
    ],
)
def test_more_outcomes(rule: dict[str, Any], expected: str | None) -> None:
    results = run(rule)
    assert [r for r, _ in results] == ([expected] if expected else [])

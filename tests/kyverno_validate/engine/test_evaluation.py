from datetime import UTC, datetime
from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext, evaluate, load_policies

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "a", "image": "nginx:1.2", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "busybox:latest"},
        ]
    },
}
MATCH_POD = {"any": [{"resources": {"kinds": ["Pod"]}}]}


def run(rule: dict[str, Any], resource: dict[str, Any] = POD, **ctx: Any) -> list[tuple[str, str]]:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {
            "name": "p",
            "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
        },
        "spec": {
            "validationFailureAction": "Enforce",
            "rules": [{"name": "r", "match": MATCH_POD, **rule}],
        },
    }
    policies = load_policies([("p.yaml", doc)])
    return [(r.result, r.message) for r in evaluate(policies, resource, EvaluationContext(**ctx))]


def result_of(rule: dict[str, Any], resource: dict[str, Any] = POD, **ctx: Any) -> str:
    results = run(rule, resource, **ctx)
    assert len(results) == 1, results
    return results[0][0]


def deny(*conditions: dict[str, Any], mode: str = "any") -> dict[str, Any]:
    return {"validate": {"message": "denied", "deny": {"conditions": {mode: list(conditions)}}}}


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


def test_cel_and_mutate_rules_give_no_result() -> None:
    assert run({"validate": {"cel": {"expressions": [{"expression": "true"}]}}}) == []
    assert run({"mutate": {"patchStrategicMerge": {"metadata": {"labels": {"a": "b"}}}}}) == []


def test_non_matching_rule_gives_no_result() -> None:
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}
    assert run(deny(), service) == []


def test_message_variables_are_substituted() -> None:
    rule = {"validate": {"message": "pod {{ request.object.metadata.name }} denied", "deny": {}}}
    assert run(rule) == [("fail", "pod web denied")]


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


def test_namespaced_policy_only_sees_its_namespace() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "Policy",
        "metadata": {"name": "p", "namespace": "dev"},
        "spec": {"rules": [{"name": "r", "match": MATCH_POD, "validate": {"deny": {}}}]},
    }
    policies = load_policies([("p.yaml", doc)])
    assert evaluate(policies, POD) == []
    assert [
        r.result for r in evaluate(policies, {**POD, "metadata": {"name": "x", "namespace": "dev"}})
    ] == ["fail"]


def test_result_fields_and_autogen() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "rules": [
                {
                    "name": "r",
                    "match": MATCH_POD,
                    "validate": {"pattern": {"spec": {"containers": [{"image": "!*:latest"}]}}},
                }
            ]
        },
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "prod"},
        "spec": {"template": {"spec": POD["spec"]}},
    }
    [result] = evaluate(load_policies([("p.yaml", doc)]), deployment)
    assert (result.rule, result.result, result.action, result.kind, result.namespace) == (
        "autogen-r",
        "fail",
        "Audit",
        "Deployment",
        "prod",
    )
    assert result.field_path == "spec.template.spec.containers[1].image"


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
        {"key": "{{ request.object || 'none' }}", "operator": "Equals", "value": "none"},
        mode="all",
    )
    assert result_of(rule, values=values) == "fail"


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
            {"validate": {"manifests": {"attestors": []}}}, None, id="manifests-no-result"
        ),
    ],
)
def test_more_outcomes(rule: dict[str, Any], expected: str | None) -> None:
    results = run(rule)
    assert [r for r, _ in results] == ([expected] if expected else [])


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


def test_apply_rules_one_stops_after_the_first_applied_rule() -> None:
    doc = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {
            "name": "p",
            "annotations": {"pod-policies.kyverno.io/autogen-controllers": "none"},
        },
        "spec": {
            "applyRules": "One",
            "rules": [
                {
                    "name": "skipped",
                    "match": MATCH_POD,
                    "preconditions": [{"key": "a", "operator": "Equals", "value": "b"}],
                    "validate": {"deny": {}},
                },
                {"name": "first", "match": MATCH_POD, "validate": {"deny": {}}},
                {"name": "second", "match": MATCH_POD, "validate": {"deny": {}}},
            ],
        },
    }
    results = evaluate(load_policies([("p.yaml", doc)]), POD)
    assert [(r.rule, r.result) for r in results] == [("skipped", "skip"), ("first", "fail")]


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

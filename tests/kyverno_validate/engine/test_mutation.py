"""Classic mutate rules: results, patched resources, foreach, autogen, mutate existing."""

from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext, load_policies
from kyverno_validate.engine.mutation import mutate_resource, substitute_all

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "nginx", "image": "nginx:1.25"},
            {"name": "side", "image": "busybox:1.36", "env": [{"name": "A", "value": "1"}]},
        ]
    },
}


def policy(*rules: dict[str, Any], name: str = "p", autogen: bool = False) -> dict[str, Any]:
    annotations = {} if autogen else {"pod-policies.kyverno.io/autogen-controllers": "none"}
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": name, "annotations": annotations},
        "spec": {"rules": list(rules)},
    }


def rule(mutate: dict[str, Any], name: str = "r", **extra: Any) -> dict[str, Any]:
    match = {"any": [{"resources": {"kinds": ["Pod"]}}]}
    return {"name": name, "match": match, "mutate": mutate, **extra}


def run(
    *documents: dict[str, Any],
    resource: dict[str, Any] | None = None,
    context: EvaluationContext | None = None,
    targets: Any = (),
) -> tuple[Any, list[tuple[str, str, str]]]:
    policies = load_policies([(f"p{i}.yaml", d) for i, d in enumerate(documents)])
    patched, responses = mutate_resource(policies, resource or POD, context, targets)
    rows = [(r.rule, r.result, r.message) for m in responses for r in m.results]
    return patched, rows


def test_strategic_merge_patch_with_variables_passes() -> None:
    patched, rows = run(
        policy(
            rule(
                {
                    "patchStrategicMerge": {
                        "metadata": {"labels": {"owner": "{{request.object.metadata.name}}"}}
                    }
                }
            )
        )
    )
    assert patched["metadata"]["labels"] == {"app": "web", "owner": "web"}
    assert rows == [("r", "pass", "mutated Pod/web in namespace prod")]


def test_a_patch_that_changes_nothing_is_skipped() -> None:
    patched, rows = run(
        policy(rule({"patchStrategicMerge": {"metadata": {"labels": {"+(app)": "x"}}}}))
    )
    assert patched is POD
    assert rows == [("r", "skip", "no patches applied")]


def test_failed_condition_anchor_is_a_skip() -> None:
    _, rows = run(
        policy(rule({"patchStrategicMerge": {"metadata": {"(name)": "db", "labels": {"x": "1"}}}}))
    )
    assert rows == [("r", "skip", "no patches applied")]


def test_preconditions_not_met_skip() -> None:
    conditions = {
        "all": [{"key": "{{request.object.metadata.name}}", "operator": "Equals", "value": "db"}]
    }
    _, rows = run(policy(rule({"patchStrategicMerge": {"x": 1}}, preconditions=conditions)))
    assert rows == [("r", "skip", "preconditions not met")]


def test_bad_preconditions_and_context_are_errors() -> None:
    bad_conditions = {"all": [{"key": "a", "operator": "Nope", "value": "b"}]}
    _, rows = run(policy(rule({"patchStrategicMerge": {"x": 1}}, preconditions=bad_conditions)))
    assert rows[0][1] == "error"
    context = [{"name": "v", "variable": {"jmesPath": "request.object.nothing"}}]
    _, rows = run(policy(rule({"patchStrategicMerge": {"x": 1}}, context=context)))
    assert rows[0][1] == "error"
    assert "failed to load context" in rows[0][2]


def test_unresolvable_variable_is_an_error() -> None:
    _, rows = run(policy(rule({"patchStrategicMerge": {"x": "{{request.object.nothing.here}}"}})))
    assert rows[0][:2] == ("r", "error")
    assert "variable substitution failed" in rows[0][2]


def test_json_patch_and_its_errors() -> None:
    ops = "- op: add\n  path: /metadata/annotations\n  value: {a: b}\n"
    patched, rows = run(policy(rule({"patchesJson6902": ops})))
    assert patched["metadata"]["annotations"] == {"a": "b"}
    assert rows[0][1] == "pass"
    _, rows = run(policy(rule({"patchesJson6902": "- op: replace\n  path: /nope\n  value: 1\n"})))
    assert rows[0][1] == "error"
    _, rows = run(policy(rule({"patchesJson6902": "- op: replace\n  path: ''\n  value: [1]\n"})))
    assert rows[0][1] == "error"
    _, rows = run(policy(rule({"patchesJson6902": ""})))
    assert rows == [("r", "error", "empty mutate rule")]


def test_rules_and_policies_chain_on_the_patched_resource() -> None:
    first = policy(
        rule({"patchStrategicMerge": {"metadata": {"labels": {"a": "1"}}}}, name="one"),
        rule(
            {
                "patchStrategicMerge": {
                    "metadata": {"labels": {"b": "{{request.object.metadata.labels.a}}"}}
                }
            },
            name="two",
        ),
    )
    second = policy(
        rule(
            {
                "patchStrategicMerge": {
                    "metadata": {"labels": {"c": "{{request.object.metadata.labels.b}}"}}
                }
            }
        ),
        name="q",
    )
    patched, rows = run(first, second)
    assert patched["metadata"]["labels"] == {"app": "web", "a": "1", "b": "1", "c": "1"}
    assert [r[1] for r in rows] == ["pass", "pass", "pass"]


def test_foreach_json_patch_uses_element_index() -> None:
    foreach = [
        {
            "list": "request.object.spec.containers",
            "patchesJson6902": "- op: add\n"
            "  path: /spec/containers/{{elementIndex}}/env/-\n"
            "  value: {name: IMG, value: '{{element.image}}'}\n",
        }
    ]
    patched, rows = run(policy(rule({"foreach": foreach})))
    assert [c["env"][-1] for c in patched["spec"]["containers"]] == [
        {"name": "IMG", "value": "nginx:1.25"},
        {"name": "IMG", "value": "busybox:1.36"},
    ]
    assert rows[0][:2] == ("r", "pass")


def test_foreach_strategic_merge_with_element_preconditions() -> None:
    foreach = [
        {
            "list": "request.object.spec.containers",
            "preconditions": {
                "all": [{"key": "{{element.name}}", "operator": "Equals", "value": "side"}]
            },
            "patchStrategicMerge": {
                "spec": {"containers": [{"name": "{{element.name}}", "imagePullPolicy": "Always"}]}
            },
        }
    ]
    patched, _ = run(policy(rule({"foreach": foreach})))
    assert [c.get("imagePullPolicy") for c in patched["spec"]["containers"]] == [None, "Always"]


def test_nested_foreach() -> None:
    inner = {
        "list": "element.env",
        "patchesJson6902": "- op: add\n"
        "  path: /metadata/labels/{{element.name}}\n"
        "  value: '{{elementIndex0}}'\n",
    }
    foreach = [{"list": "request.object.spec.containers", "foreach": [inner]}]
    patched, rows = run(policy(rule({"foreach": foreach})))
    assert patched["metadata"]["labels"] == {"app": "web", "A": "1"}
    assert rows[0][1] == "pass"


def test_foreach_that_applies_nowhere_skips_and_errors_surface() -> None:
    foreach = [{"list": "request.object.spec.volumes", "patchStrategicMerge": {"x": 1}}]
    _, rows = run(policy(rule({"foreach": foreach})))
    assert rows == [("r", "skip", "0 elements processed")]
    broken = [
        {
            "list": "request.object.spec.containers",
            "patchesJson6902": "- op: replace\n  path: /nope\n  value: 1\n",
        }
    ]
    _, rows = run(policy(rule({"foreach": broken})))
    assert rows[0][1] == "error"
    bad_list = [{"list": "request.object.[", "patchStrategicMerge": {"x": 1}}]
    _, rows = run(policy(rule({"foreach": bad_list})))
    assert rows[0][1] == "error"
    bad_context = [
        {
            "list": "request.object.spec.containers",
            "context": [{"name": "v", "variable": {"jmesPath": "nothing"}}],
            "patchStrategicMerge": {"x": 1},
        }
    ]
    _, rows = run(policy(rule({"foreach": bad_context})))
    assert rows[0][1] == "error"
    bad_conditions = [
        {
            "list": "request.object.spec.containers",
            "preconditions": {"all": [{"key": 1, "operator": "Nope", "value": 1}]},
            "patchStrategicMerge": {"x": 1},
        }
    ]
    _, rows = run(policy(rule({"foreach": bad_conditions})))
    assert rows[0][1] == "error"


def test_foreach_values_and_order() -> None:
    foreach = [
        {
            "list": "request.object.spec.containers",
            "order": "Ascending",
            "patchesJson6902": "- op: add\n"
            "  path: /metadata/labels/c{{elementIndex}}\n"
            "  value: '{{ digest }}'\n",
        }
    ]
    values = {
        "policies": [
            {"name": "p", "rules": [{"name": "r", "foreachValues": {"digest": ["d0", "d1"]}}]}
        ]
    }
    patched, _ = run(
        policy(rule({"foreach": [*foreach, "junk"]})), context=EvaluationContext(values=values)
    )
    assert patched["metadata"]["labels"] == {"app": "web", "c0": "d0", "c1": "d1"}


def test_values_set_the_operation() -> None:
    values = {"globalValues": {"request.operation": "UPDATE"}}
    ctx = EvaluationContext(values=values)
    match = {"any": [{"resources": {"kinds": ["Pod"], "operations": ["CREATE"]}}]}
    doc = policy({"name": "r", "match": match, "mutate": {"patchStrategicMerge": {"x": 1}}})
    assert run(doc, context=ctx)[1] == []
    assert run(doc)[1][0][1] == "pass"


def test_autogen_nests_the_patch_under_the_pod_template() -> None:
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "template": {"metadata": {}, "spec": {"containers": [{"name": "c", "image": "x"}]}}
        },
    }
    doc = policy(
        rule(
            {
                "patchStrategicMerge": {
                    "spec": {"containers": [{"(name)": "*", "imagePullPolicy": "Always"}]}
                }
            }
        ),
        autogen=True,
    )
    patched, rows = run(doc, resource=deployment)
    assert patched["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert rows[0][:2] == ("autogen-r", "pass")
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "cj"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}},
    }
    patched, rows = run(doc, resource=cronjob)
    job_pod = patched["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job_pod["containers"][0]["imagePullPolicy"] == "Always"
    assert rows[0][:2] == ("autogen-cronjob-r", "pass")


def test_autogen_of_foreach_strategic_merge() -> None:
    foreach = [
        {
            "list": "request.object.spec.containers",
            "patchStrategicMerge": {"metadata": {"labels": {"seen": "yes"}}},
        },
        "junk",
    ]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}},
    }
    patched, _ = run(policy(rule({"foreach": foreach}), autogen=True), resource=deployment)
    assert patched["spec"]["template"]["metadata"]["labels"] == {"seen": "yes"}


def test_namespaced_policy_and_exceptions() -> None:
    namespaced = policy(rule({"patchStrategicMerge": {"x": 1}}))
    namespaced = {
        **namespaced,
        "kind": "Policy",
        "metadata": {**namespaced["metadata"], "namespace": "dev"},
    }
    assert run(namespaced)[1] == []
    exception = {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {
            "exceptions": [{"policyName": "p", "ruleNames": ["r"]}],
            "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        },
    }
    _, rows = run(
        policy(rule({"patchStrategicMerge": {"x": 1}})),
        context=EvaluationContext(exceptions=(exception,)),
    )
    assert rows == [("r", "skip", "rule is skipped due to policy exception")]


def test_policies_without_mutate_rules_are_ignored() -> None:
    validate = {
        "name": "v",
        "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        "validate": {"deny": {}},
    }
    assert run(policy(validate)) == (POD, [])


def test_mutate_existing_patches_the_named_targets() -> None:
    target = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "prod"},
        "data": {},
    }
    other = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "prod"}}
    mutate = {
        "targets": [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "name": "cm",
                "namespace": "{{request.object.metadata.namespace}}",
            }
        ],
        "patchStrategicMerge": {
            "data": {"pod": "{{request.object.metadata.name}}", "was": "{{target.metadata.name}}"}
        },
    }
    policies = load_policies([("p.yaml", policy(rule(mutate)))])
    patched, responses = mutate_resource(policies, POD, None, [target, other])
    assert patched is POD
    assert responses[0].results[0].result == "pass"
    assert responses[0].targets == ({**target, "data": {"pod": "web", "was": "cm"}},)
    unchanged = {**mutate, "patchStrategicMerge": {"data": {}}}
    _, rows = run(policy(rule(unchanged)), targets=[target])
    assert rows[0][1] == "skip"
    broken = {**mutate, "patchStrategicMerge": {"data": "{{nothing.here}}"}}
    _, rows = run(policy(rule(broken)), targets=[target])
    assert rows[0][1] == "error"
    with_foreach = {
        "targets": mutate["targets"],
        "foreach": [{"list": "['x']", "patchStrategicMerge": {"data": {"k": "{{element}}"}}}],
    }
    _, rows = run(policy(rule(with_foreach)), targets=[target])
    assert rows[0][1] == "pass"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            {"{{request.object.metadata.name}}-x": "{{request.object.kind}}"},
            {"web-x": "Pod"},
            id="keys",
        ),
        pytest.param(["{{request.object.metadata.name}}", 3], ["web", 3], id="list"),
    ],
)
def test_substitute_all(value: Any, expected: Any) -> None:
    assert substitute_all(value, {"request": {"object": POD}}) == expected


def test_an_empty_validation_failure_action_defaults_to_audit() -> None:
    document = policy(rule({"patchStrategicMerge": {"metadata": {"labels": {"x": "1"}}}}))
    document["spec"]["validationFailureAction"] = None
    [loaded] = load_policies([("p.yaml", document)])
    assert loaded.validation_failure_action == "Audit"


def test_context_from_cluster_resources_and_null_elements() -> None:
    config = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "namespace": "prod"},
        "data": {"team": "core"},
    }
    context = [{"name": "cfg", "configMap": {"name": "cfg", "namespace": "prod"}}]
    document = policy(
        rule(
            {"patchStrategicMerge": {"metadata": {"labels": {"team": "{{cfg.data.team}}"}}}},
            context=context,
        )
    )
    patched, _ = run(document, context=EvaluationContext(cluster_resources=(config,)))
    assert patched["metadata"]["labels"]["team"] == "core"
    foreach = [
        {
            "list": "[`null`, 'x']",
            "patchesJson6902": "- op: add\n  path: /metadata/labels/v\n  value: '{{element}}'\n",
        }
    ]
    patched, _ = run(policy(rule({"foreach": foreach})))
    assert patched["metadata"]["labels"]["v"] == "x"


def test_exceptions_for_other_policies_do_not_apply() -> None:
    exception = {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {
            "exceptions": [{"policyName": "other", "ruleNames": ["r"]}],
            "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        },
    }
    _, rows = run(
        policy(rule({"patchStrategicMerge": {"x": 1}})),
        context=EvaluationContext(exceptions=(exception,)),
    )
    assert rows[0][1] == "pass"


def test_no_autogen_for_foreach_json_patches() -> None:
    foreach = [
        {
            "list": "request.object.spec.containers",
            "patchesJson6902": "- op: add\n  path: /x\n  value: 1\n",
        }
    ]
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {},
    }
    assert run(policy(rule({"foreach": foreach}), autogen=True), resource=deployment) == (
        deployment,
        [],
    )

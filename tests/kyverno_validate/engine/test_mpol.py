"""MutatingPolicy and GeneratingPolicy: match constraints, conditions, variables, mutations."""

from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext
from kyverno_validate.engine.gpol import (
    generate_with_policies,
    load_generating_policies,
)
from kyverno_validate.engine.mpol import (
    constraints_match,
    load_mutating_policies,
    mutate_with_policies,
    plural,
)
from relkit.errors import ConfigError

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
}
PODS = {"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}


def mpol(*mutations: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "MutatingPolicy",
        "metadata": {"name": "m"},
        "spec": {
            "matchConstraints": {"resourceRules": [PODS]},
            "mutations": list(mutations),
            **spec,
        },
    }


def apply_config(expression: str) -> dict[str, Any]:
    return {"patchType": "ApplyConfiguration", "applyConfiguration": {"expression": expression}}


def json_patch(expression: str) -> dict[str, Any]:
    return {"patchType": "JSONPatch", "jsonPatch": {"expression": expression}}


def run(document: dict[str, Any], resource: Any = POD, context: Any = None) -> Any:
    policies = load_mutating_policies([("m.yaml", document)])
    patched, responses = mutate_with_policies(policies, resource, context)
    return patched, [(r.result, r.message) for m in responses for r in m.results]


def test_apply_configuration_merges_containers_by_name_appending_new_ones() -> None:
    expression = """Object{spec: Object.spec{containers: [
        Object.spec.containers{name: "nginx", imagePullPolicy: "Always"},
        Object.spec.containers{name: "side", image: "busybox"}]}}"""
    patched, rows = run(mpol(apply_config(expression)))
    assert patched["spec"]["containers"] == [
        {"name": "nginx", "image": "nginx:1.25", "imagePullPolicy": "Always"},
        {"name": "side", "image": "busybox"},
    ]
    assert rows == [("pass", "resource patched")]


def test_json_patch_with_variables_and_conditions() -> None:
    document = mpol(
        json_patch('[JSONPatch{op: "add", path: "/metadata/labels/owner", value: variables.who}]'),
        variables=[
            {"name": "broken", "expression": "object.spec.nothing.here"},
            {"name": "who", "expression": "object.metadata.name + '-owner'"},
        ],
        matchConditions=[{"name": "is-web", "expression": "object.metadata.name == 'web'"}],
    )
    patched, rows = run(document)
    assert patched["metadata"]["labels"] == {"app": "web", "owner": "web-owner"}
    assert rows[0][0] == "pass"
    other = {**POD, "metadata": {**POD["metadata"], "name": "db"}}
    assert run(document, other) == (other, [])


def test_a_policy_that_applies_passes_even_without_a_change() -> None:
    assert run(mpol(apply_config("Object{}")))[1] == [("pass", "resource patched")]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(mpol(apply_config("object.nothing.here")), "failed to evaluate", id="cel"),
        pytest.param(mpol(apply_config("'text'")), "must evaluate to an Object", id="not-object"),
        pytest.param(
            mpol(json_patch('[JSONPatch{op: "replace", path: "/nope", value: 1}]')),
            "JSON patch failed",
            id="patch",
        ),
        pytest.param(mpol({"patchType": "Other"}), "unsupported patchType", id="patch-type"),
        pytest.param(
            mpol(matchConditions=[{"name": "c", "expression": "object.nothing.here"}]),
            "failed to evaluate",
            id="condition",
        ),
    ],
)
def test_errors(document: dict[str, Any], message: str) -> None:
    patched, rows = run(document)
    assert patched == POD
    assert rows[0][0] == "error"
    assert message in rows[0][1]


def test_failure_policy_ignore_turns_errors_into_skips() -> None:
    document = mpol(apply_config("object.nothing.here"), failurePolicy="Ignore")
    assert run(document)[1][0][0] == "skip"


def test_values_can_change_the_operation() -> None:
    values = {"globalValues": {"request.operation": "UPDATE"}}
    assert run(mpol(apply_config("Object{}")), context=EvaluationContext(values=values))[1] == []


def test_namespace_object_and_non_mapping_mutations() -> None:
    expression = (
        "Object{metadata: Object.metadata{labels: {'env': namespaceObject.metadata.labels.env}}}"
    )
    context = EvaluationContext(namespace_labels={"prod": {"env": "production"}})
    patched, _ = run(mpol("junk", apply_config(expression)), context=context)
    assert patched["metadata"]["labels"]["env"] == "production"


@pytest.mark.parametrize(
    ("constraints", "resource", "matches"),
    [
        pytest.param({"resourceRules": [PODS]}, POD, True, id="pods"),
        pytest.param({"resourceRules": [{**PODS, "resources": ["*"]}]}, POD, True, id="wildcard"),
        pytest.param({"resourceRules": [{**PODS, "operations": ["UPDATE"]}]}, POD, False, id="op"),
        pytest.param({"resourceRules": [{**PODS, "apiGroups": ["apps"]}]}, POD, False, id="group"),
        pytest.param(
            {"resourceRules": [PODS], "excludeResourceRules": [PODS]}, POD, False, id="excluded"
        ),
        pytest.param(
            {"resourceRules": [PODS], "objectSelector": {"matchLabels": {"app": "db"}}},
            POD,
            False,
            id="object-selector",
        ),
        pytest.param(
            {"resourceRules": [PODS], "namespaceSelector": {"matchLabels": {"env": "prod"}}},
            POD,
            True,
            id="namespace-selector",
        ),
        pytest.param({"resourceRules": ["junk"]}, POD, False, id="junk"),
        pytest.param(
            {"resourceRules": [{**PODS, "resourceNames": ["db"]}]}, POD, False, id="names"
        ),
        pytest.param(
            {"resourceRules": [{**PODS, "resourceNames": ["web"]}]}, POD, True, id="named"
        ),
    ],
)
def test_constraints_match(constraints: Any, resource: Any, matches: bool) -> None:
    assert constraints_match(constraints, resource, "CREATE", {"env": "prod"}) is matches


BINDING = {
    "apiVersion": "v1",
    "kind": "Binding",
    "metadata": {"name": "web", "namespace": "prod"},
    "target": {"apiVersion": "v1", "kind": "Node", "name": "node-1"},
}
BINDING_VALUES = {
    "subresources": [
        {
            "parentResource": {"kind": "Pod", "name": "pods", "version": "v1"},
            "subresource": {"kind": "Binding", "name": "pods/binding", "version": "v1"},
        }
    ]
}


@pytest.mark.parametrize(
    ("resources", "values", "matches"),
    [
        pytest.param(["pods/binding"], BINDING_VALUES, True, id="named-subresource"),
        pytest.param(["pods/*"], BINDING_VALUES, True, id="parent-wildcard"),
        pytest.param(["*/binding"], BINDING_VALUES, True, id="subresource-wildcard"),
        pytest.param(["*/*"], BINDING_VALUES, True, id="all-subresources"),
        pytest.param(["pods"], BINDING_VALUES, False, id="parent-only"),
        pytest.param(["*"], BINDING_VALUES, False, id="star-is-no-subresource"),
        pytest.param(["pods/binding"], None, False, id="no-values-no-subresource"),
        pytest.param(["bindings"], None, True, id="own-kind-without-values"),
    ],
)
def test_constraints_match_subresources_from_values(
    resources: list[str], values: Any, matches: bool
) -> None:
    rule = {**PODS, "resources": resources}
    assert constraints_match({"resourceRules": [rule]}, BINDING, "CREATE", None, values) is matches


def test_a_policy_on_a_subresource_mutates_the_subresource_object() -> None:
    document = mpol(apply_config('Object{metadata: Object.metadata{annotations: {"z": "a"}}}'))
    rule = {**PODS, "resources": ["pods/binding"]}
    document["spec"]["matchConstraints"]["resourceRules"] = [rule]
    patched, rows = run(document, BINDING, EvaluationContext(values=BINDING_VALUES))
    assert rows == [("pass", "resource patched")]
    assert patched["metadata"]["annotations"] == {"z": "a"}
    assert run(document, BINDING)[1] == []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("Pod", "pods"),
        ("NetworkPolicy", "networkpolicies"),
        ("Ingress", "ingresses"),
        ("Gateway", "gateways"),
        ("Endpoints", "endpoints"),
        ("Class", "classes"),
        ("Policy", "policies"),
        ("Key", "keys"),
    ],
)
def test_plural(kind: str, expected: str) -> None:
    assert plural(kind) == expected


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({**mpol(), "metadata": {}}, id="no-name"),
        pytest.param({**mpol(), "spec": {"mutations": "x"}}, id="no-mutations"),
    ],
)
def test_malformed_mutating_policies(document: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        load_mutating_policies([("m.yaml", document)])


def gpol(*expressions: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "GeneratingPolicy",
        "metadata": {"name": "g"},
        "spec": {
            "matchConstraints": {"resourceRules": [PODS]},
            "generate": [{"expression": e} for e in expressions],
            **spec,
        },
    }


def generate(document: dict[str, Any], sources: Any = ()) -> Any:
    return generate_with_policies(
        load_generating_policies([("g.yaml", document)]), POD, None, sources
    )


def test_generating_policy_collects_apply_calls() -> None:
    expression = """generator.Apply(variables.ns, [{"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": object.metadata.name + "-cm"}}]) &&
        generator.Apply("", [{"kind": "Namespace", "metadata": {"name": "x"}}])"""
    [generation] = generate(gpol(expression, variables=[{"name": "ns", "expression": "'team'"}]))
    assert generation.result.result == "pass"
    assert generation.resources == (
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "web-cm", "namespace": "team"},
        },
        {"kind": "Namespace", "metadata": {"name": "x"}},
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param(
            "['a', 'b'].all(ns, generator.Apply(ns, [{'kind': 'ConfigMap', 'metadata': "
            "{'name': 'c'}}]))",
            [{"name": "c", "namespace": "a"}, {"name": "c", "namespace": "b"}],
            id="inside-a-macro",
        ),
        pytest.param(
            "generator.Apply([{'kind': 'Secret', 'metadata': {'name': 's', 'namespace': 'x'}}])",
            [{"name": "s", "namespace": "x"}],
            id="objects-only",
        ),
        pytest.param(
            "false && generator.Apply('a', [{'kind': 'ConfigMap', 'metadata': {'name': 'c'}}])",
            [],
            id="not-evaluated",
        ),
        pytest.param(
            "generator.Apply('a', [{'kind': 'ConfigMapList', 'items': [{'metadata': {}}, 1]}, 2])",
            [{"namespace": "a"}],
            id="list-items",
        ),
    ],
)
def test_generating_policy_resources_are_the_apply_calls_evaluated(
    expression: str, expected: list[dict[str, str]]
) -> None:
    [generation] = generate(gpol(expression))
    assert generation.result.result == "pass"
    assert [r["metadata"] for r in generation.resources] == expected


def test_generating_policy_clones_lists() -> None:
    source = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "default"},
    }
    expression = 'generator.Apply("prod", [resource.List("v1", "secrets", "default")])'
    [generation] = generate(gpol(expression), sources=[source, {**source, "kind": "ConfigMap"}])
    assert [r["metadata"] for r in generation.resources] == [{"name": "s", "namespace": "prod"}]


def test_generating_policy_clones_through_resource_get() -> None:
    source = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "default"},
    }
    expression = 'generator.Apply("prod", [resource.Get("v1", "secrets", "default", "s")])'
    [generation] = generate(gpol(expression), sources=[source])
    assert generation.resources[0]["metadata"] == {"name": "s", "namespace": "prod"}


def test_generating_policy_conditions_and_errors() -> None:
    skipped = gpol("true", matchConditions=[{"name": "c", "expression": "false"}])
    assert generate(skipped) == []
    [broken] = generate(gpol("object.nothing.here"))
    assert broken.result.result == "error"
    [bad_condition] = generate(gpol("true", matchConditions=[{"name": "c", "expression": "x.y"}]))
    assert bad_condition.result.result == "error"
    values = {"globalValues": {"request.operation": "DELETE"}}
    policies = load_generating_policies([("g.yaml", gpol("true"))])
    assert generate_with_policies(policies, POD, EvaluationContext(values=values)) == []
    other = {**POD, "apiVersion": "apps/v1", "kind": "Deployment"}
    assert generate_with_policies(policies, other) == []


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({**gpol(), "metadata": {}}, id="no-name"),
        pytest.param({**gpol(), "spec": {}}, id="no-generate"),
    ],
)
def test_malformed_generating_policies(document: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        load_generating_policies([("g.yaml", document)])


def test_cel_policy_exceptions_skip_the_policy() -> None:
    exception = {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {
            "policyRefs": [{"name": "m", "kind": "MutatingPolicy"}],
            "matchConditions": [
                {"name": "prod", "expression": "object.metadata.namespace == 'prod'"}
            ],
        },
    }
    other = {**exception, "spec": {**exception["spec"], "policyRefs": [{"name": "x"}]}}
    policies = load_mutating_policies(
        [("m.yaml", mpol(apply_config("Object{spec: Object.spec{x: 1}}")))]
    )
    patched, responses = mutate_with_policies(policies, POD, None, [other, exception])
    assert patched == POD
    assert responses[0].results[0].result == "skip"
    dev = {**POD, "metadata": {**POD["metadata"], "namespace": "dev"}}
    assert mutate_with_policies(policies, dev, None, [exception])[1][0].results[0].result == "pass"


DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d", "namespace": "prod"},
    "spec": {
        "template": {"metadata": {"labels": {"app": "d"}}, "spec": {"containers": [{"name": "c"}]}}
    },
}
CRONJOB: dict[str, Any] = {
    "apiVersion": "batch/v1",
    "kind": "CronJob",
    "metadata": {"name": "cj"},
    "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}},
}
LABEL = apply_config(
    "Object{metadata: Object.metadata{labels: {'seen': object.metadata.namespace}}}"
)


def test_autogen_mutates_the_pod_template_of_controllers() -> None:
    patched, rows = run(mpol(LABEL), DEPLOYMENT)
    assert patched["spec"]["template"]["metadata"] == {"labels": {"app": "d", "seen": "prod"}}
    assert patched["metadata"] == DEPLOYMENT["metadata"]
    assert rows == [("pass", "resource patched")]
    patch = json_patch('[JSONPatch{op: "add", path: "/spec/restartPolicy", value: "Never"}]')
    patched, _ = run(mpol(patch), CRONJOB)
    assert patched["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert "metadata" not in patched["spec"]["jobTemplate"]["spec"]["template"]


@pytest.mark.parametrize(
    ("spec", "resource"),
    [
        pytest.param({"autogen": {"podControllers": {"controllers": []}}}, DEPLOYMENT, id="off"),
        pytest.param(
            {"autogen": {"podControllers": {"controllers": ["jobs"]}}}, DEPLOYMENT, id="other"
        ),
        pytest.param(
            {
                "matchConstraints": {
                    "resourceRules": [PODS],
                    "objectSelector": {"matchLabels": {"a": "b"}},
                }
            },
            DEPLOYMENT,
            id="selector",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [PODS, PODS]}}, DEPLOYMENT, id="two-rules"
        ),
        pytest.param({}, {**DEPLOYMENT, "spec": {}}, id="no-template"),
        pytest.param(
            {}, {**DEPLOYMENT, "kind": "Service", "apiVersion": "v1"}, id="not-a-controller"
        ),
    ],
)
def test_no_autogen(spec: dict[str, Any], resource: dict[str, Any]) -> None:
    assert run(mpol(LABEL, **spec), resource) == (resource, [])


def test_autogen_without_a_change_keeps_the_controller() -> None:
    patched, rows = run(mpol(apply_config("Object{}")), DEPLOYMENT)
    assert patched is DEPLOYMENT
    assert rows == [("pass", "resource patched")]


def test_mutate_existing_patches_the_matching_targets() -> None:
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "prod"},
    }
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "prod"}}
    configmaps = {
        "apiGroups": [""],
        "apiVersions": ["v1"],
        "operations": ["UPDATE"],
        "resources": ["configmaps"],
    }
    document = mpol(
        apply_config("Object{metadata: Object.metadata{labels: {'by': 'trigger'}}}"),
        evaluation={"mutateExisting": {"enabled": True}},
        targetMatchConstraints={"resourceRules": [configmaps]},
    )
    policies = load_mutating_policies([("m.yaml", document)])
    patched, responses = mutate_with_policies(policies, POD, None, (), [secret, configmap])
    assert patched is POD
    assert [(r.kind, r.name, r.result) for r in responses[0].results] == [
        ("ConfigMap", "cm", "pass")
    ]
    assert responses[0].targets[0]["metadata"]["labels"] == {"by": "trigger"}
    broken = mpol(
        apply_config("object.nothing.here"),
        evaluation={"mutateExisting": {"enabled": True}},
        targetMatchConstraints={"resourceRules": [configmaps]},
    )
    _, responses = mutate_with_policies(
        load_mutating_policies([("m.yaml", broken)]), POD, None, (), [configmap]
    )
    assert responses[0].results[0].result == "error"
    not_matching = {
        **document,
        "spec": {**document["spec"], "matchConditions": [{"name": "n", "expression": "false"}]},
    }
    assert (
        mutate_with_policies(
            load_mutating_policies([("m.yaml", not_matching)]), POD, None, (), [configmap]
        )[1]
        == []
    )
    erroring = {
        **document,
        "spec": {**document["spec"], "matchConditions": [{"name": "n", "expression": "x.y"}]},
    }
    _, responses = mutate_with_policies(
        load_mutating_policies([("m.yaml", erroring)]), POD, None, (), [configmap]
    )
    assert [(r.kind, r.result) for r in responses[0].results] == [("Pod", "error")]


def test_generating_policy_exceptions() -> None:
    exception = {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {"policyRefs": [{"name": "g", "kind": "GeneratingPolicy"}], "matchConditions": []},
    }
    policies = load_generating_policies([("g.yaml", gpol('generator.Apply("x", [])'))])
    [generation] = generate_with_policies(policies, POD, None, (), [exception])
    assert (generation.result.result, generation.resources) == ("skip", ())


def test_autogen_keeps_a_template_namespace_and_json_patch_errors() -> None:
    with_namespace = {
        **DEPLOYMENT,
        "spec": {"template": {"metadata": {"namespace": "prod"}, "spec": {}}},
    }
    patched, _ = run(mpol(LABEL), with_namespace)
    assert patched["spec"]["template"]["metadata"] == {
        "namespace": "prod",
        "labels": {"seen": "prod"},
    }
    assert run(mpol(json_patch("object.nothing.here")))[1][0][0] == "error"


def test_generating_policy_variables_conditions_and_plain_values() -> None:
    document = gpol(
        "variables.ok && true",
        variables=[{"name": "bad", "expression": "x.y"}, {"name": "ok", "expression": "true"}],
        matchConditions=[{"name": "c", "expression": "true"}],
    )
    [generation] = generate(document)
    assert (generation.result.result, generation.resources) == ("pass", ())


def map_documents(binding_spec: dict[str, Any] | None) -> list[tuple[str, Any]]:
    policy = {
        "apiVersion": "admissionregistration.k8s.io/v1alpha1",
        "kind": "MutatingAdmissionPolicy",
        "metadata": {"name": "replicas"},
        "spec": {
            "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
            "matchConstraints": {
                "resourceRules": [{**PODS, "apiGroups": ["apps"], "resources": ["deployments"]}]
            },
            "mutations": [apply_config("Object{spec: Object.spec{replicas: int(params.data.n)}}")],
        },
    }
    documents: list[tuple[str, Any]] = [("map.yaml", policy)]
    if binding_spec is not None:
        binding = {
            "apiVersion": "admissionregistration.k8s.io/v1alpha1",
            "kind": "MutatingAdmissionPolicyBinding",
            "metadata": {"name": "b"},
            "spec": {"policyName": "replicas", **binding_spec},
        }
        documents.append(("map.yaml", binding))
    return documents


PARAMS = [
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "p"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p", "namespace": "x"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p"}, "data": {"n": "3"}},
]


def test_mutating_admission_policy_with_binding_params() -> None:
    binding = {"paramRef": {"name": "p", "namespace": "default"}}
    policies = load_mutating_policies(map_documents(binding), PARAMS)
    patched, responses = mutate_with_policies(policies, DEPLOYMENT)
    assert patched["spec"]["replicas"] == 3
    assert responses[0].results[0].result == "pass"
    assert mutate_with_policies(policies, POD) == (POD, [])  # no autogen for admission policies


def test_mutating_admission_policy_binding_match_resources_and_missing_params() -> None:
    excluded = {"matchResources": {"objectSelector": {"matchLabels": {"a": "b"}}}}
    policies = load_mutating_policies(map_documents(excluded), PARAMS)
    assert mutate_with_policies(policies, DEPLOYMENT) == (DEPLOYMENT, [])
    unbound = load_mutating_policies(map_documents(None), PARAMS)
    assert mutate_with_policies(unbound, DEPLOYMENT)[1][0].results[0].result == "error"
    missing = load_mutating_policies(map_documents({"paramRef": {"name": "zzz"}}), PARAMS)
    assert mutate_with_policies(missing, DEPLOYMENT)[1][0].results[0].result == "error"


@pytest.mark.parametrize(
    ("metadata", "mutated"),
    [
        pytest.param({"name": "m", "namespace": "prod"}, True, id="same-namespace"),
        pytest.param({"name": "m", "namespace": "dev"}, False, id="other-namespace"),
        pytest.param({"name": "m"}, False, id="default-namespace"),
    ],
)
def test_a_namespaced_mutating_policy_mutates_its_namespace_only(
    metadata: dict[str, str], mutated: bool
) -> None:
    document = mpol(apply_config('Object{metadata: Object.metadata{labels: {"m": "x"}}}'))
    document = {**document, "kind": "NamespacedMutatingPolicy", "metadata": metadata}
    patched, rows = run(document)
    assert (rows == [("pass", "resource patched")]) is mutated
    assert (patched["metadata"]["labels"].get("m") == "x") is mutated


@pytest.mark.parametrize(
    ("metadata", "generated"),
    [
        pytest.param({"name": "g", "namespace": "prod"}, True, id="same-namespace"),
        pytest.param({"name": "g", "namespace": "dev"}, False, id="other-namespace"),
    ],
)
def test_a_namespaced_generating_policy_answers_triggers_of_its_namespace_only(
    metadata: dict[str, str], generated: bool
) -> None:
    config_map = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}'
    expression = f'generator.Apply("prod", [{config_map}])'
    document = {**gpol(expression), "kind": "NamespacedGeneratingPolicy", "metadata": metadata}
    found = generate(document)
    assert [g.result.result for g in found] == (["pass"] if generated else [])
    if generated:
        assert [dict(r["metadata"]) for r in found[0].resources] == [
            {"name": "c", "namespace": "prod"}
        ]


def cel_exception(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "PolicyException",
        "metadata": {"name": "e"},
        "spec": {"policyRefs": [{"name": "m", "kind": "MutatingPolicy"}], **spec},
    }


LABEL_ALLOWED = apply_config(
    "Object{metadata: Object.metadata{labels: {"
    "'image': object.spec.containers.all(c, c.image in exceptions.allowedImages) ? 'ok' : 'no',"
    "'value': 'X' in exceptions.allowedValues ? 'ok' : 'no'}}}"
)


@pytest.mark.parametrize(
    ("exceptions", "outcome", "labels"),
    [
        pytest.param([], "pass", {"image": "no", "value": "no"}, id="none"),
        pytest.param(
            [cel_exception(images=["nginx:1.25"])],
            "pass",
            {"image": "ok", "value": "no"},
            id="images",
        ),
        pytest.param(
            [cel_exception(allowedValues=["X"]), cel_exception(images=["nginx:1.25"])],
            "pass",
            {"image": "ok", "value": "ok"},
            id="values-and-images",
        ),
        pytest.param(
            [cel_exception(images=["nginx:1.25"], matchConditions=[{"expression": "false"}])],
            "pass",
            {"image": "no", "value": "no"},
            id="conditions-not-met",
        ),
        pytest.param([cel_exception()], "skip", None, id="full-exemption"),
        pytest.param([cel_exception(reportResult="pass")], "pass", None, id="report-pass"),
        pytest.param(
            [cel_exception(matchConditions=[{"expression": "object.nothing.here"}])],
            "error",
            None,
            id="condition-error",
        ),
        pytest.param(
            [cel_exception(), cel_exception(matchConditions=[{"expression": "object.nothing"}])],
            "skip",
            None,
            id="error-after-exemption",
        ),
        pytest.param(
            [cel_exception(), cel_exception(images=["nginx:1.25"])],
            "skip",
            None,
            id="images-after-exemption",
        ),
    ],
)
def test_cel_exceptions_lend_images_and_values_to_the_policy(
    exceptions: list[dict[str, Any]], outcome: str, labels: dict[str, str] | None
) -> None:
    policies = load_mutating_policies([("m.yaml", mpol(LABEL_ALLOWED))])
    patched, responses = mutate_with_policies(policies, POD, None, exceptions)
    assert [r.result for m in responses for r in m.results] == [outcome]
    if labels is None:
        assert patched == POD
    else:
        assert patched["metadata"]["labels"] == {"app": "web", **labels}


def test_generating_policy_templates_render_with_the_policy_bindings() -> None:
    value = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: (( object.metadata.name ))-cm\n"
    document = gpol()
    document["spec"]["generate"] = [{"template": {"interpolate": "cel", "value": value}}]
    [made] = generate(document)
    assert made.result.result == "pass"
    assert [dict(r["metadata"]) for r in made.resources] == [{"name": "web-cm"}]
    document["spec"]["generate"] = [{"template": {"interpolate": "cel", "value": "a: ((x"}}]
    [broken] = generate(document)
    assert broken.result.result == "error"
    assert "failed to render the template: unclosed placeholder" in broken.result.message


def configmap_named(name: str, namespace: str = "prod") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
    }


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param(
            "resource.get('v1', 'configmaps', object.metadata.namespace, 'a')",
            [("ConfigMap", "a", "pass")],
            id="one-object",
        ),
        pytest.param(
            "resource.List('v1', 'configmaps', 'prod')",
            [("ConfigMap", "a", "pass"), ("ConfigMap", "b", "pass")],
            id="a-list",
        ),
        pytest.param("{'items': [1]}", [], id="no-objects"),
        pytest.param(
            "resource.Get('v1', 'configmaps', 'prod', 'missing')",
            [("Pod", "error")],
            id="error",
        ),
    ],
)
def test_mutate_existing_targets_from_a_cel_expression(
    expression: str, expected: list[tuple[str, ...]]
) -> None:
    document = mpol(
        apply_config("Object{metadata: Object.metadata{labels: {'by': 'trigger'}}}"),
        evaluation={"mutateExisting": {"enabled": True}},
        targetMatchConstraints={"expression": expression},
    )
    targets = [configmap_named("a"), configmap_named("b"), configmap_named("a", "dev")]
    _, responses = mutate_with_policies(
        load_mutating_policies([("m.yaml", document)]), POD, None, (), targets
    )
    rows = [(r.kind, r.name, r.result) for m in responses for r in m.results]
    if expected and expected[0][-1] == "error":
        rows = [(kind, result) for kind, _, result in rows]
    assert rows == expected

"""ValidatingPolicy, ValidatingAdmissionPolicy (+ bindings, params), CEL PolicyExceptions and
the kinds that cannot run offline, evaluated on real policy documents."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext
from kyverno_validate.engine.celpolicy import (
    evaluate_cel_policies,
    is_cel_exception,
    load_cel_policies,
)


def pod(name: str = "web", image: str = "nginx:1.25", **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, **metadata},
        "spec": {"containers": [{"name": "c", "image": image}]},
    }


def deployment(image: str = "nginx:1.25") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "deploy", "namespace": "prod"},
        "spec": {"template": {"metadata": {}, "spec": pod(image=image)["spec"]}},
    }


def cronjob(image: str = "nginx:1.25") -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "cron"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": pod(image=image)["spec"]}}}},
    }


PODS_RULE = {
    "apiGroups": [""],
    "apiVersions": ["v1"],
    "operations": ["CREATE", "UPDATE"],
    "resources": ["pods"],
}


def vpol(spec: dict[str, Any], name: str = "no-latest", **extra: Any) -> dict[str, Any]:
    base = {
        "validationActions": ["Audit"],
        "matchConstraints": {"resourceRules": [PODS_RULE]},
        "validations": [
            {
                "expression": "object.spec.containers.all(c, !c.image.endsWith(':latest'))",
                "message": "no latest",
            }
        ],
    }
    return {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "ValidatingPolicy",
        "metadata": {"name": name, **extra},
        "spec": {**base, **spec},
    }


def results(
    documents: list[dict[str, Any]],
    resource: dict[str, Any],
    context: EvaluationContext | None = None,
    **kwargs: Any,
) -> list[tuple[str, str, str]]:
    policies = load_cel_policies([("p.yaml", d) for d in documents])
    found = evaluate_cel_policies(policies, resource, context or EvaluationContext(), **kwargs)
    return [(r.rule, r.result, r.message) for r in found]


def outcome(documents: list[dict[str, Any]], resource: dict[str, Any], **kwargs: Any) -> str:
    return ",".join(r for _, r, _ in results(documents, resource, **kwargs))


@pytest.mark.parametrize(
    ("spec", "resource", "expected"),
    [
        pytest.param({}, pod(), "pass", id="pass"),
        pytest.param({}, pod(image="nginx:latest"), "fail", id="fail"),
        pytest.param({}, {"apiVersion": "v1", "kind": "Service"}, "", id="other-kind"),
        pytest.param(
            {"matchConditions": [{"name": "m", "expression": "object.metadata.name == 'x'"}]},
            pod(image="nginx:latest"),
            "",
            id="match-condition-false",
        ),
        pytest.param(
            {"matchConditions": [{"name": "m", "expression": "object.nope.x"}]},
            pod(),
            "error",
            id="match-condition-error",
        ),
        pytest.param(
            {"validations": [{"expression": "object.spec.nope.size() > 0"}]},
            pod(),
            "error",
            id="validation-error",
        ),
        pytest.param(
            {"validations": [{"expression": "'not a bool'"}]}, pod(), "error", id="not-a-bool"
        ),
        pytest.param(
            {
                "variables": [
                    {"name": "images", "expression": "object.spec.containers.map(c, c.image)"},
                    {"name": "bad", "expression": "object.nope"},
                    {"name": "n", "expression": "size(variables.images)"},
                ],
                "validations": [{"expression": "variables.n == 1"}],
            },
            pod(),
            "pass",
            id="variables-in-order",
        ),
        pytest.param(
            {"validations": [{"expression": "variables.bad == 1"}],
             "variables": [{"name": "bad", "expression": "object.nope"}]},
            pod(),
            "error",
            id="erroring-variable-used",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [PODS_RULE],
                                  "objectSelector": {"matchLabels": {"app": "web"}}}},
            pod(labels={"app": "db"}),
            "",
            id="object-selector",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [PODS_RULE], "excludeResourceRules": [
                {**PODS_RULE, "resourceNames": ["web"]}]}},
            pod(),
            "",
            id="exclude-resource-rules",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [{**PODS_RULE, "operations": ["DELETE"]}]}},
            pod(),
            "",
            id="operation-not-listed",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [{**PODS_RULE, "scope": "Cluster"}]}},
            pod(),
            "",
            id="scope-cluster",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [{**PODS_RULE, "resources": ["pods/exec"]}]}},
            pod(),
            "",
            id="subresource-only",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"],
                                                     "operations": ["*"], "resources": ["*"]}]}},
            pod(image="a:latest"),
            "fail",
            id="wildcards",
        ),
        pytest.param(
            {"matchConstraints": {"resourceRules": [PODS_RULE],
                                  "namespaceSelector": {"matchLabels": {"env": "prod"}}}},
            pod(namespace="dev"),
            "",
            id="namespace-selector",
        ),
    ],
)  # fmt: skip
def test_validating_policy(spec: dict[str, Any], resource: dict[str, Any], expected: str) -> None:
    assert outcome([vpol(spec)], resource) == expected


def test_audit_annotations_do_not_change_the_result() -> None:
    spec = {"auditAnnotations": [{"key": "k", "valueExpression": "object.nope"}]}
    assert outcome([vpol(spec)], pod()) == "pass"


def test_messages_come_from_message_expression_then_message_then_the_expression() -> None:
    spec = {
        "validations": [
            {"expression": "false", "messageExpression": "'bad ' + object.metadata.name"},
            {"expression": "false", "messageExpression": "''", "message": "fixed"},
            {"expression": "1 == 2"},
        ]
    }
    [(_, result, message)] = results([vpol(spec)], pod())
    assert result == "fail"
    assert message == "bad web; fixed; failed expression: 1 == 2"


def test_namespace_object_and_request_variables() -> None:
    spec = {
        "validations": [
            {"expression": "namespaceObject.metadata.labels.env == 'prod'"},
            {"expression": "request.operation == 'CREATE' && request.namespace == 'prod'"},
            {"expression": "request.kind.kind == 'Pod' && request.resource.resource == 'pods'"},
            {"expression": "request.userInfo.username == 'alice' && oldObject == null"},
        ]
    }
    context = EvaluationContext(
        namespace_labels={"prod": {"env": "prod"}},
        userinfo={"userInfo": {"username": "alice"}},
    )
    assert outcome([vpol(spec)], pod(namespace="prod"), context=context) == "pass"


def test_values_namespaces_and_operation() -> None:
    spec = {
        "validations": [
            {"expression": "namespaceObject.metadata.annotations.team == 'a'"},
            {"expression": "request.operation == 'DELETE' && object == null"},
            {"expression": "oldObject.metadata.name == 'web'"},
        ],
        "matchConstraints": {"resourceRules": [{**PODS_RULE, "operations": ["DELETE"]}]},
    }
    values = {
        "namespaces": [{"metadata": {"name": "default", "annotations": {"team": "a"}}}],
        "policies": [
            {
                "name": "no-latest",
                "resources": [{"name": "web", "values": {"request.operation": "DELETE"}}],
            }
        ],
    }
    assert outcome([vpol(spec)], pod(), context=EvaluationContext(values=values)) == "pass"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(deployment(), [("autogen-defaults-no-latest", "pass")], id="deployment"),
        pytest.param(
            deployment("a:latest"), [("autogen-defaults-no-latest", "fail")], id="deployment-bad"
        ),
        pytest.param(cronjob("a:latest"), [("autogen-cronjobs-no-latest", "fail")], id="cronjob"),
    ],
)
def test_autogen_to_pod_controllers(resource: dict[str, Any], expected: list[Any]) -> None:
    found = results([vpol({})], resource)
    assert [(rule, result) for rule, result, _ in found] == expected


def test_autogen_keeps_the_controller_name_and_namespace() -> None:
    spec = {"validations": [{"expression": "object.metadata.name == 'deploy'"}]}
    assert outcome([vpol(spec)], deployment()) == "pass"


@pytest.mark.parametrize(
    ("spec", "resource"),
    [
        pytest.param({"autogen": {"podControllers": {"controllers": []}}}, deployment(),
                     id="no-controllers"),
        pytest.param({"autogen": {"podControllers": {"controllers": ["cronjobs", "Deployment"]}}},
                     deployment(), id="other-and-unknown-controllers"),
        pytest.param({"matchConstraints": {"resourceRules": ["pods"]}}, deployment(),
                     id="malformed-rule"),
        pytest.param({"matchConstraints": {"resourceRules": [
            {**PODS_RULE, "resources": ["pods", "services"]}]}}, deployment(), id="two-resources"),
        pytest.param({"matchConstraints": {"resourceRules": [PODS_RULE],
                                           "objectSelector": {"matchLabels": {"a": "b"}}}},
                     deployment(), id="selector"),
    ],
)  # fmt: skip
def test_no_autogen(spec: dict[str, Any], resource: dict[str, Any]) -> None:
    assert results([vpol(spec)], resource) == []


def test_namespaced_policy_applies_in_its_namespace_only() -> None:
    document = vpol({}, namespace="prod")
    document["kind"] = "NamespacedValidatingPolicy"
    assert outcome([document], pod(namespace="prod")) == "pass"
    assert outcome([document], pod(namespace="dev")) == ""


def test_cel_policy_exception_skips() -> None:
    exception = {
        "apiVersion": "policies.kyverno.io/v1alpha1",
        "kind": "PolicyException",
        "metadata": {"name": "allow-web"},
        "spec": {
            "policyRefs": [{"name": "no-latest", "kind": "ValidatingPolicy"}],
            "matchConditions": [{"name": "web", "expression": "object.metadata.name == 'web'"}],
        },
    }
    assert is_cel_exception(exception)
    bad = pod(image="a:latest")
    assert outcome([vpol({})], bad, exceptions=[exception]) == "skip"
    other = pod(name="db", image="a:latest")
    assert outcome([vpol({})], other, exceptions=[exception]) == "fail"
    unrelated = copy.deepcopy(exception)
    unrelated["spec"]["policyRefs"] = [{"name": "other"}]
    assert outcome([vpol({})], bad, exceptions=[unrelated]) == "fail"


def test_context_libraries_read_the_test_data() -> None:
    spec = {
        "variables": [
            {"name": "cm", "expression": "resource.Get('v1', 'configmaps', 'ops', 'registries')"}
        ],
        "validations": [
            {
                "expression": "object.spec.containers.all(c, "
                "c.image.startsWith(variables.cm.data.registry) && "
                "image.GetMetadata(c.image).config.user == 'app')"
            }
        ],
    }
    configmap = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "registries", "namespace": "ops"},
        "data": {"registry": "ghcr.io/"},
    }
    image = "ghcr.io/acme/web:1"
    images = {image: {"config": {"user": "app"}}}
    assert outcome([vpol(spec)], pod(image=image), objects=[configmap], images=images) == "pass"
    assert outcome([vpol(spec)], pod(image=image), objects=[configmap]) == "error"


VAP = {
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
        "validations": [
            {"expression": "params == null || object.spec.replicas <= int(params.data.max)"}
        ],
    },
}


def replicas(count: int) -> dict[str, Any]:
    found = deployment()
    found["spec"]["replicas"] = count
    return found


def binding(**param_ref: Any) -> dict[str, Any]:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": "b"},
        "spec": {
            "policyName": "max-replicas",
            "validationActions": ["Deny"],
            "paramRef": param_ref,
        },
    }


LIMIT = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "limit", "namespace": "prod", "labels": {"kind": "limit"}},
    "data": {"max": "3"},
}


@pytest.mark.parametrize(
    ("documents", "count", "expected"),
    [
        pytest.param([VAP], 9, "pass", id="no-binding-no-params"),
        pytest.param([VAP, binding(name="limit")], 2, "pass", id="param-by-name"),
        pytest.param([VAP, binding(name="limit")], 9, "fail", id="param-by-name-fail"),
        pytest.param(
            [VAP, binding(selector={"matchLabels": {"kind": "limit"}}, namespace="prod")],
            9,
            "fail",
            id="param-by-selector",
        ),
        pytest.param([VAP, binding(name="missing")], 2, "error", id="param-missing-deny"),
        pytest.param(
            [VAP, binding(selector={"matchLabels": {"kind": "other"}})],
            2,
            "error",
            id="selector-matches-nothing",
        ),
        pytest.param(
            [VAP, binding(name="limit", namespace="dev")], 2, "error", id="param-other-namespace"
        ),
        pytest.param(
            [VAP, binding(name="missing", parameterNotFoundAction="Allow")],
            2,
            "pass",
            id="param-missing-allow",
        ),
    ],
)
def test_validating_admission_policy(documents: list[Any], count: int, expected: str) -> None:
    assert outcome(documents, replicas(count), objects=[LIMIT]) == expected


def test_params_outside_the_namespace_or_of_another_kind_are_not_found() -> None:
    elsewhere = {**LIMIT, "metadata": {"name": "limit", "namespace": "dev"}}
    other_kind = {**LIMIT, "apiVersion": "v2"}
    assert outcome([VAP, binding(name="limit")], replicas(9), objects=[elsewhere]) == "error"
    assert outcome([VAP, binding(name="limit")], replicas(9), objects=[other_kind]) == "error"
    no_ref = binding()
    del no_ref["spec"]["paramRef"]
    assert outcome([VAP, no_ref], replicas(9), objects=[LIMIT]) == "pass"  # params == null


def test_vap_match_conditions_not_met_skip() -> None:
    document = copy.deepcopy(VAP)
    document["spec"]["matchConditions"] = [{"name": "n", "expression": "false"}]
    assert outcome([document], replicas(9)) == "skip"


def test_binding_match_resources_narrow_the_policy() -> None:
    narrowed = binding(name="limit")
    narrowed["spec"]["matchResources"] = {"namespaceSelector": {"matchLabels": {"env": "x"}}}
    assert outcome([VAP, narrowed], replicas(9), objects=[LIMIT]) == ""
    policies = load_cel_policies([("p", VAP), ("b", binding(name="limit"))])
    assert policies[0].action == "Enforce"


@pytest.mark.parametrize(
    "kind", ["ImageValidatingPolicy", "DeletingPolicy", "NamespacedDeletingPolicy"]
)
def test_kinds_that_cannot_run_offline_say_why(kind: str) -> None:
    document = vpol({})
    document["kind"] = kind
    document["metadata"]["namespace"] = "default"
    [(_, result, message)] = results([document], pod())
    assert result == "error"
    assert message.startswith("unsupported: ")


def test_malformed_documents_do_not_crash() -> None:
    document = {"apiVersion": "policies.kyverno.io/v1", "kind": "ValidatingPolicy", "spec": 3}
    assert results([document], pod()) == []
    assert load_cel_policies([("x", {"kind": "Pod"}), ("y", "text")]) == []


def test_policies_for_other_payloads_skip_resources() -> None:
    document = vpol({"evaluation": {"mode": "Envoy"}})
    assert results([document], pod(image="a:latest")) == []

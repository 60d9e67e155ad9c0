"""Classic generate rules: data, clone, cloneList, preconditions and errors."""

from typing import Any

import pytest
from kyverno_validate.engine import EvaluationContext, load_policies
from kyverno_validate.engine.generation import generate_for

NAMESPACE = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}
SECRET = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "regcred", "namespace": "default", "uid": "1", "resourceVersion": "9"},
    "data": {"k": "dg=="},
}
CONFIG = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "c", "namespace": "default"},
}


def policy(generate: dict[str, Any], **extra: Any) -> dict[str, Any]:
    rule = {
        "name": "gen",
        "match": {"any": [{"resources": {"kinds": ["Namespace"]}}]},
        "generate": generate,
        **extra,
    }
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {"rules": [rule]},
    }


def run(document: dict[str, Any], trigger: Any = NAMESPACE, sources: Any = ()) -> Any:
    policies = load_policies([("p.yaml", document)])
    return generate_for(policies, trigger, None, sources)


def test_data_generates_the_object_with_variables() -> None:
    generate = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "name": "deny",
        "namespace": "{{request.object.metadata.name}}",
        "synchronize": True,
        "data": {"metadata": {"labels": {"a": "b"}}, "spec": {"podSelector": {}}},
    }
    [generation] = run(policy(generate))
    assert generation.result.result == "pass"
    assert generation.result.name == "team-a"
    assert generation.resources == (
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"labels": {"a": "b"}, "name": "deny", "namespace": "team-a"},
            "spec": {"podSelector": {}},
        },
    )


def test_clone_copies_the_source_without_server_fields() -> None:
    generate = {
        "apiVersion": "v1",
        "kind": "Secret",
        "name": "regcred",
        "namespace": "{{request.object.metadata.name}}",
        "clone": {"namespace": "default", "name": "regcred"},
    }
    [generation] = run(policy(generate), sources=[CONFIG, SECRET])
    assert generation.resources == (
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "regcred", "namespace": "team-a"},
            "data": {"k": "dg=="},
        },
    )
    [missing] = run(policy(generate))
    assert missing.result.result == "error"
    assert "not found" in missing.result.message


def test_clone_list_copies_every_matching_source() -> None:
    generate = {
        "namespace": "{{request.object.metadata.name}}",
        "cloneList": {"namespace": "default", "kinds": ["v1/Secret", "ConfigMap"]},
    }
    other = {**CONFIG, "metadata": {"name": "x", "namespace": "elsewhere"}}
    [generation] = run(policy(generate), sources=[SECRET, CONFIG, other])
    assert [(r["kind"], r["metadata"]["namespace"]) for r in generation.resources] == [
        ("Secret", "team-a"),
        ("ConfigMap", "team-a"),
    ]


def test_foreach_generates_per_element() -> None:
    trigger = {**NAMESPACE, "metadata": {"name": "team-a", "labels": {"a": "1", "b": "2"}}}
    generate = {
        "foreach": [
            {
                "list": "keys(request.object.metadata.labels)",
                "preconditions": {
                    "all": [{"key": "{{element}}", "operator": "NotEquals", "value": "b"}]
                },
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "name": "cm-{{element}}-{{elementIndex}}",
                "namespace": "{{request.object.metadata.name}}",
                "data": {"data": {"label": "{{element}}"}},
            },
            "junk",
        ]
    }
    [generation] = run(policy(generate), trigger=trigger)
    assert generation.resources == (
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cm-a-0", "namespace": "team-a"},
            "data": {"label": "a"},
        },
    )


@pytest.mark.parametrize(
    ("entry", "result"),
    [
        pytest.param({"list": "request.object.nothing"}, "skip", id="empty-list"),
        pytest.param({"list": "request.object.["}, "error", id="bad-list"),
        pytest.param({"list": "['x']", "name": "{{nothing.here}}"}, "error", id="bad-variable"),
        pytest.param(
            {"list": "['x']", "kind": "Secret", "clone": {"name": "missing"}},
            "error",
            id="bad-clone",
        ),
        pytest.param(
            {
                "list": "['x']",
                "preconditions": {"all": [{"key": 1, "operator": "Nope", "value": 1}]},
            },
            "error",
            id="bad-preconditions",
        ),
    ],
)
def test_foreach_skips_and_errors(entry: dict[str, Any], result: str) -> None:
    [generation] = run(policy({"foreach": [{"kind": "ConfigMap", "name": "c", **entry}]}))
    assert generation.result.result == result


def test_skips_and_errors() -> None:
    conditions = {
        "all": [{"key": "{{request.object.metadata.name}}", "operator": "Equals", "value": "x"}]
    }
    [skipped] = run(
        policy({"kind": "ConfigMap", "name": "c", "data": {}}, preconditions=conditions)
    )
    assert (skipped.result.result, skipped.resources) == ("skip", ())
    [bad] = run(
        policy({"kind": "ConfigMap", "name": "{{request.object.nothing.here}}", "data": {}})
    )
    assert bad.result.result == "error"
    [empty] = run(policy({"apiVersion": "foo/v1", "kind": "Foo", "name": "c", "namespace": "x"}))
    assert empty.resources == (
        {"apiVersion": "foo/v1", "kind": "Foo", "metadata": {"name": "c", "namespace": "x"}},
    )
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    assert run(policy({"kind": "ConfigMap", "name": "c", "data": {}}), trigger=pod) == []


def test_namespaced_policies_and_policies_without_generate() -> None:
    document = policy({"kind": "ConfigMap", "name": "c", "data": {}})
    namespaced = {**document, "kind": "Policy", "metadata": {"name": "p", "namespace": "dev"}}
    assert run(namespaced) == []
    validate = {
        "name": "v",
        "match": {"any": [{"resources": {"kinds": ["Namespace"]}}]},
        "validate": {"deny": {}},
    }
    assert run({**document, "spec": {"rules": [validate]}}) == []


def test_clone_list_selector_and_per_rule_sources() -> None:
    labelled = {**SECRET, "metadata": {"name": "a", "namespace": "default", "labels": {"ok": "1"}}}
    generate = {
        "namespace": "{{request.object.metadata.name}}",
        "cloneList": {
            "namespace": "default",
            "kinds": ["v1/Secret"],
            "selector": {"matchLabels": {"ok": "1"}},
        },
    }
    policies = load_policies([("p.yaml", policy(generate))])
    [generation] = generate_for(
        policies, NAMESPACE, None, [SECRET], {("p", "gen"): [SECRET, labelled]}
    )
    assert [r["metadata"]["name"] for r in generation.resources] == ["a"]
    [from_pool] = generate_for(policies, NAMESPACE, None, [labelled], {("p", "other"): [SECRET]})
    assert [r["metadata"]["name"] for r in from_pool.resources] == ["a"]


def test_cluster_scoped_generation_values_and_clone_list_filters() -> None:
    values = {"globalValues": {"request.operation": "UPDATE"}}
    update_only = policy({"apiVersion": "v1", "kind": "Namespace", "name": "n", "data": {}})
    update_only["spec"]["rules"][0]["match"]["any"][0]["resources"]["operations"] = ["UPDATE"]
    [generation] = generate_for(
        load_policies([("p.yaml", update_only)]), NAMESPACE, EvaluationContext(values=values)
    )
    assert generation.resources == (
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}},
    )
    clone_list = {"cloneList": {"namespace": "default", "kinds": ["v1/Secret"]}}
    [listed] = run(policy(clone_list), sources=[CONFIG, SECRET])
    assert [r["metadata"] for r in listed.resources] == [
        {"name": "regcred", "namespace": "default"}
    ]

"""patchStrategicMerge: anchors resolved against the resource, then kyaml merge2 semantics."""

from typing import Any

import pytest
from kyverno_validate.engine.strategic import (
    ConditionFailed,
    GlobalConditionFailed,
    preprocess,
    strategic_merge,
)

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "nginx", "image": "nginx:latest"},
            {"name": "side", "image": "busybox:1.36", "imagePullPolicy": "Never"},
        ]
    },
}


def patch(resource: dict[str, Any], overlay: Any) -> Any:
    return strategic_merge(resource, preprocess(overlay, resource))


def test_add_if_not_present_adds_a_missing_key_and_keeps_an_existing_one() -> None:
    overlay = {"metadata": {"labels": {"+(app)": "other", "+(team)": "core"}}}
    assert patch(POD, overlay)["metadata"]["labels"] == {"app": "web", "team": "core"}


def test_conditional_anchor_in_a_map_skips_the_whole_patch() -> None:
    with pytest.raises(ConditionFailed):
        preprocess({"metadata": {"(name)": "db-*"}, "spec": {"x": 1}}, POD)
    with pytest.raises(ConditionFailed, match="could not found"):
        preprocess({"metadata": {"(missing)": "x"}}, POD)


def test_conditional_anchor_in_a_map_that_holds_applies_the_rest() -> None:
    patched = patch(POD, {"metadata": {"(name)": "web", "labels": {"tier": "1"}}})
    assert patched["metadata"] == {"name": "web", "labels": {"app": "web", "tier": "1"}}


def test_conditional_anchor_in_a_list_patches_the_matching_elements_only() -> None:
    overlay = {"spec": {"containers": [{"(image)": "*:latest", "imagePullPolicy": "IfNotPresent"}]}}
    containers = patch(POD, overlay)["spec"]["containers"]
    assert containers == [
        {"name": "nginx", "image": "nginx:latest", "imagePullPolicy": "IfNotPresent"},
        {"name": "side", "image": "busybox:1.36", "imagePullPolicy": "Never"},
    ]


def test_add_anchor_in_a_list_element_reaches_every_named_element() -> None:
    overlay = {"spec": {"containers": [{"(name)": "*", "+(imagePullPolicy)": "Always"}]}}
    containers = patch(POD, overlay)["spec"]["containers"]
    # Kyverno shares one working copy across the elements: the first one (without the key)
    # unwraps the anchor, so the second one gets the value too
    assert [c.get("imagePullPolicy") for c in containers] == ["Always", "Always"]


def test_nested_condition_with_nested_values_keeps_the_unwrapped_key() -> None:
    overlay = {
        "spec": {
            "containers": [
                {"(name)": "nginx", "(securityContext)": {"(runAsUser)": 0}, "image": "x"}
            ]
        }
    }
    with_security = {
        **POD,
        "spec": {
            "containers": [{"name": "nginx", "image": "a", "securityContext": {"runAsUser": 0}}]
        },
    }
    assert patch(with_security, overlay)["spec"]["containers"][0]["image"] == "x"
    assert patch(POD, overlay) == POD


def test_global_anchor_failing_everywhere_skips_the_patch() -> None:
    overlay = {"spec": {"containers": [{"<(image)": "db:*", "imagePullPolicy": "Always"}]}}
    with pytest.raises(GlobalConditionFailed):
        preprocess(overlay, POD)


def test_global_anchor_holding_somewhere_applies_the_rest() -> None:
    overlay = {"spec": {"containers": [{"<(image)": "nginx:*"}], "priorityClassName": "high"}}
    assert patch(POD, overlay)["spec"]["priorityClassName"] == "high"


def test_global_anchor_in_a_map() -> None:
    with pytest.raises(GlobalConditionFailed):
        preprocess({"metadata": {"<(name)": "db"}, "x": 1}, POD)


def test_condition_on_a_missing_list_is_ignored() -> None:
    overlay = {"spec": {"volumes": [{"(name)": "data", "emptyDir": {}}]}}
    assert patch(POD, overlay) == POD


def test_conditions_compare_scalars_as_text() -> None:
    resource = {"spec": {"replicas": 3}}
    assert patch(resource, {"spec": {"(replicas)": 3, "paused": True}})["spec"]["paused"] is True
    with_null: dict[str, Any] = {"spec": {"x": None}}
    assert patch(with_null, {"spec": {"(x)": None, "y": 1}})["spec"]["y"] == 1


@pytest.mark.parametrize(
    ("resource", "overlay", "expected"),
    [
        pytest.param(
            {"a": {"b": 1, "c": 2}}, {"a": {"b": None}}, {"a": {"c": 2}}, id="null-deletes"
        ),
        pytest.param({"a": 1}, {"a": {"b": 1}}, {"a": {"b": 1}}, id="map-over-scalar"),
        pytest.param({"a": {"b": 1}}, {"a": "x"}, {"a": "x"}, id="scalar-over-map"),
        pytest.param(
            {"a": {"b": 1, "c": 2}},
            {"a": {"$patch": "replace", "d": 3}},
            {"a": {"d": 3}},
            id="patch-replace-map",
        ),
        pytest.param(
            {"a": {"b": 1}, "z": 0}, {"a": {"$patch": "delete"}}, {"z": 0}, id="patch-delete-map"
        ),
        pytest.param(
            {"spec": {"tolerations": [{"key": "a"}]}},
            {"spec": {"tolerations": [{"key": "b"}]}},
            {"spec": {"tolerations": [{"key": "b"}]}},
            id="atomic-list-replaced",
        ),
        pytest.param(
            {"args": ["a"]}, {"args": ["b", None]}, {"args": ["b", None]}, id="scalar-list-replaced"
        ),
        pytest.param(
            {"containers": [{"name": "a", "image": "1"}, {"name": "b"}]},
            {"containers": [{"name": "b", "image": "2"}, {"name": "c"}]},
            {
                "containers": [
                    {"name": "c"},
                    {"name": "a", "image": "1"},
                    {"name": "b", "image": "2"},
                ]
            },
            id="merge-by-name-new-first",
        ),
        pytest.param(
            {"containers": [{"name": "a"}, {"name": "b"}]},
            {"containers": [{"name": "a", "$patch": "delete"}, {"name": "x", "$patch": "delete"}]},
            {"containers": [{"name": "b"}]},
            id="patch-delete-element",
        ),
        pytest.param(
            {"containers": [{"name": "a"}, {"name": "b"}]},
            {"containers": [{"$patch": "replace"}, {"name": "z", "x": None}]},
            {"containers": [{"name": "z"}]},
            id="patch-replace-list",
        ),
        pytest.param(
            {"items": [{"type": "A", "v": 1}]},
            {"items": [{"type": "A", "v": 2}, {"type": "B"}]},
            {"items": [{"type": "B"}, {"type": "A", "v": 2}]},
            id="inferred-key",
        ),
        pytest.param(
            {"items": [{"k": 1}]},
            {"items": [{"k": 2}]},
            {"items": [{"k": 2}]},
            id="no-key-replaced",
        ),
        pytest.param(
            {"containers": [{"name": "a"}, "odd"]},
            {"containers": [{"name": "b"}]},
            {"containers": [{"name": "b"}]},
            id="mixed-list-replaced",
        ),
        pytest.param({}, {"items": []}, {"items": []}, id="empty-list"),
    ],
)
def test_merge(resource: Any, overlay: Any, expected: Any) -> None:
    assert strategic_merge(resource, overlay) == expected


def test_merge_never_changes_its_inputs() -> None:
    overlay = {"metadata": {"labels": {"+(team)": "core"}}}
    patch(POD, overlay)
    assert overlay == {"metadata": {"labels": {"+(team)": "core"}}}
    assert POD["metadata"]["labels"] == {"app": "web"}


def test_scalar_patch_is_passed_through() -> None:
    assert preprocess("x", POD) == "x"


def test_add_anchor_under_a_condition_anchor_counts_as_the_condition() -> None:
    resource = {
        "spec": {"volumes": [{"name": "v", "emptyDir": {}}, {"name": "c", "configMap": {}}]}
    }
    overlay = {"spec": {"volumes": [{"(emptyDir)": {"+(sizeLimit)": "20Mi"}, "name": "{{ n }}"}]}}
    patched = patch(resource, overlay)
    assert patched["spec"]["volumes"] == [
        {"name": "v", "emptyDir": {"sizeLimit": "20Mi"}},
        {"name": "c", "configMap": {}},
    ]


def test_a_condition_anchor_holding_nested_values_is_kept_unwrapped() -> None:
    overlay = {"metadata": {"(labels)": {"app": "web"}, "annotations": {"a": "1"}}}
    assert preprocess(overlay, POD) == {
        "metadata": {"labels": {"app": "web"}, "annotations": {"a": "1"}}
    }


def test_anchors_nested_in_lists_and_scalar_anchor_values() -> None:
    # an element whose anchors sit in a nested list is a template too
    overlay = {"spec": {"containers": [{"ports": [{"(containerPort)": 80, "name": "http"}]}]}}
    assert preprocess(overlay, POD) == {}
    # Kyverno counts a scalar value written like an anchor as a global condition
    scalar = {"spec": {"volumes": [{"name": "(x)"}], "hostNetwork": True}}
    assert patch({"spec": {}}, scalar) == {"spec": {"hostNetwork": True}}


def test_elements_without_a_name_or_with_nothing_left_are_not_patched() -> None:
    resource = {"spec": {"containers": [{"image": "a:latest"}, {"name": "b", "image": "b:latest"}]}}
    only_condition = {"spec": {"containers": [{"(image)": "*:latest"}]}}
    assert patch(resource, only_condition) == resource
    overlay = {"spec": {"containers": [{"(image)": "*:latest", "imagePullPolicy": "Always"}]}}
    containers = patch(resource, overlay)["spec"]["containers"]
    assert [c.get("imagePullPolicy") for c in containers] == [None, "Always"]


def test_empty_list_elements_are_dropped() -> None:
    assert preprocess({"spec": {"tolerations": [{}, {"key": "k"}]}}, POD) == {
        "spec": {"tolerations": [{"key": "k"}]}
    }

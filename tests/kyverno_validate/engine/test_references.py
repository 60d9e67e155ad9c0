"""``$(path)`` references inside a rule document."""

from typing import Any

import pytest
from kyverno_validate.engine.generation import generate_for
from kyverno_validate.engine.model import load_policies
from kyverno_validate.engine.references import substitute_references


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(
            {"name": "$(./../data/target)-x", "data": {"target": "t"}},
            {"name": "t-x", "data": {"target": "t"}},
            id="relative-embedded",
        ),
        pytest.param(
            {"a": {"b": "$(/c)"}, "c": 3}, {"a": {"b": 3}, "c": 3}, id="absolute-keeps-type"
        ),
        pytest.param(
            {"spec": {"(name)": "n", "x": "$(./../name)"}},
            {"spec": {"(name)": "n", "x": "n"}},
            id="anchored-key",
        ),
        pytest.param({"list": ["v", "$(./../0)"]}, {"list": ["v", "v"]}, id="list-index"),
        pytest.param({"min": 2, "x": "$(>=./../min)"}, {"min": 2, "x": ">=2"}, id="operator"),
        pytest.param(
            {"on": True, "x": "is $(./../on) and $(./../none)"},
            {"on": True, "x": "is true and "},
            id="booleans-and-missing",
        ),
        pytest.param({"x": "$(./../list/9)", "list": []}, {"x": None, "list": []}, id="off-list"),
        pytest.param({"x": "$(./../y/z)", "y": "s"}, {"x": None, "y": "s"}, id="through-scalar"),
        pytest.param({"x": "\\$(./../y)", "y": 1}, {"x": "\\$(./../y)", "y": 1}, id="escaped"),
        pytest.param({"x": "a $ (b) {{c}}"}, {"x": "a $ (b) {{c}}"}, id="no-reference"),
    ],
)
def test_substitute_references(document: dict[str, Any], expected: dict[str, Any]) -> None:
    assert substitute_references(document) == expected


def test_a_generate_rule_names_its_resource_from_its_own_data() -> None:
    policy = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {
            "rules": [
                {
                    "name": "r",
                    "match": {"any": [{"resources": {"kinds": ["ConfigMap"]}}]},
                    "generate": {
                        "apiVersion": "v1",
                        "kind": "ConfigMap",
                        "name": "$(./../data/data/target)-generated",
                        "namespace": "t",
                        "data": {"data": {"target": "{{request.object.metadata.name}}"}},
                    },
                }
            ]
        },
    }
    trigger = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "t"},
    }
    [generation] = generate_for(load_policies([("p.yaml", policy)]), trigger)
    assert generation.result.result == "pass"
    assert generation.resources[0]["metadata"] == {"name": "cm-generated", "namespace": "t"}

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from kyverno_validate import schema, schemacheck
from referencing import Registry, Resource

DEFS_ID = "https://example.com/api/_definitions.json"
DEFINITIONS: dict[str, Any] = {
    "$id": DEFS_ID,
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "Quantity": {"oneOf": [{"type": ["string", "null"]}, {"type": ["number", "null"]}]},
        "IntOrString": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "Tree": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}},
            "additionalProperties": False,
        },
        "Odd": {"patternProperties": {"^x": {"type": "string"}}},
    },
}
TOP: dict[str, Any] = {
    "$id": "https://example.com/api/thing.json",
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "a thing",
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"type": ["string", "null"], "enum": ["Thing"]},
        "size": {"$ref": "/api/_definitions.json#/$defs/Quantity"},
        "port": {"$ref": "/api/_definitions.json#/$defs/IntOrString", "format": "int-or-string"},
        "tree": {"$ref": "/api/_definitions.json#/$defs/Tree"},
        "odd": {"$ref": "/api/_definitions.json#/$defs/Odd"},
        "flag": {"type": "boolean"},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "anything": {},
        "free": True,
        "x-kubernetes-annotation": {"type": "string", "x-kubernetes-list-type": "atomic"},
        "items": {"items": {"type": "integer"}},
        "three": {"type": "string", "enum": ["a", "b"], "format": "byte"},
    },
    "additionalProperties": False,
}


def oracle(instance: Any) -> bool:
    registry = Registry().with_resource(DEFS_ID, Resource.from_contents(DEFINITIONS))
    return bool(jsonschema.Draft202012Validator(TOP, registry=registry).is_valid(instance))


CASES = [
    pytest.param({"kind": "Thing"}, id="minimal"),
    pytest.param({}, id="required-missing"),
    pytest.param([], id="not-an-object"),
    pytest.param({"kind": None}, id="null-kind-not-in-enum"),
    pytest.param({"kind": "Other"}, id="enum-mismatch"),
    pytest.param({"kind": "Thing", "extra": 1}, id="unknown-field"),
    pytest.param({"kind": "Thing", "size": "1Gi"}, id="quantity-string"),
    pytest.param({"kind": "Thing", "size": 1.5}, id="quantity-number"),
    pytest.param({"kind": "Thing", "size": Decimal("1.5")}, id="quantity-decimal"),
    pytest.param({"kind": "Thing", "size": None}, id="quantity-null-matches-both"),
    pytest.param({"kind": "Thing", "size": True}, id="quantity-bool"),
    pytest.param({"kind": "Thing", "port": 80}, id="port-int"),
    pytest.param({"kind": "Thing", "port": 80.0}, id="port-integral-float"),
    pytest.param({"kind": "Thing", "port": 80.5}, id="port-fraction"),
    pytest.param({"kind": "Thing", "port": False}, id="port-bool"),
    pytest.param({"kind": "Thing", "tree": {"children": [{"children": []}, {}]}}, id="recursion"),
    pytest.param({"kind": "Thing", "tree": {"children": [{"x": 1}]}}, id="recursion-bad"),
    pytest.param({"kind": "Thing", "tree": {"children": {}}}, id="items-on-object"),
    pytest.param({"kind": "Thing", "odd": {"xa": "s"}}, id="unsupported-keyword"),
    pytest.param({"kind": "Thing", "flag": True}, id="bool"),
    pytest.param({"kind": "Thing", "flag": 1}, id="int-is-not-bool"),
    pytest.param({"kind": "Thing", "tags": {"a": "b"}}, id="extra-schema"),
    pytest.param({"kind": "Thing", "tags": {"a": 1}}, id="extra-schema-bad"),
    pytest.param({"kind": "Thing", "anything": [1, {"a": None}]}, id="empty-schema"),
    pytest.param({"kind": "Thing", "free": "x"}, id="true-schema"),
    pytest.param({"kind": "Thing", "items": [1, 2]}, id="items"),
    pytest.param({"kind": "Thing", "items": [1, "2"]}, id="items-bad"),
    pytest.param({"kind": "Thing", "items": "not a list"}, id="items-on-string"),
    pytest.param({"kind": "Thing", "three": "a"}, id="enum-and-type"),
    pytest.param({"kind": "Thing", "three": "c"}, id="enum-and-type-bad"),
]


@pytest.mark.parametrize("instance", CASES)
def test_check_agrees_with_jsonschema_when_it_says_valid(instance: Any) -> None:
    check = schemacheck.compile_check(TOP, {DEFS_ID: DEFINITIONS})
    answer = check(instance)
    assert not answer or oracle(instance)
    # exact for everything but the keyword it does not know
    if "odd" not in instance:
        assert answer == oracle(instance)


def test_unsupported_keyword_answers_false_inside_a_lazy_ref() -> None:
    check = schemacheck.compile_check(TOP, {DEFS_ID: DEFINITIONS})
    assert check({"kind": "Thing", "odd": {}}) is False
    assert check({"kind": "Thing", "odd": {}}) is False  # the cached answer


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param({"patternProperties": {}}, "keyword 'patternProperties'", id="keyword"),
        pytest.param({"type": "date"}, "type 'date'", id="unknown-type"),
        pytest.param({"type": 3}, "type 3", id="type-not-a-name"),
        pytest.param({"enum": "a"}, "enum 'a'", id="enum-not-a-list"),
        pytest.param({"oneOf": [{"minimum": 1}]}, "oneOf", id="one-of-beyond-types"),
        pytest.param({"$ref": "#/definitions/X"}, "$ref '#/definitions/X'", id="ref-pointer"),
        pytest.param({"$ref": "#/$defs/Missing"}, "$ref '#/$defs/Missing'", id="ref-missing"),
        pytest.param({"$ref": "#/$defs/A/b"}, "$ref '#/$defs/A/b'", id="ref-deep"),
        pytest.param({"$ref": "other.json#/$defs/A"}, "$ref 'other.json#/$defs/A'", id="ref-doc"),
        pytest.param({"items": False}, "schema False", id="false-schema"),
    ],
)
def test_unsupported_schemas_are_refused(bad: dict[str, Any], reason: str) -> None:
    with pytest.raises(schemacheck.UnsupportedSchema, match=reason.replace("$", r"\$")):
        schemacheck.compile_check({"$id": DEFS_ID, **bad}, {DEFS_ID: DEFINITIONS})


def test_refs_without_a_base_are_taken_as_they_are() -> None:
    check = schemacheck.compile_check(
        {"$ref": f"{DEFS_ID}#/$defs/IntOrString"}, {DEFS_ID: DEFINITIONS}
    )
    assert check("80")
    assert not check([])


def test_several_checks_on_one_schema() -> None:
    check = schemacheck.compile_check(
        {"type": "array", "enum": [[1], "a"], "items": {"type": "integer"}}, {}
    )
    assert not check([1])  # equality of lists is left to jsonschema ([True] is not [1] there)
    assert not check(["a"])


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web", "labels": {"app": "web"}},
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {
                            "containers": [
                                {
                                    "name": "web",
                                    "image": "nginx:1.27",
                                    "ports": [{"containerPort": 8080}],
                                    "resources": {"limits": {"memory": "128Mi", "cpu": 1}},
                                }
                            ]
                        },
                    },
                },
            },
            id="valid-deployment",
        ),
        pytest.param(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web"},
                "spec": {"ports": [{"port": "80", "targetPort": 8080.5}], "bogus": 1},
            },
            id="invalid-service",
        ),
    ],
)
def test_validator_results_match_jsonschema_alone(strict: bool, obj: dict[str, Any]) -> None:
    validator = schema.SchemaValidator(strict=strict)
    fast = validator.validate(obj)
    filename = f"{obj['kind'].lower()}-{schema._api_version_slug(obj['apiVersion'])}.json"
    slow = schema._run(validator._bundled_validator(filename), obj, "")
    assert fast == slow


def test_a_schema_file_that_cannot_be_compiled_uses_jsonschema_only() -> None:
    assert schema._fast_check("v0.0.0-missing", "nothing.json") is None


def test_a_schema_with_unknown_keywords_uses_jsonschema_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema, "_read_schema", lambda _d, _f: {"patternProperties": {}})
    schema._fast_check.cache_clear()
    try:
        assert schema._fast_check("v1.37.0-local", "deployment-apps-v1.json") is None
    finally:
        schema._fast_check.cache_clear()


def test_object_keywords_ignore_other_types() -> None:
    check = schemacheck.compile_check(
        {"properties": {"a": {"type": "string"}}, "required": ["a"]}, {}
    )
    assert check("not an object")
    assert check({"a": "b"})
    assert not check({"a": 1})

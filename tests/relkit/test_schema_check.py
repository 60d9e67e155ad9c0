from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relkit.errors import ConfigError
from relkit.schema_check import check_schema, plainly_valid

SCHEMA = {
    "type": "object",
    "properties": {
        "packages": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string"},
    },
    "required": ["name"],
}


def test_valid_data_passes() -> None:
    check_schema({"name": "x", "packages": ["a"]}, SCHEMA, what="cfg.json", fix="fix it")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([], "cfg.json: (top level): [] is not of type 'object'; fix it", id="top"),
        pytest.param(
            {"name": 1, "packages": ["a", 2]},
            "cfg.json: name: 1 is not of type 'string'; fix it",
            id="first-in-document-order",
        ),
        pytest.param(
            {"name": "x", "packages": ["a", "a", 1, *["a"] * 7, 2]},
            "cfg.json: packages/2: 1 is not of type 'string'; fix it",
            id="indices-compare-as-numbers",
        ),
    ],
)
def test_first_problem_is_one_line(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        check_schema(data, SCHEMA, what="cfg.json", fix="fix it")
    assert str(raised.value) == message


def test_a_fast_path_that_vouches_skips_jsonschema() -> None:
    seen: list[object] = []

    def plainly_valid(data: object) -> bool:
        seen.append(data)
        return True

    check_schema({"name": 1}, SCHEMA, what="cfg", fix="f", plainly_valid=plainly_valid)
    assert seen == [{"name": 1}]


def test_a_fast_path_in_doubt_falls_back_to_jsonschema() -> None:
    with pytest.raises(ConfigError, match="name: 1 is not of type"):
        check_schema({"name": 1}, SCHEMA, what="cfg", fix="f", plainly_valid=lambda _: False)


# --- the fast check reads the schema itself: it vouches only for what jsonschema accepts ----

EVERY_KEYWORD = {
    "$defs": {"level": {"enum": [0, 1, 2]}, "name": {"type": "string", "minLength": 1}},
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"$ref": "#/$defs/name"},
        "rule": {
            "type": "array",
            "prefixItems": [{"$ref": "#/$defs/level"}, {"enum": ["always", "never"]}],
            "items": {"type": ["string", "integer", "array"]},
            "minItems": 1,
            "maxItems": 3,
        },
        "extends": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "file": {"oneOf": [{"type": "string", "maxLength": 5}, {"type": "object"}]},
        "flag": {"const": True},
        "count": {"type": "number"},
        "other": {"type": "null"},
    },
}

_VALIDATOR = jsonschema.Draft202012Validator(EVERY_KEYWORD)
_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-1, 3), st.sampled_from([0.0, 1.0, 2.5]),
    st.sampled_from(["", "x", "always", "never", "abcdef"]),
)  # fmt: skip
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["name", "x", "path"]), inner, max_size=3),
    ),
    max_leaves=8,
)
_document = st.dictionaries(
    st.sampled_from([*EVERY_KEYWORD["properties"], "unknown"]), _value, max_size=6
)


@settings(max_examples=3000, deadline=None)
@given(_document)
def test_plainly_valid_agrees_with_jsonschema_on_generated_documents(data: dict[str, Any]) -> None:
    if plainly_valid(data, EVERY_KEYWORD):
        assert _VALIDATOR.is_valid(data), data


@pytest.mark.parametrize(
    ("data", "vouched"),
    [
        pytest.param({"name": "a", "rule": [2, "always", "x"]}, True, id="plain"),
        pytest.param({"name": "a", "extends": ["b"], "flag": True}, True, id="any-of-const"),
        pytest.param({"name": "a", "file": "abc"}, True, id="one-of"),
        pytest.param({"name": ""}, False, id="min-length"),
        pytest.param({"name": "a", "rule": [3]}, False, id="prefix-ref-enum"),
        pytest.param({"name": "a", "rule": [True]}, False, id="true-is-not-1"),
        pytest.param({"name": "a", "rule": [2, "always", "x", "y"]}, False, id="max-items"),
        pytest.param({"name": "a", "unknown": 1}, False, id="additional-false"),
        pytest.param({"name": "a", "count": 1.5, "other": None}, True, id="number-null"),
        pytest.param({"name": "a", "rule": "not-a-list"}, False, id="type-first"),
    ],
)
def test_plainly_valid_keywords(data: dict[str, Any], vouched: bool) -> None:
    assert plainly_valid(data, EVERY_KEYWORD) is vouched
    if vouched:
        check_schema(data, EVERY_KEYWORD, what="cfg", fix="f")  # the fast path: no error


@pytest.mark.parametrize(
    ("value", "schema", "vouched"),
    [
        pytest.param("x", {"items": {"type": "string"}}, True, id="items-skip-non-arrays"),
        pytest.param(1, {"additionalProperties": False}, True, id="additional-skip-non-objects"),
        pytest.param({}, {"additionalProperties": True, "patternProperties": {}}, False, id="pat"),
        pytest.param("x", {"oneOf": [{"type": "string"}, {"minLength": 1}]}, False, id="one-of"),
        pytest.param("x", {"$ref": "http://example.com/s"}, False, id="remote-ref"),
        pytest.param("x", {"$ref": "#/$defs/missing"}, False, id="missing-ref"),
        pytest.param("x", {"$ref": "#/$defs/n", "$defs": {"n": 3}}, False, id="ref-to-a-number"),
        pytest.param("x", True, True, id="true-schema"),
    ],
)
def test_plainly_valid_doubts(value: object, schema: Any, vouched: bool) -> None:
    assert plainly_valid(value, schema) is vouched


def test_valid_data_the_fast_check_doubts_passes_through_jsonschema() -> None:
    schema = {"type": "object", "patternProperties": {"^x": {"type": "string"}}}
    assert not plainly_valid({"x": "1"}, schema)
    check_schema({"x": "1"}, schema, what="cfg", fix="f")  # no error: jsonschema agrees

"""Source rewrites for cel-cpp: struct literals and orValue on plain values."""

from __future__ import annotations

import pytest
from kyverno_validate.cel.rewrite import (
    rewrite_null_optional,
    rewrite_orvalue_passthrough,
    rewrite_struct_literals,
    tokenize,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("{a: 1}", "{a: 1}", id="map-literal-untouched"),
        pytest.param("x > 1", "x > 1", id="no-brace"),
        pytest.param("Object{spec: 1}", "{'spec': 1}", id="object"),
        pytest.param(
            "Object{spec: Object.spec{x: c ? a : b, y: 2}}",
            "{'spec':{'x': c ? a : b, 'y': 2}}",
            id="nested-with-ternary",
        ),
        pytest.param(
            'JSONPatch{op: "add", value: {"k": v}}',
            "{'op': \"add\", 'value': {\"k\": v}}",
            id="jsonpatch-with-map-value",
        ),
        pytest.param("[Object.x{a: 1}, {b: 2}]", "[{'a': 1}, {b: 2}]", id="list-of-both"),
        pytest.param("Object{a: '{b: 1}'}", "{'a': '{b: 1}'}", id="brace-in-string"),
        pytest.param("a} + {b: 1}", "a} + {b: 1}", id="stray-brace"),
    ],
)
def test_struct_literals(source: str, expected: str) -> None:
    assert rewrite_struct_literals(source) == expected


@pytest.mark.parametrize(
    ("source", "changed"),
    [
        pytest.param("a.b.orValue(1)", True, id="plain-chain"),
        pytest.param("a.?b.orValue(1)", False, id="optional-chain"),
        pytest.param("a[?'k'].orValue(1)", False, id="optional-index"),
        pytest.param("f(a)[0].b.orValue({})", True, id="call-and-index"),
        pytest.param("(a || b).orValue(1)", True, id="parenthesised"),
        pytest.param("x.all(c, c.m.orValue([]).size() > 0)", True, id="inside-macro"),
        pytest.param("x.y", False, id="no-orValue"),
        pytest.param("x.orValue", False, id="not-a-call"),
        pytest.param("[1].orValue(2)", True, id="list-literal"),
        pytest.param("'s'.orValue(2)", True, id="string-receiver"),
        pytest.param("m['k'].orValue(1)", True, id="index"),
        pytest.param("m[0][1].orValue(2)", True, id="two-indexes"),
        pytest.param("a.orValue(", True, id="unclosed"),
    ],
)
def test_orvalue_passthrough(source: str, changed: bool) -> None:
    rewritten = rewrite_orvalue_passthrough(source)
    assert (rewritten != source) is changed
    if changed:
        assert "optional_type" in rewritten


def test_tokens_join_back_to_the_source() -> None:
    source = "a.?b[?'x'] // comment\n && r'raw' == 1.5e3u"
    assert "".join(t.text for t in tokenize(source)) == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("x.?a", "(( x ) == null ? optional.none() : ( x ) .? a )", id="field"),
        pytest.param("x[?0]", "(( x ) == null ? optional.none() : ( x ) [? 0 ] )", id="index"),
        pytest.param("x.y", "x.y", id="no-optional"),
    ],
)
def test_null_receivers_of_optional_steps(source: str, expected: str) -> None:
    assert rewrite_null_optional(source) == expected

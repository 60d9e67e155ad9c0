"""kyverno-json assertion trees (``validate.assert``): projections, foreach, bindings,
comparisons and the field-error messages, as ``kyverno-json`` ``pkg/engine/assert`` gives them."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kyverno_validate.engine.assertion import (
    AssertionFailure,
    Expression,
    assert_tree,
    evaluate_assert,
    failing_field,
    go_value,
    matches,
    parse_expression,
)
from kyverno_validate.engine.model import build_rule

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
    "spec": {
        "replicas": 3,
        "ratio": 1.5,
        "containers": [
            {"name": "a", "image": "nginx:1.2", "ports": [80, 443]},
            {"name": "b", "image": "busybox"},
        ],
    },
}


def _errors(tree: Any, value: Any = POD, bindings: dict[str, Any] | None = None) -> list[str]:
    constant = {name: (lambda v=v: v) for name, v in (bindings or {}).items()}
    return [str(error) for error in assert_tree(tree, value, constant)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("spec", Expression("spec"), id="field"),
        pytest.param("(spec.replicas)", Expression("spec.replicas", engine="jp"), id="jmespath"),
        pytest.param("(jp;a)", Expression("a", engine="jp"), id="explicit-engine"),
        pytest.param("(cel;a)", Expression("a", engine="cel"), id="cel-engine"),
        pytest.param("\\(a)\\", Expression("(a)"), id="escaped"),
        pytest.param("~.containers", Expression("containers", foreach=True), id="foreach"),
        pytest.param(
            "~i.(containers)",
            Expression("containers", foreach=True, foreach_name="i", engine="jp"),
            id="foreach-named",
        ),
        pytest.param("(spec)->s", Expression("spec", binding="s", engine="jp"), id="binding"),
        # Go's greedy ``(.*)\s*->`` keeps the space: a plain field named "(spec) "
        pytest.param("(spec) -> s", Expression("(spec) ", binding="s"), id="binding-space"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_expression(text: str, expected: Expression | None) -> None:
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    ("tree", "errors"),
    [
        pytest.param({"spec": {"replicas": 3}}, [], id="nested-maps-pass"),
        pytest.param({"spec": {"replicas": 3.0}}, [], id="int-equals-float"),
        pytest.param(
            {"spec": {"replicas": 4}},
            ["spec.replicas: Invalid value: 3: Expected value: 4"],
            id="number-mismatch",
        ),
        pytest.param(
            {"metadata": {"name": "api"}},
            ['metadata.name: Invalid value: "web": Expected value: "api"'],
            id="string-mismatch-quoted",
        ),
        pytest.param(
            {"spec": {"missing": 1}},
            ["spec.missing: Required value: field not found in the input object"],
            id="missing-field",
        ),
        pytest.param({"spec": {"(replicas > `2`)": True}}, [], id="jmespath-key"),
        pytest.param(
            {"spec": {"(replicas > `5`)": True}},
            ["spec.(replicas > `5`): Invalid value: false: Expected value: true"],
            id="jmespath-key-fails",
        ),
        pytest.param({"spec": {"(missing)": None}}, [], id="jmespath-null-equals-null"),
        pytest.param({"spec": {"replicas": "(`3`)"}}, [], id="jmespath-leaf"),
        pytest.param({"spec": {"ratio": "(@)"}}, [], id="leaf-current-value"),
        pytest.param(
            {"spec": {"ratio": 2}},
            ["spec.ratio: Invalid value: 1.5: Expected value: 2"],
            id="float-value",
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}, [], id="list-element-wise"
        ),
        pytest.param(
            {"spec": {"containers": [{"name": "a"}]}},
            [
                "spec.containers: Invalid value: []interface {}{"
                'map[string]interface {}{"image":"nginx:1.2", "name":"a", '
                '"ports":[]interface {}{80, 443}}, '
                'map[string]interface {}{"image":"busybox", "name":"b"}}: '
                "lengths of slices don't match"
            ],
            id="list-length",
        ),
        pytest.param(
            {"spec": {"~.containers": {"(contains(image, ':'))": True}}},
            [
                "spec.~.containers[1].(contains(image, ':')): Invalid value: false: "
                "Expected value: true"
            ],
            id="foreach",
        ),
        pytest.param(
            {"spec": {"~i.(containers)": {"name": "($i == `0` && 'a' || 'b')"}}},
            [],
            id="foreach-index",
        ),
        pytest.param(
            {"metadata": {"~k.labels": "($k == 'app' && 'web' || 'front')"}},
            [],
            id="foreach-map-key",
        ),
        pytest.param(
            {"metadata": {"~.(labels)": {"(length(@) > `5`)": False}}}, [], id="foreach-map"
        ),
        pytest.param({"spec": {"(replicas)->r": {"(@ == $r)": True}}}, [], id="binding"),
        pytest.param({"spec": {"replicas": "($limit)"}}, [], id="context-binding"),
        pytest.param({"spec": {"(length(containers) == $count)": True}}, [], id="binding-count"),
        pytest.param(
            {"spec": {"\\(replicas)\\": 1}},
            ["spec.\\(replicas)\\: Required value: field not found in the input object"],
            id="escaped-key",
        ),
        pytest.param({"spec": {}}, [], id="empty-map-not-null"),
        pytest.param(
            {"status": {}},
            ["status: Required value: field not found in the input object"],
            id="empty-map-missing",
        ),
        pytest.param(
            {"spec": {"(nothing)": {}}},
            ['spec.(nothing): Invalid value: "null": invalid value, must not be null'],
            id="empty-map-null",
        ),
        pytest.param(
            {"spec": {"(nothing)": [1]}},
            ['spec.(nothing): Invalid value: "null": value is null'],
            id="list-null",
        ),
        pytest.param({"spec": {"(containers[0].ports)": "(`[80, 443]`)"}}, [], id="list-leaf"),
        pytest.param({"spec": {"(containers[0])": "({name: 'a'})"}}, [], id="map-leaf-subset"),
    ],
)
def test_tree(tree: Any, errors: list[str]) -> None:
    assert _errors(tree, POD, {"$limit": 3, "$count": 2}) == errors


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        pytest.param(
            {"spec": {"replicas": "three"}},
            "spec.replicas: Internal error: types are not comparable, string - int64",
            id="types-not-comparable",
        ),
        pytest.param(
            {"spec": {"containers": {"name": "a"}}},
            "spec.containers.name: Internal error: projection not recognized",
            id="field-of-a-list",
        ),
        pytest.param(
            {"spec": {"replicas": [3]}},
            "spec.replicas: Invalid value: 3: expected a slice",
            id="list-against-scalar",
        ),
        pytest.param(
            {"spec": {"~.(replicas)": 3}},
            "spec.~.(replicas): Invalid value: 3: expected a slice or a map",
            id="foreach-over-scalar",
        ),
        pytest.param(
            {"spec": {"(unknown_fn(@))": 1}},
            "spec.(unknown_fn(@)): Internal error: Unknown function: unknown_fn()",
            id="unknown-function",
        ),
        pytest.param(
            {"spec": {"($nope)": 1}},
            "spec.($nope): Internal error: variable not defined: $nope",
            id="undefined-variable",
        ),
        pytest.param(
            {"spec": {"(cel;object)": 1}},
            "spec.(cel;object): Internal error: engine not supported: cel",
            id="cel-key",
        ),
        pytest.param(
            {"spec": {"replicas": "(cel;object)"}},
            "spec.replicas: Internal error: engine not supported: cel",
            id="cel-leaf",
        ),
        pytest.param(
            {"spec": {"replicas": "~i.(a)"}},
            'spec.replicas: Invalid value: "~i.(a)": foreach is not supported on the RHS',
            id="foreach-leaf",
        ),
        pytest.param(
            {"spec": {"replicas": "(a)->b"}},
            'spec.replicas: Invalid value: "(a)->b": binding is not supported on the RHS',
            id="binding-leaf",
        ),
        pytest.param(
            {"spec": {"(containers)": "(`{}`)"}},
            "spec.(containers): Internal error: invalid actual value, must be a map, found slice",
            id="map-against-list",
        ),
        pytest.param(
            {"spec": {"(replicas)": "(`[1]`)"}},
            "spec.(replicas): Internal error: invalid actual value, must be a slice, found int64",
            id="list-against-number",
        ),
    ],
)
def test_tree_cannot_be_applied(tree: Any, message: str) -> None:
    with pytest.raises(AssertionFailure) as caught:
        _errors(tree)
    assert str(caught.value) == message


def test_arithmetic_of_jmespath_community_is_not_supported() -> None:
    # kyverno-json evaluates JMESPath Community Edition (``+ - * /``); the ``jmespath``
    # package does not parse them: the rule errors rather than guessing
    with pytest.raises(AssertionFailure, match="invalid token"):
        _errors({"spec": {"ratio": "(@ * `1`)"}})


def test_root_variable_and_literals_with_backticks() -> None:
    assert _errors({"(a)": "($)"}, {"a": "x`y"}) == []  # $: the value searched
    assert _errors({"(a == '$x')": True}, {"a": "$x"}) == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(None, "interface {}(nil)", id="nil"),
        pytest.param(True, "true", id="bool"),
        pytest.param(1e6, "1e+06", id="float-exponent"),
        pytest.param(1e-5, "1e-05", id="small-float"),
        pytest.param(0.0001, "0.0001", id="small-fixed"),
        pytest.param(-2.0, "-2", id="negative-whole"),
        pytest.param(0.0, "0", id="zero"),
        pytest.param(float("nan"), "NaN", id="nan"),
        pytest.param(float("-inf"), "-Inf", id="inf"),
        pytest.param(120000.0, "120000", id="whole-fixed"),
        pytest.param(
            {"b": [1, "x"], "a": None},
            'map[string]interface {}{"a":interface {}(nil), "b":[]interface {}{1, "x"}}',
            id="map",
        ),
        pytest.param(object, "<class 'object'>", id="other"),
    ],
)
def test_go_value(value: Any, text: str) -> None:
    assert go_value(value) == text


def test_expected_messages_for_lists_and_null() -> None:
    assert _errors({"(a)": "(`[1]`)"}, {"a": [2]}) == [
        "(a): Invalid value: []interface {}{2}: Expected value: []interface {}{1}"
    ]
    assert _errors({"a": "(b)"}, {"a": 1}) == ["a: Invalid value: 1: Expected value: <nil>"]
    assert _errors({"(a)": '(`{"k": 1}`)'}, {"a": {"k": 2}}) == [
        '(a): Invalid value: map[string]interface {}{"k":2}: '
        'Expected value: map[string]interface {}{"k":1}'
    ]


def test_matches_scalars() -> None:
    assert matches(None, None)
    assert not matches(None, 1)
    assert not matches({"a": 1}, {"b": 1})
    with pytest.raises(AssertionFailure, match="bool - int64"):
        matches(True, 1)
    with pytest.raises(AssertionFailure, match="bool - object"):
        matches(True, object())


RULE: dict[str, Any] = {
    "name": "r",
    "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
    "context": [{"name": "limit", "variable": {"value": 2}}, {"bad": 1}],
    "validate": {"assert": {"object": {"spec": {"(replicas <= $limit)": True}}}},
}


def _data(obj: Any, operation: str = "CREATE", old: Any = None, **extra: Any) -> dict[str, Any]:
    request = {"operation": operation, "object": obj, "oldObject": old, **extra}
    return {"request": request, "limit": 2}


@pytest.mark.parametrize(
    ("raw", "data", "expected"),
    [
        pytest.param(
            RULE,
            _data(POD),
            (
                "fail",
                "object.spec.(replicas <= $limit): Invalid value: false: Expected value: true",
            ),
            id="fail",
        ),
        pytest.param(
            {**RULE, "preconditions": {"all": [{"key": "a", "operator": "Equals", "value": "b"}]}},
            _data(POD),
            ("skip", "preconditions not met"),
            id="preconditions",
        ),
        pytest.param(
            {**RULE, "preconditions": {"all": [{"key": "a", "operator": "Bogus", "value": "b"}]}},
            _data(POD),
            ("error", "failed to evaluate preconditions: "),
            id="preconditions-error",
        ),
        pytest.param(
            {**RULE, "validate": {"assert": {"(nope())": 1}}},
            _data(POD),
            ("error", "failed to apply assertion: (nope()): Internal error: "),
            id="error",
        ),
        pytest.param(
            {
                **RULE,
                "validate": {
                    "assert": {
                        "resourceKind": {"kind": "Pod", "version": "v1"},
                        "operation": "CREATE",
                        "admissionInfo": {"userInfo": {"username": "me"}, "roles": ["r"]},
                        "admissionOperation": False,
                        "(namespaceLabels)": None,
                    }
                },
            },
            _data(POD, userInfo={"username": "me"}, roles=["r"]),
            ("pass", "Validation rule 'r' passed."),
            id="payload",
        ),
    ],
)
def test_evaluate_assert(raw: Any, data: dict[str, Any], expected: tuple[str, str]) -> None:
    outcome = evaluate_assert(build_rule("r", raw, "Audit"), data, POD)
    assert outcome.result == expected[0]
    assert outcome.message.startswith(expected[1])


@pytest.mark.parametrize(
    ("action", "validate", "old", "expected"),
    [
        pytest.param("Enforce", {}, POD, ("skip", "skipping the rule evaluation"), id="existing"),
        pytest.param(
            "Enforce",
            {},
            {**POD, "spec": {"replicas": 2}},
            ("fail", "object.spec"),
            id="new-violation",
        ),
        pytest.param("Audit", {}, POD, ("fail", "object.spec"), id="audit"),
        pytest.param(
            "Enforce", {"allowExistingViolations": False}, POD, ("fail", "object"), id="disallowed"
        ),
        pytest.param(
            "Enforce",
            {},
            {"spec": {"replicas": "x"}},
            ("skip", "failed to validate old object"),
            id="old-error",
        ),
    ],
)
def test_update_with_existing_violations(
    action: Any, validate: dict[str, Any], old: Any, expected: tuple[str, str]
) -> None:
    raw = {
        **RULE,
        "validate": {**validate, "assert": {"object": {"spec": {"replicas": "(`2`)"}}}},
    }
    outcome = evaluate_assert(build_rule("r", raw, action), _data(POD, "UPDATE", old), POD)
    assert (outcome.result, outcome.message[: len(expected[1])]) == expected


@pytest.mark.parametrize(
    ("expected", "actual", "message"),
    [
        pytest.param("a", 1.5, "string - float64", id="float"),
        pytest.param(1, {}, "int64 - map", id="map"),
        pytest.param("x", [1], "string - slice", id="slice"),
        pytest.param([1], None, "must be a slice, found invalid", id="null"),
    ],
)
def test_kinds_in_comparison_errors(expected: Any, actual: Any, message: str) -> None:
    with pytest.raises(AssertionFailure, match=message):
        matches(expected, actual)


def test_non_string_keys_and_fields_of_null() -> None:
    assert _errors({True: 2, 1.5: 3}, {True: 1, 1.5: 3}) == [
        "true: Invalid value: 1: Expected value: 2"
    ]
    assert _errors({False: 1, 2.5: 3}, {False: 1, 2.5: 4}) == [
        "2.5: Invalid value: 4: Expected value: 3"
    ]
    assert _errors({"a": {"b": 1}}, {"a": None}) == [
        "a.b: Required value: field not found in the input object"
    ]


TREE_KEYS = st.sampled_from(
    ["a", "b", "(a)", "~.a", "~i.(b)", "(a)->x", "\\(a)\\", "(length(@))", "($x)", "(cel;a)", "~"]
)
TREES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.sampled_from(["a", "(@)", "(a)", "(b == `1`)", "~.a", "(a)->y", "($i)", "($)", "(`[1]`)"]),
    lambda children: (
        st.lists(children, max_size=2) | st.dictionaries(TREE_KEYS, children, max_size=3)
    ),
    max_leaves=12,
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "", "x`y"]),
    lambda children: (
        st.lists(children, max_size=2)
        | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(tree=TREES, value=VALUES)
def test_trees_give_field_errors_or_assertion_failures(tree: Any, value: Any) -> None:
    messages: list[str]
    try:
        messages = [str(error) for error in assert_tree(tree, value, {"$x": lambda: 1})]
    except AssertionFailure as exc:  # the rule's error result, with a message
        messages = [str(exc)]
    assert all(messages)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        pytest.param("object.spec.(serviceAccountName == 'default')", "spec", id="projection"),
        pytest.param("object.spec.containers[0].image", "spec.containers[0].image", id="index"),
        pytest.param(
            "object.metadata.labels.app.kubernetes.io/name",
            "metadata.labels.app.kubernetes.io/name",  # line_of matches dotted keys whole
            id="dotted-key",
        ),
        pytest.param("object.spec.~.(containers)[0].image", "spec", id="loop"),
        pytest.param("object.(spec)", None, id="projection-at-top"),
        pytest.param("oldObject.spec.replicas", None, id="not-the-object"),
    ],
)
def test_a_failure_points_at_the_field_before_its_first_projection(
    path: str, field: str | None
) -> None:
    assert failing_field(path) == field


def test_the_failing_row_carries_the_field_for_its_line() -> None:
    raw = {**RULE, "validate": {"assert": {"object": {"spec": {"(replicas > `1`)": False}}}}}
    outcome = evaluate_assert(build_rule("r", raw, "Audit"), _data(POD), POD)
    assert (outcome.result, outcome.path) == ("fail", "spec")

from typing import Any

import pytest
from kyverno_validate.engine.anchors import parse_anchor
from kyverno_validate.engine.patterns import match_pattern

POD = {
    "metadata": {"name": "p", "labels": {"app": "web", "app.kubernetes.io/name": "x"}},
    "spec": {
        "hostNetwork": False,
        "containers": [
            {"name": "a", "image": "nginx:1.2", "securityContext": {"privileged": False}},
            {"name": "b", "image": "busybox:latest"},
        ],
        "volumes": [{"name": "v", "emptyDir": {}}],
    },
}


def outcome(resource: Any, pattern: Any) -> str:
    error = match_pattern(resource, pattern)
    if error is None:
        return "pass"
    return "skip" if error.skip else "fail"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param({"metadata": {"labels": {"app": "?*"}}}, "pass", id="plain-key"),
        pytest.param({"metadata": {"labels": {"team": "?*"}}}, "fail", id="missing-key"),
        pytest.param(
            {"spec": {"containers": [{"image": "!*:latest"}]}}, "fail", id="array-of-maps"
        ),
        pytest.param({"spec": {"containers": [{"name": "*"}]}}, "pass", id="star-present"),
        pytest.param({"spec": {"=(hostPID)": False}}, "pass", id="equality-absent"),
        pytest.param({"spec": {"=(hostNetwork)": True}}, "fail", id="equality-present-mismatch"),
        pytest.param({"spec": {"X(hostNetwork)": "null"}}, "fail", id="negation-present"),
        pytest.param({"spec": {"X(hostPID)": "null"}}, "pass", id="negation-absent"),
        pytest.param(
            {"spec": {"containers": [{"(name)": "b", "image": "!*:latest"}]}},
            "fail",
            id="condition-selects-element",
        ),
        pytest.param(
            {"spec": {"containers": [{"(name)": "zzz", "image": "!*:latest"}]}},
            "skip",
            id="condition-no-element-skips",
        ),
        pytest.param(
            {"spec": {"(hostNetwork)": True, "containers": [{"image": "x"}]}},
            "skip",
            id="condition-mismatch-skips",
        ),
        pytest.param(
            {"spec": {"<(hostNetwork)": True, "containers": [{"image": "x"}]}},
            "skip",
            id="global-mismatch-skips",
        ),
        pytest.param(
            {"spec": {"<(hostNetwork)": False, "containers": [{"image": "x"}]}},
            "fail",
            id="global-match-checks-rest",
        ),
        pytest.param(
            {"spec": {"^(containers)": [{"name": "b"}]}}, "pass", id="existence-one-matches"
        ),
        pytest.param(
            {"spec": {"^(containers)": [{"name": "c"}]}}, "fail", id="existence-none-matches"
        ),
        pytest.param(
            {"spec": {"containers": [{"=(securityContext)": {"=(privileged)": False}}]}},
            "pass",
            id="nested-equality",
        ),
        pytest.param({"spec": {"volumes": [{"X(hostPath)": "null"}]}}, "pass", id="array-negation"),
        pytest.param({"metadata": {"labels": {"app.kubernetes.io/*": "x"}}}, "pass", id="wild-key"),
        pytest.param({"metadata": "x"}, "fail", id="structure-mismatch"),
        pytest.param({"spec": {"containers": "x"}}, "fail", id="scalar-vs-list-each"),
        pytest.param({"spec": {"containers": {"a": 1}}}, "fail", id="map-vs-list"),
        pytest.param({"metadata": {"name": ["p"]}}, "fail", id="list-vs-scalar"),
        pytest.param({"spec": {"containers": []}}, "fail", id="empty-pattern-array"),
        pytest.param({"spec": {"+(dnsPolicy)": "x"}}, "fail", id="add-anchor-is-plain-key"),
    ],
)
def test_match_pattern(pattern: Any, expected: str) -> None:
    assert outcome(POD, pattern) == expected


def test_failure_path_names_the_field() -> None:
    error = match_pattern(POD, {"spec": {"containers": [{"image": "!*:latest"}]}})
    assert error is not None
    assert error.path == "/spec/containers/1/image/"


def test_scalar_list_pattern_elementwise() -> None:
    assert outcome({"args": ["a", "b"]}, {"args": ["!c"]}) == "pass"
    assert outcome({"args": [1, 2]}, {"args": [[1], [2]]}) == "fail"


@pytest.mark.parametrize(
    ("key", "modifier", "name"),
    [
        pytest.param("(a)", "", "a", id="condition"),
        pytest.param("<(a)", "<", "a", id="global"),
        pytest.param("=(a)", "=", "a", id="equality"),
        pytest.param("X(a)", "X", "a", id="negation"),
        pytest.param("^(a)", "^", "a", id="existence"),
        pytest.param("+(a)", "+", "a", id="add-if-not-present"),
    ],
)
def test_parse_anchor(key: str, modifier: str, name: str) -> None:
    anchor = parse_anchor(key)
    assert anchor is not None
    assert (anchor.modifier, anchor.key) == (modifier, name)


def test_parse_anchor_plain() -> None:
    assert parse_anchor("plain") is None


@pytest.mark.parametrize(
    ("resource", "pattern", "expected"),
    [
        pytest.param({"a": 1}, {"<(b)": 1, "a": 1}, "pass", id="global-absent"),
        pytest.param({"a": 1}, {"^(a)": [{"x": 1}]}, "fail", id="existence-on-scalar"),
        pytest.param({"a": [1]}, {"^(a)": {"x": 1}}, "fail", id="existence-map-pattern"),
        pytest.param({"a": [1]}, {"^(a)": [1]}, "fail", id="existence-scalar-items"),
        pytest.param({}, {"^(a)": [{"x": 1}]}, "pass", id="existence-absent"),
        pytest.param({"a": [[1], [2]]}, {"a": [[1], [2]]}, "pass", id="array-of-arrays"),
        pytest.param({"a": [[1]]}, {"a": [[1], [2]]}, "fail", id="array-length-mismatch"),
        pytest.param({"a": [{"b": 1}]}, {"a": [[1]]}, "fail", id="array-structure-mismatch"),
        pytest.param(
            {"a": [{"b": 1}, {"b": 2}]},
            {"a": [{"(b)": 3}, {"(b)": 4}]},
            "skip",
            id="array-of-maps-all-skip",
        ),
        pytest.param(
            {"a": [[{"b": 1}], [{"b": 2}]]},
            {"a": [[{"(b)": 3, "c": 1}], [{"(b)": 4, "c": 1}]]},
            "skip",
            id="array-of-arrays-all-skip",
        ),
        pytest.param({"a": 1}, {"a": object()}, "fail", id="unknown-pattern-type"),
        pytest.param(
            {"metadata": "x"}, {"metadata": {"labels": {"a*": "x"}}}, "fail", id="meta-not-map"
        ),
        pytest.param(
            {"metadata": {"annotations": {"team.io/a": "x"}}},
            {"metadata": {"annotations": {"=(team.io/*)": "x"}}},
            "pass",
            id="meta-wildcard-anchor",
        ),
        pytest.param(
            {"metadata": {"annotations": {"team.io/a": "y"}}},
            {"metadata": {"annotations": {"=(team.io/*)": "x"}}},
            "fail",
            id="meta-wildcard-anchor-mismatch",
        ),
        pytest.param(
            {"metadata": {}}, {"metadata": {"labels": {"a*": "x"}}}, "fail", id="meta-no-labels"
        ),
        pytest.param({}, {"metadata": {"labels": {"a*": "x"}}}, "fail", id="no-metadata"),
        pytest.param(
            {"metadata": {"labels": {"b": "x"}}},
            {"metadata": {"labels": {"a*": "x"}}},
            "fail",
            id="meta-wildcard-no-match",
        ),
    ],
)
def test_more_patterns(resource: Any, pattern: Any, expected: str) -> None:
    assert outcome(resource, pattern) == expected


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        pytest.param([1], "[]interface {}", id="list"),
        pytest.param("x", "string", id="string"),
        pytest.param(True, "bool", id="bool"),
        pytest.param(1, "int64", id="int"),
        pytest.param(1.5, "float64", id="float"),
        pytest.param(None, "<nil>", id="nil"),
    ],
)
def test_structure_messages_name_go_types(value: Any, type_name: str) -> None:
    error = match_pattern({"a": value}, {"a": {"b": 1}})
    assert error is not None
    assert f"found {type_name}" in str(error)


@pytest.mark.parametrize(
    ("resource", "pattern", "expected", "message"),
    [
        pytest.param(
            {"spec": {}}, {"spec": {"x": "*"}}, "fail", "/spec//x not found", id="star-needs-key"
        ),
        pytest.param(
            {"spec": {"x": None}},
            {"spec": {"x": "*"}},
            "fail",
            "/spec//x not found",
            id="star-null",
        ),
        pytest.param(
            {"metadata": {"labels": {"apple": "a", "x": "1"}}},
            {"metadata": {"labels": {"app*": "a", "x": "1"}}},
            "pass",
            None,
            id="wildcard-key-beside-plain-key",
        ),
        pytest.param(
            {"metadata": {"labels": {"apple": "b", "x": "1"}}},
            {"metadata": {"labels": {"app*": "a", "x": "1"}}},
            "fail",
            "does not match 'a' at path /metadata/labels/apple/",
            id="wildcard-key-takes-resource-key",
        ),
    ],
)
def test_default_handler_and_wildcard_keys(
    resource: Any, pattern: Any, expected: str, message: str | None
) -> None:
    assert outcome(resource, pattern) == expected
    if message is not None:
        assert message in str(match_pattern(resource, pattern))

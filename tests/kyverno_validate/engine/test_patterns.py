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

"""How kyverno test compares expected resources: tidy, default namespace, generate labels."""

from typing import Any

import pytest
from kyverno_validate.engine.compare import pick_expected, resources_equal, tidy

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"a": {}, "b": [], "c": None, "d": [{}, 1]}, {"d": [1]}, id="empties-go"),
        pytest.param({"a": {"b": {}}}, None, id="nested-empty"),
        pytest.param([None], None, id="empty-list"),
        pytest.param(0, 0, id="scalar"),
    ],
)
def test_tidy(value: Any, expected: Any) -> None:
    assert tidy(value) == expected


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        pytest.param(
            CM,
            {**CM, "metadata": {"name": "c", "namespace": "default"}},
            True,
            id="default-namespace",
        ),
        pytest.param(CM, {**CM, "data": {"a": "1"}, "spec": {}}, True, id="empty-map-ignored"),
        pytest.param(CM, {**CM, "data": {"a": "2"}}, False, id="value-differs"),
        pytest.param({**CM, "n": 1}, {**CM, "n": 1.0}, True, id="numbers-by-value"),
        pytest.param({**CM, "n": True}, {**CM, "n": 1}, False, id="bool-is-not-number"),
        pytest.param({**CM, "l": [1, 2]}, {**CM, "l": [1]}, False, id="list-length"),
        pytest.param({**CM, "l": [1, 2]}, {**CM, "l": [1, 3]}, False, id="list-item"),
        pytest.param({**CM, "x": {"a": 1}}, {**CM, "x": {"b": 1}}, False, id="keys"),
        pytest.param(
            {**CM, "metadata": {"name": "c", "labels": {"generate.kyverno.io/policy-name": "p"}}},
            {
                **CM,
                "metadata": {"name": "c", "labels": {"app.kubernetes.io/managed-by": "kyverno"}},
            },
            True,
            id="generate-labels",
        ),
    ],
)
def test_resources_equal(actual: Any, expected: Any, equal: bool) -> None:
    assert resources_equal(actual, expected) is equal


def test_pick_expected() -> None:
    other = {**CM, "metadata": {"name": "d"}}
    assert pick_expected([CM], other) == [CM]
    assert pick_expected([None, other, CM, CM], CM) == [CM, CM]
    assert pick_expected([other, {**CM, "kind": "Secret"}], CM) == []
    assert pick_expected([other, CM], {"kind": "ConfigMap", "metadata": "junk"}) == []
